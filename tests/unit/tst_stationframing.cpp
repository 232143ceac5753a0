// Station protocol framing: checksums, frame encoding, and finding frames among chatter and damage.
#include "station/Checksum.h"
#include "station/Frame.h"
#include "station/FrameParser.h"
#include "station/Tlv.h"

#include <QTest>

using namespace station::drivers;

class TestStationFraming : public QObject
{
    Q_OBJECT

private:
    static Frame frame(quint8 seq, const QByteArray &payload, proto::FrameType type = proto::FrameType::Response)
    {
        Frame f;
        f.type = type;
        f.seq = seq;
        f.payload = payload;
        return f;
    }

private slots:
    void crc16_checkValue_matchesCatalogue()
    {
        QCOMPARE(Checksum::crc16("123456789"), quint16(0x29B1));
        QCOMPARE(Checksum::crc16(""), quint16(0xFFFF));
    }

    void crc32_checkValue_matchesCatalogue()
    {
        QCOMPARE(Checksum::crc32("123456789"), quint32(0xCBF43926));
        QCOMPARE(Checksum::crc32(""), quint32(0));
    }

    void encode_knownFrame_hasDocumentedLayout()
    {
        // The example of PROTOCOL.md §3.4 (cross-checked with Python binascii.crc32): REQUEST, SEQ 7, IDENTIFY.
        const QByteArray bytes = frame(7, QByteArray(1, '\x02'), proto::FrameType::Request).encode();
        QCOMPARE(bytes.size(), 8 + 1 + 4);
        QCOMPARE(bytes.left(6).toHex(), QByteArray("a55a01070001"));
        QCOMPARE(bytes.mid(6, 2).toHex(),
                 QByteArray::number(Checksum::crc16(bytes.left(6)), 16).rightJustified(4, '0'));
        QCOMPARE(bytes.toHex(), QByteArray("a55a010700011ca002da27e7bb"));
    }

    void feed_cleanFrame_decodes()
    {
        FrameParser p;
        const Frame f = frame(1, "hello");
        const auto out = p.feed(f.encode());
        QCOMPARE(out.frames.size(), 1);
        QCOMPARE(out.frames.first(), f);
        QCOMPARE(out.damaged, 0);
        QCOMPARE(p.buffered(), 0);
    }

    void feed_byteByByte_decodes()
    {
        FrameParser p;
        const QByteArray bytes = frame(9, QByteArray(300, 'x')).encode();
        QList<Frame> got;
        for (char c : bytes)
            got += p.feed(QByteArrayView(&c, 1)).frames;
        QCOMPARE(got.size(), 1);
        QCOMPARE(got.first().payload.size(), 300);
    }

    void feed_chatterBeforeAndBetween_framesFound_data()
    {
        QTest::addColumn<QByteArray>("chatter");
        QTest::newRow("boot log") << QByteArray("*** Booting Zephyr OS build v3.5.0 ***\r\n[00:00:00.004] <inf> x\r\n");
        QTest::newRow("prompt") << QByteArray("uart:~$ ");
        QTest::newRow("lone sync bytes") << QByteArray("\xA5\xA5\x5A\xA5 log \xA5", 10);
        QTest::newRow("fake header") << QByteArray("\xA5\x5A\x02\x01\x00\x05\x00\x00garbage", 16);
        QTest::newRow("binary noise") << QByteArray::fromHex("00ff7e7e00a5005a1234");
    }

    void feed_chatterBeforeAndBetween_framesFound()
    {
        QFETCH(QByteArray, chatter);
        FrameParser p;
        const Frame a = frame(1, "first"), b = frame(2, "second");
        const auto out = p.feed(chatter + a.encode() + chatter + b.encode() + chatter);
        QCOMPARE(out.frames.size(), 2);
        QCOMPARE(out.frames.at(0), a);
        QCOMPARE(out.frames.at(1), b);
        QVERIFY(p.discardedBytes() >= chatter.size());
    }

    void feed_corruptedPayload_reportsDamageAndFindsNextFrame()
    {
        FrameParser p;
        QByteArray bad = frame(1, "payload that gets damaged").encode();
        bad[12] = static_cast<char>(bad[12] ^ 0x01);
        const Frame good = frame(2, "intact");
        const auto out = p.feed(bad + good.encode());
        QCOMPARE(out.damaged, 1);
        QCOMPARE(out.damagedPayload, 25); // what the station halves when it asks for smaller frames
        QCOMPARE(out.frames.size(), 1);
        QCOMPARE(out.frames.first(), good);
    }

    void feed_corruptedHeader_skipsAndFindsNextFrame()
    {
        FrameParser p;
        QByteArray bad = frame(1, "x").encode();
        bad[4] = static_cast<char>(bad[4] ^ 0x40); // length field
        const Frame good = frame(2, "intact");
        const auto out = p.feed(bad + good.encode());
        QCOMPARE(out.damaged, 0); // a bad header is not even a frame
        QCOMPARE(out.frames.size(), 1);
        QCOMPARE(out.frames.first(), good);
    }

    void feed_droppedByte_recoversOnLaterFrames()
    {
        FrameParser p;
        QByteArray lossy = frame(1, QByteArray(40, 'a')).encode();
        lossy.remove(20, 1);
        const Frame good = frame(2, QByteArray(40, 'b'));
        // The truncated frame swallows the start of the next one; the retransmission after it gets through.
        auto out = p.feed(lossy + good.encode());
        out.frames += p.feed(good.encode()).frames;
        QVERIFY(!out.frames.isEmpty());
        QCOMPARE(out.frames.last(), good);
    }

    void feed_lengthAboveLimit_notAFrame()
    {
        FrameParser p(64);
        const auto out = p.feed(frame(1, QByteArray(65, 'z')).encode());
        QCOMPARE(out.frames.size(), 0);
        QVERIFY(p.buffered() < 8);
    }

    void feed_endlessChatter_bufferStaysSmall()
    {
        FrameParser p;
        for (int i = 0; i < 1000; ++i)
            (void)p.feed("log line without frames\r\n");
        QVERIFY(p.buffered() <= 1);
    }

    void tlv_roundTrip_keepsOrderAndValues()
    {
        Tlv t;
        t.addU8(proto::Tag::Slot, 3)
            .addU16(proto::Tag::MaxPayload, 512)
            .addU32(proto::Tag::Length, 70000)
            .addText(proto::Tag::SerialNumber, QStringLiteral("SN-ü1"));
        auto back = Tlv::parse(t.encode());
        QVERIFY(back.has_value());
        QCOMPARE(back->number(proto::Tag::Slot), 3u);
        QCOMPARE(back->number(proto::Tag::MaxPayload), 512u);
        QCOMPARE(back->number(proto::Tag::Length), 70000u);
        QCOMPARE(back->text(proto::Tag::SerialNumber), QStringLiteral("SN-ü1"));
        QVERIFY(!back->has(proto::Tag::Nonce));
    }

    void tlv_truncated_isParseError()
    {
        const QByteArray full = Tlv().addText(proto::Tag::Model, QStringLiteral("abcdef")).encode();
        for (int cut = 1; cut < full.size(); ++cut) {
            auto r = Tlv::parse(full.left(cut));
            QVERIFY2(!r.has_value(), qPrintable(QString::number(cut)));
            QCOMPARE(r.error().code, station::ErrorCode::Parse);
        }
    }
};

QTEST_GUILESS_MAIN(TestStationFraming)
#include "tst_stationframing.moc"
