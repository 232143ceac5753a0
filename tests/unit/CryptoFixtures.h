// Test fixtures for the crypto tests: files made by the openssl command line tool
// (tests/data/crypto/make-fixtures.sh) and the values `openssl x509/req/pkcs12` printed for them.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace station::test {

inline QString cryptoFixturePath(const QString &name)
{
    return QStringLiteral(STATION_SOURCE_DIR "/tests/data/crypto/") + name;
}

/// The fixture's bytes (empty when missing; tests QVERIFY(!isEmpty())).
inline QByteArray cryptoFixture(const QString &name)
{
    QFile file(cryptoFixturePath(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// Passwords used by make-fixtures.sh.
inline constexpr char kPkcs8Passphrase[] = "fixture-pass";
inline constexpr char kPkcs12Password[] = "p12-secret";

} // namespace station::test
