// The profile's subject and subjectAltName templates ("CN={serial},O=Acme", "DNS:{serial}.dev.acme")
// filled from a unit's identity and its scanned label. Values are escaped for the RFC 4514 form of a
// subject, and refused when they hold control characters (nothing from a device or scanner may smuggle
// structure into a name).
#pragma once

#include "BarcodeRule.h"

#include "Error.h"
#include "device/DriverTypes.h"

#include "crypto/DistinguishedName.h"
#include "crypto/SubjectAltName.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace station::provisioning {

class UnitTemplate
{
public:
    /// The placeholder values of one unit: serial, barcode, hardware_id, uuid, imei, model, firmware,
    /// gtin, and ai:NN for every GS1 AI of the scan.
    [[nodiscard]] static QMap<QString, QString> fields(const device::DeviceIdentity &identity, const ScannedCode &scan);

    [[nodiscard]] static Result<crypto::DistinguishedName> subject(const QString &templ,
                                                                   const QMap<QString, QString> &fields);
    [[nodiscard]] static Result<QList<crypto::SubjectAltName>> subjectAltNames(const QStringList &templates,
                                                                               const QMap<QString, QString> &fields);

private:
    [[nodiscard]] static Result<QString> expand(const QString &templ, const QMap<QString, QString> &fields,
                                                bool escapeForDn);
};

} // namespace station::provisioning
