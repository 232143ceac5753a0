#include "DriverFactory.h"

#include "nrf91/Nrf91Driver.h"
#include "station/StationDriver.h"
#include "transport/SerialTransport.h"

namespace station::drivers {

std::unique_ptr<DeviceDriver> DriverFactory::create(Protocol protocol, const SerialConfig &serial,
                                                    const DriverConfig &config)
{
    auto transport = std::make_unique<SerialTransport>(serial);
    switch (protocol) {
    case Protocol::Station: return std::make_unique<StationDriver>(std::move(transport), config);
    case Protocol::Nrf91: return std::make_unique<Nrf91Driver>(std::move(transport), config);
    }
    return nullptr;
}

} // namespace station::drivers
