#include "SupervisorGate.h"

#include "MessageBar.h"
#include "UnlockDialog.h"

#include "provisioning/SupervisorSession.h"

#include <QDialog>
#include <QTimer>
#include <QWidget>

namespace station::ui {

using provisioning::SupervisorSession;

SupervisorGate::SupervisorGate(MessageBar *bar, QWidget *window)
    : QObject(window), m_bar(bar), m_window(window), m_tick(new QTimer(this))
{
    m_tick->setInterval(1000); // the header's count-down
    connect(m_tick, &QTimer::timeout, this, &SupervisorGate::roleChanged);
}

void SupervisorGate::setSession(SupervisorSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (session) {
        connect(session, &SupervisorSession::unlocked, this, [this] {
            m_bar->setCondition(kConditionKey, MessageBar::Kind::Information,
                                tr("Supervisor mode: F9 settings, F6 sound, F7 re-provision. F8 locks; it locks "
                                   "by itself after %1 min without a supervisor action.")
                                    .arg(m_session->timeout().count() / 60000));
            m_tick->start();
            emit roleChanged();
        });
        connect(session, &SupervisorSession::locked, this, [this] {
            m_bar->setCondition(kConditionKey, MessageBar::Kind::Information,
                                tr("Supervisor mode ended: the station is back in operator mode."));
            m_tick->stop();
            emit roleChanged();
        });
    }
    emit roleChanged();
}

SupervisorSession *SupervisorGate::session() const
{
    return m_session;
}

UnlockDialog *SupervisorGate::unlockDialog() const
{
    return m_dialog;
}

bool SupervisorGate::isSupervisor() const
{
    return m_session && m_session->isUnlocked();
}

bool SupervisorGate::run(const QString &what, const std::function<void()> &action)
{
    if (!isSupervisor()) {
        const QString how = m_session && m_session->hasPassword()
                                ? tr("Press F8 and enter the supervisor password.")
                                : tr("No supervisor password is set on this station yet.");
        m_bar->setCondition(kConditionKey, MessageBar::Kind::Warning,
                            tr("Only a supervisor can %1. %2").arg(what, how));
        return false;
    }
    m_session->touch();
    action();
    emit roleChanged();
    return true;
}

void SupervisorGate::toggle()
{
    if (!m_session) {
        m_bar->setCondition(kConditionKey, MessageBar::Kind::Warning,
                            tr("This station runs without a supervisor (a demo): there is nothing to unlock."));
        return;
    }
    if (m_session->isUnlocked()) {
        m_session->lock();
        return;
    }
    openDialog();
}

void SupervisorGate::openDialog()
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return;
    }
    m_dialog = new UnlockDialog(m_session, m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &QDialog::finished, this, &SupervisorGate::dialogClosed);
    m_dialog->open(); // window-modal, no nested event loop
}

QString SupervisorGate::roleText() const
{
    if (!m_session || !m_session->isUnlocked())
        return tr("Operator");
    const qint64 s = (m_session->remaining().count() + 999) / 1000;
    return tr("Supervisor (locks in %1:%2)").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace station::ui
