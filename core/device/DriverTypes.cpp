#include "DriverTypes.h"

namespace station::device {

QString protocolName(Protocol protocol)
{
    switch (protocol) {
    case Protocol::Station: return QStringLiteral("station");
    case Protocol::Nrf91: return QStringLiteral("nrf91");
    }
    return QStringLiteral("unknown");
}

Result<Protocol> parseProtocol(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("station"))
        return Protocol::Station;
    if (n == QLatin1String("nrf91") || n == QLatin1String("nrf9160") || n == QLatin1String("nrf9161") ||
        n == QLatin1String("at"))
        return Protocol::Nrf91;
    return fail(ErrorCode::InvalidArgument, QStringLiteral("Unknown device protocol '%1'").arg(name), {},
                QStringLiteral("Use 'station' or 'nrf91'."));
}

QString credentialKindName(CredentialKind kind)
{
    switch (kind) {
    case CredentialKind::TrustAnchors: return QStringLiteral("trust-anchors");
    case CredentialKind::CertificateChain: return QStringLiteral("certificate-chain");
    case CredentialKind::PrivateKey: return QStringLiteral("private-key");
    case CredentialKind::Csr: return QStringLiteral("csr");
    case CredentialKind::DevicePublicKey: return QStringLiteral("device-public-key");
    }
    return QStringLiteral("unknown");
}

const StoredItem *StoredCredentials::find(CredentialKind kind) const
{
    for (const StoredItem &item : items)
        if (item.kind == kind)
            return &item;
    return nullptr;
}

} // namespace station::device
