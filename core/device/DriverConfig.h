// Typed configuration of a device driver: where the credentials go on the device and how long each kind
// of exchange may take. Filled from the product profile or the command line.
#pragma once

#include <QByteArray>
#include <QString>

#include <chrono>

namespace station::device {

struct DriverConfig {
    /// Station protocol: the provisioning slot (0..255). nRF91: the sec_tag (0..2147483647).
    qint64 slot = 0;
    /// One request/response (a frame round trip, an AT command). Retransmissions restart it.
    std::chrono::milliseconds exchangeTimeout{1500};
    /// Retransmissions of one request before the device is declared unresponsive (station protocol).
    int maxRetransmissions = 6;
    /// Waiting for the device to answer at all after the port opened (boot, chatter).
    std::chrono::milliseconds openTimeout{8000};
    /// Key generation on the device (RSA on a microcontroller takes long).
    std::chrono::milliseconds keyGenTimeout{60000};
    /// The largest payload the station sends in one frame; the device's announced limit wins if smaller.
    int maxChunk = 1024;
    /// nRF91: the attributes of %KEYGEN's CSR ("O=Acme,CN=..."), empty: the modem's default (CN=UUID).
    QString keyGenAttributes;
    /// nRF91: the public key (SubjectPublicKeyInfo DER) that signs %KEYGEN's COSE_Sign1; when set the
    /// signature is verified, when empty only the payload (UUID, CSR digest) is checked.
    QByteArray attestationKeySpkiDer;
};

} // namespace station::device
