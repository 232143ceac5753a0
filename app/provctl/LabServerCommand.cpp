// provctl lab-server: the lab CA + EST server that demo mode, the tests and line bring-up use.
#include "Commands.h"
#include "SignalWatcher.h"

#include "FileUtil.h"
#include "StationPaths.h"
#include "crypto/CsrAttributes.h"
#include "crypto/Encoding.h"
#include "est/LabEstServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QHostAddress>
#include <QTextStream>

namespace station::cli {

namespace {

struct ListenAddress {
    QHostAddress address;
    quint16 port = 0;
};

/// "127.0.0.1:8443", "[::1]:8443", "localhost:8443", ":8443", "8443".
Result<ListenAddress> parseListen(const QString &text)
{
    QString host = QStringLiteral("127.0.0.1");
    QString portText = text;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QStringLiteral("]:"));
        if (close < 0)
            return fail(ErrorCode::InvalidArgument, QStringLiteral("bad --listen value '%1'").arg(text), {},
                        QStringLiteral("use HOST:PORT, e.g. 127.0.0.1:8443 or [::1]:8443"));
        host = text.mid(1, close - 1);
        portText = text.mid(close + 2);
    } else if (const qsizetype colon = text.lastIndexOf(QLatin1Char(':')); colon >= 0) {
        if (colon > 0)
            host = text.left(colon);
        portText = text.mid(colon + 1);
    }
    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || port > 65535)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("bad port in --listen '%1'").arg(text), {},
                    QStringLiteral("use HOST:PORT with a port from 0 (any free port) to 65535"));
    ListenAddress out;
    out.port = static_cast<quint16>(port);
    if (host == QLatin1String("localhost"))
        out.address = QHostAddress(QHostAddress::LocalHost);
    else if (!out.address.setAddress(host))
        return fail(ErrorCode::InvalidArgument, QStringLiteral("bad address in --listen '%1'").arg(text), {},
                    QStringLiteral("give an IP address (127.0.0.1, 0.0.0.0, ::1)"));
    return out;
}

Result<std::optional<crypto::CsrAttributes>> loadCsrAttrs(const QString &value)
{
    if (value.isEmpty())
        return std::optional(est::LabEstServer::defaultCsrAttributes());
    if (value == QLatin1String("none"))
        return std::optional<crypto::CsrAttributes>();
    auto bytes = readFileBounded(value, 64 * 1024);
    if (!bytes)
        return fail(bytes.error());
    auto der = crypto::Encoding::decodeLenient(*bytes);
    if (!der)
        return fail(der.error().withContext(value));
    auto attrs = crypto::CsrAttributes::fromDer(*der);
    if (!attrs)
        return fail(attrs.error().withContext(value));
    return std::optional(*attrs);
}

int usageError(const QString &message)
{
    QTextStream(stderr) << "provctl lab-server: " << message << "\nRun 'provctl lab-server --help' for usage.\n";
    return 2;
}

} // namespace

int runLabServer(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs the lab CA and an EST server (RFC 7030) over TLS.\n"
        "On first start it creates in --dir: ca.pem (trust anchor), ca-key.pem, server-cert.pem, server-key.pem,\n"
        "bootstrap-cert.pem and bootstrap-key.pem (a client credential the server accepts for mTLS).\n"
        "It prints its EST base URL when ready and stops on Ctrl+C / SIGTERM."));
    parser.addHelpOption();
    const QCommandLineOption listenOpt(
        QStringLiteral("listen"), QStringLiteral("Address and port (default 127.0.0.1:8443; port 0 = any free port)."),
        QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:8443"));
    const QCommandLineOption dirOpt(QStringLiteral("dir"), QStringLiteral("Lab CA folder (created if missing)."),
                                    QStringLiteral("DIR"));
    const QCommandLineOption authOpt(QStringLiteral("auth"),
                                     QStringLiteral("Enrollment authentication: mtls (default), basic, none."),
                                     QStringLiteral("MODE"), QStringLiteral("mtls"));
    const QCommandLineOption userOpt(QStringLiteral("user"), QStringLiteral("User name for --auth basic."),
                                     QStringLiteral("USER"));
    const QCommandLineOption passOpt(
        QStringLiteral("password"), QStringLiteral("Password for --auth basic (visible in ps; prefer --password-env)."),
        QStringLiteral("PASSWORD"));
    const QCommandLineOption passEnvOpt(
        QStringLiteral("password-env"),
        QStringLiteral("Read the --auth basic password from this environment variable."), QStringLiteral("VAR"));
    const QCommandLineOption retryOpt(
        QStringLiteral("retry-after"),
        QStringLiteral("Answer each new CSR once with 202 Accepted + Retry-After: SECONDS."), QStringLiteral("SECONDS"),
        QStringLiteral("0"));
    const QCommandLineOption daysOpt(QStringLiteral("cert-days"),
                                     QStringLiteral("Validity of issued certificates in days (default 365)."),
                                     QStringLiteral("N"), QStringLiteral("365"));
    const QCommandLineOption labelOpt(QStringLiteral("label"),
                                      QStringLiteral("Accept only this label (repeatable); default: any label."),
                                      QStringLiteral("LABEL"));
    const QCommandLineOption nameOpt(
        QStringLiteral("server-name"),
        QStringLiteral("Extra DNS name or IP for the TLS server certificate (repeatable)."), QStringLiteral("NAME"));
    const QCommandLineOption attrsOpt(
        QStringLiteral("csrattrs"),
        QStringLiteral(
            "CSR attributes to serve: a DER/base64 file, or 'none' (204). Default: EC P-256 + ecdsa-with-SHA256."),
        QStringLiteral("FILE"));
    const QCommandLineOption deadlineOpt(
        QStringLiteral("request-deadline"),
        QStringLiteral("Seconds a client has to send a request's headers and body (default 15; else 408 and close)."),
        QStringLiteral("SECONDS"), QStringLiteral("15"));
    const QCommandLineOption quietOpt(QStringLiteral("quiet"), QStringLiteral("Do not log requests on stderr."));
    parser.addOptions({listenOpt, dirOpt, authOpt, userOpt, passOpt, passEnvOpt, retryOpt, daysOpt, labelOpt, nameOpt,
                       attrsOpt, deadlineOpt, quietOpt});
    if (!parser.parse(args))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));

    auto listen = parseListen(parser.value(listenOpt));
    if (!listen)
        return usageError(listen.error().toString());
    auto auth = est::LabEstServer::parseAuthMode(parser.value(authOpt));
    if (!auth)
        return usageError(auth.error().toString());
    bool ok = false;
    const int retryAfter = parser.value(retryOpt).toInt(&ok);
    if (!ok || retryAfter < 0 || retryAfter > 86400)
        return usageError(QStringLiteral("--retry-after takes seconds from 0 to 86400"));
    const int certDays = parser.value(daysOpt).toInt(&ok);
    if (!ok || certDays < 1 || certDays > 36500)
        return usageError(QStringLiteral("--cert-days takes a number of days from 1 to 36500"));

    const int deadline = parser.value(deadlineOpt).toInt(&ok);
    if (!ok || deadline < 1 || deadline > 3600)
        return usageError(QStringLiteral("--request-deadline takes seconds from 1 to 3600"));

    est::LabEstServer::Options options;
    options.auth = *auth;
    options.requestDeadlineMs = deadline * 1000;
    options.retryAfterSeconds = retryAfter;
    options.labels = parser.values(labelOpt);
    if (options.auth == est::LabEstServer::AuthMode::Basic) {
        options.user = parser.value(userOpt);
        options.password = parser.isSet(passEnvOpt)
                               ? qEnvironmentVariable(parser.value(passEnvOpt).toLocal8Bit().constData())
                               : parser.value(passOpt);
        if (options.user.isEmpty() || options.password.isEmpty())
            return usageError(QStringLiteral("--auth basic needs --user and --password (or --password-env)"));
    }
    auto attrs = loadCsrAttrs(parser.value(attrsOpt));
    if (!attrs)
        return usageError(attrs.error().toString());
    options.csrAttributes = *attrs;

    est::LabCa::Options caOptions;
    caOptions.directory = parser.isSet(dirOpt) ? parser.value(dirOpt) : paths::labDirectory();
    caOptions.issuedValidityDays = certDays;
    caOptions.serverNames = parser.values(nameOpt);
    if (listen->address != QHostAddress::Any && listen->address != QHostAddress::AnyIPv4 &&
        listen->address != QHostAddress::AnyIPv6)
        caOptions.serverNames.append(listen->address.toString());

    QTextStream err(stderr);
    auto ca = est::LabCa::openOrCreate(caOptions);
    if (!ca) {
        err << "provctl lab-server: " << ca.error().toString() << '\n';
        return 1;
    }
    est::LabEstServer server(*ca, options);
    if (!parser.isSet(quietOpt)) {
        QObject::connect(&server, &est::LabEstServer::requestLogged,
                         [](const QString &line) { QTextStream(stderr) << line << '\n'; });
    }
    if (auto r = server.listen(listen->address, listen->port); !r) {
        err << "provctl lab-server: " << r.error().toString() << '\n';
        return 1;
    }
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &server, [&server](int) {
        // Tests and line engineers read the connection count from here (e.g. that --jobs 12 opened 12).
        const est::HttpsServer::Stats stats = server.stats();
        QTextStream(stderr) << "lab-server: stopping; " << stats.requests << " request(s) over "
                            << stats.connectionsAccepted << " connection(s), " << stats.handshakesCompleted
                            << " TLS handshake(s)\n";
        server.close();
        QCoreApplication::quit();
    });

    err << "lab-server: CA folder " << QDir(caOptions.directory).absolutePath() << "\n"
        << "lab-server: trust anchor " << QDir(caOptions.directory).absoluteFilePath(QStringLiteral("ca.pem"))
        << " (SHA-256 " << ca->caCertificate().fingerprintSha256Colon() << ")\n"
        << "lab-server: authentication " << parser.value(authOpt)
        << (retryAfter > 0 ? QStringLiteral(", 202 + Retry-After: %1 once per CSR").arg(retryAfter) : QString())
        << "\n";
    err.flush();
    QTextStream out(stdout);
    out << server.baseUrl().toString() << '\n';
    out.flush();
    return QCoreApplication::exec();
}

} // namespace station::cli
