#include "Nrf91Simulator.h"

#include "crypto/CertificateRequest.h"
#include "crypto/DistinguishedName.h"
#include "nrf91/AtResponse.h"
#include "nrf91/CoseSign1.h"
#include "nrf91/KeyGenResponse.h"

#include <QCborMap>
#include <QCborValue>
#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace station::drivers {

namespace {

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace

Nrf91Simulator::Nrf91Simulator(SimulatorOptions options, QObject *parent) : SimulatedDevice(std::move(options), parent)
{}

Result<void> Nrf91Simulator::loadIdentity()
{
    auto id = SimulatedIdentity::loadOrCreate(storage(), options().serialNumber, QString());
    if (!id)
        return std::unexpected(id.error());
    m_identity = *id;
    // A cellular module's serial number is its IMEI; --serial overrides it when it is 15 digits.
    static const QRegularExpression imei(QStringLiteral("^\\d{15}$"));
    if (imei.match(m_identity.serialNumber).hasMatch())
        m_identity.imei = m_identity.serialNumber;
    setSerialNumber(m_identity.imei);
    return {};
}

void Nrf91Simulator::onPowerOn()
{
    m_line.clear();
    m_inQuotes = false;
    m_cfun = 1;
    m_cmee = 0;
    m_echo = options().faults.echo != FaultPlan::Echo::Off;
    m_sincePowerOn.start();
}

QList<QByteArray> Nrf91Simulator::bootLog() const
{
    return {"*** Booting nRF Connect SDK v2.5.0 ***",
            "[00:00:00.251,525] <inf> lte_lc: modem firmware mfw_nrf9160_1.3.5", "The AT host sample started", "Ready"};
}

void Nrf91Simulator::onReceived(const QByteArray &bytes)
{
    if (m_sincePowerOn.elapsed() < kBootMs)
        return; // still booting: the UART is not listening yet
    if (m_echo)
        send(bytes); // as received, line ends included: a multi-line command comes back line by line
    for (char c : bytes) {
        if (c == '"')
            m_inQuotes = !m_inQuotes;
        if (!m_inQuotes && (c == '\r' || c == '\n')) {
            if (!m_line.trimmed().isEmpty())
                onCommand(std::exchange(m_line, {}).trimmed());
            m_line.clear();
            continue;
        }
        m_line.append(c);
        if (m_line.size() > 32 * 1024) { // the modem's AT buffer overflows
            m_line.clear();
            m_inQuotes = false;
            send("ERROR\r\n");
        }
    }
}

QString Nrf91Simulator::stepOf(const QByteArray &name, const QList<QByteArray> &args)
{
    if (name == "+CGSN")
        return QStringLiteral("identify");
    if (name == "%KEYGEN")
        return QStringLiteral("keygen");
    if (name == "%CMNG") {
        const int op = args.value(0).toInt();
        const int type = args.value(2).toInt();
        if (op == 0)
            return type == 0   ? QStringLiteral("write-trust")
                   : type == 1 ? QStringLiteral("write-cert")
                               : QStringLiteral("write-key");
        if (op == 1)
            return QStringLiteral("list");
        if (op == 2)
            return QStringLiteral("readback");
        if (op == 3)
            return QStringLiteral("reset");
    }
    if (name == "+CFUN")
        return QStringLiteral("cfun");
    return {};
}

void Nrf91Simulator::onCommand(const QByteArray &line)
{
    if (!line.toUpper().startsWith("AT")) {
        send("ERROR\r\n");
        return;
    }
    // "AT%CMNG=0,1,0,"..."": name "%CMNG", arguments after '='.
    const QByteArray rest = line.mid(2);
    const qsizetype eq = rest.indexOf('=');
    QByteArray name = (eq < 0 ? rest : rest.left(eq)).toUpper();
    const QByteArray argText = eq < 0 ? QByteArray() : rest.mid(eq + 1);
    const QList<QByteArray> args = argText.isEmpty() ? QList<QByteArray>() : AtResponse::splitParameters(argText);
    const QString step = stepOf(name.endsWith('?') ? name.chopped(1) : name, args);
    if (!step.isEmpty() && disconnectsAt(step))
        return;
    const QString bare =
        QString::fromLatin1(name).remove(QLatin1Char('+')).remove(QLatin1Char('%')).remove(QLatin1Char('?')).toLower();
    const bool refused = (!bare.isEmpty() && refuses(bare)) || (!step.isEmpty() && refuses(step));
    answer([this, line, name, argText, refused, step] {
        Outcome out;
        if (refused)
            out.error = true;
        else
            out = execute(line, name, argText);
        QByteArray text;
        for (const QByteArray &l : out.lines)
            text += l + "\r\n";
        if (out.cme >= 0)
            text += m_cmee ? "+CME ERROR: " + QByteArray::number(out.cme) + "\r\n" : QByteArray("ERROR\r\n");
        else if (out.error)
            text += "ERROR\r\n";
        else
            text += "OK\r\n";
        send(text);
        if (out.cme < 0 && !out.error && !step.isEmpty())
            emit stepDone(step);
        chatter(QStringLiteral("at_host: %1 done").arg(QString::fromLatin1(name)));
    });
}

Nrf91Simulator::Outcome Nrf91Simulator::execute(const QByteArray &command, const QByteArray &name,
                                                const QByteArray &argText)
{
    Q_UNUSED(command)
    const QList<QByteArray> args = argText.isEmpty() ? QList<QByteArray>() : AtResponse::splitParameters(argText);
    Outcome out;
    if (name.isEmpty())
        return out;
    if (name == "E0" || name == "E1") {
        if (options().faults.echo != FaultPlan::Echo::Sticky)
            m_echo = name == "E1";
        return out;
    }
    if (name == "+CMEE") {
        if (args.size() != 1 || (args[0] != "0" && args[0] != "1"))
            return Outcome{{}, 50, false};
        m_cmee = args[0].toInt();
        return out;
    }
    if (name == "+CMEE?") {
        out.lines << "+CMEE: " + QByteArray::number(m_cmee);
        return out;
    }
    if (name == "+CFUN") {
        const int fun = args.value(0).toInt();
        if (args.isEmpty() || (fun != 0 && fun != 1 && fun != 4 && fun != 2 && fun != 21 && fun != 44))
            return Outcome{{}, 50, false};
        m_cfun = fun;
        return out;
    }
    if (name == "+CFUN?") {
        out.lines << "+CFUN: " + QByteArray::number(m_cfun);
        return out;
    }
    if (name == "+CGSN") {
        if (args.value(0) == "1")
            out.lines << "+CGSN: \"" + m_identity.imei.toLatin1() + '"';
        else
            out.lines << m_identity.imei.toLatin1();
        return out;
    }
    if (name == "+CGMR") {
        out.lines << "mfw_nrf9160_1.3.5";
        return out;
    }
    if (name == "+CGMM") {
        out.lines << "nRF9160-SICA";
        return out;
    }
    if (name == "%DEVICEUUID") {
        out.lines << "%DEVICEUUID: " + m_identity.uuid.toLatin1().toUpper();
        return out;
    }
    if (name == "%KEYGEN")
        return keyGen(args);
    if (name == "%CMNG")
        return cmng(args);
    out.error = true; // unknown command
    return out;
}

Nrf91Simulator::Outcome Nrf91Simulator::keyGen(const QList<QByteArray> &args)
{
    bool ok = false;
    const qint64 tag = args.value(0).toLongLong(&ok);
    if (!ok || tag < 0 || tag > 2147483647LL || args.value(1) != "2" || args.value(2) != "0")
        return Outcome{{}, 50, false};
    if (m_cfun == 1 || m_cfun == 2 || m_cfun == 21)
        return Outcome{{}, 518, false};
    if (keyGenFails())
        return Outcome{{}, 523, false};
    crypto::CsrSpec spec;
    const QString attributes = QString::fromUtf8(args.value(3));
    if (attributes.isEmpty()) {
        spec.subject.append(QStringLiteral("CN"), m_identity.uuid);
    } else {
        auto dn = crypto::DistinguishedName::parse(attributes);
        if (!dn)
            return Outcome{{}, 50, false};
        spec.subject = *dn;
    }
    auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
    if (!key)
        return Outcome{{}, 523, false};
    auto csr = crypto::CertificateRequest::create(spec, *key);
    auto pem = key->toPkcs8Pem();
    if (!csr || !pem)
        return Outcome{{}, 523, false};
    if (auto w = storage().write(fileOf(tag, 2), pem->view().toByteArray()); !w)
        return Outcome{{}, 515, false};

    const QByteArray der = csr->toDer();
    QByteArray nonce(16, Qt::Uninitialized);
    for (char &c : nonce)
        c = static_cast<char>(QRandomGenerator::global()->bounded(256));
    CoseSign1 cose;
    cose.protectedHeader = QCborValue(QCborMap{{1, -7}}).toCbor(); // alg: ES256
    cose.algorithm = -7;
    cose.keyId = QCborValue(-2).toCbor(); // Nordic: identity key
    cose.payload = KeyGenResponse::encodePayload(KeyGenResponse::uuidBytes(m_identity.uuid), tag,
                                                 QCryptographicHash::hash(der, QCryptographicHash::Sha256), nonce);
    auto sig = m_identity.identityKey.sign(cose.toBeSigned());
    auto raw = sig ? CoseSign1::derToRaw(*sig) : Result<QByteArray>(std::unexpected(sig.error()));
    if (!raw)
        return Outcome{{}, 523, false};
    cose.signature = *raw;
    Outcome out;
    out.lines << "%KEYGEN: \"" + base64Url(der) + '.' + base64Url(cose.encode()) + '"';
    return out;
}

QString Nrf91Simulator::fileOf(qint64 tag, int type)
{
    const char *names[] = {"ca.pem", "client-cert.pem", "private-key.pem"};
    return QStringLiteral("sectag-%1/%2").arg(tag).arg(QLatin1String(names[qBound(0, type, 2)]));
}

Nrf91Simulator::Outcome Nrf91Simulator::cmng(const QList<QByteArray> &args)
{
    bool ok = false;
    const int op = args.value(0).toInt(&ok);
    if (!ok || op < 0 || op > 3)
        return Outcome{{}, 50, false};
    const bool hasTag = args.size() > 1 && !args[1].isEmpty();
    const qint64 tag = args.value(1).toLongLong();
    const bool hasType = args.size() > 2 && !args[2].isEmpty();
    const int type = args.value(2).toInt();
    if ((op != 1 && (!hasTag || !hasType)) || (hasType && (type < 0 || type > 2)) || tag < 0 || tag > 2147483647LL)
        return Outcome{{}, 50, false};
    const bool active = m_cfun == 1 || m_cfun == 2 || m_cfun == 21;
    Outcome out;
    switch (op) {
    case 0: { // write
        if (active)
            return Outcome{{}, 518, false};
        const QByteArray content = args.value(3);
        if (content.isEmpty())
            return Outcome{{}, 50, false};
        if (auto w = storage().write(fileOf(tag, type), content); !w)
            return Outcome{{}, 515, false};
        return out;
    }
    case 1: { // list
        static const QRegularExpression file(QStringLiteral("^sectag-(\\d+)/(ca|client-cert|private-key)\\.pem$"));
        for (const QString &name : storage().names(QStringLiteral("sectag-"))) {
            const auto m = file.match(name);
            if (!m.hasMatch())
                continue;
            const qint64 t = m.captured(1).toLongLong();
            const int ty = m.captured(2) == QLatin1String("ca")            ? 0
                           : m.captured(2) == QLatin1String("client-cert") ? 1
                                                                           : 2;
            if ((hasTag && t != tag) || (hasType && ty != type))
                continue;
            out.lines
                << "%CMNG: " + QByteArray::number(t) + ',' + QByteArray::number(ty) + ",\"" +
                       QCryptographicHash::hash(storage().read(name), QCryptographicHash::Sha256).toHex().toUpper() +
                       '"';
        }
        return out;
    }
    case 2: { // read
        if (type == 2)
            return Outcome{{}, 514, false};
        if (!storage().contains(fileOf(tag, type)))
            return Outcome{{}, 513, false};
        const QByteArray content = storage().read(fileOf(tag, type));
        out.lines << "%CMNG: " + QByteArray::number(tag) + ',' + QByteArray::number(type) + ",\"" +
                         QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex().toUpper() + "\",\"" +
                         content + '"';
        return out;
    }
    case 3: { // delete
        if (active)
            return Outcome{{}, 518, false};
        if (!storage().contains(fileOf(tag, type)))
            return Outcome{{}, 513, false};
        if (auto rm = storage().remove(fileOf(tag, type)); !rm)
            return Outcome{{}, 514, false};
        return out;
    }
    default: break;
    }
    return Outcome{{}, 50, false};
}

} // namespace station::drivers
