// Drivers implement core's device port (core/device): this brings its names into station::drivers so
// the adapters read as before.
#pragma once

#include "device/DeviceDriver.h"
#include "device/DeviceFilter.h"
#include "device/DeviceSource.h"
#include "device/DiscoveredDevice.h"
#include "device/DriverConfig.h"
#include "device/DriverTypes.h"
#include "device/KeyGenRequest.h"

namespace station::drivers {

using device::CredentialKind;
using device::credentialKindName;
using device::DeviceDriver;
using device::DeviceFilter;
using device::DeviceIdentity;
using device::DeviceSource;
using device::DiscoveredDevice;
using device::DiscoveredKind;
using device::discoveredKindName;
using device::DriverConfig;
using device::GeneratedKey;
using device::KeyGenRequest;
using device::parseProtocol;
using device::Protocol;
using device::protocolName;
using device::ReadBackDepth;
using device::StoredCredentials;
using device::StoredItem;
using device::UsbId;

} // namespace station::drivers
