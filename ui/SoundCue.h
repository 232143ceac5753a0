// The audible cue: one short beep on PASS, two on FAIL, nothing else; off when the setting says so.
// QApplication::beep() keeps it simple (no audio device setup); a distinct rising / falling tone pair
// through Qt Multimedia is a later improvement.
#pragma once

#include <QObject>

namespace station::ui {

class SoundCue : public QObject
{
    Q_OBJECT
public:
    explicit SoundCue(bool enabled, QObject *parent = nullptr);

    void setEnabled(bool enabled) { m_enabled = enabled; }
    [[nodiscard]] bool isEnabled() const { return m_enabled; }
    void pass();
    void fail();

private:
    bool m_enabled;
};

} // namespace station::ui
