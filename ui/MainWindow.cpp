#include "MainWindow.h"

#include "ManifestBrowser.h"
#include "MessageBar.h"
#include "ScanField.h"
#include "ShiftPanel.h"
#include "SlotGrid.h"
#include "SoundCue.h"

#include "provisioning/Station.h"

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
      m_pages(new QStackedWidget(this)), m_browser(new ManifestBrowser)
{
    setWindowTitle(tr("Provisioning Station"));
    m_header->setTextFormat(Qt::PlainText);
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
    root->addWidget(m_header);
    root->addLayout(body, 1);
    m_pages->addWidget(central);
    m_pages->addWidget(m_browser);
    setCentralWidget(m_pages);
    connect(m_browser, &ManifestBrowser::closeRequested, this, &MainWindow::toggleBrowser);

    connect(m_scan, &ScanField::scanned, this, &MainWindow::onScanned);

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
    h->setSpacing(10);
    struct Def {
        QKeySequence key;
        QString text;
        std::function<void()> run;
    };
    const QList<Def> defs{
        {Qt::Key_F2, tr("F2  Help"), [this] { toggleHelp(); }},
        {Qt::Key_F3, tr("F3  \u25C0 Slot"), [this] { m_grid->selectNext(-1); }},
        {Qt::Key_F4, tr("F4  Slot \u25B6"), [this] { m_grid->selectNext(+1); }},
        {Qt::Key_F5, tr("F5  Cancel slot"), [this] { cancelSelected(); }},
        {Qt::Key_F9, tr("F9  Manifest"), [this] { toggleBrowser(); }},
        {Qt::Key_F11, tr("F11  Full screen"), [this] { setWindowState(windowState() ^ Qt::WindowFullScreen); }},
    };
    for (const Def &d : defs) {
        auto *action = new QAction(d.text, this);
        action->setShortcut(d.key);
        action->setShortcutContext(Qt::WindowShortcut);
        connect(action, &QAction::triggered, this, d.run);
        addAction(action);
        auto *button = new QPushButton(d.text, bar);
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
    m_grid->setStation(station);
    if (!station)
        return;
    const auto &profile = station->profile();
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
    m_messages->setCondition(
        kHelpKey, MessageBar::Kind::Information,
        tr("Scan a unit's label to start it. F3 / F4 select a slot, F5 cancels the selected "
           "slot, F9 shows the manifest, F11 full screen, F2 closes this help. A unit shows \u2713 PASS or \u2715 FAIL "
           "with what to do; remove it when it is done."));
}

void MainWindow::toggleBrowser()
{
    const bool browse = m_pages->currentWidget() != m_browser;
    m_pages->setCurrentWidget(browse ? m_browser : m_pages->widget(0));
    // The production keys act on slots the operator cannot see from the browser.
    for (QAction *action : actions()) {
        const QKeySequence key = action->shortcut();
        if (key != QKeySequence(Qt::Key_F9) && key != QKeySequence(Qt::Key_F11))
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
    m_scan->setSizes(sizes);
    m_grid->setSizes(sizes);
    m_shift->setSizes(sizes);
    m_messages->setSizes(sizes);
    m_browser->setSizes(sizes);
    for (QWidget *b : std::as_const(m_buttons))
        setPixelFont(b, sizes.smallPx, true);
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
