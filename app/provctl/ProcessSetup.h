// Process-wide helpers for provctl commands: asking a person for a secret on the terminal (echo off),
// for profiles that say "ask the passphrase once per station start".
#pragma once

#include "provisioning/EstSetup.h"

namespace station::cli {

/// Reads a secret from the controlling terminal with echo switched off; an error without a terminal.
[[nodiscard]] provisioning::SecretPrompt terminalSecretPrompt();

} // namespace station::cli
