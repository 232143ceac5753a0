#include "SimulatedIdentity.h"

#include <QRandomGenerator>
#include <QUuid>

namespace station::drivers {

namespace {

const QString kIdentityFile = QStringLiteral("identity.txt");
const QString kIdentityKeyFile = QStringLiteral("identity-key.pem");

QString makeImei()
{
    // TAC 35 + 12 random digits, then the Luhn check digit.
    QString digits = QStringLiteral("35");
    for (int i = 0; i < 12; ++i)
        digits.append(QChar(u'0' + QRandomGenerator::global()->bounded(10)));
    int sum = 0;
    for (int i = 0; i < 14; ++i) {
        int d = digits.at(i).digitValue();
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    digits.append(QChar(u'0' + (10 - sum % 10) % 10));
    return digits;
}

} // namespace

Result<SimulatedIdentity> SimulatedIdentity::loadOrCreate(DeviceStorage &storage, const QString &serialOverride,
                                                          const QString &serialPrefix)
{
    SimulatedIdentity id;
    const QList<QByteArray> lines = storage.read(kIdentityFile).split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype eq = line.indexOf('=');
        if (eq < 0)
            continue;
        const QByteArray key = line.left(eq).trimmed();
        const QString value = QString::fromUtf8(line.mid(eq + 1).trimmed());
        if (key == "serial")
            id.serialNumber = value;
        else if (key == "uuid")
            id.uuid = value;
        else if (key == "imei")
            id.imei = value;
    }
    bool changed = false;
    if (!serialOverride.isEmpty() && serialOverride != id.serialNumber) {
        id.serialNumber = serialOverride;
        changed = true;
    }
    if (id.serialNumber.isEmpty()) {
        id.serialNumber = serialPrefix + QString::number(QRandomGenerator::global()->bounded(100000, 999999));
        changed = true;
    }
    if (id.uuid.isEmpty()) {
        id.uuid = QUuid::createUuid().toString(QUuid::WithoutBraces).toLower();
        changed = true;
    }
    if (id.imei.isEmpty()) {
        id.imei = makeImei();
        changed = true;
    }
    if (changed) {
        const QByteArray text =
            "serial=" + id.serialNumber.toUtf8() + "\nuuid=" + id.uuid.toUtf8() + "\nimei=" + id.imei.toUtf8() + '\n';
        if (auto w = storage.write(kIdentityFile, text); !w)
            return std::unexpected(w.error());
    }
    if (storage.contains(kIdentityKeyFile)) {
        auto key = crypto::PrivateKey::fromPem(storage.read(kIdentityKeyFile));
        if (!key)
            return std::unexpected(key.error().withContext(QStringLiteral("The simulator's identity key")));
        id.identityKey = *key;
    } else {
        auto key = crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        if (!key)
            return std::unexpected(key.error());
        auto pem = key->toPkcs8Pem();
        if (!pem)
            return std::unexpected(pem.error());
        if (auto w = storage.write(kIdentityKeyFile, pem->view().toByteArray()); !w)
            return std::unexpected(w.error());
        id.identityKey = *key;
    }
    return id;
}

} // namespace station::drivers
