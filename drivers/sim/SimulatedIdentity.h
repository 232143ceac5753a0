// The factory identity of a simulated unit: serial number, UUID, IMEI and a P-256 identity key. Created
// on first start and kept in the state directory ("identity.txt", "identity-key.pem"), so a restarted
// simulator is the same unit.
#pragma once

#include "DeviceStorage.h"
#include "Error.h"
#include "crypto/PrivateKey.h"

#include <QString>

namespace station::drivers {

struct SimulatedIdentity {
    QString serialNumber;
    QString uuid; ///< RFC 4122 text, lower case
    QString imei; ///< 15 digits with a valid Luhn check digit
    crypto::PrivateKey identityKey;

    /// Loads the identity from `storage` or creates and stores one. `serialOverride` (from --serial)
    /// replaces the stored serial number.
    [[nodiscard]] static Result<SimulatedIdentity> loadOrCreate(DeviceStorage &storage, const QString &serialOverride,
                                                                const QString &serialPrefix);
};

} // namespace station::drivers
