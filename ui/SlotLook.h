// What a slot tile shows for a SlotInfo from the station: which of the few looks (free, working,
// waiting for the operator, PASS, FAIL, ...), the result word with its shape, and the lines under it.
// Pure presentation of what the engine reports; it decides nothing about the job.
#pragma once

#include "provisioning/Station.h"

#include <QString>

namespace station::ui {

enum class TileLook {
    Free,      ///< no unit: an outline, "plug in a unit"
    Working,   ///< a job runs: step + progress
    Waiting,   ///< the unit waits for its label to be scanned (the normal next step: calm, not a warning)
    Attention, ///< the job waits for a person (a scan, a supervisor) or stopped without a result
    Pass,
    Fail,
};

struct SlotLook {
    TileLook look = TileLook::Free;
    QString lookName;         ///< "free", "working", "waiting", "attention", "pass", "fail" (stylesheet property)
    QString resultWord;       ///< "✓ PASS", "✕ FAIL", "⚠ STOPPED"; empty while working
    QString step;             ///< the step text, or the instruction for the operator
    QString cause;            ///< FAIL / stopped: the one-line cause
    QString remedy;           ///< FAIL / stopped: what to do
    int progressPercent = -1; ///< -1: no progress bar
    qint64 elapsedMs = 0;
    bool running = false; ///< the elapsed time still grows
};

/// The look of `slot` at `nowMs` (milliseconds since the epoch).
[[nodiscard]] SlotLook slotLook(const provisioning::SlotInfo &slot, qint64 nowMs);

/// "4.1 s", "1:05" — how long a unit has taken.
[[nodiscard]] QString formatElapsed(qint64 ms);

/// The port as the operator reads it on the bench: "ttyACM0", "usb 1-2.3".
[[nodiscard]] QString shortPortName(const QString &portPath);

} // namespace station::ui
