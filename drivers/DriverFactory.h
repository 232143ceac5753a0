// Builds the driver for a protocol on a serial port: the one place that knows which class speaks what.
// The caller owns the driver through the unique_ptr alone (no QObject parent: one owner, one lifetime).
#pragma once

#include "DevicePort.h"
#include "transport/SerialConfig.h"

#include <memory>

namespace station::drivers {

class DriverFactory
{
public:
    [[nodiscard]] static std::unique_ptr<DeviceDriver> create(Protocol protocol, const SerialConfig &serial,
                                                              const DriverConfig &config);
};

} // namespace station::drivers
