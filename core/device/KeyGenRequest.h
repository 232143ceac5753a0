// What the station asks of on-device key generation.
#pragma once

#include <QString>

namespace station::device {

struct KeyGenRequest {
    QString keyType = QStringLiteral("p256"); ///< crypto::keyTypeName() of the key; the nRF91 only does p256
    QString subject;                          ///< "CN=...,O=..." for the CSR; empty: the device's default
};

} // namespace station::device
