// The station's first start (or a supervisor setting it up for another profile): three steps in one
// window, each with a plain heading — (1) set the supervisor password (or enter it, when one exists),
// (2) choose the product profile, (3) the EST trust setup when the profile bootstraps its trust. Errors
// are answered inline on the step; nothing blocks the GUI (the password hash and the network run
// elsewhere). Ends with finished(profile path); the application then starts the station.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace station::provisioning {
class SupervisorSession;
}

namespace station::ui {

class ProfileChooser;
class TrustPage;

class FirstStartWindow : public QWidget
{
    Q_OBJECT
public:
    struct Options {
        QStringList profileDirs; ///< where ProfileChooser looks
        QString trustDir;        ///< where confirmed anchors go (TrustSetup::defaultTrustDir())
        QString presetProfile;   ///< pre-selected (--profile, or the last one)
    };
    enum class Step { Password, Profile, Trust };

    FirstStartWindow(provisioning::SupervisorSession *session, Options options, QWidget *parent = nullptr);

    [[nodiscard]] Step step() const;
    [[nodiscard]] QLineEdit *passwordField() const { return m_password; }
    [[nodiscard]] QLineEdit *repeatField() const { return m_repeat; }
    [[nodiscard]] QString passwordStatus() const;
    [[nodiscard]] ProfileChooser *profileChooser() const { return m_chooser; }
    [[nodiscard]] TrustPage *trustPage() const { return m_trust; }
    [[nodiscard]] QPushButton *nextButton() const { return m_next; }

signals:
    void finished(const QString &profilePath);

private:
    void showStep(Step step);
    void submitPassword();
    void next();
    void setPasswordStatus(const QString &text);

    provisioning::SupervisorSession *m_session;
    Options m_options;
    QLabel *m_heading;
    QLabel *m_explain;
    QStackedWidget *m_pages;
    QLineEdit *m_password;
    QLineEdit *m_repeat;
    QLabel *m_repeatLabel;
    QLabel *m_passwordStatus;
    ProfileChooser *m_chooser;
    TrustPage *m_trust;
    QPushButton *m_next;
    QString m_profilePath;
    bool m_settingPassword = false;
};

} // namespace station::ui
