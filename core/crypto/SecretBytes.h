// Bytes that hold a secret (a private key's DER, a password): wiped with OPENSSL_cleanse when destroyed
// or cleared, never implicitly copied. Use it for anything that must not linger in memory.
#pragma once

#include <QByteArray>

namespace station::crypto {

class SecretBytes
{
public:
    SecretBytes() = default;
    explicit SecretBytes(QByteArray data); ///< takes ownership; the caller's copy is moved from
    ~SecretBytes();

    SecretBytes(SecretBytes &&other) noexcept;
    SecretBytes &operator=(SecretBytes &&other) noexcept;
    SecretBytes(const SecretBytes &) = delete;
    SecretBytes &operator=(const SecretBytes &) = delete;

    /// An explicit deep copy (the copy is wiped on its own destruction).
    [[nodiscard]] SecretBytes clone() const;

    [[nodiscard]] const QByteArray &bytes() const { return m_data; }
    [[nodiscard]] const char *constData() const { return m_data.constData(); }
    [[nodiscard]] qsizetype size() const { return m_data.size(); }
    [[nodiscard]] bool isEmpty() const { return m_data.isEmpty(); }
    void clear(); ///< wipes and empties

private:
    QByteArray m_data;
};

/// Overwrites the bytes of `data` in place (detaching first only if shared) and clears it.
void wipe(QByteArray &data);

} // namespace station::crypto
