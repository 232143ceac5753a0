#include "ThreadState.h"

#include <openssl/crypto.h>

namespace station::crypto {

ThreadStateRelease::~ThreadStateRelease()
{
    OPENSSL_thread_stop();
}

} // namespace station::crypto
