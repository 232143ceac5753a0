// Fuzz smoke run of the station protocol's frame parser.
#include "FuzzDriver.h"
#include "station/Frame.h"
#include "station/Tlv.h"

#include <QTest>

int fuzzFrameParser(const uint8_t *data, size_t size);

class TestFuzzFrameParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void smoke_mutatedFrames_neverCrash()
    {
        using namespace station::drivers;
        auto frame = [](proto::FrameType type, quint8 seq, const QByteArray &payload) {
            Frame f;
            f.type = type;
            f.seq = seq;
            f.payload = payload;
            return f.encode();
        };
        const QByteArray hello =
            QByteArray(1, 0x01) + Tlv().addU8(proto::Tag::VersionMin, 1).addU8(proto::Tag::VersionMax, 1).encode();
        const QList<QByteArray> seeds = {
            frame(proto::FrameType::Request, 1, hello),
            "*** Booting ***\r\n" +
                frame(proto::FrameType::Response, 2,
                      QByteArray(1, 0) + Tlv().addU32(proto::Tag::Length, 300).encode()) +
                "[00:00:01.000] <inf> log\r\n" + frame(proto::FrameType::Nak, 0, {}),
            frame(proto::FrameType::Response, 3, QByteArray(200, 'x')) + frame(proto::FrameType::Response, 4, {}),
            QByteArray("\xA5\x5A\xA5\x5A\x01\x00\x00", 7),
        };
        station::fuzz::SmokeOptions options;
        options.corpus = QStringLiteral("frameparser");
        const qint64 executed = station::fuzz::runSmoke(fuzzFrameParser, seeds, options);
        QVERIFY(executed > 1000);
    }
};

QTEST_GUILESS_MAIN(TestFuzzFrameParser)
#include "tst_fuzz_frameparser.moc"
