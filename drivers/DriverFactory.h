// Builds the driver for a protocol on a serial port: the one place that knows which class speaks what.
#pragma once

#include "DevicePort.h"
#include "transport/SerialConfig.h"

#include <memory>

namespace station::drivers {

class DriverFactory
{
public:
    [[nodiscard]] static std::unique_ptr<DeviceDriver> create(Protocol protocol, const SerialConfig &serial,
                                                              const DriverConfig &config, QObject *parent = nullptr);
};

} // namespace station::drivers
