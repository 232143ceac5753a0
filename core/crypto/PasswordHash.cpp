#include "PasswordHash.h"

#include "OpenSslPtr.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <QStringList>

namespace station::crypto {

namespace {

const QString kAlgorithm = QStringLiteral("pbkdf2-sha256");

Error malformed(const QString &what)
{
    return Error(ErrorCode::Parse, QStringLiteral("The stored supervisor password record is not valid: %1").arg(what),
                 {},
                 QStringLiteral("Someone may have edited the station's settings. Remove the supervisor/password "
                                "entry from the settings file and set a new password at the next start."));
}

Result<QByteArray> base64(const QString &text, const QString &what)
{
    auto decoded =
        QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals |
                                                            QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return fail(malformed(QStringLiteral("the %1 is not base64").arg(what)));
    return *decoded;
}

QString toBase64(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals));
}

} // namespace

QString PasswordHash::Record::toString() const
{
    return QStringLiteral("$%1$i=%2$%3$%4").arg(kAlgorithm).arg(iterations).arg(toBase64(salt), toBase64(hash));
}

Result<QByteArray> PasswordHash::pbkdf2Sha256(QByteArrayView password, QByteArrayView salt, quint32 iterations,
                                              int length)
{
    if (iterations == 0 || iterations > kMaximumIterations || length <= 0 || length > 1024)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("PBKDF2 parameters out of range"));
    QByteArray out(length, '\0');
    clearOpenSslErrors();
    if (PKCS5_PBKDF2_HMAC(password.data(), int(password.size()), reinterpret_cast<const unsigned char *>(salt.data()),
                          int(salt.size()), int(iterations), EVP_sha256(), length,
                          reinterpret_cast<unsigned char *>(out.data())) != 1)
        return fail(takeOpenSslError(QStringLiteral("deriving the password hash")));
    return out;
}

Result<QString> PasswordHash::create(const SecretBytes &password, Params params)
{
    if (params.iterations < kMinimumIterations || params.iterations > kMaximumIterations)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 PBKDF2 iterations is out of range").arg(params.iterations), {},
                    QStringLiteral("Use between %1 and %2.").arg(kMinimumIterations).arg(kMaximumIterations));
    Record r;
    r.iterations = params.iterations;
    r.salt = QByteArray(kSaltBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char *>(r.salt.data()), kSaltBytes) != 1)
        return fail(takeOpenSslError(QStringLiteral("making a random salt")));
    auto hash = pbkdf2Sha256(password.view(), r.salt, r.iterations, kHashBytes);
    if (!hash)
        return fail(hash.error());
    r.hash = *hash;
    return r.toString();
}

Result<PasswordHash::Record> PasswordHash::parse(const QString &record)
{
    // "", "pbkdf2-sha256", "i=N", salt, hash
    const QStringList parts = record.split(QLatin1Char('$'));
    if (parts.size() != 5 || !parts[0].isEmpty())
        return fail(malformed(QStringLiteral("expected $algorithm$i=N$salt$hash")));
    if (parts[1] != kAlgorithm)
        return fail(malformed(QStringLiteral("unknown algorithm '%1'").arg(parts[1])));
    if (!parts[2].startsWith(QLatin1String("i=")))
        return fail(malformed(QStringLiteral("no iteration count")));
    bool ok = false;
    const qulonglong iterations = parts[2].mid(2).toULongLong(&ok);
    if (!ok || iterations < kMinimumIterations || iterations > kMaximumIterations)
        return fail(malformed(QStringLiteral("iteration count '%1' out of range").arg(parts[2].mid(2))));
    Record r;
    r.iterations = quint32(iterations);
    auto salt = base64(parts[3], QStringLiteral("salt"));
    if (!salt)
        return fail(salt.error());
    auto hash = base64(parts[4], QStringLiteral("hash"));
    if (!hash)
        return fail(hash.error());
    if (salt->size() < kSaltBytes)
        return fail(malformed(QStringLiteral("salt shorter than %1 bytes").arg(kSaltBytes)));
    if (hash->size() != kHashBytes)
        return fail(malformed(QStringLiteral("hash is not %1 bytes").arg(kHashBytes)));
    r.salt = *salt;
    r.hash = *hash;
    return r;
}

Result<bool> PasswordHash::verify(const SecretBytes &password, const QString &record)
{
    auto r = parse(record);
    if (!r)
        return fail(r.error());
    auto derived = pbkdf2Sha256(password.view(), r->salt, r->iterations, int(r->hash.size()));
    if (!derived)
        return fail(derived.error());
    const bool same = CRYPTO_memcmp(derived->constData(), r->hash.constData(), size_t(r->hash.size())) == 0;
    wipe(*derived);
    return same;
}

bool PasswordHash::needsRehash(const QString &record, Params params)
{
    auto r = parse(record);
    return !r || r->iterations < params.iterations;
}

} // namespace station::crypto
