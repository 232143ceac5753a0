// The operator screen's look, set once: a high-contrast, colour-blind-safe palette (Okabe-Ito hues,
// darkened until text on them passes WCAG AA), a small stylesheet keyed on the widgets' `look`
// properties, and DejaVu Sans at pixel sizes derived from the window height so that the result word
// stays readable from two metres on any monitor (>= 48 px; about 60 px at 1080p).
#pragma once

#include <QColor>
#include <QString>

class QApplication;
class QWidget;

namespace station::ui {

namespace colors {
inline const QColor window{0xE4, 0xE4, 0xE4};
inline const QColor surface{0xFF, 0xFF, 0xFF};
inline const QColor text{0x10, 0x10, 0x10};
inline const QColor muted{0x4A, 0x4A, 0x4A};
inline const QColor outline{0x8C, 0x8C, 0x8C};
inline const QColor pass{0x00, 0x6E, 0x52};    ///< bluish green, 6:1 on white
inline const QColor fail{0xB0, 0x38, 0x00};    ///< vermilion, 5.6:1 with white text
inline const QColor working{0x00, 0x5A, 0x96}; ///< blue
inline const QColor warning{0x7A, 0x50, 0x00}; ///< dark amber text on a pale amber ground
} // namespace colors

/// Font pixel sizes for a window height.
struct ThemeSizes {
    int resultPx = 48; ///< PASS / FAIL
    int serialPx = 28; ///< the unit's serial, the one-line cause
    int bodyPx = 20;   ///< step, remedy, scan answer
    int smallPx = 16;  ///< port, elapsed, hints on buttons

    [[nodiscard]] static ThemeSizes forHeight(int windowHeight);
};

/// Sets the palette, the application font and the stylesheet.
void applyTheme(QApplication &app);

/// Sets `widget`'s font to the theme family at `pixelSize` (bold when asked).
void setPixelFont(QWidget *widget, int pixelSize, bool bold = false);

/// Sets a dynamic property the stylesheet selects on and re-polishes the widget.
void setLook(QWidget *widget, const char *property, const QString &value);

} // namespace station::ui
