// provstation: the operator GUI. Parses the arguments and wires the objects: a real station from a
// product profile, or `--demo` — the lab EST server and simulated units in a temporary folder — and the
// main window on top. Everything else lives in ui/ (widgets), core/ (the engine) and drivers/.
#include "DemoAutopilot.h"
#include "DemoSetup.h"
#include "StationAssembly.h"
#include "StationLauncher.h"

#include "LogFile.h"
#include "MainWindow.h"
#include "MessageBar.h"
#include "ProcessHardening.h"
#include "StationPaths.h"
#include "StationVersion.h"
#include "Theme.h"

#include "provisioning/SupervisorSession.h"
#include "provisioning/TrustSetup.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QSettings>
#include <QTextStream>
#include <QTimer>
#include <QTranslator>

#include <optional>

using namespace station;

int main(int argc, char *argv[])
{
    // Before anything can hold a key: private keys and passwords must not end up in a core dump.
    const auto hardened = ProcessHardening::disableCoreDumps();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("provstation"));
    QApplication::setOrganizationName(QStringLiteral("ProvisioningStation"));
    QApplication::setApplicationVersion(QString::fromLatin1(kVersion));
    QGuiApplication::setDesktopFileName(QStringLiteral("provstation")); // the installed desktop entry
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("provstation")));
    QTextStream err(stderr);
    QTextStream out(stdout);
    if (!hardened)
        err << "provstation: warning: " << hardened.error().toString() << '\n';
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("station.*.debug=false\nstation.*.info=false"));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("The provisioning station's operator screen."));
    p.addHelpOption();
    p.addVersionOption();
    const QCommandLineOption demoOpt(QStringLiteral("demo"),
                                     QStringLiteral("Start a complete embedded setup: the lab EST server and "
                                                    "simulated units on pseudo-terminals (no hardware needed)."));
    const QCommandLineOption demoDirOpt(QStringLiteral("demo-dir"),
                                        QStringLiteral("Keep the demo's files (CA, profile, manifest) in DIR."),
                                        QStringLiteral("DIR"));
    const QCommandLineOption demoUnitsOpt(QStringLiteral("demo-units"),
                                          QStringLiteral("Number of simulated units (3 to 24, default 6)."),
                                          QStringLiteral("N"), QStringLiteral("6"));
    const QCommandLineOption profileOpt(QStringLiteral("profile"), QStringLiteral("The product profile (JSON)."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption manifestOpt(QStringLiteral("manifest"),
                                         QStringLiteral("The manifest file (default: the station's)."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption portOpt(QStringLiteral("port"),
                                     QStringLiteral("Watch this port too (a fixture, a pty link; repeatable)."),
                                     QStringLiteral("PATH"));
    const QCommandLineOption operatorOpt(QStringLiteral("operator"), QStringLiteral("Who runs the station."),
                                         QStringLiteral("NAME"));
    const QCommandLineOption quitOpt(QStringLiteral("quit-after"),
                                     QStringLiteral("Quit after SECONDS (non-interactive runs)."),
                                     QStringLiteral("SECONDS"));
    const QCommandLineOption autoscanOpt(
        QStringLiteral("autoscan"),
        QStringLiteral("Demo: type each unit's label into the scan field as a scanner would; quit when all are "
                       "done (exit 0 when every unit ended as the demo means it to)."));
    const QCommandLineOption shotOpt(QStringLiteral("screenshot"),
                                     QStringLiteral("Save a PNG of the window when quitting (with --quit-after or "
                                                    "--autoscan)."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption sizeOpt(QStringLiteral("size"), QStringLiteral("Window size, e.g. 1920x1080."),
                                     QStringLiteral("WxH"));
    const QCommandLineOption muteOpt(QStringLiteral("no-sound"), QStringLiteral("No beep on PASS / FAIL."));
    p.addOptions({demoOpt, demoDirOpt, demoUnitsOpt, profileOpt, manifestOpt, portOpt, operatorOpt, quitOpt,
                  autoscanOpt, shotOpt, sizeOpt, muteOpt});
    p.process(app);
    // Warnings and errors also to the log file (StationPaths.h: ~/.local/state/provisioning-station/).
    auto logFile = LogFile::install(paths::logDirectory() + QStringLiteral("/provstation.log"));
    if (!logFile)
        err << "provstation: warning: " << logFile.error().toString() << '\n' << Qt::flush;
    const bool demo = p.isSet(demoOpt);
    if (demo && p.isSet(profileOpt)) {
        err << "provstation: give either --demo or --profile FILE (or neither: the last profile)\n";
        return 2;
    }
    bool ok = true;
    const int quitAfter = p.isSet(quitOpt) ? p.value(quitOpt).toInt(&ok) : 0;
    if (!ok || quitAfter < 0) {
        err << "provstation: --quit-after takes a number of seconds\n";
        return 2;
    }

    // The GUI's texts in the user's language (compiled in from resources/translations), and Qt's own.
    QTranslator qtTexts;
    if (qtTexts.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                     QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTexts);
    QTranslator stationTexts;
    if (stationTexts.load(QLocale(), QStringLiteral("provstation"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&stationTexts);

    ui::applyTheme(app);
    QSettings settings;
    ui::MainWindow window(&settings);
    if (p.isSet(muteOpt))
        window.setSoundEnabled(false);
    if (p.isSet(sizeOpt)) {
        const QStringList wh = p.value(sizeOpt).split(QLatin1Char('x'));
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }

    std::optional<app::DemoAutopilot> autopilot;
    if (quitAfter > 0 || p.isSet(autoscanOpt)) {
        app::DemoAutopilot::Options ao;
        ao.typeLabels = demo && p.isSet(autoscanOpt);
        ao.deadlineSeconds = quitAfter;
        ao.screenshotPath = p.value(shotOpt);
        autopilot.emplace(ao, &window);
    }

    std::unique_ptr<app::DemoSetup> demoSetup;
    // A real station has a supervisor (the demo is preconfigured and has none: no first-start window).
    std::unique_ptr<provisioning::SupervisorSession> supervisor;
    std::unique_ptr<app::StationLauncher> launcher;
    if (demo) {
        app::DemoSetup::Options dopt;
        dopt.directory = p.value(demoDirOpt);
        dopt.unitCount = p.value(demoUnitsOpt).toInt();
        if (p.isSet(operatorOpt))
            dopt.operatorName = p.value(operatorOpt);
        demoSetup = std::make_unique<app::DemoSetup>(dopt);
        window.messageBar()->setCondition(QStringLiteral("demo"), ui::MessageBar::Kind::Information,
                                          QObject::tr("Starting the demo: lab EST server and simulated units \u2026"));
        QObject::connect(demoSetup.get(), &app::DemoSetup::failed, &window, [&](const QString &message) {
            err << "provstation: the demo cannot start: " << message << '\n';
            window.messageBar()->setCondition(QStringLiteral("demo"), ui::MessageBar::Kind::Error,
                                              QObject::tr("The demo cannot start: %1").arg(message));
            if (autopilot)
                autopilot->finish(QStringLiteral("the demo did not start"));
        });
        QObject::connect(demoSetup.get(), &app::DemoSetup::ready, &window, [&] {
            const app::DemoWorld &world = demoSetup->world();
            QStringList labels;
            for (const app::DemoUnit &u : world.units) {
                out << "demo unit " << u.serial << " on " << u.link << '\n';
                labels << u.serial;
            }
            out << "demo folder " << world.directory << "\nmanifest " << world.manifestPath << '\n' << Qt::flush;
            window.messageBar()->setCondition(QStringLiteral("demo"), ui::MessageBar::Kind::Information,
                                              QObject::tr("Demo labels: %1").arg(labels.join(QStringLiteral("  "))));
            window.setStation(demoSetup->station(), demoSetup->manifestPath());
            if (autopilot)
                autopilot->attach(demoSetup->station(), world);
            demoSetup->startStation();
        });
        QTimer::singleShot(0, demoSetup.get(), &app::DemoSetup::start);
    } else {
        supervisor = std::make_unique<provisioning::SupervisorSession>(&settings);
        app::StationLauncher::Options lo;
        lo.profilePath = p.value(profileOpt);
        lo.manifestPath = p.value(manifestOpt);
        lo.operatorName = p.value(operatorOpt);
        lo.explicitPorts = p.values(portOpt);
        lo.profileDirs = app::StationLauncher::defaultProfileDirs();
        lo.trustDir = provisioning::TrustSetup::defaultTrustDir();
        launcher = std::make_unique<app::StationLauncher>(lo, &settings, supervisor.get(), &window);
        QObject::connect(launcher.get(), &app::StationLauncher::startFailed, &window,
                         [&](const QString &message) { err << "provstation: " << message << '\n'; });
        launcher->begin(); // shows the main window, or the first-start window
        const int code = QApplication::exec();
        autopilot.reset();
        launcher.reset();
        return code;
    }

    window.show();
    window.raise();
    window.activateWindow(); // without a window manager (Xvfb, a kiosk session) nothing else gives it the keyboard
    const int code = QApplication::exec();
    autopilot.reset();
    return code;
}
