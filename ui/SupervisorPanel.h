// The supervisor's page, a window of its own reached with F9 after the password (production never needs
// it): what the station runs — profile, EST server, authentication, trust, manifest — and what only a
// supervisor may change: another profile, the EST trust setup again, the PASS / FAIL tone, the supervisor
// password. Every change goes through the SupervisorGate, so a session that timed out while the page
// was open refuses it (and the page closes).
#pragma once

#include "provisioning/ProductProfile.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace station::ui {

class ManifestOutbox;
class ProfileChooser;
class SupervisorGate;
class TrustPage;

class SupervisorPanel : public QWidget
{
    Q_OBJECT
public:
    struct Options {
        QStringList profileDirs;
        QString trustDir;
    };
    SupervisorPanel(SupervisorGate *gate, Options options, QWidget *parent = nullptr);

    /// What the station runs now.
    void showStation(const provisioning::ProductProfile &profile, const QString &manifestPath);
    void setSoundEnabled(bool enabled);
    /// Exports the manifest's rows to `path` in the chosen format on a worker thread.
    void exportTo(const QString &path);
    [[nodiscard]] QString exportStatus() const;

    [[nodiscard]] QString summaryText() const;
    [[nodiscard]] QCheckBox *soundBox() const { return m_sound; }
    [[nodiscard]] ProfileChooser *profileChooser() const { return m_chooser; }
    [[nodiscard]] TrustPage *trustPage() const { return m_trust; }
    [[nodiscard]] ManifestOutbox *manifestOutbox() const { return m_outbox; }

signals:
    /// The supervisor chose another profile (or confirmed the trust again): restart the station with it.
    void profileChangeRequested(const QString &path);
    void soundChangeRequested(bool enabled);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void refreshRole();
    void changePassword();

    SupervisorGate *m_gate;
    Options m_options;
    provisioning::ProductProfile m_profile;
    QLabel *m_role;
    QLabel *m_profileText;
    QLabel *m_passwordStatus;
    ManifestOutbox *m_outbox;
    QCheckBox *m_sound;
    QLineEdit *m_newPassword;
    QLineEdit *m_repeat;
    ProfileChooser *m_chooser;
    QPushButton *m_useProfile;
    TrustPage *m_trust;
};

} // namespace station::ui
