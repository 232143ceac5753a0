// Fuzz smoke run of the AT response parser (nRF91 driver).
#include "FuzzDriver.h"

#include <QTest>

int fuzzAtResponse(const uint8_t *data, size_t size);

class TestFuzzAtResponse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void smoke_mutatedResponses_neverCrash()
    {
        const QList<QByteArray> seeds = {
            "AT+CGSN=1\r\n+CGSN: \"352656100367872\"\r\nOK\r\n",
            "\r\n%KEYGEN: "
            "\"MIIBCjCBrwIBADAvMS0wKwYDVQQDDCQ1MDM2MzE1NC0zOTMx."
            "0oRDoQEmoQRBIVhL2dn3hQlQUDYxVDkxRPCAIhIbZAFifUEgWCBwKjH\"\r\nOK\r\n",
            "%CMNG: 16842753,0,\"978C02C4\",\"-----BEGIN CERTIFICATE-----\nMIIBc464\nOK\n-----END "
            "CERTIFICATE-----\n\"\r\nOK\r\n",
            "%CMNG: 1,2,\"AB\"\r\n+CME ERROR: 513\r\nERROR\r\n+CMS ERROR: 500\r\n*** Booting \"nRF\r\nOK\r\n",
        };
        station::fuzz::SmokeOptions options;
        options.corpus = QStringLiteral("atresponse");
        const qint64 executed = station::fuzz::runSmoke(fuzzAtResponse, seeds, options);
        QVERIFY(executed > 1000);
    }
};

QTEST_GUILESS_MAIN(TestFuzzAtResponse)
#include "tst_fuzz_atresponse.moc"
