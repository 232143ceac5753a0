// provctl simulate-device: a virtual unit on a pseudo-terminal, until SIGINT/SIGTERM.
#include "Commands.h"
#include "SignalWatcher.h"
#include "sim/SimulatorFactory.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

namespace station::cli {

int runSimulateDevice(const QStringList &args)
{
    using namespace station::drivers;
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "A virtual unit on a pseudo-terminal: creates a pty, makes --link a symlink to it and answers like a "
        "device until stopped (Ctrl+C / SIGTERM).\n\n"
        "Faults (--fault, comma-separated): disconnect-after-bytes=N, disconnect-at=STEP, corrupt-every=N, "
        "stall-ms=T, refuse=COMMAND, keygen-fail, echo[=sticky] (nRF91: echo commands; sticky ignores ATE0).\n"
        "Steps: hello, identify, keygen, write-trust, write-cert, write-key, commit, readback, reset "
        "(nrf91 also: cfun, list). After a disconnect fault the unit comes back after --replug-ms."));
    p.addHelpOption();
    p.addOption({QStringLiteral("protocol"), QStringLiteral("station or nrf91."), QStringLiteral("protocol")});
    p.addOption(
        {QStringLiteral("link"), QStringLiteral("Path of the symlink to the pty (required)."), QStringLiteral("path")});
    p.addOption(
        {QStringLiteral("serial"), QStringLiteral("Serial number (nrf91: a 15-digit IMEI)."), QStringLiteral("sn")});
    p.addOption({QStringLiteral("state-dir"),
                 QStringLiteral("Keep the unit's storage here as PEM files; a restart remembers it."),
                 QStringLiteral("dir")});
    p.addOption({QStringLiteral("baud"), QStringLiteral("Pace output like a UART at this rate (0 = unpaced)."),
                 QStringLiteral("n"), QStringLiteral("115200")});
    p.addOption({QStringLiteral("fault"), QStringLiteral("Faults to inject (see above)."), QStringLiteral("spec")});
    p.addOption({QStringLiteral("boot-chatter"), QStringLiteral("Print a boot log and log lines between answers.")});
    p.addOption({QStringLiteral("replug-ms"),
                 QStringLiteral("Come back this long after a disconnect fault (-1 = never)."), QStringLiteral("ms"),
                 QStringLiteral("800")});
    p.addOption({QStringLiteral("max-payload"), QStringLiteral("station: the unit's frame payload limit."),
                 QStringLiteral("bytes"), QStringLiteral("256")});
    p.addOption({QStringLiteral("station-minor"),
                 QStringLiteral("station: the unit's minor protocol version (1: negotiates smaller frames on noisy "
                                "lines; 0: a 1.0 unit)."),
                 QStringLiteral("n"), QStringLiteral("1")});
    if (!p.parse(args)) {
        err << "provctl simulate-device: " << p.errorText() << "\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out << p.helpText();
        return 0;
    }
    if (!p.isSet(QStringLiteral("protocol")) || !p.isSet(QStringLiteral("link"))) {
        err << "provctl simulate-device: --protocol and --link are required\n";
        return 2;
    }
    auto protocol = parseProtocol(p.value(QStringLiteral("protocol")));
    if (!protocol) {
        err << "provctl simulate-device: " << protocol.error().toString() << "\n";
        return 2;
    }
    auto faults = FaultPlan::parse(p.value(QStringLiteral("fault")));
    if (!faults) {
        err << "provctl simulate-device: " << faults.error().toString() << "\n";
        return 2;
    }
    bool okBaud = false, okReplug = false, okPayload = false, okMinor = false;
    SimulatorOptions options;
    options.linkPath = p.value(QStringLiteral("link"));
    options.serialNumber = p.value(QStringLiteral("serial"));
    options.stateDir = p.value(QStringLiteral("state-dir"));
    options.baudRate = p.value(QStringLiteral("baud")).toInt(&okBaud);
    options.bootChatter = p.isSet(QStringLiteral("boot-chatter"));
    options.faults = *faults;
    options.replugDelayMs = p.value(QStringLiteral("replug-ms")).toInt(&okReplug);
    options.maxPayload = p.value(QStringLiteral("max-payload")).toInt(&okPayload);
    options.stationMinorVersion = p.value(QStringLiteral("station-minor")).toInt(&okMinor);
    if (!okBaud || options.baudRate < 0 || !okReplug || !okPayload || options.maxPayload < 64 ||
        options.maxPayload > 4096 || !okMinor || options.stationMinorVersion < 0 || options.stationMinorVersion > 1) {
        err << "provctl simulate-device: --baud, --replug-ms, --max-payload (64..4096) and --station-minor (0, 1) "
               "take numbers\n";
        return 2;
    }

    auto simulator = SimulatorFactory::create(*protocol, options);
    if (auto started = simulator->start(); !started) {
        err << "provctl simulate-device: " << started.error().toString() << "\n";
        return 1;
    }
    out << "simulating " << simulator->protocolName() << " unit " << simulator->serialNumber() << " on "
        << options.linkPath << " -> " << simulator->slavePath() << " (baud " << options.baudRate << ", faults "
        << options.faults.toString() << ")" << Qt::endl;
    QObject::connect(simulator.get(), &SimulatedDevice::unplugged, [&] { out << "unplugged" << Qt::endl; });
    QObject::connect(simulator.get(), &SimulatedDevice::replugged,
                     [&] { out << "plugged in again on " << simulator->slavePath() << Qt::endl; });
    QObject::connect(simulator.get(), &SimulatedDevice::stepDone,
                     [&](const QString &step) { out << "step " << step << Qt::endl; });

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, [](int) { QCoreApplication::quit(); });
    const int rc = QCoreApplication::exec();
    simulator->stop();
    out << "stopped" << Qt::endl;
    return rc;
}

} // namespace station::cli
