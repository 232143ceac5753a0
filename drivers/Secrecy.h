// Whether bytes on their way to a device carry a secret (a private key): such bytes are never logged or
// quoted in errors, and every buffer the driver holds them in is wiped (OPENSSL_cleanse) when done.
#pragma once

namespace station::drivers {

enum class Secrecy { Plain, Secret };

} // namespace station::drivers
