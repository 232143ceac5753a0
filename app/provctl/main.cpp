// provctl: the station's command line. Finds the subcommand and hands the rest of the arguments to it.
#include "Commands.h"
#include "ProcessHardening.h"
#include "StationVersion.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

#include <functional>

namespace {

struct Command {
    const char *name;
    const char *summary;
    std::function<int(const QStringList &)> run;
};

const Command kCommands[] = {
    {"lab-server", "run the lab CA + EST server (RFC 7030) over TLS", station::cli::runLabServer},
    {"est", "EST client: cacerts, csrattrs, enroll, reenroll, serverkeygen", station::cli::runEst},
    {"device", "list attached units, show what a unit says about itself", station::cli::runDevice},
    {"simulate-device", "a virtual unit on a pseudo-terminal", station::cli::runSimulateDevice},
    {"provision", "provision attached units with a product profile (no GUI)", station::cli::runProvision},
    {"manifest", "the station's manifest: list, show, verify", station::cli::runManifest},
    {"profile", "product profiles: new, check, show", station::cli::runProfile},
};

void printUsage(QTextStream &out)
{
    out << "Usage: provctl <command> [options]\n\nCommands:\n";
    for (const Command &c : kCommands)
        out << "  " << QString::fromLatin1(c.name).leftJustified(17) << c.summary << '\n';
    out << "\nRun 'provctl <command> --help' for the options of a command.\n";
}

} // namespace

int main(int argc, char *argv[])
{
    // Before anything can hold a key: server-generated private keys and passwords must not end up in a
    // core dump.
    const auto hardened = station::ProcessHardening::disableCoreDumps();
    QCoreApplication app(argc, argv);
    if (!hardened)
        QTextStream(stderr) << "provctl: warning: " << hardened.error().toString() << '\n';
    QCoreApplication::setApplicationName(QStringLiteral("provctl"));
    QCoreApplication::setOrganizationName(QStringLiteral("ProvisioningStation"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(station::kVersion));

    // Debug output of the station's categories only when asked for (QT_LOGGING_RULES=station.*.debug=true).
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("station.*.debug=false"));

    QStringList args = QCoreApplication::arguments();
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h") ||
        args.at(1) == QLatin1String("help")) {
        printUsage(args.size() < 2 ? err : out);
        return args.size() < 2 ? 2 : 0;
    }
    if (args.at(1) == QLatin1String("--version")) {
        out << "provctl " << station::kVersion << '\n';
        return 0;
    }
    const QString name = args.at(1);
    for (const Command &c : kCommands) {
        if (name == QLatin1String(c.name)) {
            QStringList rest = args.mid(2);
            rest.prepend(QStringLiteral("provctl ") + name);
            return c.run(rest);
        }
    }
    err << "provctl: unknown command '" << name << "'\n\n";
    printUsage(err);
    return 2;
}
