// provctl est: the standalone EST client (cacerts, csrattrs, enroll incl. batch, reenroll, serverkeygen).
#include "Commands.h"
#include "EstCliOptions.h"
#include "EstCliReport.h"
#include "EstCliSession.h"
#include "SignalWatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

namespace station::cli {

int runEst(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    bool help = false;
    auto options = parseEstOptions(args, &help);
    if (help) {
        out << estUsage();
        return 0;
    }
    if (!options) {
        printEstError(err, args.size() > 1 ? args.at(1) : QString(), options.error());
        return 2;
    }
    // The CLI reports outcomes itself; the library's log lines would only repeat them.
    if (!options->verbose)
        QLoggingCategory::setFilterRules(QStringLiteral("station.est.*=false"));
    auto config = buildEstClientConfig(*options);
    if (!config) {
        printEstError(err, options->command, config.error());
        return config.error().code == ErrorCode::InvalidArgument ? 2 : 1;
    }
    EstCliSession session(*options, std::move(*config), out, err);
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, &session, &EstCliSession::interrupt);
    int exitCode = 1;
    QObject::connect(&session, &EstCliSession::done, &session, [&exitCode](int code) {
        exitCode = code;
        QCoreApplication::exit(code);
    });
    session.start();
    QCoreApplication::exec();
    return exitCode;
}

} // namespace station::cli
