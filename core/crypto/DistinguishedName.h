// An X.500 distinguished name as the station handles it: parsed from the OpenSSL "/CN=x/O=y" form or
// the RFC 4514 "CN=x,O=y" form, printed with RFC 4514 escaping, and converted to/from X509_NAME. Both
// text forms keep the written order, which is also the X509_NAME (DER) order — as `openssl -subj` and
// `openssl x509 -subject` do — rather than RFC 4514's reversed order.
#pragma once

#include "Error.h"

#include <QList>
#include <QPair>
#include <QString>

typedef struct X509_name_st X509_NAME;

namespace station::crypto {

class DistinguishedName
{
public:
    struct Attribute {
        QString type;  ///< short name ("CN", "O", "serialNumber") or dotted OID
        QString value; ///< UTF-8 text
        bool operator==(const Attribute &) const = default;
    };

    DistinguishedName() = default;
    explicit DistinguishedName(QList<Attribute> attributes) : m_attributes(std::move(attributes)) {}

    /// Accepts "/CN=a/O=b" (slash form, as `openssl req -subj`) or "CN=a, O=b" (RFC 4514, with
    /// backslash escapes). Unknown attribute types and empty input are errors.
    [[nodiscard]] static Result<DistinguishedName> parse(const QString &text);
    [[nodiscard]] static DistinguishedName fromX509Name(const X509_NAME *name);
    /// A new X509_NAME (caller owns it).
    [[nodiscard]] Result<X509_NAME *> toX509Name() const;

    [[nodiscard]] const QList<Attribute> &attributes() const { return m_attributes; }
    [[nodiscard]] bool isEmpty() const { return m_attributes.isEmpty(); }
    /// First value of the attribute `type` ("CN"), or empty.
    [[nodiscard]] QString value(const QString &type) const;
    [[nodiscard]] QString commonName() const { return value(QStringLiteral("CN")); }
    void append(const QString &type, const QString &value) { m_attributes.append({type, value}); }

    /// "CN=device-001, O=Acme Corp": the attributes in stored order, RFC 4514 escaping.
    [[nodiscard]] QString toString() const;
    /// The slash form "/CN=device-001/O=Acme Corp".
    [[nodiscard]] QString toSlashString() const;

    bool operator==(const DistinguishedName &) const = default;

private:
    QList<Attribute> m_attributes;
};

} // namespace station::crypto
