#include "ProductProfile.h"

#include "FileUtil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace station::provisioning {

QString keyOriginName(KeyOrigin origin)
{
    return origin == KeyOrigin::Server ? QStringLiteral("server") : QStringLiteral("device");
}

QString policyName(AlreadyProvisionedPolicy policy)
{
    switch (policy) {
    case AlreadyProvisionedPolicy::Refuse: return QStringLiteral("refuse");
    case AlreadyProvisionedPolicy::Reprovision: return QStringLiteral("reprovision");
    case AlreadyProvisionedPolicy::Renew: return QStringLiteral("renew");
    }
    return QStringLiteral("refuse");
}

namespace {

/// Reads one JSON object of the profile, remembering which keys it used so that unknown (misspelt)
/// keys are reported, and collecting every problem with its field path.
class Section
{
public:
    Section(QJsonObject object, QString path, QStringList &problems)
        : m_object(std::move(object)), m_path(std::move(path)), m_problems(problems)
    {}
    ~Section()
    {
        for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
            if (!m_used.contains(it.key()))
                m_problems << QStringLiteral("%1: unknown field (allowed: %2)")
                                  .arg(field(it.key()), QStringList(m_used.values()).join(QStringLiteral(", ")));
        }
    }
    Section(const Section &) = delete;
    Section &operator=(const Section &) = delete;

    [[nodiscard]] QString field(const QString &key) const { return m_path.isEmpty() ? key : m_path + u'.' + key; }
    [[nodiscard]] bool has(const QString &key)
    {
        m_used.insert(key);
        return m_object.contains(key);
    }
    void problem(const QString &key, const QString &text) { m_problems << field(key) + QStringLiteral(": ") + text; }

    QString string(const QString &key, const QString &fallback = {}, bool required = false)
    {
        if (!has(key)) {
            if (required)
                problem(key, QStringLiteral("is required"));
            return fallback;
        }
        const QJsonValue v = m_object.value(key);
        if (!v.isString()) {
            problem(key, QStringLiteral("must be a string"));
            return fallback;
        }
        if (required && v.toString().trimmed().isEmpty())
            problem(key, QStringLiteral("must not be empty"));
        return v.toString();
    }
    bool boolean(const QString &key, bool fallback)
    {
        if (!has(key))
            return fallback;
        const QJsonValue v = m_object.value(key);
        if (!v.isBool()) {
            problem(key, QStringLiteral("must be true or false"));
            return fallback;
        }
        return v.toBool();
    }
    qint64 integer(const QString &key, qint64 fallback, qint64 min, qint64 max)
    {
        if (!has(key))
            return fallback;
        const QJsonValue v = m_object.value(key);
        const double d = v.toDouble(-1e300);
        if (!v.isDouble() || d != double(qint64(d)) || d < double(min) || d > double(max)) {
            problem(key, QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
            return fallback;
        }
        return qint64(d);
    }
    QStringList strings(const QString &key)
    {
        if (!has(key))
            return {};
        const QJsonValue v = m_object.value(key);
        QStringList out;
        if (v.isString())
            return {v.toString()};
        if (!v.isArray()) {
            problem(key, QStringLiteral("must be a list of strings"));
            return {};
        }
        for (const QJsonValue &e : v.toArray()) {
            if (!e.isString()) {
                problem(key, QStringLiteral("must be a list of strings"));
                return {};
            }
            out << e.toString();
        }
        return out;
    }
    QJsonObject object(const QString &key)
    {
        if (!has(key))
            return {};
        const QJsonValue v = m_object.value(key);
        if (!v.isObject()) {
            problem(key, QStringLiteral("must be an object"));
            return {};
        }
        return v.toObject();
    }
    template <typename E> E choice(const QString &key, E fallback, const QList<QPair<QString, E>> &allowed)
    {
        if (!has(key))
            return fallback;
        const QString v = m_object.value(key).toString();
        QStringList names;
        for (const auto &[name, value] : allowed) {
            if (v == name)
                return value;
            names << name;
        }
        problem(key, QStringLiteral("'%1' is not allowed (allowed: %2)")
                         .arg(m_object.value(key).toVariant().toString(), names.join(QStringLiteral(", "))));
        return fallback;
    }
    QStringList &problems() { return m_problems; }

private:
    QJsonObject m_object;
    QString m_path;
    QStringList &m_problems;
    QSet<QString> m_used;
};

QString resolve(const QString &baseDir, const QString &path)
{
    if (path.isEmpty() || QDir::isAbsolutePath(path))
        return path;
    return QDir(baseDir).absoluteFilePath(path);
}

void requireFile(Section &s, const QString &key, const QString &path)
{
    if (!path.isEmpty() && !QFileInfo(path).isFile())
        s.problem(key, QStringLiteral("file %1 does not exist").arg(path));
}

bool validEnvName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return re.match(name).hasMatch();
}

/// The placeholders a subject or SAN template may use.
const QStringList &templateFields()
{
    static const QStringList f{QStringLiteral("serial"), QStringLiteral("barcode"), QStringLiteral("hardware_id"),
                               QStringLiteral("uuid"),   QStringLiteral("imei"),    QStringLiteral("model"),
                               QStringLiteral("gtin"),   QStringLiteral("firmware")};
    return f;
}

void checkTemplate(Section &s, const QString &key, const QString &text)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{([^{}]*)\\}"));
    for (auto it = placeholder.globalMatch(text); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (!templateFields().contains(name) && !name.startsWith(QLatin1String("ai:")))
            s.problem(key, QStringLiteral("unknown placeholder {%1} (allowed: %2, ai:NN)")
                               .arg(name, templateFields().join(QStringLiteral(", "))));
    }
}

std::chrono::milliseconds ms(qint64 v)
{
    return std::chrono::milliseconds(v);
}

void readDevice(Section &root, ProductProfile &p, const QString &baseDir)
{
    Section s(root.object(QStringLiteral("device")), QStringLiteral("device"), root.problems());
    if (!root.has(QStringLiteral("device")))
        root.problem(QStringLiteral("device"), QStringLiteral("is required (protocol, usb_ids / port_patterns)"));
    p.device.protocol = s.choice(
        QStringLiteral("protocol"), device::Protocol::Station,
        {{QStringLiteral("station"), device::Protocol::Station}, {QStringLiteral("nrf91"), device::Protocol::Nrf91}});
    if (!s.has(QStringLiteral("protocol")))
        s.problem(QStringLiteral("protocol"), QStringLiteral("is required (allowed: station, nrf91)"));
    for (const QString &id : s.strings(QStringLiteral("usb_ids"))) {
        auto parsed = device::DeviceFilter::parseVidPid(id);
        if (!parsed)
            s.problem(
                QStringLiteral("usb_ids"),
                QStringLiteral("'%1' is not a VID:PID (allowed: \"1915:910a\", \"0x1915:0x910A\", \"1915\")").arg(id));
        else
            p.device.filter.usbIds.append(*parsed);
    }
    p.device.filter.portNamePatterns = s.strings(QStringLiteral("port_patterns"));
    const bool nrf = p.device.protocol == device::Protocol::Nrf91;
    if (nrf) {
        p.device.driver.slot = s.integer(QStringLiteral("sec_tag"), 16842753, 0, 2147483647);
        if (s.has(QStringLiteral("slot")))
            s.problem(QStringLiteral("slot"), QStringLiteral("is for the station protocol; nrf91 uses sec_tag"));
    } else {
        p.device.driver.slot = s.integer(QStringLiteral("slot"), 0, 0, 255);
        if (s.has(QStringLiteral("sec_tag")))
            s.problem(QStringLiteral("sec_tag"), QStringLiteral("is for nrf91; the station protocol uses slot"));
    }
    p.device.baudRate = qint32(s.integer(QStringLiteral("baud"), 115200, 1200, 12000000));
    p.device.driver.exchangeTimeout = ms(s.integer(QStringLiteral("exchange_timeout_ms"), 1500, 50, 600000));
    p.device.driver.openTimeout = ms(s.integer(QStringLiteral("open_timeout_ms"), 8000, 100, 600000));
    p.device.driver.keyGenTimeout = ms(s.integer(QStringLiteral("keygen_timeout_ms"), 60000, 100, 3600000));
    p.device.driver.maxChunk = int(s.integer(QStringLiteral("max_chunk"), 1024, 64, 65535));
    p.device.driver.maxRetransmissions = int(s.integer(QStringLiteral("max_retransmissions"), 6, 0, 100));
    p.device.attestationKeyFile = resolve(baseDir, s.string(QStringLiteral("attestation_key")));
    requireFile(s, QStringLiteral("attestation_key"), p.device.attestationKeyFile);
}

void readEst(Section &root, ProductProfile &p, const QString &baseDir)
{
    Section s(root.object(QStringLiteral("est")), QStringLiteral("est"), root.problems());
    if (!root.has(QStringLiteral("est")))
        root.problem(QStringLiteral("est"), QStringLiteral("is required (url, trust, auth)"));
    EstSettings &e = p.est;
    const QString url = s.string(QStringLiteral("url"), {}, true);
    e.url = QUrl(url);
    if (!url.isEmpty() && (!e.url.isValid() || e.url.scheme() != QLatin1String("https") || e.url.host().isEmpty()))
        s.problem(QStringLiteral("url"), QStringLiteral("'%1' is not an https URL (allowed: "
                                                        "https://host[:port]/.well-known/est[/<label>])")
                                             .arg(url));
    const QString certUrl = s.string(QStringLiteral("cert_auth_url"));
    e.certAuthUrl = QUrl(certUrl);
    if (!certUrl.isEmpty() && (!e.certAuthUrl.isValid() || e.certAuthUrl.scheme() != QLatin1String("https")))
        s.problem(QStringLiteral("cert_auth_url"), QStringLiteral("'%1' is not an https URL").arg(certUrl));

    {
        Section t(s.object(QStringLiteral("trust")), QStringLiteral("est.trust"), root.problems());
        const QString file = resolve(baseDir, t.string(QStringLiteral("file")));
        const QString fp = t.string(QStringLiteral("bootstrap_fingerprint"));
        const bool system = t.boolean(QStringLiteral("system"), false);
        const int given = int(!file.isEmpty()) + int(!fp.isEmpty()) + int(system);
        if (given != 1)
            s.problem(QStringLiteral("trust"), QStringLiteral("give exactly one of file, bootstrap_fingerprint or "
                                                              "system: true"));
        if (!file.isEmpty()) {
            e.trust = TrustSource::File;
            e.trustFile = file;
            requireFile(t, QStringLiteral("file"), file);
        } else if (!fp.isEmpty()) {
            e.trust = TrustSource::Bootstrap;
            const QString hex = QString(fp).remove(QLatin1Char(':')).remove(QLatin1Char(' '));
            static const QRegularExpression sha256(QStringLiteral("^[0-9A-Fa-f]{64}$"));
            if (!sha256.match(hex).hasMatch())
                t.problem(QStringLiteral("bootstrap_fingerprint"),
                          QStringLiteral("must be a SHA-256 fingerprint (64 hex digits, colons allowed)"));
            e.bootstrapFingerprint = hex.toUpper();
        } else if (system) {
            e.trust = TrustSource::System;
        }
    }
    {
        Section a(s.object(QStringLiteral("auth")), QStringLiteral("est.auth"), root.problems());
        e.auth = a.choice(QStringLiteral("mode"), AuthMode::None,
                          {{QStringLiteral("mtls"), AuthMode::ClientCertificate},
                           {QStringLiteral("basic"), AuthMode::Basic},
                           {QStringLiteral("none"), AuthMode::None}});
        if (!a.has(QStringLiteral("mode")))
            a.problem(QStringLiteral("mode"), QStringLiteral("is required (allowed: mtls, basic, none)"));
        e.clientCert = resolve(baseDir, a.string(QStringLiteral("client_cert")));
        e.clientKey = resolve(baseDir, a.string(QStringLiteral("client_key")));
        e.clientP12 = resolve(baseDir, a.string(QStringLiteral("client_p12")));
        e.passphraseEnv = a.string(QStringLiteral("passphrase_env"));
        e.askPassphrase = a.boolean(QStringLiteral("ask_passphrase"), false);
        e.user = a.string(QStringLiteral("user"));
        e.passwordEnv = a.string(QStringLiteral("password_env"));
        requireFile(a, QStringLiteral("client_cert"), e.clientCert);
        requireFile(a, QStringLiteral("client_key"), e.clientKey);
        requireFile(a, QStringLiteral("client_p12"), e.clientP12);
        for (const auto &[key, value] : {std::pair{QStringLiteral("passphrase_env"), e.passphraseEnv},
                                         std::pair{QStringLiteral("password_env"), e.passwordEnv}}) {
            if (!value.isEmpty() && !validEnvName(value))
                a.problem(key, QStringLiteral("must name an environment variable (letters, digits, _), not hold a "
                                              "secret"));
        }
        if (e.auth == AuthMode::ClientCertificate) {
            const bool pem = !e.clientCert.isEmpty() && !e.clientKey.isEmpty();
            if (pem == !e.clientP12.isEmpty())
                a.problem(QStringLiteral("mode"), QStringLiteral("mtls needs client_cert + client_key, or client_p12 "
                                                                 "(one of the two)"));
        }
        if (e.auth == AuthMode::Basic && (e.user.isEmpty() || (e.passwordEnv.isEmpty() && !e.askPassphrase)))
            a.problem(QStringLiteral("mode"), QStringLiteral("basic needs user and password_env (or ask_passphrase)"));
        if (e.user.contains(QLatin1Char(':')))
            a.problem(QStringLiteral("user"), QStringLiteral("cannot contain ':'"));
    }
    e.fetchCsrAttrs = s.boolean(QStringLiteral("csrattrs"), true);
    {
        Section r(s.object(QStringLiteral("retry")), QStringLiteral("est.retry"), root.problems());
        e.retryAttempts = int(r.integer(QStringLiteral("attempts"), 3, 1, 100));
        e.retryBackoff = ms(r.integer(QStringLiteral("backoff_ms"), 2000, 0, 600000));
        e.pendingDeadline = std::chrono::seconds(r.integer(QStringLiteral("deadline_s"), 300, 1, 86400));
        e.requestTimeout = ms(r.integer(QStringLiteral("request_timeout_ms"), 30000, 100, 600000));
    }
}

void readEnrollment(Section &root, ProductProfile &p)
{
    Section s(root.object(QStringLiteral("enrollment")), QStringLiteral("enrollment"), root.problems());
    EnrollmentSettings &e = p.enrollment;
    e.keyOrigin =
        s.choice(QStringLiteral("key_origin"), KeyOrigin::Device,
                 {{QStringLiteral("device"), KeyOrigin::Device}, {QStringLiteral("server"), KeyOrigin::Server}});
    if (s.has(QStringLiteral("key_type"))) {
        const QString kt = s.string(QStringLiteral("key_type"));
        auto parsed = crypto::parseKeyType(kt);
        if (!parsed)
            s.problem(QStringLiteral("key_type"), QStringLiteral("'%1' is not a key type (allowed: %2)")
                                                      .arg(kt, crypto::keyTypeNames().join(QStringLiteral(", "))));
        else
            e.keyType = *parsed;
    }
    if (p.device.protocol == device::Protocol::Nrf91 && e.keyOrigin == KeyOrigin::Device &&
        e.keyType != crypto::KeyType::EcP256)
        s.problem(QStringLiteral("key_type"), QStringLiteral("the nRF91 generates only p256 keys on the device"));
    e.subjectTemplate = s.string(QStringLiteral("subject"), e.subjectTemplate);
    checkTemplate(s, QStringLiteral("subject"), e.subjectTemplate);
    e.sanTemplates = s.strings(QStringLiteral("san"));
    for (const QString &san : e.sanTemplates)
        checkTemplate(s, QStringLiteral("san"), san);
    if (e.keyOrigin == KeyOrigin::Device && !e.sanTemplates.isEmpty())
        s.problem(QStringLiteral("san"), QStringLiteral("a unit builds its CSR from the subject only; subjectAltNames "
                                                        "can be required with key_origin server"));
}

void readBarcode(Section &root, ProductProfile &p)
{
    Section s(root.object(QStringLiteral("barcode")), QStringLiteral("barcode"), root.problems());
    const QString rule = s.string(QStringLiteral("rule"), QStringLiteral("plain"));
    if (rule == QLatin1String("regex")) {
        auto r = BarcodeRule::regex(s.string(QStringLiteral("pattern"), {}, true));
        if (!r)
            s.problem(QStringLiteral("pattern"), r.error().message);
        else
            p.barcode = *r;
    } else if (rule == QLatin1String("gs1")) {
        p.barcode = BarcodeRule::gs1();
    } else if (rule != QLatin1String("plain")) {
        s.problem(QStringLiteral("rule"), QStringLiteral("'%1' is not allowed (allowed: plain, gs1, regex)").arg(rule));
    }
    p.start = s.choice(QStringLiteral("start"), StartMode::Scan,
                       {{QStringLiteral("scan"), StartMode::Scan}, {QStringLiteral("auto"), StartMode::Auto}});
    p.scanStartsOnlyWaitingUnit = s.boolean(QStringLiteral("scan_starts_only_waiting_unit"), false);
    // A serial-port scanner (a second serial device that sends one label per line) besides the keyboard.
    p.scanner.port = s.string(QStringLiteral("scanner_port"));
    p.scanner.baud = s.integer(QStringLiteral("scanner_baud"), 9600, 1200, 4000000);
    if (p.start == StartMode::Auto && !p.scanner.port.isEmpty())
        s.problem(QStringLiteral("scanner_port"), QStringLiteral("start: auto reads no labels, so a scanner would "
                                                                 "never be used"));
}

void readTimeouts(Section &root, ProductProfile &p)
{
    Section s(root.object(QStringLiteral("timeouts")), QStringLiteral("timeouts"), root.problems());
    p.timeouts.step = ms(s.integer(QStringLiteral("step_ms"), 30000, 100, 3600000));
    p.timeouts.keyGen = ms(s.integer(QStringLiteral("keygen_ms"), 90000, 100, 3600000));
    p.timeouts.est = ms(s.integer(QStringLiteral("est_ms"), 120000, 100, 86400000));
    p.timeouts.scan = ms(s.integer(QStringLiteral("scan_ms"), 0, 0, 86400000));
}

void readDms(Section &root, ProductProfile &p)
{
    Section s(root.object(QStringLiteral("dms")), QStringLiteral("dms"), root.problems());
    p.dms.dmsId = s.string(QStringLiteral("dms_id"));
    p.dms.icon = s.string(QStringLiteral("icon"), p.dms.icon);
    if (p.dms.icon.trimmed().isEmpty())
        s.problem(QStringLiteral("icon"), QStringLiteral("must not be empty (the DMS requires an icon)"));
    p.dms.iconColor = s.string(QStringLiteral("icon_color"), p.dms.iconColor);
    if (p.dms.iconColor.trimmed().isEmpty())
        s.problem(QStringLiteral("icon_color"), QStringLiteral("must not be empty (the DMS requires an icon colour)"));
    p.dms.tags = s.strings(QStringLiteral("tags"));
    for (const QString &t : std::as_const(p.dms.tags))
        if (t.trimmed().isEmpty()) {
            s.problem(QStringLiteral("tags"), QStringLiteral("must not hold an empty tag"));
            break;
        }
}

} // namespace

namespace {

/// Reads the whole profile, appending every problem found; the result is meaningful only without any.
ProductProfile readProfile(const QByteArray &json, const QString &baseDir, QStringList &problems)
{
    ProductProfile p;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        problems << QStringLiteral("not valid JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset);
        return p;
    }
    if (!doc.isObject()) {
        problems << QStringLiteral("the profile must be a JSON object");
        return p;
    }
    {
        Section root(doc.object(), QString(), problems);
        p.name = root.string(QStringLiteral("name"), {}, true);
        if (root.integer(QStringLiteral("format"), 1, 1, 1) != 1)
            root.problem(QStringLiteral("format"), QStringLiteral("only format 1 is known"));
        (void)root.has(QStringLiteral("comment")); // free text for the profile's author
        readDevice(root, p, baseDir);
        readEst(root, p, baseDir);
        readEnrollment(root, p);
        readBarcode(root, p);
        readTimeouts(root, p);
        readDms(root, p);
        {
            Section inject(root.object(QStringLiteral("inject")), QStringLiteral("inject"), problems);
            p.inject.trustAnchors = inject.boolean(QStringLiteral("trust_anchors"), true);
            p.inject.trustAnchorsFile = resolve(baseDir, inject.string(QStringLiteral("trust_anchors_file")));
            requireFile(inject, QStringLiteral("trust_anchors_file"), p.inject.trustAnchorsFile);
            if (inject.has(QStringLiteral("bootstrap_credential"))) {
                Section b(inject.object(QStringLiteral("bootstrap_credential")),
                          QStringLiteral("inject.bootstrap_credential"), problems);
                BootstrapCredentialSettings &bc = p.inject.bootstrap;
                bc.enabled = true;
                const bool nrf = p.device.protocol == device::Protocol::Nrf91;
                bc.slot = nrf ? b.integer(QStringLiteral("sec_tag"), p.device.driver.slot + 1, 0, 2147483647)
                              : b.integer(QStringLiteral("slot"), p.device.driver.slot + 1, 0, 255);
                if (bc.slot == p.device.driver.slot)
                    b.problem(nrf ? QStringLiteral("sec_tag") : QStringLiteral("slot"),
                              QStringLiteral("must differ from the device's provisioning slot (%1)").arg(bc.slot));
                const QString url = b.string(QStringLiteral("est_url"));
                bc.estUrl = QUrl(url);
                if (!url.isEmpty() && (!bc.estUrl.isValid() || bc.estUrl.scheme() != QLatin1String("https")))
                    b.problem(QStringLiteral("est_url"), QStringLiteral("'%1' is not an https URL").arg(url));
                bc.subjectTemplate = b.string(QStringLiteral("subject"), bc.subjectTemplate);
                checkTemplate(b, QStringLiteral("subject"), bc.subjectTemplate);
                if (b.has(QStringLiteral("key_type"))) {
                    auto kt = crypto::parseKeyType(b.string(QStringLiteral("key_type")));
                    if (!kt)
                        b.problem(QStringLiteral("key_type"),
                                  QStringLiteral("is not a key type (allowed: %1)")
                                      .arg(crypto::keyTypeNames().join(QStringLiteral(", "))));
                    else
                        bc.keyType = *kt;
                }
            }
        }
        p.alreadyProvisioned = root.choice(QStringLiteral("already_provisioned"), AlreadyProvisionedPolicy::Refuse,
                                           {{QStringLiteral("refuse"), AlreadyProvisionedPolicy::Refuse},
                                            {QStringLiteral("reprovision"), AlreadyProvisionedPolicy::Reprovision},
                                            {QStringLiteral("renew"), AlreadyProvisionedPolicy::Renew}});
    }
    if (p.start == StartMode::Auto && p.barcode.kind() != BarcodeRule::Kind::Plain)
        problems << QStringLiteral("barcode.start: auto needs no scan, so a barcode rule other than plain "
                                   "would never be used");
    return p;
}

} // namespace

QStringList ProductProfile::problems(const QByteArray &json, const QString &baseDir)
{
    QStringList found;
    (void)readProfile(json, baseDir, found);
    return found;
}

Result<ProductProfile> ProductProfile::fromJson(const QByteArray &json, const QString &baseDir)
{
    QStringList found;
    ProductProfile p = readProfile(json, baseDir, found);
    if (!found.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The product profile has %1 problem(s)").arg(found.size()),
                    found.join(QLatin1Char('\n')), QStringLiteral("Fix the fields named above."));
    p.sha256 = QString::fromLatin1(QCryptographicHash::hash(json, QCryptographicHash::Sha256).toHex());
    return p;
}

Result<ProductProfile> ProductProfile::load(const QString &path)
{
    auto bytes = readFileBounded(path, 1024 * 1024);
    if (!bytes)
        return fail(bytes.error());
    auto p = fromJson(*bytes, QFileInfo(path).absolutePath());
    if (!p)
        return fail(p.error().withContext(QStringLiteral("Profile %1").arg(path)));
    p->sourcePath = QFileInfo(path).absoluteFilePath();
    return p;
}

QJsonObject ProductProfile::toJson() const
{
    QJsonObject dev;
    dev[QStringLiteral("protocol")] = device::protocolName(device.protocol);
    QJsonArray ids;
    for (const device::UsbId &id : device.filter.usbIds)
        ids.append(QStringLiteral("%1:%2")
                       .arg(id.vendorId, 4, 16, QLatin1Char('0'))
                       .arg(id.productId, 4, 16, QLatin1Char('0')));
    if (!ids.isEmpty())
        dev[QStringLiteral("usb_ids")] = ids;
    if (!device.filter.portNamePatterns.isEmpty())
        dev[QStringLiteral("port_patterns")] = QJsonArray::fromStringList(device.filter.portNamePatterns);
    dev[device.protocol == device::Protocol::Nrf91 ? QStringLiteral("sec_tag") : QStringLiteral("slot")] =
        double(device.driver.slot);
    dev[QStringLiteral("baud")] = device.baudRate;
    dev[QStringLiteral("exchange_timeout_ms")] = double(device.driver.exchangeTimeout.count());
    dev[QStringLiteral("open_timeout_ms")] = double(device.driver.openTimeout.count());
    dev[QStringLiteral("keygen_timeout_ms")] = double(device.driver.keyGenTimeout.count());
    if (!device.attestationKeyFile.isEmpty())
        dev[QStringLiteral("attestation_key")] = device.attestationKeyFile;

    QJsonObject trust;
    switch (est.trust) {
    case TrustSource::File: trust[QStringLiteral("file")] = est.trustFile; break;
    case TrustSource::Bootstrap: trust[QStringLiteral("bootstrap_fingerprint")] = est.bootstrapFingerprint; break;
    case TrustSource::System: trust[QStringLiteral("system")] = true; break;
    }
    QJsonObject auth;
    auto put = [&auth](const char *key, const QString &value) {
        if (!value.isEmpty())
            auth[QLatin1String(key)] = value;
    };
    auth[QStringLiteral("mode")] = est.auth == AuthMode::ClientCertificate ? QStringLiteral("mtls")
                                   : est.auth == AuthMode::Basic           ? QStringLiteral("basic")
                                                                           : QStringLiteral("none");
    put("client_cert", est.clientCert);
    put("client_key", est.clientKey);
    put("client_p12", est.clientP12);
    put("passphrase_env", est.passphraseEnv);
    put("user", est.user);
    put("password_env", est.passwordEnv);
    if (est.askPassphrase)
        auth[QStringLiteral("ask_passphrase")] = true;
    QJsonObject e;
    e[QStringLiteral("url")] = est.url.toString();
    if (!est.certAuthUrl.isEmpty())
        e[QStringLiteral("cert_auth_url")] = est.certAuthUrl.toString();
    e[QStringLiteral("trust")] = trust;
    e[QStringLiteral("auth")] = auth;
    e[QStringLiteral("csrattrs")] = est.fetchCsrAttrs;
    e[QStringLiteral("retry")] =
        QJsonObject{{QStringLiteral("attempts"), est.retryAttempts},
                    {QStringLiteral("backoff_ms"), double(est.retryBackoff.count())},
                    {QStringLiteral("deadline_s"), double(est.pendingDeadline.count())},
                    {QStringLiteral("request_timeout_ms"), double(est.requestTimeout.count())}};

    QJsonObject enroll{{QStringLiteral("key_origin"), keyOriginName(enrollment.keyOrigin)},
                       {QStringLiteral("key_type"), crypto::keyTypeName(enrollment.keyType)},
                       {QStringLiteral("subject"), enrollment.subjectTemplate}};
    if (!enrollment.sanTemplates.isEmpty())
        enroll[QStringLiteral("san")] = QJsonArray::fromStringList(enrollment.sanTemplates);

    QJsonObject bc{
        {QStringLiteral("start"), start == StartMode::Auto ? QStringLiteral("auto") : QStringLiteral("scan")}};
    switch (barcode.kind()) {
    case BarcodeRule::Kind::Plain: bc[QStringLiteral("rule")] = QStringLiteral("plain"); break;
    case BarcodeRule::Kind::Gs1: bc[QStringLiteral("rule")] = QStringLiteral("gs1"); break;
    case BarcodeRule::Kind::Regex:
        bc[QStringLiteral("rule")] = QStringLiteral("regex");
        bc[QStringLiteral("pattern")] = barcode.pattern();
        break;
    }
    if (scanStartsOnlyWaitingUnit)
        bc[QStringLiteral("scan_starts_only_waiting_unit")] = true;
    if (!scanner.port.isEmpty()) {
        bc[QStringLiteral("scanner_port")] = scanner.port;
        bc[QStringLiteral("scanner_baud")] = scanner.baud;
    }

    QJsonObject inj{{QStringLiteral("trust_anchors"), inject.trustAnchors}};
    if (!inject.trustAnchorsFile.isEmpty())
        inj[QStringLiteral("trust_anchors_file")] = inject.trustAnchorsFile;
    if (inject.bootstrap.enabled) {
        QJsonObject b{{device.protocol == device::Protocol::Nrf91 ? QStringLiteral("sec_tag") : QStringLiteral("slot"),
                       double(inject.bootstrap.slot)},
                      {QStringLiteral("subject"), inject.bootstrap.subjectTemplate},
                      {QStringLiteral("key_type"), crypto::keyTypeName(inject.bootstrap.keyType)}};
        if (!inject.bootstrap.estUrl.isEmpty())
            b[QStringLiteral("est_url")] = inject.bootstrap.estUrl.toString();
        inj[QStringLiteral("bootstrap_credential")] = b;
    }

    return QJsonObject{
        {QStringLiteral("format"), 1},
        {QStringLiteral("name"), name},
        {QStringLiteral("device"), dev},
        {QStringLiteral("est"), e},
        {QStringLiteral("enrollment"), enroll},
        {QStringLiteral("inject"), inj},
        {QStringLiteral("barcode"), bc},
        {QStringLiteral("already_provisioned"), policyName(alreadyProvisioned)},
        {QStringLiteral("dms"),
         [this] {
             QJsonObject d{{QStringLiteral("icon"), dms.icon}, {QStringLiteral("icon_color"), dms.iconColor}};
             if (!dms.dmsId.isEmpty())
                 d[QStringLiteral("dms_id")] = dms.dmsId;
             if (!dms.tags.isEmpty())
                 d[QStringLiteral("tags")] = QJsonArray::fromStringList(dms.tags);
             return d;
         }()},
        {QStringLiteral("timeouts"), QJsonObject{{QStringLiteral("step_ms"), double(timeouts.step.count())},
                                                 {QStringLiteral("keygen_ms"), double(timeouts.keyGen.count())},
                                                 {QStringLiteral("est_ms"), double(timeouts.est.count())},
                                                 {QStringLiteral("scan_ms"), double(timeouts.scan.count())}}},
    };
}

} // namespace station::provisioning
