#include "UnlockDialog.h"

#include "Icons.h"
#include "Theme.h"

#include "provisioning/SupervisorSession.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace station::ui {

using provisioning::SupervisorSession;

UnlockDialog::UnlockDialog(SupervisorSession *session, QWidget *parent)
    : QDialog(parent), m_session(session), m_password(new QLineEdit), m_status(new QLabel)
{
    setWindowTitle(tr("Supervisor"));
    setObjectName(QStringLiteral("unlockDialog"));
    auto *icon = new QLabel;
    icon->setPixmap(uiPixmap(QStringLiteral("supervisor-locked"), 48, devicePixelRatioF()));
    auto *title = new QLabel(tr("Supervisor password"));
    setPixelFont(title, 24, true);
    auto *head = new QHBoxLayout;
    head->addWidget(icon);
    head->addWidget(title, 1);

    auto *hint = new QLabel(tr("Settings, the product profile, the EST server and re-provisioning are for the "
                               "supervisor. Enter the password set at the station's first start."));
    hint->setWordWrap(true);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setObjectName(QStringLiteral("password"));
    setPixelFont(m_password, 22);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);

    auto *buttons = new QDialogButtonBox;
    m_ok = buttons->addButton(tr("Unlock (Enter)"), QDialogButtonBox::AcceptRole);
    buttons->addButton(tr("Cancel (Esc)"), QDialogButtonBox::RejectRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ok, &QPushButton::clicked, this, &UnlockDialog::submit);
    connect(m_password, &QLineEdit::returnPressed, this, &UnlockDialog::submit);
    m_ok->setAutoDefault(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(head);
    layout->addWidget(hint);
    layout->addWidget(m_password);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    setMinimumWidth(520);

    if (session) {
        connect(session, &SupervisorSession::unlocked, this, &QDialog::accept);
        connect(session, &SupervisorSession::refused, this, [this](const QString &reason) {
            m_status->setText(QStringLiteral("\u2715 ") + reason);
            m_password->clear();
            m_password->setEnabled(true);
            m_ok->setEnabled(true);
            m_password->setFocus();
        });
    }
}

QString UnlockDialog::statusText() const
{
    return m_status->text();
}

void UnlockDialog::submit()
{
    if (!m_session || m_session->isBusy() || m_password->text().isEmpty())
        return;
    m_status->setText(tr("Checking the password \u2026"));
    m_password->setEnabled(false);
    m_ok->setEnabled(false);
    QByteArray typed = m_password->text().toUtf8();
    m_password->clear();
    m_session->unlock(crypto::SecretBytes(std::move(typed)));
}

} // namespace station::ui
