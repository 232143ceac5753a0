// Command-line options of `provctl est` and their translation into an EstClientConfig: reading trust
// anchors, client certificates (PEM files or PKCS#12) and passwords (from environment variables only, so
// they never show up in `ps` or shell history).
#pragma once

#include "Error.h"

#include "est/EstClientConfig.h"

#include <QString>
#include <QStringList>
#include <QUrl>

namespace station::cli {

struct EstCliOptions {
    QString command; ///< cacerts | csrattrs | enroll | reenroll | serverkeygen
    QUrl url;
    QString trustFile;
    bool trustSystem = false;
    QString caCertsFile;
    QString bootstrapFingerprint;
    bool bootstrapPrompt = false;

    QString clientCert, clientKey, clientKeyPassEnv;
    QString clientP12, clientP12PassEnv;
    QString user, passwordEnv;

    QString csrFile, keyFile, keyType, keyOut, subject;
    QStringList sans;
    QString challengePasswordEnv;
    bool noCsrAttrs = false;
    QString out, chainOut;
    QString csrDir, outDir;
    int jobs = 4;

    int timeoutSeconds = 60;
    int maxRetries = 10;
    int retryDeadlineSeconds = 600;
    bool tls13 = false;
    QString proxy; ///< http://[user@]host:port — never with a password (see proxyPasswordEnv)
    QString proxyPasswordEnv;
    bool noProxy = false;
    bool verbose = false;

    [[nodiscard]] bool wantsBootstrap() const { return !bootstrapFingerprint.isEmpty() || bootstrapPrompt; }
    [[nodiscard]] bool isBatch() const { return !csrDir.isEmpty(); }
};

/// The usage text of `provctl est`.
[[nodiscard]] QString estUsage();

/// Parses `args` ("provctl est", subcommand, options...). InvalidArgument with a remedy on misuse;
/// `helpRequested` is set for --help.
[[nodiscard]] Result<EstCliOptions> parseEstOptions(const QStringList &args, bool *helpRequested);

/// Builds the client configuration: reads --trust/--ca-certs files, loads the client identity,
/// reads passwords from the named environment variables.
[[nodiscard]] Result<est::EstClientConfig> buildEstClientConfig(const EstCliOptions &options);

} // namespace station::cli
