#include "StationLauncher.h"

#include "scanner/ScannerPort.h"

#include "FirstStartWindow.h"
#include "MainWindow.h"
#include "MessageBar.h"

#include "provisioning/SupervisorSession.h"
#include "provisioning/TrustSetup.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

namespace station::app {

using provisioning::ProductProfile;
using provisioning::TrustSetup;

StationLauncher::StationLauncher(Options options, QSettings *settings, provisioning::SupervisorSession *session,
                                 ui::MainWindow *window, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_settings(settings), m_session(session), m_window(window)
{
    m_window->setSupervisorSession(session);
    m_window->setSetupFolders(m_options.profileDirs, m_options.trustDir);
    connect(m_window, &ui::MainWindow::profileChangeRequested, this, &StationLauncher::restartWith);
}

StationLauncher::~StationLauncher()
{
    m_window->setStation(nullptr, {});
    m_assembly.reset();
    delete m_firstStart.data();
}

ui::FirstStartWindow *StationLauncher::firstStartWindow() const
{
    return m_firstStart;
}

QStringList StationLauncher::defaultProfileDirs()
{
    QStringList dirs{QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/profiles")};
    const QString installed = QDir(QCoreApplication::applicationDirPath())
                                  .absoluteFilePath(QStringLiteral("../share/provisioning-station/profiles"));
    if (QDir(installed).exists())
        dirs << QDir::cleanPath(installed);
    return dirs;
}

bool StationLauncher::needsSetup(const QString &profilePath) const
{
    if (!m_session->hasPassword() || profilePath.isEmpty())
        return true;
    auto profile = ProductProfile::load(profilePath);
    return profile && TrustSetup::needsBootstrap(*profile, m_options.trustDir);
    // A profile that does not load is reported by startWith(), in the main window.
}

void StationLauncher::begin()
{
    const QString path =
        m_options.profilePath.isEmpty() ? m_settings->value(kLastProfileKey).toString() : m_options.profilePath;
    if (needsSetup(path)) {
        openFirstStart(path);
        return;
    }
    startWith(path);
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void StationLauncher::openFirstStart(const QString &profilePath)
{
    ui::FirstStartWindow::Options o;
    o.profileDirs = m_options.profileDirs;
    o.trustDir = m_options.trustDir;
    o.presetProfile = profilePath;
    m_firstStart = new ui::FirstStartWindow(m_session, o);
    m_firstStart->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_firstStart, &ui::FirstStartWindow::finished, this, [this](const QString &path) {
        m_settings->setValue(kLastProfileKey, path);
        startWith(path);
        m_window->show();
        m_window->raise();
        m_window->activateWindow();
        if (m_firstStart)
            m_firstStart->close();
    });
    m_firstStart->show();
    m_firstStart->raise();
    m_firstStart->activateWindow();
}

bool StationLauncher::startWith(const QString &profilePath)
{
    StationAssembly::Options so;
    so.profilePath = profilePath;
    so.manifestPath = m_options.manifestPath;
    so.operatorName = m_options.operatorName;
    so.explicitPorts = m_options.explicitPorts;
    so.watchUsb = m_options.watchUsb;
    so.trustDir = m_options.trustDir;
    auto built = StationAssembly::create(so);
    if (!built) {
        const QString message = built.error().toString();
        m_window->messageBar()->setCondition(QStringLiteral("est"), ui::MessageBar::Kind::Error,
                                             tr("The station cannot start with %1: %2").arg(profilePath, message));
        emit startFailed(message);
        return false;
    }
    m_window->setStation(nullptr, {});
    m_assembly = std::move(*built);
    m_window->setStation(m_assembly->station(), m_assembly->manifestPath());
    if (drivers::ScannerPort *scanner = m_assembly->scanner()) {
        // The serial scanner's labels go where the keyboard-wedge scanner's go: the scan field's handler.
        connect(scanner, &drivers::ScannerPort::scanned, m_window, &ui::MainWindow::submitScan);
        connect(scanner, &drivers::ScannerPort::notice, m_window, [this](const QString &text, bool problem) {
            m_window->messageBar()->setCondition(
                QStringLiteral("scanner"), problem ? ui::MessageBar::Kind::Warning : ui::MessageBar::Kind::Information,
                text);
        });
    }
    QTimer::singleShot(0, this, [this] {
        if (m_assembly)
            m_assembly->start();
    });
    return true;
}

void StationLauncher::restartWith(const QString &profilePath)
{
    if (m_assembly && m_assembly->station()->activeJobs() > 0) {
        m_window->messageBar()->setCondition(
            QStringLiteral("supervisor"), ui::MessageBar::Kind::Warning,
            tr("%n unit(s) still in the station: remove them before the station changes its profile.", nullptr,
               m_assembly->station()->activeJobs()));
        return;
    }
    auto profile = ProductProfile::load(profilePath);
    if (profile && TrustSetup::needsBootstrap(*profile, m_options.trustDir)) {
        openFirstStart(profilePath); // the supervisor is in: it opens on the profile step
        return;
    }
    m_settings->setValue(kLastProfileKey, profilePath);
    if (startWith(profilePath))
        m_window->messageBar()->setCondition(QStringLiteral("supervisor"), ui::MessageBar::Kind::Positive,
                                             tr("The station restarted with the profile %1.").arg(profilePath));
}

} // namespace station::app
