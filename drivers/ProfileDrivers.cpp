#include "ProfileDrivers.h"

#include "DriverFactory.h"

#include "FileUtil.h"
#include "crypto/PrivateKey.h"

namespace station::drivers {

provisioning::DriverProvider profileDriverProvider()
{
    return [](const device::DiscoveredDevice &port,
              const provisioning::ProductProfile &profile) -> Result<std::unique_ptr<device::DeviceDriver>> {
        SerialConfig serial;
        serial.portName = port.path;
        serial.baudRate = profile.device.baudRate;
        DriverConfig config = profile.device.driver;
        if (!profile.device.attestationKeyFile.isEmpty()) {
            auto pem = readFileBounded(profile.device.attestationKeyFile, 64 * 1024);
            if (!pem)
                return fail(pem.error());
            auto key = crypto::PrivateKey::fromAny(*pem);
            if (!key)
                return fail(key.error().withContext(
                    QStringLiteral("The attestation key %1").arg(profile.device.attestationKeyFile)));
            config.attestationKeySpkiDer = key->publicKeyDer();
        }
        auto driver = DriverFactory::create(profile.device.protocol, serial, config);
        if (!driver)
            return fail(ErrorCode::Unsupported, QStringLiteral("No driver for this protocol"));
        return driver;
    };
}

} // namespace station::drivers
