// The station's DriverProvider: builds the driver a product profile names (protocol, baud, slot /
// sec_tag, timeouts, attestation key) for a discovered port. app/ hands it to core's Station.
#pragma once

#include "provisioning/Station.h"

namespace station::drivers {

[[nodiscard]] provisioning::DriverProvider profileDriverProvider();

} // namespace station::drivers
