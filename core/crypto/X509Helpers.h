// Conversions between the station's value types and OpenSSL's X.509 extension structures, shared by
// Certificate, CertificateRequest and CertificateIssuer. Internal to core/crypto.
#pragma once

#include "Error.h"
#include "OpenSslPtr.h"
#include "SubjectAltName.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

namespace station::crypto::x509 {

/// GENERAL_NAMES for a list of SANs; InvalidArgument on an entry OpenSSL cannot represent.
[[nodiscard]] Result<GeneralNamesPtr> toGeneralNames(const QList<SubjectAltName> &names);
/// The entries of `names` the station understands (others, e.g. directoryName, are skipped).
[[nodiscard]] QList<SubjectAltName> fromGeneralNames(const GENERAL_NAMES *names);

/// A keyUsage BIT STRING for a KeyUsageBit mask.
[[nodiscard]] Asn1BitStringPtr keyUsageBits(unsigned mask);
[[nodiscard]] unsigned keyUsageMask(const ASN1_BIT_STRING *bits);

/// EXTENDED_KEY_USAGE from dotted OIDs or short names ("clientAuth"); InvalidArgument for unknown names.
[[nodiscard]] Result<ExtendedKeyUsagePtr> toExtendedKeyUsage(const QStringList &usages);
[[nodiscard]] QStringList fromExtendedKeyUsage(const EXTENDED_KEY_USAGE *eku);

/// The digest the station signs with for `key`: SHA-256 for RSA and P-256, SHA-384 for P-384,
/// SHA-512 for P-521, none (nullptr) for Ed25519.
[[nodiscard]] const EVP_MD *signingDigest(const EVP_PKEY *key);

/// Converts an ASN1_TIME to a UTC QDateTime (invalid on failure).
[[nodiscard]] QDateTime toDateTime(const ASN1_TIME *time);

/// Builds an extension from an OID, criticality and the DER of the extnValue content.
[[nodiscard]] Result<X509ExtensionPtr> makeExtension(const QString &oid, bool critical, const QByteArray &valueDer);

} // namespace station::crypto::x509
