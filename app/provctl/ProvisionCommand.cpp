// provctl provision: the station headless — the very engine the GUI drives. Loads a product profile,
// opens the manifest, watches the given ports (or every matching unit with --all), provisions each unit
// in parallel, prints one line per unit and exits non-zero if any unit did not pass.
#include "Commands.h"
#include "PortSelection.h"
#include "ProcessSetup.h"
#include "SignalWatcher.h"
#include "scanner/ScannerPort.h"

#include "DevicePort.h"
#include "ProfileDrivers.h"
#include "discovery/DeviceDiscovery.h"
#include "manifest/Manifest.h"
#include "provisioning/Station.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHostInfo>
#include <QLoggingCategory>
#include <QSet>
#include <QTextStream>
#include <QTimer>

namespace station::cli {

using namespace station::provisioning;

namespace {

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 1) + QStringLiteral(" s");
}

} // namespace

int runProvision(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Provisions the units on the given ports (or every matching unit with --all) with a product profile,\n"
        "records each attempt in the manifest and prints one line per unit. Exit status: 0 every unit passed,\n"
        "1 a unit failed, 2 usage or profile error, 130 interrupted."));
    p.addHelpOption();
    p.addOption({QStringLiteral("profile"), QStringLiteral("The product profile (JSON)."), QStringLiteral("file")});
    p.addOption(
        {QStringLiteral("port"), QStringLiteral("A unit's serial port (repeat for several)."), QStringLiteral("path")});
    p.addOption({QStringLiteral("all"), QStringLiteral("Every unit attached now that the profile's filter matches.")});
    p.addOption({QStringLiteral("barcode"),
                 QStringLiteral("A scanned label (repeat, one per unit); matched to the unit it names."),
                 QStringLiteral("text")});
    p.addOption({QStringLiteral("manifest"),
                 QStringLiteral("The manifest file (default: %1).").arg(manifest::Manifest::defaultPath()),
                 QStringLiteral("file")});
    p.addOption(
        {QStringLiteral("operator"), QStringLiteral("Who runs the station (recorded)."), QStringLiteral("name")});
    p.addOption({QStringLiteral("station-id"), QStringLiteral("This station's name (default: the host name)."),
                 QStringLiteral("id")});
    p.addOption({QStringLiteral("confirm-reprovision"),
                 QStringLiteral("Supervisor: re-provision units that are already provisioned (profile policy "
                                "'reprovision').")});
    p.addOption({QStringLiteral("wait-s"), QStringLiteral("How long to wait for the ports to appear (default 15)."),
                 QStringLiteral("seconds"), QStringLiteral("15")});
    p.addOption({QStringLiteral("verbose"), QStringLiteral("Log what the station does (devices, EST, manifest).")});
    if (!p.parse(args)) {
        err << "provctl provision: " << p.errorText() << "\nRun 'provctl provision --help'.\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out << p.helpText();
        return 0;
    }
    if (!p.isSet(QStringLiteral("verbose")) && qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("station.*.debug=false\nstation.*.info=false"));
    const QStringList ports = p.values(QStringLiteral("port"));
    const bool all = p.isSet(QStringLiteral("all"));
    if (!p.isSet(QStringLiteral("profile")) || (ports.isEmpty() == !all)) {
        err << "provctl provision: give --profile FILE and either --port PATH (one or more) or --all\n";
        return 2;
    }
    auto profile = ProductProfile::load(p.value(QStringLiteral("profile")));
    if (!profile) {
        err << "provctl provision: " << profile.error().message << '\n' << profile.error().detail << '\n';
        return 2;
    }
    QStringList barcodes = p.values(QStringLiteral("barcode"));
    if (profile->start == StartMode::Scan && barcodes.isEmpty() && profile->scanner.port.isEmpty()) {
        err << "provctl provision: the profile '" << profile->name
            << "' starts each unit on a scan of its label: give --barcode TEXT (one per unit)\n";
        return 2;
    }

    const QString manifestPath =
        p.isSet(QStringLiteral("manifest")) ? p.value(QStringLiteral("manifest")) : manifest::Manifest::defaultPath();
    auto manifest = manifest::Manifest::open(manifestPath);
    if (!manifest) {
        err << "provctl provision: " << manifest.error().toString() << '\n';
        return 1;
    }

    drivers::DiscoveryConfig dc;
    dc.explicitPorts = ports;
    dc.watchUsb = all;
    drivers::DeviceDiscovery discovery(dc);
    PortSelection selection(&discovery, all ? QStringList() : ports);

    StationConfig sc;
    sc.operatorName = p.value(QStringLiteral("operator"));
    sc.stationId =
        p.isSet(QStringLiteral("station-id")) ? p.value(QStringLiteral("station-id")) : QHostInfo::localHostName();
    Station station(*profile, sc, &selection, drivers::profileDriverProvider(), manifest->get(),
                    terminalSecretPrompt());

    int failures = 0, finished = 0;
    bool interrupted = false;
    bool initialScanDone = false;
    QSet<int> started;
    auto exitWhenDone = [&] {
        const bool allSeen = all ? initialScanDone : started.size() >= ports.size();
        if (allSeen && station.activeJobs() == 0 && finished >= started.size())
            QCoreApplication::exit(interrupted ? 130 : (failures > 0 || started.isEmpty() ? 1 : 0));
    };
    auto feedScans = [&] {
        for (int i = 0; i < station.slotCount() && !barcodes.isEmpty(); ++i) {
            if (station.slotInfo(i).state != JobState::AwaitingScan)
                continue;
            // A label that names an attached unit goes to it; with one waiting unit left, it is its label.
            bool matched = false;
            for (qsizetype b = 0; b < barcodes.size(); ++b) {
                const ScanAnswer a = station.scan(barcodes[b]);
                if (a.accepted) {
                    barcodes.removeAt(b);
                    matched = true;
                    break;
                }
            }
            if (!matched && station.activeJobs() == 1) {
                const ScanAnswer a = station.scanForSlot(i, barcodes.takeFirst());
                if (!a.accepted)
                    err << "slot " << i + 1 << ": " << a.message << '\n';
            }
        }
    };

    QObject::connect(&station, &Station::setupFailed, [&](const Error &e) {
        err << "provctl provision: the station cannot start: " << e.toString() << '\n';
        QCoreApplication::exit(1);
    });
    QObject::connect(&station, &Station::notice, [&](const QString &t) { err << t << '\n' << Qt::flush; });
    QObject::connect(&station, &Station::slotChanged, [&](int i) {
        const SlotInfo s = station.slotInfo(i);
        if (s.present && s.state != JobState::Detected)
            started.insert(i);
        if (s.state == JobState::AwaitingScan)
            QTimer::singleShot(0, &station, feedScans);
        if (s.state == JobState::AwaitingConfirmation && p.isSet(QStringLiteral("confirm-reprovision")))
            QTimer::singleShot(0, &station, [&station, i] { station.confirm(i); });
    });
    QObject::connect(&station, &Station::jobFinished, [&](int i, const JobResult &r) {
        ++finished;
        started.insert(i);
        const SlotInfo s = station.slotInfo(i);
        const QString status = r.passed()                             ? QStringLiteral("PASS")
                               : r.finalState == JobState::Incomplete ? QStringLiteral("INCOMPLETE")
                                                                      : QStringLiteral("FAIL");
        out << status.leftJustified(11) << "slot " << i + 1 << "  " << s.portPath << "  "
            << (r.serial.isEmpty() ? QStringLiteral("(unidentified)") : r.serial) << "  ";
        if (r.passed())
            out << "cert " << r.certSerial << "  " << seconds(r.durationMs) << '\n';
        else
            out << seconds(r.durationMs) << "  [" << jobFailureName(r.failure) << "] " << r.message.text() << '\n';
        out.flush();
        if (!r.passed()) {
            ++failures;
            if (!r.detail.isEmpty())
                err << "  detail: " << r.detail << '\n' << Qt::flush;
        }
        QTimer::singleShot(0, &station, exitWhenDone);
    });
    QObject::connect(&discovery, &device::DeviceSource::initialScanDone, [&] {
        initialScanDone = true;
        QTimer::singleShot(0, &station, exitWhenDone);
    });

    SignalWatcher signals_;
    QObject::connect(&signals_, &SignalWatcher::terminationRequested, [&](int) {
        interrupted = true;
        err << "provctl provision: interrupted; recording the units in progress\n" << Qt::flush;
        station.cancelAll();
        QTimer::singleShot(0, &station, exitWhenDone);
        QTimer::singleShot(5000, [] { QCoreApplication::exit(130); });
    });

    // Ports that never appear are reported rather than waited for forever.
    QTimer waitTimer;
    waitTimer.setSingleShot(true);
    QObject::connect(&waitTimer, &QTimer::timeout, [&] {
        for (const QString &port : ports) {
            bool seen = false;
            for (const SlotInfo &s : station.allSlots())
                seen = seen || QFileInfo(s.portPath).absoluteFilePath() == QFileInfo(port).absoluteFilePath();
            if (!seen) {
                out << "FAIL       " << port
                    << "  no unit answered on this port (is it plugged in? is the path right?)\n";
                ++failures;
                started.insert(-1 - int(started.size()));
                ++finished;
            }
        }
        out.flush();
        exitWhenDone();
    });
    QObject::connect(&station, &Station::ready, [&] {
        waitTimer.start(std::chrono::seconds(qMax(1, p.value(QStringLiteral("wait-s")).toInt())));
    });

    // The profile's serial-port scanner: each label it sends is a scan, as --barcode gives them.
    std::unique_ptr<drivers::ScannerPort> scanner;
    if (!profile->scanner.port.isEmpty()) {
        scanner = std::make_unique<drivers::ScannerPort>(profile->scanner.port, profile->scanner.baud);
        QObject::connect(scanner.get(), &drivers::ScannerPort::notice, [&err](const QString &text, bool) {
            err << "provctl provision: " << text << '\n' << Qt::flush;
        });
        QObject::connect(scanner.get(), &drivers::ScannerPort::scanned, [&](const QString &label) {
            const ScanAnswer a = station.scan(label);
            err << "scan " << label << ": " << a.message << '\n' << Qt::flush;
        });
    }

    QTimer::singleShot(0, [&] {
        station.start();
        discovery.start();
        if (scanner)
            scanner->start();
    });
    const int code = QCoreApplication::exec();
    discovery.stop();
    return code;
}

} // namespace station::cli
