// One subjectAltName entry: DNS name, IP address, URI, e-mail, or otherName (hardware module name /
// other, kept as OID + DER value).
#pragma once

#include "Error.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace station::crypto {

struct SubjectAltName {
    enum class Type { Dns, Ip, Uri, Email, OtherName };
    Type type = Type::Dns;
    QString value;         ///< text for Dns/Ip/Uri/Email; for OtherName the type-id OID
    QByteArray otherValue; ///< for OtherName: the DER of the [0] EXPLICIT value

    /// Parses "DNS:host", "IP:10.0.0.1", "URI:urn:dev:ops:1", "email:a@b" (prefix case-insensitive);
    /// a bare value is a DNS name unless it parses as an IP address.
    [[nodiscard]] static Result<SubjectAltName> parse(const QString &text);
    /// "DNS:host" etc.
    [[nodiscard]] QString toString() const;
    bool operator==(const SubjectAltName &) const = default;
};

} // namespace station::crypto
