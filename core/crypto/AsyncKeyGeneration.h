// Key generation off the event loop: RSA keys take from tens of milliseconds to seconds, which must not
// stall a thread that serves I/O (the GUI, a station's devices, an EST batch). The key is made on the
// global thread pool and handed back on the thread of a context object.
#pragma once

#include "Error.h"
#include "KeyType.h"
#include "PrivateKey.h"

#include <functional>

class QObject;

namespace station::crypto {

/// Generates a `type` key on the thread pool, then calls `done` on `context`'s thread; `done` is never
/// called when `context` is destroyed first.
void generateKeyAsync(KeyType type, QObject *context, std::function<void(Result<PrivateKey>)> done);

} // namespace station::crypto
