// The audible cue, and nothing else: a short rising tone on PASS, a distinct lower double tone on FAIL
// (resources/sounds, made by make-tones.py), played with QSoundEffect. Off when the supervisor turns it
// off. Where no audio output works (no sound server, a headless run) it falls back to the terminal bell:
// one beep for PASS, two for FAIL.
#pragma once

#include <QObject>
#include <QUrl>

class QSoundEffect;

namespace station::ui {

class SoundCue : public QObject
{
    Q_OBJECT
public:
    enum class Cue { Pass, Fail };
    Q_ENUM(Cue)

    explicit SoundCue(bool enabled, QObject *parent = nullptr);

    void setEnabled(bool enabled) { m_enabled = enabled; }
    [[nodiscard]] bool isEnabled() const { return m_enabled; }
    void pass();
    void fail();

    /// The sound of a cue: "qrc:/sounds/pass.wav", "qrc:/sounds/fail.wav".
    [[nodiscard]] static QUrl sourceFor(Cue cue);

signals:
    /// A cue was sounded (not emitted while turned off).
    void played(station::ui::SoundCue::Cue cue);

private:
    void play(Cue cue);

    bool m_enabled;
    QSoundEffect *m_pass = nullptr; ///< made on first use: no audio setup for a muted station
    QSoundEffect *m_fail = nullptr;
};

} // namespace station::ui
