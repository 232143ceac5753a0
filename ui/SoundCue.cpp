#include "SoundCue.h"

#include "Icons.h"

#include <QApplication>
#include <QSoundEffect>
#include <QTimer>

namespace station::ui {

SoundCue::SoundCue(bool enabled, QObject *parent) : QObject(parent), m_enabled(enabled) {}

QUrl SoundCue::sourceFor(Cue cue)
{
    return QUrl(cue == Cue::Pass ? QStringLiteral("qrc:/sounds/pass.wav") : QStringLiteral("qrc:/sounds/fail.wav"));
}

void SoundCue::pass()
{
    play(Cue::Pass);
}

void SoundCue::fail()
{
    play(Cue::Fail);
}

void SoundCue::play(Cue cue)
{
    if (!m_enabled)
        return;
    QSoundEffect *&effect = cue == Cue::Pass ? m_pass : m_fail;
    if (!effect) {
        initUiResources();
        effect = new QSoundEffect(this);
        effect->setSource(sourceFor(cue));
        effect->setVolume(0.8f);
    }
    emit played(cue);
    if (effect->status() == QSoundEffect::Error) {
        QApplication::beep();
        if (cue == Cue::Fail)
            QTimer::singleShot(220, this, [] { QApplication::beep(); });
        return;
    }
    effect->play(); // plays once loaded when the file is still loading
}

} // namespace station::ui
