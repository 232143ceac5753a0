#include "SoundCue.h"

#include <QApplication>
#include <QTimer>

namespace station::ui {

SoundCue::SoundCue(bool enabled, QObject *parent) : QObject(parent), m_enabled(enabled) {}

void SoundCue::pass()
{
    if (m_enabled)
        QApplication::beep();
}

void SoundCue::fail()
{
    if (!m_enabled)
        return;
    QApplication::beep();
    QTimer::singleShot(220, this, [] { QApplication::beep(); });
}

} // namespace station::ui
