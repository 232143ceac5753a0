#include "SecretBytes.h"

#include <openssl/crypto.h>

#include <utility>

namespace station::crypto {

void wipe(QByteArray &data)
{
    if (data.isEmpty()) {
        data.clear();
        return;
    }
    // A shared buffer belongs to someone else too: wiping it would corrupt their copy, and detaching
    // would leave the original untouched anyway. Only wipe what this object alone owns.
    if (!data.isDetached()) {
        data.clear();
        return;
    }
    OPENSSL_cleanse(data.data(), static_cast<size_t>(data.size()));
    data.clear();
}

SecretBytes::SecretBytes(QByteArray data) : m_data(std::move(data)) {}

SecretBytes::~SecretBytes()
{
    wipe(m_data);
}

SecretBytes::SecretBytes(SecretBytes &&other) noexcept : m_data(std::exchange(other.m_data, QByteArray())) {}

SecretBytes &SecretBytes::operator=(SecretBytes &&other) noexcept
{
    if (this != &other) {
        wipe(m_data);
        m_data = std::exchange(other.m_data, QByteArray());
    }
    return *this;
}

SecretBytes SecretBytes::clone() const
{
    // A deep copy, not a shared one, so that each copy can be wiped independently.
    return SecretBytes(QByteArray(m_data.constData(), m_data.size()));
}

void SecretBytes::clear()
{
    wipe(m_data);
}

} // namespace station::crypto
