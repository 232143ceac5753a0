#include "SupervisorPanel.h"

#include "Icons.h"
#include "ManifestOutbox.h"
#include "ProfileChooser.h"
#include "SupervisorGate.h"
#include "Theme.h"
#include "TrustPage.h"

#include "manifest/Manifest.h"
#include "provisioning/SupervisorSession.h"
#include "provisioning/TrustSetup.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFuture>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace station::ui {

using provisioning::AuthMode;
using provisioning::TrustSource;

namespace {

QLabel *plain(const QString &text = {})
{
    auto *l = new QLabel(text);
    l->setTextFormat(Qt::PlainText);
    l->setWordWrap(true);
    return l;
}

} // namespace

SupervisorPanel::SupervisorPanel(SupervisorGate *gate, Options options, QWidget *parent)
    : QWidget(parent, Qt::Window), m_gate(gate), m_options(std::move(options)), m_role(plain()), m_profileText(plain()),
      m_passwordStatus(plain()), m_outbox(new ManifestOutbox(gate)),
      m_sound(new QCheckBox(tr("Tone on PASS and on FAIL (F6)"))), m_newPassword(new QLineEdit),
      m_repeat(new QLineEdit), m_chooser(new ProfileChooser(m_options.profileDirs)),
      m_useProfile(new QPushButton(tr("Use this profile"))), m_trust(new TrustPage(m_options.trustDir))
{
    setWindowTitle(tr("Provisioning Station \u2014 supervisor"));
    setObjectName(QStringLiteral("supervisorPanel"));
    m_profileText->setObjectName(QStringLiteral("profileSummary"));
    m_profileText->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *icon = new QLabel;
    icon->setPixmap(uiPixmap(QStringLiteral("supervisor-unlocked"), 44, devicePixelRatioF()));
    auto *title = plain(tr("Supervisor settings"));
    setPixelFont(title, 30, true);
    setPixelFont(m_role, 18);
    auto *lock = new QPushButton(uiIcon(QStringLiteral("supervisor-locked")), tr("F8  Lock now"));
    auto *close = new QPushButton(tr("Esc  Close"));
    auto *head = new QHBoxLayout;
    head->addWidget(icon);
    auto *titles = new QVBoxLayout;
    titles->addWidget(title);
    titles->addWidget(m_role);
    head->addLayout(titles, 1);
    head->addWidget(lock);
    head->addWidget(close);
    connect(lock, &QPushButton::clicked, this, [this] { m_gate->toggle(); });
    connect(close, &QPushButton::clicked, this, &QWidget::close);
    auto *esc = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    connect(esc, &QShortcut::activated, this, &QWidget::close);
    auto *f8 = new QShortcut(QKeySequence(Qt::Key_F8), this);
    connect(f8, &QShortcut::activated, this, [this] { m_gate->toggle(); });

    // What runs.
    auto *station = new QGroupBox(tr("Product profile and EST server"));
    auto *sv = new QVBoxLayout(station);
    setPixelFont(m_profileText, 18);
    m_profileText->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    sv->addWidget(m_profileText);
    auto *change = new QPushButton(tr("Choose another &profile \u2026"));
    auto *retrust = new QPushButton(uiIcon(QStringLiteral("trust")), tr("Set up the EST &trust again \u2026"));
    retrust->setObjectName(QStringLiteral("retrust"));
    auto *row = new QHBoxLayout;
    row->addWidget(change);
    row->addWidget(retrust);
    row->addStretch(1);
    sv->addLayout(row);
    sv->addWidget(m_chooser);
    auto *useRow = new QHBoxLayout;
    useRow->addStretch(1);
    useRow->addWidget(m_useProfile);
    sv->addLayout(useRow);
    sv->addWidget(m_trust);
    sv->addStretch(1);
    m_chooser->hide();
    m_useProfile->hide();
    m_trust->hide();
    connect(change, &QPushButton::clicked, this, [this] {
        m_gate->run(tr("change the product profile"), [this] {
            m_trust->hide();
            m_chooser->setVisible(true);
            m_useProfile->setVisible(true);
            m_useProfile->setEnabled(m_chooser->chosen().has_value());
        });
    });
    connect(m_chooser, &ProfileChooser::chosenChanged, this,
            [this](const QString &path) { m_useProfile->setEnabled(!path.isEmpty()); });
    connect(m_useProfile, &QPushButton::clicked, this, [this] {
        const auto chosen = m_chooser->chosen();
        if (!chosen)
            return;
        m_gate->run(tr("change the product profile"),
                    [this, path = chosen->sourcePath] { emit profileChangeRequested(path); });
    });
    connect(retrust, &QPushButton::clicked, this, [this] {
        m_gate->run(tr("change the EST server's trust"), [this] {
            provisioning::ProductProfile p = m_profile;
            if (p.est.trust == TrustSource::File &&
                p.est.trustFile == provisioning::TrustSetup::anchorPathFor(p.est.url, m_options.trustDir))
                p.est.trust = TrustSource::Bootstrap; // it was confirmed here: set it up the same way again
            m_chooser->hide();
            m_useProfile->hide();
            m_trust->setVisible(true);
            m_trust->setProfile(p);
        });
    });
    connect(m_trust, &TrustPage::trusted, this, [this] {
        m_gate->run(tr("change the EST server's trust"), [this] { emit profileChangeRequested(m_profile.sourcePath); });
    });

    // Sound.
    auto *sound = new QGroupBox(tr("Sound"));
    auto *sl = new QVBoxLayout(sound);
    sl->addWidget(m_sound);
    m_sound->setObjectName(QStringLiteral("soundBox"));
    connect(m_sound, &QCheckBox::clicked, this, [this](bool on) {
        if (!m_gate->run(tr("change the sound setting"), [this, on] { emit soundChangeRequested(on); }))
            m_sound->setChecked(!on);
    });

    // The manifest: export for the PKI administrator, upload to the DMS (as provctl manifest export | upload).
    auto *manifestBox = m_outbox;
    // Password.
    auto *password = new QGroupBox(tr("Supervisor password"));
    auto *pl = new QHBoxLayout(password);
    m_newPassword->setEchoMode(QLineEdit::Password);
    m_repeat->setEchoMode(QLineEdit::Password);
    m_newPassword->setPlaceholderText(tr("new password"));
    m_repeat->setPlaceholderText(tr("repeat it"));
    auto *save = new QPushButton(tr("Change the password"));
    pl->addWidget(m_newPassword, 1);
    pl->addWidget(m_repeat, 1);
    pl->addWidget(save);
    auto *pv = new QVBoxLayout;
    pv->addWidget(password);
    pv->addWidget(m_passwordStatus);
    connect(save, &QPushButton::clicked, this, &SupervisorPanel::changePassword);

    auto *reprovision = plain(tr("Re-provisioning: a unit that is already provisioned waits for you. Select its "
                                 "slot in the main window (F3 / F4) and press F7."));
    // The sections scroll under a fixed head: the page fits a 1280x800 screen whatever it holds.
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(20, 14, 20, 14);
    outer->addLayout(head);
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget;
    scroll->setWidget(content);
    outer->addWidget(scroll, 1);
    auto *root = new QVBoxLayout(content);
    root->setContentsMargins(0, 0, 0, 0);
    root->addWidget(station, 1);
    root->addWidget(manifestBox);
    root->addWidget(sound);
    root->addWidget(reprovision);
    root->addLayout(pv);
    resize(1100, 760);

    if (provisioning::SupervisorSession *s = m_gate->session()) {
        connect(s, &provisioning::SupervisorSession::passwordSet, this,
                [this] { m_passwordStatus->setText(tr("\u2713 The supervisor password is changed.")); });
        connect(s, &provisioning::SupervisorSession::failed, this, [this](const Error &e) {
            m_passwordStatus->setText(QStringLiteral("\u2715 ") + e.message + QLatin1Char(' ') + e.remedy);
        });
        connect(s, &provisioning::SupervisorSession::locked, this, &QWidget::close);
    }
    connect(m_gate, &SupervisorGate::roleChanged, this, &SupervisorPanel::refreshRole);
}

void SupervisorPanel::showStation(const provisioning::ProductProfile &p, const QString &manifestPath)
{
    m_profile = p;
    QString auth;
    switch (p.est.auth) {
    case AuthMode::ClientCertificate:
        auth = tr("TLS client certificate %1").arg(p.est.clientP12.isEmpty() ? p.est.clientCert : p.est.clientP12);
        break;
    case AuthMode::Basic: auth = tr("user name and password (user %1)").arg(p.est.user); break;
    case AuthMode::None: auth = tr("none"); break;
    }
    QString trust;
    switch (p.est.trust) {
    case TrustSource::File:
        trust = p.est.trustFile == provisioning::TrustSetup::anchorPathFor(p.est.url, m_options.trustDir)
                    ? tr("the CA confirmed by a supervisor at setup (%1)").arg(p.est.trustFile)
                    : tr("the CA file %1").arg(p.est.trustFile);
        break;
    case TrustSource::Bootstrap: trust = tr("bootstrap with the fingerprint written in the profile"); break;
    case TrustSource::System: trust = tr("the operating system's CA store"); break;
    }
    m_profileText->setText(tr("Profile: %1\nFile: %2\nEST server: %3\nAuthentication: %4\nTrust: %5")
                               .arg(p.name, p.sourcePath, p.est.url.toDisplayString(), auth, trust));
    m_outbox->showStation(p, manifestPath);
}

void SupervisorPanel::exportTo(const QString &path)
{
    m_outbox->exportTo(path);
}

QString SupervisorPanel::exportStatus() const
{
    return m_outbox->exportStatus();
}

void SupervisorPanel::setSoundEnabled(bool enabled)
{
    m_sound->setChecked(enabled);
}

QString SupervisorPanel::summaryText() const
{
    return m_profileText->text();
}

void SupervisorPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refreshRole();
}

void SupervisorPanel::refreshRole()
{
    m_role->setText(tr("%1 \u2014 every change here counts as supervisor activity.").arg(m_gate->roleText()));
}

void SupervisorPanel::changePassword()
{
    if (m_newPassword->text() != m_repeat->text()) {
        m_passwordStatus->setText(tr("\u2715 The two passwords differ. Type the same password twice."));
        return;
    }
    QByteArray typed = m_newPassword->text().toUtf8();
    m_newPassword->clear();
    m_repeat->clear();
    m_gate->run(tr("change the supervisor password"), [this, &typed] {
        m_passwordStatus->setText(tr("Saving the new password \u2026"));
        m_gate->session()->setPassword(crypto::SecretBytes(std::move(typed)));
    });
}

} // namespace station::ui
