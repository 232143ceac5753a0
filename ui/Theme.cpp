#include "Theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QWidget>

#include <algorithm>

namespace station::ui {

namespace {

const QString kFamily = QStringLiteral("DejaVu Sans");

QString hex(const QColor &c)
{
    return c.name(QColor::HexRgb);
}

} // namespace

ThemeSizes ThemeSizes::forHeight(int windowHeight)
{
    const double h = std::max(windowHeight, 600);
    ThemeSizes s;
    s.resultPx = std::max(48, int(h * 0.056));
    s.serialPx = std::max(28, int(h * 0.029));
    s.bodyPx = std::max(20, int(h * 0.021));
    s.smallPx = std::max(16, int(h * 0.017));
    return s;
}

void setPixelFont(QWidget *widget, int pixelSize, bool bold)
{
    QFont f(kFamily);
    f.setPixelSize(pixelSize);
    f.setBold(bold);
    widget->setFont(f);
}

void setLook(QWidget *widget, const char *property, const QString &value)
{
    if (widget->property(property).toString() == value)
        return;
    widget->setProperty(property, value);
    // The stylesheet style restores, on unpolish, the font a widget had when it was first polished:
    // keep the size the theme gave it since.
    const QFont font = widget->font();
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
    widget->setFont(font);
    widget->update();
}

void applyTheme(QApplication &app)
{
    app.setStyle(QStringLiteral("Fusion")); // the same look on every desktop; the palette below is the theme
    QPalette p;
    p.setColor(QPalette::Window, colors::window);
    p.setColor(QPalette::WindowText, colors::text);
    p.setColor(QPalette::Base, colors::surface);
    p.setColor(QPalette::AlternateBase, colors::window);
    p.setColor(QPalette::Text, colors::text);
    p.setColor(QPalette::Button, colors::surface);
    p.setColor(QPalette::ButtonText, colors::text);
    p.setColor(QPalette::Highlight, colors::working);
    p.setColor(QPalette::HighlightedText, colors::surface);
    p.setColor(QPalette::PlaceholderText, colors::muted);
    p.setColor(QPalette::ToolTipBase, colors::surface);
    p.setColor(QPalette::ToolTipText, colors::text);
    app.setPalette(p);
    QFont f(kFamily);
    f.setPixelSize(18);
    app.setFont(f);

    // Tiles: a calm white card by default; strong colour only where the operator must act (FAIL).
    app.setStyleSheet(QStringLiteral(R"(
QFrame[tileLook] { background: %1; border: 2px solid %3; border-radius: 6px; }
QFrame[tileLook="free"] { background: %2; border: 3px dashed %3; }
QFrame[tileLook="pass"] { border: 4px solid %4; }
QFrame[tileLook="fail"] { background: #FBE5DA; border: 6px solid %5; }
QFrame[tileLook="attention"] { background: #FFF1CC; border: 4px solid %7; }
QFrame[tileLook="waiting"] { border: 3px solid %6; }
QFrame[tileSelected="yes"] { border-width: 6px; border-color: %8; }
QFrame[tileLook] QLabel { background: transparent; border: none; }
QFrame[tileLook] QLabel[resultLook="pass"] { color: %4; }
QFrame[tileLook] QLabel[resultLook="fail"] { color: white; background: %5; border-radius: 4px; padding: 0 10px; }
QFrame[tileLook] QLabel[resultLook="attention"] { color: %7; }
QFrame[tileLook] QLabel[stepLook="waiting"] { color: %6; font-weight: bold; }
QProgressBar { border: 1px solid %3; border-radius: 3px; background: %2; min-height: 14px; max-height: 14px; }
QProgressBar::chunk { background: %6; }
QFrame[messageLook] { border-radius: 4px; border: 2px solid %3; background: %1; }
QFrame[messageLook="error"] { background: %5; border-color: %5; }
QFrame[messageLook="error"] QLabel { color: white; }
QFrame[messageLook="warning"] { background: #FFF1CC; border-color: %7; }
QFrame[messageLook="positive"] { border-color: %4; }
QFrame[messageLook] QLabel { background: transparent; border: none; }
QLineEdit { border: 3px solid %6; border-radius: 4px; padding: 4px 8px; background: %1; }
QPushButton { border: 2px solid %3; border-radius: 4px; padding: 6px 12px; background: %1; }
QPushButton:pressed { background: %2; }
QPushButton[actionButton="yes"] { padding: 4px 7px; }
QPushButton:disabled { color: %3; border-style: dashed; background: %2; }
QCheckBox::indicator { width: 22px; height: 22px; }
QListWidget { border: 1px solid %3; background: %1; }
QLabel[roleLook="supervisor"] { color: white; background: %6; border-radius: 4px; padding: 2px 10px; }
QLabel[roleLook="operator"] { color: %8; border: 2px solid %3; border-radius: 4px; padding: 2px 10px; }
QLabel[trustLook="error"] { color: white; background: %5; border-radius: 4px; padding: 6px 10px; }
QLabel[trustLook="warning"] { background: #FFF1CC; border: 2px solid %7; border-radius: 4px; padding: 6px 10px; }
QLabel[trustLook="positive"] { color: %4; border: 2px solid %4; border-radius: 4px; padding: 6px 10px; }
)")
                          .arg(hex(colors::surface), hex(colors::window), hex(colors::outline), hex(colors::pass),
                               hex(colors::fail), hex(colors::working), hex(colors::warning), hex(colors::text)));
}

} // namespace station::ui
