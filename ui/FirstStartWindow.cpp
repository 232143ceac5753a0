#include "FirstStartWindow.h"

#include "Icons.h"
#include "ProfileChooser.h"
#include "Theme.h"
#include "TrustPage.h"

#include "provisioning/SupervisorSession.h"
#include "provisioning/TrustSetup.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace station::ui {

using provisioning::SupervisorSession;

FirstStartWindow::FirstStartWindow(SupervisorSession *session, Options options, QWidget *parent)
    : QWidget(parent), m_session(session), m_options(std::move(options)), m_heading(new QLabel), m_explain(new QLabel),
      m_pages(new QStackedWidget), m_password(new QLineEdit), m_repeat(new QLineEdit),
      m_repeatLabel(new QLabel(tr("Repeat it:"))), m_passwordStatus(new QLabel),
      m_chooser(new ProfileChooser(m_options.profileDirs)), m_trust(new TrustPage(m_options.trustDir)),
      m_next(new QPushButton)
{
    setWindowTitle(tr("Provisioning Station \u2014 station setup"));
    setObjectName(QStringLiteral("firstStart"));
    setPixelFont(m_heading, 30, true);
    m_heading->setObjectName(QStringLiteral("heading"));
    m_explain->setWordWrap(true);
    setPixelFont(m_explain, 18);

    // Step 1: the password.
    auto *pwPage = new QWidget;
    auto *form = new QFormLayout;
    m_password->setEchoMode(QLineEdit::Password);
    m_repeat->setEchoMode(QLineEdit::Password);
    m_password->setObjectName(QStringLiteral("password"));
    m_repeat->setObjectName(QStringLiteral("repeat"));
    setPixelFont(m_password, 22);
    setPixelFont(m_repeat, 22);
    form->addRow(tr("Supervisor password:"), m_password);
    form->addRow(m_repeatLabel, m_repeat);
    m_passwordStatus->setWordWrap(true);
    m_passwordStatus->setTextFormat(Qt::PlainText);
    setPixelFont(m_passwordStatus, 20, true);
    auto *pwLayout = new QVBoxLayout(pwPage);
    pwLayout->setContentsMargins(0, 0, 0, 0);
    pwLayout->addLayout(form);
    pwLayout->addWidget(m_passwordStatus);
    pwLayout->addStretch(1);
    connect(m_password, &QLineEdit::returnPressed, this, [this] {
        if (m_repeat->isVisible())
            m_repeat->setFocus();
        else
            submitPassword();
    });
    connect(m_repeat, &QLineEdit::returnPressed, this, &FirstStartWindow::submitPassword);

    m_pages->addWidget(pwPage);
    m_pages->addWidget(m_chooser);
    m_pages->addWidget(m_trust);

    auto *icon = new QLabel;
    icon->setPixmap(uiPixmap(QStringLiteral("settings"), 40, devicePixelRatioF()));
    auto *head = new QHBoxLayout;
    head->addWidget(icon);
    head->addWidget(m_heading, 1);
    auto *bottom = new QHBoxLayout;
    bottom->addStretch(1);
    bottom->addWidget(m_next);
    setPixelFont(m_next, 20, true);
    m_next->setObjectName(QStringLiteral("next"));

    auto *root = new QVBoxLayout(this);
    root->setContentsMargins(24, 16, 24, 16);
    root->setSpacing(12);
    root->addLayout(head);
    root->addWidget(m_explain);
    root->addWidget(m_pages, 1);
    root->addLayout(bottom);
    resize(1100, 760);

    connect(m_next, &QPushButton::clicked, this, &FirstStartWindow::next);
    connect(m_chooser, &ProfileChooser::chosenChanged, this, [this](const QString &path) {
        m_profilePath = path;
        m_next->setEnabled(!path.isEmpty());
    });
    // Enter on a profile goes on, as the button says.
    connect(m_chooser->list(), &QListWidget::itemActivated, this, [this] {
        if (step() == Step::Profile && m_next->isEnabled())
            next();
    });
    connect(m_trust, &TrustPage::trusted, this, [this] {
        m_next->setEnabled(true);
        m_next->setFocus();
    });
    connect(session, &SupervisorSession::passwordSet, this, [this] {
        m_settingPassword = false;
        showStep(Step::Profile);
    });
    connect(session, &SupervisorSession::failed, this, [this](const Error &e) {
        m_settingPassword = false;
        setPasswordStatus(QStringLiteral("\u2715 ") + e.message + QLatin1Char(' ') + e.remedy);
    });
    connect(session, &SupervisorSession::unlocked, this, [this] {
        if (step() == Step::Password)
            showStep(Step::Profile);
    });
    connect(session, &SupervisorSession::refused, this, [this](const QString &reason) {
        setPasswordStatus(QStringLiteral("\u2715 ") + reason);
        m_password->setEnabled(true);
        m_password->setFocus();
    });
    connect(session, &SupervisorSession::locked, this, [this] {
        showStep(Step::Password); // the session timed out in the middle of the setup
        setPasswordStatus(tr("The supervisor session ended after a pause: enter the password again."));
    });
    m_chooser->choose(m_options.presetProfile);
    showStep(session->isUnlocked() ? Step::Profile : Step::Password);
}

FirstStartWindow::Step FirstStartWindow::step() const
{
    return Step(m_pages->currentIndex());
}

void FirstStartWindow::showStep(Step step)
{
    m_pages->setCurrentIndex(int(step));
    switch (step) {
    case Step::Password: {
        const bool set = !m_session->hasPassword();
        m_heading->setText(set ? tr("Step 1 of 3 \u2014 Set the supervisor password")
                               : tr("Step 1 of 3 \u2014 Supervisor password"));
        m_explain->setText(set ? tr("This station has no supervisor yet. Choose the password that protects the "
                                    "settings, the product profile, the EST server and re-provisioning "
                                    "(at least %1 characters). Operators do not need it.")
                                     .arg(SupervisorSession::kMinimumPasswordLength)
                               : tr("Setting up the station is for the supervisor: enter the supervisor "
                                    "password."));
        m_repeat->setVisible(set);
        m_repeatLabel->setVisible(set);
        m_next->setText(set ? tr("Save the password (Enter)") : tr("Unlock (Enter)"));
        m_next->setEnabled(true);
        m_password->setEnabled(true);
        m_password->setFocus();
        break;
    }
    case Step::Profile:
        m_heading->setText(tr("Step 2 of 3 \u2014 Choose the product profile"));
        m_explain->setText(tr("The profile says which units this station provisions, which EST server issues "
                              "their certificates and how the labels read. Pick one, or choose a file."));
        m_next->setText(tr("Next (Enter)"));
        m_chooser->list()->setFocus();
        m_next->setEnabled(!m_profilePath.isEmpty());
        break;
    case Step::Trust:
        m_heading->setText(tr("Step 3 of 3 \u2014 Trust the EST server"));
        m_explain->setText(tr("The last step (RFC 7030 \u00A74.1.1): the station trusts the EST server only "
                              "after you confirm its CA's fingerprint."));
        m_next->setText(tr("Start the station"));
        m_next->setEnabled(m_trust->isTrusted());
        break;
    }
}

void FirstStartWindow::setPasswordStatus(const QString &text)
{
    m_passwordStatus->setText(text);
    setLook(m_passwordStatus, "trustLook", text.startsWith(QChar(0x2715)) ? QStringLiteral("error") : QString());
}

QString FirstStartWindow::passwordStatus() const
{
    return m_passwordStatus->text();
}

void FirstStartWindow::submitPassword()
{
    if (m_session->isBusy() || m_settingPassword)
        return;
    QByteArray typed = m_password->text().toUtf8();
    if (!m_session->hasPassword()) {
        if (m_password->text() != m_repeat->text()) {
            setPasswordStatus(tr("\u2715 The two passwords differ. Type the same password twice."));
            m_repeat->clear();
            m_repeat->setFocus();
            return;
        }
        m_settingPassword = true;
        setPasswordStatus(tr("Saving the password (the station derives a slow hash of it; this takes a "
                             "moment) \u2026"));
        m_password->clear();
        m_repeat->clear();
        m_session->setPassword(crypto::SecretBytes(std::move(typed)));
        return;
    }
    setPasswordStatus(tr("Checking the password \u2026"));
    m_password->clear();
    m_password->setEnabled(false);
    m_session->unlock(crypto::SecretBytes(std::move(typed)));
}

void FirstStartWindow::next()
{
    switch (step()) {
    case Step::Password: submitPassword(); return;
    case Step::Profile: {
        const auto profile = m_chooser->chosen();
        if (!profile || !m_session->isUnlocked()) {
            if (!m_session->isUnlocked())
                showStep(Step::Password);
            return;
        }
        m_session->touch();
        if (provisioning::TrustSetup::needsBootstrap(*profile, m_options.trustDir)) {
            showStep(Step::Trust);
            m_trust->setProfile(*profile);
            return;
        }
        emit finished(m_profilePath);
        return;
    }
    case Step::Trust:
        if (m_trust->isTrusted())
            emit finished(m_profilePath);
        return;
    }
}

} // namespace station::ui
