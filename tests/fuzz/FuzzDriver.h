// The fuzz smoke driver shared by every fuzz target. A target is a function
//     int fuzzOne(const uint8_t *data, size_t size);
// (libFuzzer's LLVMFuzzerTestOneInput shape, so the same file can be built for a long libFuzzer run).
// The smoke run feeds it the seeds, then deterministic mutations of them (bit flips, byte changes,
// truncation, duplication, splices, random insertions) for a bounded number of iterations and time, so the
// default test suite catches crashes (and sanitizer reports in the asan preset) in a few seconds.
#pragma once

#include <QByteArray>
#include <QList>

#include <cstddef>
#include <cstdint>

namespace station::fuzz {

using FuzzTarget = int (*)(const uint8_t *data, size_t size);

struct SmokeOptions {
    int iterations = 20000;
    int maxMilliseconds = 8000;
    quint32 seed = 0x5eed1234;
    qsizetype maxInputSize = 64 * 1024;
};

/// Runs the target over the seeds and their mutations; returns the number of inputs executed.
qint64 runSmoke(FuzzTarget target, const QList<QByteArray> &seeds, const SmokeOptions &options = {});

} // namespace station::fuzz
