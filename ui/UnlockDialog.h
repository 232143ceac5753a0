// The supervisor password prompt: one small window-modal dialog (opened with open(), no nested event
// loop). The password is checked off the GUI thread by SupervisorSession; while it is, the dialog says
// so; a wrong password is answered inside the dialog, which stays open for another try.
#pragma once

#include <QDialog>
#include <QPointer>

class QLabel;
class QLineEdit;
class QPushButton;

namespace station::provisioning {
class SupervisorSession;
}

namespace station::ui {

class UnlockDialog : public QDialog
{
    Q_OBJECT
public:
    UnlockDialog(provisioning::SupervisorSession *session, QWidget *parent = nullptr);

    [[nodiscard]] QLineEdit *passwordField() const { return m_password; }
    [[nodiscard]] QString statusText() const;
    /// Sends the typed password (what Enter and the button do).
    void submit();

private:
    QPointer<provisioning::SupervisorSession> m_session;
    QLineEdit *m_password;
    QLabel *m_status;
    QPushButton *m_ok;
};

} // namespace station::ui
