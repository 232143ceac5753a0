#include "SimulatorFactory.h"

#include "Nrf91Simulator.h"
#include "StationSimulator.h"

namespace station::drivers {

std::unique_ptr<SimulatedDevice> SimulatorFactory::create(Protocol protocol, const SimulatorOptions &options,
                                                          QObject *parent)
{
    switch (protocol) {
    case Protocol::Station: return std::make_unique<StationSimulator>(options, parent);
    case Protocol::Nrf91: return std::make_unique<Nrf91Simulator>(options, parent);
    }
    return nullptr;
}

} // namespace station::drivers
