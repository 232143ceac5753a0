// Where the station keeps its files, by the platform's conventions (QStandardPaths), in one place so that
// provstation, provctl, the About box and the README agree:
//   data    the manifest, `provctl lab-server`'s default CA folder
//           Linux ~/.local/share/provisioning-station/, Windows %LOCALAPPDATA%\provisioning-station
//   logs    provstation.log (warnings and errors of the GUI, rotated at 8 MiB)
//           Linux ~/.local/state/provisioning-station/ (XDG_STATE_HOME), Windows <data>\logs
//   config  QSettings, organisation "ProvisioningStation": ~/.config/ProvisioningStation/provstation.conf
//           (defaults an administrator sets: /etc/xdg/ProvisioningStation/provstation.conf), Windows registry
//           HKEY_CURRENT_USER\Software\ProvisioningStation\provstation
// The folders are per user: one operator account per workstation keeps one manifest.
#pragma once

#include <QString>

namespace station::paths {

/// The folder of the station's data (not created here).
QString dataDirectory();
/// The manifest the station writes unless told otherwise (`--manifest`).
QString manifestFile();
/// `provctl lab-server`'s CA folder unless `--dir` names another.
QString labDirectory();
/// The folder of the GUI's log file.
QString logDirectory();

} // namespace station::paths
