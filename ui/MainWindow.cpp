#include "MainWindow.h"

#include "AboutBox.h"
#include "Icons.h"
#include "ManifestBrowser.h"
#include "MessageBar.h"
#include "ScanField.h"
#include "ShiftPanel.h"
#include "SlotGrid.h"
#include "SoundCue.h"
#include "SupervisorGate.h"
#include "SupervisorPanel.h"

#include "provisioning/Station.h"
#include "provisioning/SupervisorSession.h"

#include "crypto/SecretBytes.h"

#include <QAction>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace station::ui {

namespace {
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kSoundKey = QStringLiteral("sound/enabled");
const QString kHelpKey = QStringLiteral("help");
} // namespace

MainWindow::MainWindow(QSettings *settings, QWidget *parent)
    : QMainWindow(parent), m_settings(settings), m_header(new QLabel), m_scan(new ScanField), m_grid(new SlotGrid),
      m_shift(new ShiftPanel), m_messages(new MessageBar),
      m_sound(new SoundCue(settings ? settings->value(kSoundKey, true).toBool() : true, this)),
      m_gate(new SupervisorGate(m_messages, this)), m_role(new QLabel), m_pages(new QStackedWidget(this)),
      m_browser(new ManifestBrowser)
{
    setWindowTitle(tr("Provisioning Station"));
    m_header->setTextFormat(Qt::PlainText);
    // A long profile name is cut at the right edge rather than widening the window past the screen.
    m_header->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_header->setText(tr("Provisioning Station \u2014 starting \u2026"));

    auto *central = new QWidget(this);
    auto *left = new QVBoxLayout;
    left->setSpacing(10);
    left->addWidget(m_scan);
    left->addWidget(m_grid, 1);
    left->addWidget(m_messages);
    auto *actionBar = new QWidget(central);
    buildActions(actionBar);
    left->addWidget(actionBar);

    auto *body = new QHBoxLayout;
    body->setSpacing(14);
    body->addLayout(left, 1);
    body->addWidget(m_shift);

    auto *root = new QVBoxLayout(central);
    root->setContentsMargins(14, 8, 14, 10);
    root->setSpacing(8);
    auto *headerRow = new QHBoxLayout;
    headerRow->addWidget(m_header, 1);
    m_role->setObjectName(QStringLiteral("role"));
    m_role->setTextFormat(Qt::PlainText);
    headerRow->addWidget(m_role);
    root->addLayout(headerRow);
    root->addLayout(body, 1);
    m_pages->addWidget(central);
    m_pages->addWidget(m_browser);
    setCentralWidget(m_pages);
    connect(m_browser, &ManifestBrowser::closeRequested, this, &MainWindow::toggleBrowser);

    connect(m_scan, &ScanField::scanned, this, &MainWindow::onScanned);
    connect(m_gate, &SupervisorGate::roleChanged, this, [this] {
        m_role->setText(m_gate->roleText());
        connect(m_gate, &SupervisorGate::dialogClosed, this, [this] {
            activateWindow();
            m_scan->takeFocus();
        });
        setLook(m_role, "roleLook", m_gate->isSupervisor() ? QStringLiteral("supervisor") : QStringLiteral("operator"));
    });
    m_role->setText(m_gate->roleText());

    // Help > About on F1: version and file locations (AboutBox). No button: the bar is the operator's.
    auto *about = new QAction(tr("About Provisioning Station"), this);
    about->setShortcut(Qt::Key_F1);
    about->setShortcutContext(Qt::WindowShortcut);
    connect(about, &QAction::triggered, this,
            [this] { showAboutBox(this, m_manifestPath, m_settings ? m_settings->fileName() : QString()); });
    addAction(about);

    if (!m_settings || !restoreGeometry(m_settings->value(kGeometryKey).toByteArray()))
        resize(1280, 800);
    applySizes();
}

MainWindow::~MainWindow()
{
    // Also when the application quits without closing the window (--quit-after, a session ending).
    if (m_settings)
        m_settings->setValue(kGeometryKey, saveGeometry());
}

void MainWindow::buildActions(QWidget *bar)
{
    auto *h = new QHBoxLayout(bar);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(6);
    struct Def {
        QKeySequence key;
        QString text;
        QString icon;
        std::function<void()> run;
        bool button = true; ///< supervisor keys without a button: the bar stays one calm row at 1280 px
    };
    const QList<Def> defs{
        {Qt::Key_F2, tr("F2  Help"), QStringLiteral("help"), [this] { toggleHelp(); }},
        {Qt::Key_F3, tr("F3"), QStringLiteral("slot-previous"), [this] { m_grid->selectNext(-1); }},
        {Qt::Key_F4, tr("F4"), QStringLiteral("slot-next"), [this] { m_grid->selectNext(+1); }},
        {Qt::Key_F5, tr("F5  Cancel slot"), QStringLiteral("cancel"), [this] { cancelSelected(); }},
        {Qt::Key_F6, tr("F6  Sound"), QStringLiteral("sound-on"), [this] { toggleSound(); }, false},
        {Qt::Key_F7, tr("F7  Re-provision"), QStringLiteral("reprovision"), [this] { confirmSelected(); }, false},
        {Qt::Key_F8, tr("F8  Supervisor"), QStringLiteral("supervisor-locked"), [this] { m_gate->toggle(); }},
        {Qt::Key_F9, tr("F9  Settings"), QStringLiteral("settings"), [this] { openSupervisorPanel(); }},
        {Qt::Key_F10, tr("F10  Manifest"), QStringLiteral("manifest"), [this] { toggleBrowser(); }, false},
        {Qt::Key_F11, tr("F11"), QStringLiteral("fullscreen"),
         [this] { setWindowState(windowState() ^ Qt::WindowFullScreen); }},
    };
    for (const Def &d : defs) {
        auto *action = new QAction(uiIcon(d.icon), d.text, this);
        action->setShortcut(d.key);
        action->setShortcutContext(Qt::WindowShortcut);
        connect(action, &QAction::triggered, this, d.run);
        addAction(action);
        if (!d.button)
            continue;
        auto *button = new QPushButton(action->icon(), d.text, bar);
        button->setObjectName(QStringLiteral("action-%1").arg(d.icon));
        button->setProperty("actionButton", QStringLiteral("yes"));
        button->setToolTip(d.key == QKeySequence(Qt::Key_F11) ? tr("F11: full screen on / off") : d.text);
        button->setFocusPolicy(Qt::NoFocus); // the scan field keeps the keyboard
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        h->addWidget(button);
        m_buttons << button;
    }
    h->addStretch(1);
}

void MainWindow::setStation(provisioning::Station *station, const QString &manifestPath)
{
    using provisioning::Station;
    if (m_station)
        disconnect(m_station, nullptr, this, nullptr);
    m_station = station;
    m_manifestPath = manifestPath;
    m_grid->setStation(station);
    if (!station)
        return;
    const auto &profile = station->profile();
    if (m_panel)
        m_panel->showStation(profile, manifestPath);
    setWindowTitle(tr("Provisioning Station \u2014 %1").arg(profile.name));
    m_header->setText(tr("Provisioning Station   \u00B7   Profile: %1   \u00B7   EST: %2")
                          .arg(profile.name, profile.est.url.host() + profile.est.url.path()));
    m_messages->setCondition(QStringLiteral("manifest"), MessageBar::Kind::Information,
                             tr("Manifest: %1").arg(manifestPath));
    m_browser->setManifestPath(manifestPath);
    m_messages->setCondition(QStringLiteral("est"), MessageBar::Kind::Information,
                             tr("Preparing the EST connection to %1 \u2026").arg(profile.est.url.toString()));

    connect(station, &Station::status, this, [this](const QString &text) {
        m_messages->setCondition(QStringLiteral("est"), MessageBar::Kind::Information, text);
    });
    connect(station, &Station::ready, this, [this, station] {
        m_messages->setCondition(QStringLiteral("est"), MessageBar::Kind::Positive,
                                 tr("EST server ready: %1").arg(station->profile().est.url.toString()));
        m_shift->addEvent(tr("Station ready"));
    });
    connect(station, &Station::setupFailed, this, [this](const Error &e) {
        m_messages->setCondition(QStringLiteral("est"), MessageBar::Kind::Error,
                                 tr("The station cannot start: %1 %2").arg(e.message, e.remedy));
        m_shift->addEvent(tr("Station setup failed"));
    });
    // A passphrase the profile asks for once per start: a window-modal dialog opened without a nested
    // event loop; the station waits for the answer.
    connect(station, &Station::secretNeeded, this, [this, station](const QString &what) {
        m_messages->setCondition(QStringLiteral("est"), MessageBar::Kind::Warning,
                                 tr("The station needs the %1 to start.").arg(what));
        auto *dialog = new QInputDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowTitle(tr("Station start"));
        dialog->setLabelText(tr("Enter the %1:").arg(what));
        dialog->setTextEchoMode(QLineEdit::Password);
        QPointer<Station> target(station);
        connect(dialog, &QInputDialog::textValueSelected, this, [target](const QString &text) {
            if (target)
                target->provideSecret(crypto::SecretBytes(text.toUtf8()));
        });
        dialog->open();
    });
    connect(station, &Station::notice, this, [this](const QString &text) {
        m_messages->setCondition(QStringLiteral("source"), MessageBar::Kind::Warning, text);
    });
    connect(station, &Station::jobFinished, this, &MainWindow::onJobFinished);
}

void MainWindow::setSoundEnabled(bool enabled)
{
    m_sound->setEnabled(enabled);
}

void MainWindow::setSupervisorSession(provisioning::SupervisorSession *session)
{
    m_gate->setSession(session);
}

void MainWindow::setSetupFolders(const QStringList &profileDirs, const QString &trustDir)
{
    m_profileDirs = profileDirs;
    m_trustDir = trustDir;
}

bool MainWindow::runAsSupervisor(const QString &what, const std::function<void()> &action)
{
    return m_gate->run(what, action);
}

SupervisorPanel *MainWindow::supervisorPanel() const
{
    return m_panel;
}

void MainWindow::toggleSound()
{
    runAsSupervisor(tr("turn the sound on or off"), [this] {
        const bool on = !m_sound->isEnabled();
        m_sound->setEnabled(on);
        if (m_settings)
            m_settings->setValue(kSoundKey, on);
        if (m_panel)
            m_panel->setSoundEnabled(on);
        m_messages->setCondition(SupervisorGate::kConditionKey, MessageBar::Kind::Information,
                                 on ? tr("Sound on: a rising tone on PASS, a low double tone on FAIL.")
                                    : tr("Sound off."));
    });
}

void MainWindow::confirmSelected()
{
    const int slot = m_grid->selected();
    if (!m_station || slot < 0)
        return;
    if (m_station->slotInfo(slot).state != provisioning::JobState::AwaitingConfirmation) {
        m_messages->setCondition(SupervisorGate::kConditionKey, MessageBar::Kind::Information,
                                 tr("F7 re-provisions a unit that is already provisioned: select its slot "
                                    "(F3 / F4) when it asks for a supervisor."));
        return;
    }
    runAsSupervisor(tr("re-provision a unit"), [this, slot] { m_station->confirm(slot); });
}

void MainWindow::openSupervisorPanel()
{
    runAsSupervisor(tr("open the settings"), [this] {
        if (!m_panel) {
            m_panel = new SupervisorPanel(m_gate, SupervisorPanel::Options{m_profileDirs, m_trustDir}, this);
            m_panel->setAttribute(Qt::WA_DeleteOnClose);
            connect(m_panel, &SupervisorPanel::profileChangeRequested, this, &MainWindow::profileChangeRequested);
            connect(m_panel, &SupervisorPanel::soundChangeRequested, this, [this](bool on) {
                if (on != m_sound->isEnabled())
                    toggleSound();
            });
            connect(m_panel, &QObject::destroyed, this, [this] { m_scan->takeFocus(); });
        }
        if (m_station)
            m_panel->showStation(m_station->profile(), m_manifestPath);
        m_panel->setSoundEnabled(m_sound->isEnabled());
        m_panel->show();
        m_panel->raise();
        m_panel->activateWindow();
    });
}

void MainWindow::submitScan(const QString &label)
{
    onScanned(label);
}

void MainWindow::onScanned(const QString &text)
{
    if (!m_station) {
        m_scan->showAnswer(false, tr("The station is not running yet."));
        return;
    }
    const provisioning::ScanAnswer answer = m_station->scan(text);
    m_scan->showAnswer(answer.accepted, answer.message);
    if (answer.slot >= 0)
        m_grid->select(answer.slot);
}

void MainWindow::onJobFinished(int slot, const provisioning::JobResult &result)
{
    m_shift->addResult(slot, result.serial, result.passed(), result.message.cause);
    m_browser->attemptFinished(result.manifestId);
    if (result.passed())
        m_sound->pass();
    else
        m_sound->fail();
}

void MainWindow::toggleHelp()
{
    if (m_messages->hasCondition(kHelpKey)) {
        m_messages->clearCondition(kHelpKey);
        return;
    }
    m_messages->setCondition(kHelpKey, MessageBar::Kind::Information,
                             tr("Scan a unit's label to start it. F3 / F4 select a slot, F5 cancels the selected "
                                "slot, F11 full screen, F2 closes this help. A unit shows \u2713 PASS or \u2715 FAIL "
                                "with what to do; remove it when it is done. Supervisor: F8 password, F9 settings, "
                                "F6 sound, F7 re-provision the selected unit. F10 shows the manifest."));
}

void MainWindow::toggleBrowser()
{
    const bool browse = m_pages->currentWidget() != m_browser;
    m_pages->setCurrentWidget(browse ? m_browser : m_pages->widget(0));
    // The production keys act on slots the operator cannot see from the browser.
    for (QAction *action : actions()) {
        const QKeySequence key = action->shortcut();
        if (key != QKeySequence(Qt::Key_F10) && key != QKeySequence(Qt::Key_F11))
            action->setEnabled(!browse);
    }
    m_scan->setEnabled(!browse); // else its focus keeper takes the keyboard back from the browser
    if (browse)
        m_browser->focusTable();
    else
        m_scan->takeFocus();
}

void MainWindow::cancelSelected()
{
    const int slot = m_grid->selected();
    if (!m_station || slot < 0)
        return;
    m_station->cancel(slot);
}

void MainWindow::applySizes()
{
    const int h = height();
    if (h == m_sizedForHeight)
        return;
    m_sizedForHeight = h;
    const ThemeSizes sizes = ThemeSizes::forHeight(h);
    setPixelFont(m_header, sizes.bodyPx, true);
    setPixelFont(m_role, sizes.bodyPx, true);
    m_scan->setSizes(sizes);
    m_grid->setSizes(sizes);
    m_shift->setSizes(sizes);
    m_messages->setSizes(sizes);
    m_browser->setSizes(sizes);
    for (QWidget *b : std::as_const(m_buttons)) {
        setPixelFont(b, sizes.smallPx, true);
        static_cast<QPushButton *>(b)->setIconSize(QSize(sizes.smallPx, sizes.smallPx));
    }
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    applySizes();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    m_scan->takeFocus();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_settings)
        m_settings->setValue(kGeometryKey, saveGeometry());
    QMainWindow::closeEvent(event);
}

} // namespace station::ui
