// The GUI's compiled-in assets: every tile and action icon is a valid SVG that draws something, PASS and
// FAIL differ in shape and not only in colour (their grey-scale masks differ); the two tones are really
// different sounds (PASS one rising tone, FAIL two lower bursts with a gap); the cue sounds on PASS and
// FAIL and is silent when turned off; the compiled English translation loads and answers a plural.
#include "Icons.h"
#include "SoundCue.h"

#include <QApplication>
#include <QFile>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTest>
#include <QTranslator>
#include <QtEndian>

#include <cmath>

using namespace station::ui;

namespace {

struct Wave {
    int rate = 0;
    QList<double> samples; ///< -1 .. 1
};

Wave readWav(const QString &path)
{
    QFile f(path);
    Wave w;
    if (!f.open(QIODevice::ReadOnly))
        return w;
    const QByteArray b = f.readAll();
    if (b.size() < 44 || !b.startsWith("RIFF") || b.mid(8, 4) != "WAVE")
        return w;
    // 16-bit mono PCM, as make-tones.py writes it; the chunks are walked, not assumed.
    qsizetype at = 12;
    int channels = 0, bits = 0;
    while (at + 8 <= b.size()) {
        const QByteArray id = b.mid(at, 4);
        const quint32 len = qFromLittleEndian<quint32>(b.constData() + at + 4);
        const char *body = b.constData() + at + 8;
        if (id == "fmt ") {
            channels = qFromLittleEndian<quint16>(body + 2);
            w.rate = int(qFromLittleEndian<quint32>(body + 4));
            bits = qFromLittleEndian<quint16>(body + 14);
        } else if (id == "data" && channels == 1 && bits == 16) {
            for (quint32 i = 0; i + 1 < len && at + 8 + i + 1 < b.size(); i += 2)
                w.samples << qFromLittleEndian<qint16>(body + i) / 32768.0;
        }
        at += 8 + len + (len & 1);
    }
    return w;
}

/// Bursts of sound separated by at least 50 ms of silence.
int bursts(const Wave &w)
{
    int count = 0, quiet = w.rate; // start "after silence"
    for (double s : w.samples) {
        if (std::abs(s) > 0.05) {
            if (quiet > w.rate / 20)
                ++count;
            quiet = 0;
        } else {
            ++quiet;
        }
    }
    return count;
}

/// Mean frequency from zero crossings over the sounding part.
double meanFrequency(const Wave &w)
{
    int crossings = 0, sounding = 0;
    for (qsizetype i = 1; i < w.samples.size(); ++i) {
        if (std::abs(w.samples[i]) > 0.01 || std::abs(w.samples[i - 1]) > 0.01) {
            ++sounding;
            if ((w.samples[i - 1] < 0) != (w.samples[i] < 0))
                ++crossings;
        }
    }
    return sounding ? crossings / 2.0 / (double(sounding) / w.rate) : 0;
}

} // namespace

class TestGuiAssets : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { initUiResources(); }

    void icons_areValidSvg_andDrawSomething_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n : {"pass", "fail", "working", "empty", "attention", "waiting", "help", "slot-previous",
                              "slot-next", "cancel", "fullscreen", "sound-on", "sound-off", "supervisor-locked",
                              "supervisor-unlocked", "settings", "reprovision", "trust"})
            QTest::newRow(n) << QString::fromLatin1(n);
    }
    void icons_areValidSvg_andDrawSomething()
    {
        QFETCH(QString, name);
        QSvgRenderer renderer(iconPath(name));
        QVERIFY2(renderer.isValid(), qPrintable(iconPath(name)));
        const QImage img = uiPixmap(name, 32, 2.0).toImage(); // high DPI: 64 x 64 device pixels
        QCOMPARE(img.size(), QSize(64, 64));
        int opaque = 0;
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x)
                opaque += qAlpha(img.pixel(x, y)) > 128;
        QVERIFY2(opaque > 64 * 64 / 20, qPrintable(QString::number(opaque)));
        QVERIFY(!uiIcon(name).isNull());
    }

    void passAndFail_differInShape_notOnlyColour()
    {
        auto mask = [](const QString &name) {
            QImage img = uiPixmap(name, 48, 1.0).toImage().convertToFormat(QImage::Format_Grayscale8);
            return img;
        };
        const QImage pass = mask(QStringLiteral("pass"));
        const QImage fail = mask(QStringLiteral("fail"));
        int differ = 0;
        for (int y = 0; y < 48; ++y)
            for (int x = 0; x < 48; ++x)
                differ += std::abs(qGray(pass.pixel(x, y)) - qGray(fail.pixel(x, y))) > 60;
        QVERIFY2(differ > 48 * 48 / 10, qPrintable(QString::number(differ))); // the check vs the cross
    }

    void tones_passRisesOnce_failIsALowerDoubleTone()
    {
        const Wave pass = readWav(QStringLiteral(":/sounds/pass.wav"));
        const Wave fail = readWav(QStringLiteral(":/sounds/fail.wav"));
        QVERIFY(pass.rate > 0 && !pass.samples.isEmpty());
        QVERIFY(fail.rate > 0 && !fail.samples.isEmpty());
        QCOMPARE(bursts(pass), 1);
        QCOMPARE(bursts(fail), 2);
        const double fp = meanFrequency(pass), ff = meanFrequency(fail);
        QVERIFY2(fp > 1.5 * ff, qPrintable(QStringLiteral("pass %1 Hz, fail %2 Hz").arg(fp).arg(ff)));
        // Rising: the second half of PASS is higher than the first.
        Wave first = pass, second = pass;
        first.samples = pass.samples.mid(0, pass.samples.size() / 2);
        second.samples = pass.samples.mid(pass.samples.size() / 2);
        QVERIFY(meanFrequency(second) > meanFrequency(first) * 1.1);
    }

    void soundCue_soundsOnPassAndFail_silentWhenOff()
    {
        SoundCue cue(true);
        QSignalSpy played(&cue, &SoundCue::played);
        cue.pass();
        cue.fail();
        QCOMPARE(played.size(), 2);
        QCOMPARE(played[0].first().value<SoundCue::Cue>(), SoundCue::Cue::Pass);
        QCOMPARE(played[1].first().value<SoundCue::Cue>(), SoundCue::Cue::Fail);
        QVERIFY(SoundCue::sourceFor(SoundCue::Cue::Pass) != SoundCue::sourceFor(SoundCue::Cue::Fail));
        cue.setEnabled(false);
        cue.pass();
        cue.fail();
        QCOMPARE(played.size(), 2);
    }

    void translation_compiledIn_loads()
    {
        QTranslator t;
        QVERIFY(t.load(QStringLiteral(":/i18n/provstation_en.qm")));
        const QString one =
            t.translate("station::ui::TrustPage", "\u2713 Trusted: %n CA certificate(s) saved to %1.", nullptr, 1);
        QCOMPARE(one, QStringLiteral("\u2713 Trusted: %n CA certificate saved to %1."));
    }
};

QTEST_MAIN(TestGuiAssets)
#include "tst_gui_assets.moc"
