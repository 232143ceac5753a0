// provctl profile new | check | show: write a valid product profile from flags, list every problem of
// one, print one resolved (paths absolute, defaults filled in; secrets are never in a profile).
#include "Commands.h"

#include "FileUtil.h"
#include "provisioning/ProductProfile.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace station::cli {

using namespace station::provisioning;

namespace {

void printUsage(QTextStream &s)
{
    s << "Usage: provctl profile new --out FILE --name NAME --est-url URL (--trust FILE | --bootstrap-fingerprint FP)\n"
         "                           --auth mtls|basic|none [--client-cert F --client-key F | --client-p12 F]\n"
         "                           [--passphrase-env VAR] [--user U --password-env VAR]\n"
         "                           --protocol station|nrf91 [--slot N | --sec-tag N] [--vid-pid VID:PID]...\n"
         "                           [--port-pattern GLOB]... --key-origin device|server [--key-type T]\n"
         "                           [--subject TEMPLATE] [--san TEMPLATE]... [--barcode-rule plain|gs1|regex:RE]\n"
         "                           [--start scan|auto] [--already-provisioned refuse|reprovision|renew]\n"
         "                           [--cert-auth-url URL] [--no-csrattrs]\n"
         "       provctl profile check FILE     lists every problem (exit 1 when there is one)\n"
         "       provctl profile show FILE      prints the profile resolved\n\n"
         "Templates use {serial}, {barcode}, {hardware_id}, {uuid}, {imei}, {model}, {firmware}, {gtin}, {ai:NN}:\n"
         "  --subject 'CN={serial},O=Acme'   --san 'DNS:{serial}.devices.acme.example'\n";
}

QString absolute(const QString &path)
{
    return path.isEmpty() ? path : QFileInfo(path).absoluteFilePath();
}

int runNew(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser p;
    const QList<QCommandLineOption> options{
        {QStringLiteral("out"), {}, QStringLiteral("file")},
        {QStringLiteral("name"), {}, QStringLiteral("name")},
        {QStringLiteral("est-url"), {}, QStringLiteral("url")},
        {QStringLiteral("cert-auth-url"), {}, QStringLiteral("url")},
        {QStringLiteral("trust"), {}, QStringLiteral("file")},
        {QStringLiteral("bootstrap-fingerprint"), {}, QStringLiteral("sha256")},
        {QStringLiteral("auth"), {}, QStringLiteral("mode")},
        {QStringLiteral("client-cert"), {}, QStringLiteral("file")},
        {QStringLiteral("client-key"), {}, QStringLiteral("file")},
        {QStringLiteral("client-p12"), {}, QStringLiteral("file")},
        {QStringLiteral("passphrase-env"), {}, QStringLiteral("var")},
        {QStringLiteral("user"), {}, QStringLiteral("user")},
        {QStringLiteral("password-env"), {}, QStringLiteral("var")},
        {QStringLiteral("protocol"), {}, QStringLiteral("protocol")},
        {QStringLiteral("slot"), {}, QStringLiteral("n")},
        {QStringLiteral("sec-tag"), {}, QStringLiteral("n")},
        {QStringLiteral("vid-pid"), {}, QStringLiteral("vid:pid")},
        {QStringLiteral("port-pattern"), {}, QStringLiteral("glob")},
        {QStringLiteral("baud"), {}, QStringLiteral("n")},
        {QStringLiteral("key-origin"), {}, QStringLiteral("origin")},
        {QStringLiteral("key-type"), {}, QStringLiteral("type")},
        {QStringLiteral("subject"), {}, QStringLiteral("template")},
        {QStringLiteral("san"), {}, QStringLiteral("template")},
        {QStringLiteral("barcode-rule"), {}, QStringLiteral("rule")},
        {QStringLiteral("start"), {}, QStringLiteral("mode")},
        {QStringLiteral("already-provisioned"), {}, QStringLiteral("policy")},
        {QStringLiteral("no-csrattrs"), {}},
        {QStringLiteral("force"), {}},
    };
    for (const QCommandLineOption &o : options)
        p.addOption(o);
    if (!p.parse(args)) {
        err << "provctl profile new: " << p.errorText() << '\n';
        return 2;
    }
    const QString outPath = p.value(QStringLiteral("out"));
    if (outPath.isEmpty()) {
        err << "provctl profile new: give --out FILE\n";
        return 2;
    }
    auto str = [&p](const char *name) { return p.value(QLatin1String(name)); };
    QJsonObject device{{QStringLiteral("protocol"), str("protocol")}};
    if (p.isSet(QStringLiteral("slot")))
        device[QStringLiteral("slot")] = str("slot").toInt();
    if (p.isSet(QStringLiteral("sec-tag")))
        device[QStringLiteral("sec_tag")] = str("sec-tag").toLongLong();
    if (p.isSet(QStringLiteral("baud")))
        device[QStringLiteral("baud")] = str("baud").toInt();
    if (p.isSet(QStringLiteral("vid-pid")))
        device[QStringLiteral("usb_ids")] = QJsonArray::fromStringList(p.values(QStringLiteral("vid-pid")));
    if (p.isSet(QStringLiteral("port-pattern")))
        device[QStringLiteral("port_patterns")] = QJsonArray::fromStringList(p.values(QStringLiteral("port-pattern")));

    QJsonObject trust;
    if (p.isSet(QStringLiteral("trust")))
        trust[QStringLiteral("file")] = absolute(str("trust"));
    if (p.isSet(QStringLiteral("bootstrap-fingerprint")))
        trust[QStringLiteral("bootstrap_fingerprint")] = str("bootstrap-fingerprint");
    QJsonObject auth{{QStringLiteral("mode"), str("auth")}};
    for (const auto &[flag, key, isPath] :
         {std::tuple{"client-cert", "client_cert", true}, std::tuple{"client-key", "client_key", true},
          std::tuple{"client-p12", "client_p12", true}, std::tuple{"passphrase-env", "passphrase_env", false},
          std::tuple{"user", "user", false}, std::tuple{"password-env", "password_env", false}}) {
        if (p.isSet(QLatin1String(flag)))
            auth[QLatin1String(key)] = isPath ? absolute(str(flag)) : str(flag);
    }
    QJsonObject est{
        {QStringLiteral("url"), str("est-url")}, {QStringLiteral("trust"), trust}, {QStringLiteral("auth"), auth}};
    if (p.isSet(QStringLiteral("cert-auth-url")))
        est[QStringLiteral("cert_auth_url")] = str("cert-auth-url");
    if (p.isSet(QStringLiteral("no-csrattrs")))
        est[QStringLiteral("csrattrs")] = false;

    QJsonObject enrollment{{QStringLiteral("key_origin"),
                            p.isSet(QStringLiteral("key-origin")) ? str("key-origin") : QStringLiteral("device")}};
    if (p.isSet(QStringLiteral("key-type")))
        enrollment[QStringLiteral("key_type")] = str("key-type");
    if (p.isSet(QStringLiteral("subject")))
        enrollment[QStringLiteral("subject")] = str("subject");
    if (p.isSet(QStringLiteral("san")))
        enrollment[QStringLiteral("san")] = QJsonArray::fromStringList(p.values(QStringLiteral("san")));

    QJsonObject barcode;
    const QString rule = p.isSet(QStringLiteral("barcode-rule")) ? str("barcode-rule") : QStringLiteral("plain");
    if (rule.startsWith(QLatin1String("regex:"))) {
        barcode[QStringLiteral("rule")] = QStringLiteral("regex");
        barcode[QStringLiteral("pattern")] = rule.mid(6);
    } else {
        barcode[QStringLiteral("rule")] = rule;
    }
    if (p.isSet(QStringLiteral("start")))
        barcode[QStringLiteral("start")] = str("start");

    QJsonObject profile{{QStringLiteral("format"), 1},
                        {QStringLiteral("name"), str("name")},
                        {QStringLiteral("device"), device},
                        {QStringLiteral("est"), est},
                        {QStringLiteral("enrollment"), enrollment},
                        {QStringLiteral("barcode"), barcode}};
    if (p.isSet(QStringLiteral("already-provisioned")))
        profile[QStringLiteral("already_provisioned")] = str("already-provisioned");

    const QByteArray json = QJsonDocument(profile).toJson(QJsonDocument::Indented);
    const QStringList problems = ProductProfile::problems(json, QFileInfo(outPath).absolutePath());
    if (!problems.isEmpty()) {
        err << "provctl profile new: the profile would not be valid:\n";
        for (const QString &pr : problems)
            err << "  " << pr << '\n';
        return 2;
    }
    if (QFileInfo::exists(outPath) && !p.isSet(QStringLiteral("force"))) {
        err << "provctl profile new: " << outPath << " exists (--force replaces it)\n";
        return 2;
    }
    if (auto w = writeFileAtomically(outPath, json); !w) {
        err << "provctl profile new: " << w.error().toString() << '\n';
        return 1;
    }
    out << "Wrote " << outPath << " (profile '" << str("name") << "')\n";
    return 0;
}

int runCheck(const QString &path, QTextStream &out, QTextStream &err)
{
    auto bytes = readFileBounded(path, 1024 * 1024);
    if (!bytes) {
        err << "provctl profile check: " << bytes.error().toString() << '\n';
        return 1;
    }
    const QStringList problems = ProductProfile::problems(*bytes, QFileInfo(path).absolutePath());
    if (problems.isEmpty()) {
        out << path << ": valid\n";
        return 0;
    }
    out << path << ": " << problems.size() << " problem(s)\n";
    for (const QString &p : problems)
        out << "  " << p << '\n';
    return 1;
}

int runShow(const QString &path, QTextStream &out, QTextStream &err)
{
    auto profile = ProductProfile::load(path);
    if (!profile) {
        err << "provctl profile show: " << profile.error().message << '\n' << profile.error().detail << '\n';
        return 1;
    }
    QJsonObject o = profile->toJson();
    o[QStringLiteral("sha256")] = profile->sha256;
    out << QJsonDocument(o).toJson(QJsonDocument::Indented);
    return 0;
}

} // namespace

int runProfile(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h")) {
        printUsage(args.size() < 2 ? err : out);
        return args.size() < 2 ? 2 : 0;
    }
    const QString sub = args.at(1);
    if (sub == QLatin1String("new")) {
        QStringList rest = args.mid(2);
        rest.prepend(QStringLiteral("provctl profile new"));
        return runNew(rest, out, err);
    }
    if ((sub == QLatin1String("check") || sub == QLatin1String("show")) && args.size() == 3)
        return sub == QLatin1String("check") ? runCheck(args.at(2), out, err) : runShow(args.at(2), out, err);
    err << "provctl profile: unknown or incomplete command\n";
    printUsage(err);
    return 2;
}

} // namespace station::cli
