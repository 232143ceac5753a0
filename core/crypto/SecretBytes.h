// Bytes that hold a secret (a private key's DER, a password): kept in a buffer of their own that nothing
// else can share, and wiped with OPENSSL_cleanse when destroyed, cleared or assigned over. Never copied
// implicitly; clone() is the one, explicit, deep copy. Use it for anything that must not linger in memory.
//
// Why not a QByteArray inside: QByteArray is implicitly shared, so a copy handed out by an accessor shares
// the buffer, and the owner can then neither wipe it (that would corrupt the other holder) nor know when
// the last holder lets go — the secret survives in freed heap memory.
#pragma once

#include "Error.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace station::crypto {

class SecretBytes
{
public:
    SecretBytes() = default;
    /// Copies `data` into its own buffer, then wipes `data` (when the caller moved in its only copy).
    explicit SecretBytes(QByteArray data);
    /// Copies the bytes; the source is the caller's to wipe.
    [[nodiscard]] static SecretBytes copyOf(QByteArrayView data);
    ~SecretBytes();

    SecretBytes(SecretBytes &&other) noexcept;
    SecretBytes &operator=(SecretBytes &&other) noexcept;
    SecretBytes(const SecretBytes &) = delete;
    SecretBytes &operator=(const SecretBytes &) = delete;

    /// An explicit deep copy (the copy is wiped on its own destruction).
    [[nodiscard]] SecretBytes clone() const;

    [[nodiscard]] QByteArrayView view() const { return {m_data.get(), m_size}; }
    [[nodiscard]] const char *constData() const { return m_data.get(); }
    [[nodiscard]] qsizetype size() const { return m_size; }
    [[nodiscard]] bool isEmpty() const { return m_size == 0; }
    /// A QByteArray over this object's own buffer, without copying (QByteArray::fromRawData), for APIs
    /// that take `const QByteArray &` and only read during the call. It owns nothing: valid while this
    /// object lives unchanged, and a modification detaches into an ordinary, never-wiped heap copy. Pass
    /// it straight into a call; never store it, never append to it.
    [[nodiscard]] QByteArray borrow() const;
    void clear(); ///< wipes and empties

private:
    std::unique_ptr<char[]> m_data;
    qsizetype m_size = 0;
};

/// Overwrites the bytes of `data` in place and clears it, when `data` is the buffer's only holder; a
/// shared buffer is only released (wiping it would corrupt the other holder's copy). Code that carries
/// secrets in QByteArrays must therefore keep them unshared (one holder, reserve before appending).
void wipe(QByteArray &data);

/// The value of the environment variable `variable` as a secret (how provctl and the profiles take
/// passphrases, passwords and tokens: never on the command line). An unset variable is an error that
/// names it and says `what` it should hold; an empty `variable` name gives an empty secret.
[[nodiscard]] Result<SecretBytes> secretFromEnvironment(const QString &variable, const QString &what);

} // namespace station::crypto
