#include "KeyType.h"

namespace station::crypto {

Result<KeyType> parseKeyType(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == u"rsa2048" || n == u"rsa" || n == u"rsa-2048")
        return KeyType::Rsa2048;
    if (n == u"rsa3072" || n == u"rsa-3072")
        return KeyType::Rsa3072;
    if (n == u"rsa4096" || n == u"rsa-4096")
        return KeyType::Rsa4096;
    if (n == u"p256" || n == u"ec-p256" || n == u"prime256v1" || n == u"secp256r1" || n == u"p-256")
        return KeyType::EcP256;
    if (n == u"p384" || n == u"ec-p384" || n == u"secp384r1" || n == u"p-384")
        return KeyType::EcP384;
    if (n == u"p521" || n == u"ec-p521" || n == u"secp521r1" || n == u"p-521")
        return KeyType::EcP521;
    if (n == u"ed25519")
        return KeyType::Ed25519;
    return fail(ErrorCode::InvalidArgument, QStringLiteral("Unknown key type \"%1\"").arg(name), {},
                QStringLiteral("Use one of: %1").arg(keyTypeNames().join(QStringLiteral(", "))));
}

QString keyTypeName(KeyType type)
{
    switch (type) {
    case KeyType::Rsa2048: return QStringLiteral("rsa2048");
    case KeyType::Rsa3072: return QStringLiteral("rsa3072");
    case KeyType::Rsa4096: return QStringLiteral("rsa4096");
    case KeyType::EcP256: return QStringLiteral("p256");
    case KeyType::EcP384: return QStringLiteral("p384");
    case KeyType::EcP521: return QStringLiteral("p521");
    case KeyType::Ed25519: return QStringLiteral("ed25519");
    }
    return QStringLiteral("unknown");
}

QStringList keyTypeNames()
{
    return {QStringLiteral("rsa2048"), QStringLiteral("rsa3072"), QStringLiteral("rsa4096"), QStringLiteral("p256"),
            QStringLiteral("p384"),    QStringLiteral("p521"),    QStringLiteral("ed25519")};
}

} // namespace station::crypto
