// The operator / supervisor split as the window applies it. Every supervisor-only action (settings,
// profile, EST trust, sound, export, re-provisioning) goes through run(): with the supervisor in, it runs
// and counts as activity; otherwise the message bar says, in one line, that the action is for the
// supervisor and how to get in (F8) — never a dialog. F8 opens the one password dialog, or locks.
// The session itself (password check, timeout) is core's SupervisorSession.
#pragma once

#include <QObject>
#include <QPointer>

#include <functional>

class QTimer;
class QWidget;

namespace station::provisioning {
class SupervisorSession;
}

namespace station::ui {

class MessageBar;
class UnlockDialog;

class SupervisorGate : public QObject
{
    Q_OBJECT
public:
    /// `window` parents the password dialog; `bar` shows refusals and the session's state.
    SupervisorGate(MessageBar *bar, QWidget *window);

    void setSession(provisioning::SupervisorSession *session);
    [[nodiscard]] provisioning::SupervisorSession *session() const;
    [[nodiscard]] bool isSupervisor() const;

    /// Runs `action` when the supervisor is in; otherwise refuses `what` in the message bar.
    bool run(const QString &what, const std::function<void()> &action);
    /// F8: the password dialog when locked, lock when unlocked.
    void toggle();
    /// "Operator", or "Supervisor (locks in 4:32)".
    [[nodiscard]] QString roleText() const;
    /// The open password dialog, if any (tests type into it).
    [[nodiscard]] UnlockDialog *unlockDialog() const;

    /// The message-bar key of the gate's lines.
    static inline const QString kConditionKey = QStringLiteral("supervisor");

signals:
    /// The role or the time left changed (the header shows roleText()).
    void roleChanged();
    /// The password dialog closed: the window gives the keyboard back to the scan field.
    void dialogClosed();

private:
    void openDialog();

    MessageBar *m_bar;
    QWidget *m_window;
    QPointer<provisioning::SupervisorSession> m_session;
    QPointer<UnlockDialog> m_dialog;
    QTimer *m_tick;
};

} // namespace station::ui
