// PKCS#7 / CMS "certs-only" messages (degenerate SignedData without signers, RFC 7030 §4.1.3): what EST
// servers put certificates in.
#pragma once

#include "Certificate.h"
#include "Error.h"

#include <QByteArray>
#include <QList>

namespace station::crypto {

class Pkcs7
{
public:
    /// DER of a degenerate SignedData holding `certificates` in the given order.
    [[nodiscard]] static Result<QByteArray> buildCertsOnly(const QList<Certificate> &certificates);
    /// Certificates of a certs-only SignedData, in the order they appear. Accepts DER; rejects other
    /// PKCS#7 content types and a SignedData with no certificates, with a Parse error.
    [[nodiscard]] static Result<QList<Certificate>> parseCertsOnly(const QByteArray &der);
    /// Orders `certificates` leaf first, then each issuer (servers send them in any order). Certificates
    /// that belong to no chain keep their relative order at the end. Linear in the number of
    /// certificates: issuers are found by name and key identifier, and signatures are verified only along
    /// the chosen path (a few per link at most); `signatureChecks`, when given, receives how many.
    [[nodiscard]] static QList<Certificate> sortLeafFirst(const QList<Certificate> &certificates,
                                                          int *signatureChecks = nullptr);
};

} // namespace station::crypto
