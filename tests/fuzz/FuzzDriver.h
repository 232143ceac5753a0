// The fuzz smoke driver shared by every fuzz target. A target is a function
//     int fuzzOne(const uint8_t *data, size_t size);
// (libFuzzer's LLVMFuzzerTestOneInput shape, so the same file can be built for a long libFuzzer run).
// The smoke run feeds it the seeds, then deterministic mutations of them (bit flips, byte changes,
// truncation, duplication, splices, random insertions) for a bounded number of iterations and time, so the
// default test suite catches crashes (and sanitizer reports in the asan preset) in a few seconds.
// When SmokeOptions::corpus names a target, the committed libFuzzer corpus tests/fuzz/corpus/<target>/ (grown
// by tests/fuzz/run-libfuzzer.sh) is replayed first, bounded in files and time, and joins the mutation pool.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstddef>
#include <cstdint>

namespace station::fuzz {

using FuzzTarget = int (*)(const uint8_t *data, size_t size);

struct SmokeOptions {
    int iterations = 20000;
    int maxMilliseconds = 8000;
    quint32 seed = 0x5eed1234;
    qsizetype maxInputSize = 64 * 1024;
    QString corpus;                   ///< subfolder of tests/fuzz/corpus/ to replay; empty: none
    int maxCorpusFiles = 300;         ///< the smoke run stays short: at most this many corpus files ...
    int maxCorpusMilliseconds = 2000; ///< ... replayed for at most this long
};

/// The files of tests/fuzz/corpus/<target>/ in name order (deterministic), at most maxFiles of them, each
/// truncated to maxSize.
QList<QByteArray> corpusFiles(const QString &target, int maxFiles, qsizetype maxSize);

/// Runs the target over the seeds and their mutations; returns the number of inputs executed.
qint64 runSmoke(FuzzTarget target, const QList<QByteArray> &seeds, const SmokeOptions &options = {});

} // namespace station::fuzz
