#include "FuzzDriver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>

namespace station::fuzz {

namespace {

QByteArray mutate(QByteArray input, const QList<QByteArray> &seeds, QRandomGenerator &rng, qsizetype maxSize)
{
    const int rounds = 1 + int(rng.bounded(4));
    for (int r = 0; r < rounds; ++r) {
        const qsizetype size = input.size();
        switch (rng.bounded(9)) {
        case 0: // flip a bit
            if (size > 0) {
                const qsizetype i = rng.bounded(int(size));
                input[i] = char(input[i] ^ char(1 << rng.bounded(8)));
            }
            break;
        case 1: // set a byte to an interesting value
            if (size > 0) {
                static const char interesting[] = {0, 1, 0x7f, char(0x80), char(0xff), '\r', '\n', ':', '=', '-', 0x30};
                input[rng.bounded(int(size))] = interesting[rng.bounded(int(sizeof(interesting)))];
            }
            break;
        case 2: // truncate
            if (size > 0)
                input.truncate(rng.bounded(int(size)));
            break;
        case 3: // delete a range
            if (size > 1) {
                const qsizetype at = rng.bounded(int(size));
                input.remove(at, 1 + rng.bounded(int(qMin<qsizetype>(16, size - at))));
            }
            break;
        case 4: // duplicate a range
            if (size > 0) {
                const qsizetype at = rng.bounded(int(size));
                const qsizetype len = 1 + rng.bounded(int(qMin<qsizetype>(64, size - at)));
                input.insert(at, input.mid(at, len));
            }
            break;
        case 5: // insert random bytes
        {
            const qsizetype at = size > 0 ? rng.bounded(int(size + 1)) : 0;
            QByteArray bytes(1 + rng.bounded(8), Qt::Uninitialized);
            for (char &c : bytes)
                c = char(rng.bounded(256));
            input.insert(at, bytes);
            break;
        }
        case 6: // splice with another seed
            if (!seeds.isEmpty()) {
                const QByteArray &other = seeds.at(rng.bounded(int(seeds.size())));
                const qsizetype cut = size > 0 ? rng.bounded(int(size + 1)) : 0;
                const qsizetype from = other.isEmpty() ? 0 : rng.bounded(int(other.size()));
                input = input.left(cut) + other.mid(from);
            }
            break;
        case 7: // overwrite a 1/2/4-byte length-like field with an extreme value
            if (size >= 4) {
                const qsizetype at = rng.bounded(int(size - 3));
                const quint32 extreme[] = {0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0xffffffff};
                const quint32 v = extreme[rng.bounded(8)];
                for (int k = 0; k < 4; ++k)
                    input[at + k] = char((v >> (8 * k)) & 0xff);
            }
            break;
        default: // swap two bytes
            if (size > 1) {
                const qsizetype a = rng.bounded(int(size));
                const qsizetype b = rng.bounded(int(size));
                std::swap(input[a], input[b]);
            }
            break;
        }
    }
    if (input.size() > maxSize)
        input.truncate(maxSize);
    return input;
}

} // namespace

QList<QByteArray> corpusFiles(const QString &target, int maxFiles, qsizetype maxSize)
{
    QList<QByteArray> files;
    const QDir dir(QStringLiteral(STATION_FUZZ_CORPUS_DIR "/") + target);
    // Inputs of fixed findings (regression-*) first, whatever the cap: they must be replayed every run.
    QStringList names = dir.entryList({QStringLiteral("regression-*")}, QDir::Files, QDir::Name);
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
        if (!name.startsWith(QLatin1String("regression-")))
            names.append(name);
    }
    for (const QString &name : std::as_const(names)) {
        if (files.size() >= maxFiles)
            break;
        QFile file(dir.filePath(name));
        if (file.open(QIODevice::ReadOnly))
            files.append(file.read(maxSize));
    }
    return files;
}

qint64 runSmoke(FuzzTarget target, const QList<QByteArray> &seeds, const SmokeOptions &options)
{
    QRandomGenerator rng(options.seed);
    QElapsedTimer timer;
    timer.start();
    qint64 executed = 0;
    QList<QByteArray> pool = seeds;
    if (!options.corpus.isEmpty()) {
        const QList<QByteArray> corpus = corpusFiles(options.corpus, options.maxCorpusFiles, options.maxInputSize);
        for (const QByteArray &input : corpus) {
            if (timer.elapsed() >= options.maxCorpusMilliseconds)
                break;
            target(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size()));
            ++executed;
            if (pool.size() < 192) // leave room for compounding mutations
                pool.append(input);
        }
        timer.restart();
    }
    for (const QByteArray &seed : seeds) {
        target(reinterpret_cast<const uint8_t *>(seed.constData()), size_t(seed.size()));
        ++executed;
    }
    target(nullptr, 0);
    ++executed;
    if (pool.isEmpty())
        pool.append(QByteArray());
    for (int i = 0; i < options.iterations && timer.elapsed() < options.maxMilliseconds; ++i) {
        const QByteArray input = mutate(pool.at(rng.bounded(int(pool.size()))), pool, rng, options.maxInputSize);
        target(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size()));
        ++executed;
        if (pool.size() < 256 && rng.bounded(16) == 0)
            pool.append(input); // let mutations compound
    }
    return executed;
}

} // namespace station::fuzz
