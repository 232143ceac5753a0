// Builds the simulator for a protocol (what `provctl simulate-device --protocol` selects).
#pragma once

#include "DevicePort.h"
#include "SimulatedDevice.h"

#include <memory>

namespace station::drivers {

class SimulatorFactory
{
public:
    [[nodiscard]] static std::unique_ptr<SimulatedDevice> create(Protocol protocol, const SimulatorOptions &options,
                                                                 QObject *parent = nullptr);
};

} // namespace station::drivers
