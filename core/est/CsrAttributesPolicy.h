// Applies an EST server's CSR attributes (RFC 7030 §4.5, RFC 9908) to the CSR the station builds:
// subject attributes from the template, requested extensions, the key type/curve and challengePassword.
// Whatever cannot be honoured is listed for the operator instead of being dropped silently. For CSRs made
// elsewhere (a device's), check() lists where the CSR falls short of what the server asked.
#pragma once

#include "crypto/CertificateRequest.h"
#include "crypto/CsrAttributes.h"
#include "crypto/KeyType.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace station::est {

struct CsrPlan {
    crypto::CsrSpec spec;                   ///< the caller's spec with the server's wishes added
    std::optional<crypto::KeyType> keyType; ///< the key type to generate (the caller's, else the server's)
    QStringList applied;                    ///< what was taken from the attributes, for --verbose
    QStringList notHonoured;                ///< what the server asked for and the CSR will not have
};

class CsrAttributesPolicy
{
public:
    /// `keyType`: what the caller asked for (nullopt = no preference, take the server's).
    /// `existingKey`: the key is already fixed (a --key file): a different server key type is reported.
    /// `challengePassword`: used when the server asks for one.
    [[nodiscard]] static CsrPlan apply(const crypto::CsrAttributes &attributes, const crypto::CsrSpec &spec,
                                       std::optional<crypto::KeyType> keyType, bool keyIsFixed,
                                       const QString &challengePassword = {});
    /// Where an existing CSR does not satisfy the attributes (empty when it does).
    [[nodiscard]] static QStringList check(const crypto::CsrAttributes &attributes,
                                           const crypto::CertificateRequest &csr);
    /// A readable name for the OIDs the station knows ("subjectAltName (2.5.29.17)").
    [[nodiscard]] static QString describeOid(const QString &oid);
};

} // namespace station::est
