// The operator screen's SVG icons (resources/icons/ui, compiled into station_ui through resources/ui.qrc):
// one shape per tile state — check, cross in an octagon, open circle, dashed socket, barcode, warning
// triangle — and per action. Drawn from the SVG at the screen's device pixel ratio, so they stay sharp
// on high-DPI monitors.
#pragma once

#include <QIcon>
#include <QPixmap>
#include <QString>

namespace station::ui {

/// Makes the compiled-in assets available (the library is static); called by everything below.
void initUiResources();

/// ":/icons/ui/<name>.svg".
[[nodiscard]] QString iconPath(const QString &name);
[[nodiscard]] QIcon uiIcon(const QString &name);
/// The icon at `px` logical pixels for a screen with `devicePixelRatio`.
[[nodiscard]] QPixmap uiPixmap(const QString &name, int px, qreal devicePixelRatio);

} // namespace station::ui
