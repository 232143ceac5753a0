#include "EstCliOptions.h"

#include "FileUtil.h"

#include "est/EstClient.h"

#include "crypto/Certificate.h"
#include "crypto/KeyType.h"

#include <QCommandLineParser>
#include <QNetworkProxy>

#include <algorithm>
#include <cstdlib>

namespace station::cli {

namespace {

const QStringList kCommands = {QStringLiteral("cacerts"), QStringLiteral("csrattrs"), QStringLiteral("enroll"),
                               QStringLiteral("reenroll"), QStringLiteral("serverkeygen")};

Error usageError(const QString &message, const QString &remedy = {})
{
    return Error(ErrorCode::InvalidArgument, message, {},
                 remedy.isEmpty() ? QStringLiteral("Run 'provctl est --help' for the options") : remedy);
}

Result<QList<crypto::Certificate>> readCertificates(const QString &path, const QString &what)
{
    auto data = readFileBounded(path, 4 * 1024 * 1024);
    if (!data)
        return fail(data.error().withContext(QStringLiteral("Reading the %1").arg(what)));
    auto certs = crypto::Certificate::listFromAny(*data);
    if (!certs || certs->isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("'%1' (the %2) holds no certificate").arg(path, what),
                    certs ? QString() : certs.error().message,
                    QStringLiteral("Give a PEM file with one or more CERTIFICATE blocks"));
    return certs;
}

} // namespace

QString estUsage()
{
    return QStringLiteral(
        "Usage:\n"
        "  provctl est cacerts      --url URL (--trust FILE | --bootstrap-fingerprint SHA256 | --bootstrap) [--out "
        "FILE]\n"
        "  provctl est csrattrs     --url URL --trust FILE [auth] [--out FILE]\n"
        "  provctl est enroll       --url URL --trust FILE [auth] (--csr FILE | [--key FILE | --key-type TYPE\n"
        "                           --key-out FILE] --subject DN [--san ...]) --out CERT.pem\n"
        "  provctl est enroll       --url URL --trust FILE [auth] --csr-dir DIR --out-dir DIR [--jobs K]\n"
        "  provctl est reenroll     --url URL --trust FILE --client-cert CUR.pem --client-key KEY.pem\n"
        "                           [--key FILE | --key-type TYPE --key-out FILE] --out CERT.pem\n"
        "  provctl est serverkeygen --url URL --trust FILE [auth] --subject DN [--san ...] --key-out KEY.pem\n"
        "                           --out CERT.pem\n"
        "\n"
        "URL: the EST base URL including any label or DMS id, e.g. https://host/.well-known/est/<dms-id>\n"
        "auth: --client-cert FILE --client-key FILE [--client-key-pass-env VAR] | --client-p12 FILE\n"
        "      [--client-p12-pass-env VAR] | --user U --password-env VAR (none: no credentials)\n"
        "\n"
        "Trust:\n"
        "  --trust FILE                 PEM trust anchor(s) for the server's TLS certificate\n"
        "  --trust-system               also trust the operating system's CA store\n"
        "  --ca-certs FILE              CA certificates issued certificates must chain to (default: /cacerts)\n"
        "  --bootstrap-fingerprint FP   no anchor yet: fetch /cacerts unauthenticated and trust it only if a\n"
        "                               certificate has this SHA-256 fingerprint (RFC 7030 4.1.1)\n"
        "  --bootstrap                  as above, but show the fingerprints and ask on the terminal\n"
        "Certificate request:\n"
        "  --csr FILE                   a CSR made elsewhere (PEM, DER or base64)\n"
        "  --key FILE                   sign the CSR with this existing key\n"
        "  --key-type TYPE              generate a key: rsa2048 rsa3072 rsa4096 p256 p384 p521 ed25519\n"
        "  --key-out FILE               where the generated or server-generated key goes (mode 0600)\n"
        "  --subject DN                 e.g. \"/CN=device-001/O=Acme\" or \"CN=device-001,O=Acme\"\n"
        "  --san VALUE                  DNS:name, IP:addr, URI:uri, email:addr (repeatable, or comma-separated)\n"
        "  --challenge-password-env VAR challengePassword for servers that ask for one in csrattrs\n"
        "  --no-csrattrs                do not ask the server for CSR attributes first\n"
        "Output:\n"
        "  --out FILE                   the issued certificate (PEM); cacerts/csrattrs: the answer\n"
        "  --chain-out FILE             the verified chain, leaf first (PEM)\n"
        "  --csr-dir DIR --out-dir DIR  batch: enroll every CSR in DIR, write <name>.pem to the output folder\n"
        "  --jobs K                     batch: requests in flight at once, each on its own kept-alive\n"
        "                               connection (default 4, at most 256)\n"
        "Connection:\n"
        "  --timeout SECONDS            per HTTP exchange (default 60)\n"
        "  --max-retries N              202 Accepted retries (default 10)\n"
        "  --retry-deadline SECONDS     give up 202 polling after this long (default 600)\n"
        "  --tls13                      require TLS 1.3 (default: TLS 1.2 or 1.3)\n"
        "  --proxy URL | --no-proxy     default: the system proxy settings (https_proxy, no_proxy); URL is\n"
        "                               http://[user@]host:port, without a password\n"
        "  --proxy-password-env VAR     the proxy user's password, from this environment variable\n"
        "  --verbose                    show the HTTP exchange on stderr (never keys or passwords)\n"
        "\n"
        "Exit status: 0 success, 1 the operation failed (cause and remedy on stderr), 2 usage error,\n"
        "130 interrupted.\n");
}

Result<EstCliOptions> parseEstOptions(const QStringList &args, bool *helpRequested)
{
    *helpRequested = false;
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    auto value = [&parser](const char *name, const char *valueName) {
        parser.addOption(QCommandLineOption(QString::fromLatin1(name), QString(), QString::fromLatin1(valueName)));
    };
    auto flag = [&parser](const char *name) { parser.addOption(QCommandLineOption(QString::fromLatin1(name))); };
    for (const char *n : {"url",
                          "trust",
                          "ca-certs",
                          "bootstrap-fingerprint",
                          "client-cert",
                          "client-key",
                          "client-key-pass-env",
                          "client-p12",
                          "client-p12-pass-env",
                          "user",
                          "password-env",
                          "csr",
                          "key",
                          "key-type",
                          "key-out",
                          "subject",
                          "san",
                          "challenge-password-env",
                          "out",
                          "chain-out",
                          "csr-dir",
                          "out-dir",
                          "jobs",
                          "timeout",
                          "max-retries",
                          "retry-deadline",
                          "proxy",
                          "proxy-password-env"})
        value(n, "value");
    for (const char *n : {"trust-system", "bootstrap", "no-csrattrs", "tls13", "no-proxy", "verbose", "help"})
        flag(n);
    parser.addOption(QCommandLineOption(QStringLiteral("h")));
    if (!parser.parse(args))
        return fail(usageError(parser.errorText()));
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("h"))) {
        *helpRequested = true;
        return EstCliOptions{};
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return fail(usageError(QStringLiteral("No EST operation given"),
                               QStringLiteral("Use one of: %1").arg(kCommands.join(QStringLiteral(", ")))));
    if (positional.size() > 1)
        return fail(usageError(QStringLiteral("Unexpected argument '%1'").arg(positional.at(1))));

    EstCliOptions o;
    o.command = positional.first();
    if (!kCommands.contains(o.command))
        return fail(usageError(QStringLiteral("Unknown EST operation '%1'").arg(o.command),
                               QStringLiteral("Use one of: %1").arg(kCommands.join(QStringLiteral(", ")))));
    auto str = [&parser](const char *n) { return parser.value(QString::fromLatin1(n)); };
    auto set = [&parser](const char *n) { return parser.isSet(QString::fromLatin1(n)); };
    auto number = [&](const char *n, int &out, int min) -> Result<void> {
        if (!set(n))
            return {};
        bool ok = false;
        out = str(n).toInt(&ok);
        if (!ok || out < min)
            return fail(
                usageError(QStringLiteral("--%1 needs a whole number of at least %2").arg(QLatin1String(n)).arg(min)));
        return {};
    };

    const QString url = str("url");
    if (url.isEmpty())
        return fail(usageError(QStringLiteral("--url is required"),
                               QStringLiteral("Give the EST base URL, e.g. --url https://host:8443/.well-known/est")));
    o.url = QUrl(url, QUrl::StrictMode);
    o.trustFile = str("trust");
    o.trustSystem = set("trust-system");
    o.caCertsFile = str("ca-certs");
    o.bootstrapFingerprint = str("bootstrap-fingerprint");
    o.bootstrapPrompt = set("bootstrap");
    o.clientCert = str("client-cert");
    o.clientKey = str("client-key");
    o.clientKeyPassEnv = str("client-key-pass-env");
    o.clientP12 = str("client-p12");
    o.clientP12PassEnv = str("client-p12-pass-env");
    o.user = str("user");
    o.passwordEnv = str("password-env");
    o.csrFile = str("csr");
    o.keyFile = str("key");
    o.keyType = str("key-type");
    o.keyOut = str("key-out");
    o.subject = str("subject");
    for (const QString &s : parser.values(QStringLiteral("san"))) {
        for (const QString &part : s.split(QLatin1Char(','), Qt::SkipEmptyParts))
            o.sans << part.trimmed();
    }
    o.challengePasswordEnv = str("challenge-password-env");
    o.noCsrAttrs = set("no-csrattrs");
    if (!o.challengePasswordEnv.isEmpty() &&
        !qEnvironmentVariableIsSet(o.challengePasswordEnv.toLocal8Bit().constData()))
        return fail(usageError(QStringLiteral("The environment variable %1 (the challenge password) is not set")
                                   .arg(o.challengePasswordEnv),
                               QStringLiteral("export %1=... before running provctl").arg(o.challengePasswordEnv)));
    o.out = str("out");
    o.chainOut = str("chain-out");
    o.csrDir = str("csr-dir");
    o.outDir = str("out-dir");
    o.tls13 = set("tls13");
    o.proxy = str("proxy");
    o.proxyPasswordEnv = str("proxy-password-env");
    o.noProxy = set("no-proxy");
    o.verbose = set("verbose");
    for (auto r : {number("jobs", o.jobs, 1), number("timeout", o.timeoutSeconds, 1),
                   number("max-retries", o.maxRetries, 0), number("retry-deadline", o.retryDeadlineSeconds, 1)}) {
        if (!r)
            return fail(r.error());
    }
    if (o.jobs > 256)
        return fail(usageError(QStringLiteral("--jobs takes at most 256 requests in flight")));

    // Trust: explicit anchors or an explicit bootstrap, never neither.
    if (o.trustFile.isEmpty() && !o.trustSystem && !o.wantsBootstrap())
        return fail(usageError(QStringLiteral("No trust anchor for the EST server"),
                               QStringLiteral("Give --trust FILE (the CA that signed the server certificate), or "
                                              "--bootstrap-fingerprint SHA256 to fetch and pin it (there is no "
                                              "insecure mode)")));
    if (!o.bootstrapFingerprint.isEmpty() && o.bootstrapPrompt)
        return fail(usageError(QStringLiteral("--bootstrap and --bootstrap-fingerprint exclude each other")));
    if (o.wantsBootstrap() && !o.trustFile.isEmpty())
        return fail(usageError(QStringLiteral("--trust and a bootstrap exclude each other"),
                               QStringLiteral("With an anchor file there is nothing to bootstrap; drop one of them")));

    // Authentication: one way at most.
    const bool pem = !o.clientCert.isEmpty() || !o.clientKey.isEmpty();
    if (pem && (o.clientCert.isEmpty() || o.clientKey.isEmpty()))
        return fail(usageError(QStringLiteral("--client-cert and --client-key go together")));
    if (pem && !o.clientP12.isEmpty())
        return fail(usageError(QStringLiteral("Give the client identity either as PEM files or as PKCS#12, not both")));
    if (!o.user.isEmpty() && o.passwordEnv.isEmpty())
        return fail(usageError(QStringLiteral("--user needs --password-env VAR"),
                               QStringLiteral("Put the password in an environment variable and name it: "
                                              "--password-env EST_PASSWORD")));
    if (o.user.isEmpty() && !o.passwordEnv.isEmpty())
        return fail(usageError(QStringLiteral("--password-env needs --user")));
    if (!o.proxy.isEmpty() && o.noProxy)
        return fail(usageError(QStringLiteral("--proxy and --no-proxy exclude each other")));
    if (!o.proxy.isEmpty() && !QUrl(o.proxy).password().isEmpty())
        return fail(usageError(QStringLiteral("--proxy must not contain a password (anyone can read it with 'ps')"),
                               QStringLiteral("Give --proxy http://user@host:port and put the password in an "
                                              "environment variable: --proxy-password-env PROXY_PASSWORD")));
    if (!o.proxyPasswordEnv.isEmpty() && o.proxy.isEmpty())
        return fail(usageError(QStringLiteral("--proxy-password-env needs --proxy http://user@host:port")));
    if (!o.proxyPasswordEnv.isEmpty() && !qEnvironmentVariableIsSet(o.proxyPasswordEnv.toLocal8Bit().constData()))
        return fail(usageError(
            QStringLiteral("The environment variable %1 (the proxy password) is not set").arg(o.proxyPasswordEnv),
            QStringLiteral("export %1=... before running provctl").arg(o.proxyPasswordEnv)));
    if (!o.keyType.isEmpty()) {
        if (auto t = crypto::parseKeyType(o.keyType); !t)
            return fail(
                usageError(QStringLiteral("Unknown key type '%1'").arg(o.keyType),
                           QStringLiteral("Use one of: %1").arg(crypto::keyTypeNames().join(QStringLiteral(", ")))));
    }

    // Per-operation requirements.
    if (o.command == QLatin1String("cacerts") || o.command == QLatin1String("csrattrs"))
        return o;
    if (o.command == QLatin1String("enroll") && o.isBatch()) {
        if (o.outDir.isEmpty())
            return fail(usageError(QStringLiteral("--csr-dir needs --out-dir")));
        if (!o.csrFile.isEmpty() || !o.subject.isEmpty() || !o.keyFile.isEmpty() || !o.keyType.isEmpty())
            return fail(usageError(QStringLiteral("Batch mode (--csr-dir) takes the CSRs from the folder"),
                                   QStringLiteral("Drop --csr/--subject/--key/--key-type")));
        return o;
    }
    if (o.out.isEmpty())
        return fail(usageError(QStringLiteral("--out is required: where the issued certificate goes")));
    if (!o.keyFile.isEmpty() && !o.keyType.isEmpty())
        return fail(usageError(QStringLiteral("--key and --key-type exclude each other")));
    if (o.command == QLatin1String("enroll")) {
        if (!o.csrFile.isEmpty()) {
            if (!o.keyFile.isEmpty() || !o.keyType.isEmpty() || !o.subject.isEmpty() || !o.sans.isEmpty())
                return fail(
                    usageError(QStringLiteral("--csr is a finished request: drop --key/--key-type/--subject/--san")));
        } else {
            if (o.subject.isEmpty())
                return fail(usageError(QStringLiteral("enroll needs --csr FILE or --subject DN")));
            if (o.keyFile.isEmpty() && o.keyOut.isEmpty())
                return fail(usageError(QStringLiteral("A generated key must be saved: give --key-out FILE"),
                                       QStringLiteral("Or sign with an existing key: --key FILE")));
        }
    } else if (o.command == QLatin1String("reenroll")) {
        if (o.clientCert.isEmpty() && o.clientP12.isEmpty())
            return fail(usageError(QStringLiteral("reenroll authenticates with the current certificate"),
                                   QStringLiteral("Give --client-cert CUR.pem --client-key KEY.pem")));
        if (!o.keyType.isEmpty() && o.keyOut.isEmpty())
            return fail(usageError(QStringLiteral("A generated key must be saved: give --key-out FILE")));
    } else if (o.command == QLatin1String("serverkeygen")) {
        if (o.subject.isEmpty())
            return fail(usageError(QStringLiteral("serverkeygen needs --subject DN")));
        if (o.keyOut.isEmpty())
            return fail(usageError(QStringLiteral("serverkeygen needs --key-out FILE for the server-generated key")));
    }
    return o;
}

Result<est::EstClientConfig> buildEstClientConfig(const EstCliOptions &o)
{
    est::EstClientConfig config;
    config.baseUrl = o.url;
    if (!o.trustFile.isEmpty()) {
        auto anchors = readCertificates(o.trustFile, QStringLiteral("trust anchor file"));
        if (!anchors)
            return fail(anchors.error());
        config.trustAnchors = *anchors;
    }
    config.useSystemTrustStore = o.trustSystem;
    if (!o.caCertsFile.isEmpty()) {
        auto cas = readCertificates(o.caCertsFile, QStringLiteral("CA certificates file"));
        if (!cas)
            return fail(cas.error());
        config.caCertificates = *cas;
    }
    if (!o.clientCert.isEmpty()) {
        auto pass = crypto::secretFromEnvironment(o.clientKeyPassEnv, QStringLiteral("client key passphrase"));
        if (!pass)
            return fail(pass.error());
        auto identity = est::ClientIdentity::fromFiles(o.clientCert, o.clientKey, *pass);
        if (!identity)
            return fail(identity.error());
        config.clientIdentity = *identity;
        config.auth = est::EstAuthMode::ClientCertificate;
    } else if (!o.clientP12.isEmpty()) {
        auto pass = crypto::secretFromEnvironment(o.clientP12PassEnv, QStringLiteral("PKCS#12 password"));
        if (!pass)
            return fail(pass.error());
        auto identity = est::ClientIdentity::fromPkcs12File(o.clientP12, *pass);
        if (!identity)
            return fail(identity.error());
        config.clientIdentity = *identity;
        config.auth = est::EstAuthMode::ClientCertificate;
    }
    if (!o.user.isEmpty()) {
        auto pass = crypto::secretFromEnvironment(o.passwordEnv, QStringLiteral("EST password"));
        if (!pass)
            return fail(pass.error());
        config.user = o.user;
        config.password = std::move(*pass);
        config.auth = est::EstAuthMode::Basic; // a client certificate, if any, is still presented in TLS
    }
    config.requestTimeout = std::chrono::seconds(o.timeoutSeconds);
    config.maxRetries = o.maxRetries;
    config.retryDeadline = std::chrono::seconds(o.retryDeadlineSeconds);
    config.tlsFloor = o.tls13 ? est::EstTlsFloor::Tls13 : est::EstTlsFloor::Tls12;
    if (o.noProxy) {
        config.proxyMode = est::EstProxyMode::None;
    } else if (!o.proxy.isEmpty()) {
        const QUrl proxy(o.proxy);
        if (!proxy.isValid() || proxy.host().isEmpty())
            return fail(usageError(QStringLiteral("'%1' is not a proxy URL").arg(o.proxy),
                                   QStringLiteral("Use http://host:port")));
        auto password = crypto::secretFromEnvironment(o.proxyPasswordEnv, QStringLiteral("proxy password"));
        if (!password)
            return fail(password.error());
        config.proxyMode = est::EstProxyMode::Explicit;
        config.explicitProxy = QNetworkProxy(QNetworkProxy::HttpProxy, proxy.host(), quint16(proxy.port(3128)),
                                             proxy.userName(), QString::fromUtf8(password->view()));
    }
    config.traceExchanges = o.verbose;
    // A batch keeps --jobs requests in flight: one connection each (Qt alone would stop at 6).
    if (o.isBatch())
        config.maxConnections = std::max(config.maxConnections, o.jobs);
    if (auto valid = est::EstClient::validate(config); !valid)
        return fail(valid.error());
    return config;
}

} // namespace station::cli
