// A manifest row as Lamassu's device manager knows a device: its id (the certificate's subject CN, or the
// CSR's for a unit that has no certificate yet — the DMS enrolls by the CSR's CN) and the JSON body of
// POST /api/devmanager/v1/devices. Shared by the `lamassu` export and the upload, so both send the same.
#pragma once

#include "manifest/ManifestRecord.h"
#include "provisioning/ProductProfile.h"

#include <QJsonObject>
#include <QString>

namespace station::outbound {

/// The DMS device id of an attempt: the CN of its certificate, else of its CSR; empty when it has neither
/// (the unit never got as far as a CSR).
[[nodiscard]] QString lamassuDeviceId(const manifest::ManifestRecord &record);

/// The create-device body: id, dms_id, alias (the serial), tags, metadata (serial, barcode, model,
/// firmware, certificate serial and fingerprint, attestation evidence, station, operator, …), icon and
/// icon_color. `dmsId` overrides the settings' DMS.
[[nodiscard]] QJsonObject lamassuCreateBody(const manifest::ManifestRecord &record,
                                            const provisioning::DmsSettings &settings, const QString &dmsId = {});

/// Certificate serials compared the way both sides print them: Lamassu writes "1a-2b-03", OpenSSL
/// "1A2B03"; both become "1a2b03" (leading zero bytes dropped).
[[nodiscard]] QString normalizedSerial(const QString &serial);

} // namespace station::outbound
