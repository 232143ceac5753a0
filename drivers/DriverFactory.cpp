#include "DriverFactory.h"

#include "nrf91/Nrf91Driver.h"
#include "station/StationDriver.h"
#include "transport/SerialTransport.h"

namespace station::drivers {

std::unique_ptr<DeviceDriver> DriverFactory::create(Protocol protocol, const SerialConfig &serial,
                                                    const DriverConfig &config, QObject *parent)
{
    auto transport = std::make_unique<SerialTransport>(serial);
    switch (protocol) {
    case Protocol::Station: return std::make_unique<StationDriver>(std::move(transport), config, parent);
    case Protocol::Nrf91: {
        DriverConfig nrf = config;
        return std::make_unique<Nrf91Driver>(std::move(transport), nrf, parent);
    }
    }
    return nullptr;
}

} // namespace station::drivers
