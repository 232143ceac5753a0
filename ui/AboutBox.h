// Help > About (F1 on the operator screen): the product, its version (the CMake project version and
// `git describe` of the build) and where the station keeps its files, for the IT department's ticket.
#pragma once

#include <QString>

class QMessageBox;
class QWidget;

namespace station::ui {

/// The About text (rich text, every path escaped): version, Qt, manifest, settings and log locations.
QString aboutText(const QString &manifestPath, const QString &settingsPath);

/// Opens the About box over `parent`: window-modal without a nested event loop, deleted when closed.
QMessageBox *showAboutBox(QWidget *parent, const QString &manifestPath, const QString &settingsPath);

} // namespace station::ui
