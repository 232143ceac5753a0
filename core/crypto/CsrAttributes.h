// CSR attributes (RFC 7030 §4.5.2, updated by RFC 9908): the server's hints for the CSR the client
// should send. CsrAttrs ::= SEQUENCE SIZE (0..MAX) OF AttrOrOID, where AttrOrOID is either a bare OBJECT
// IDENTIFIER or an Attribute { type, SET OF values }.
#pragma once

#include "Error.h"
#include "KeyType.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace station::crypto {

struct CsrAttrItem {
    QString oid;                 ///< dotted OID of the bare OID or of the attribute type
    bool isAttribute = false;    ///< false: bare OID; true: Attribute with values
    QList<QByteArray> valuesDer; ///< the DER of each value of the attribute (each a complete TLV)

    bool operator==(const CsrAttrItem &) const = default;
};

/// What the attributes ask of a CSR, interpreted (RFC 9908 §3 and RFC 7030 §4.5.2).
struct CsrAttrRequirements {
    bool challengePassword = false;     ///< 1.2.840.113549.1.9.7 listed
    std::optional<KeyType> keyType;     ///< from an id-ecPublicKey + curve, rsaEncryption + size, or Ed25519
    QString signatureAlgorithmOid;      ///< e.g. ecdsa-with-SHA384, when listed
    QStringList requestedExtensionOids; ///< extension types the server wants (bare or inside extensionRequest)
    QList<QPair<QString, QByteArray>> extensionTemplates; ///< RFC 9908 extensionRequest values: oid + extnValue DER
    QList<QPair<QString, QString>> subjectTemplate;       ///< RFC 9908 template subject attributes (type, value)
    QStringList unrecognised;                             ///< OIDs the station does not know how to honour
};

class CsrAttributes
{
public:
    CsrAttributes() = default;
    explicit CsrAttributes(QList<CsrAttrItem> items) : m_items(std::move(items)) {}

    /// Parses DER. Rejects trailing bytes, indefinite lengths and non-OID/non-Attribute elements.
    [[nodiscard]] static Result<CsrAttributes> fromDer(const QByteArray &der);
    /// DER of the items in order (an item whose OID is not dotted decimal is left out).
    [[nodiscard]] QByteArray toDer() const;

    [[nodiscard]] const QList<CsrAttrItem> &items() const { return m_items; }
    [[nodiscard]] bool isEmpty() const { return m_items.isEmpty(); }
    void addOid(const QString &oid);
    void addAttribute(const QString &oid, const QList<QByteArray> &valuesDer);

    [[nodiscard]] CsrAttrRequirements requirements() const;

private:
    QList<CsrAttrItem> m_items;
};

} // namespace station::crypto
