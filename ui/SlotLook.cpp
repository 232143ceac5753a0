#include "SlotLook.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace station::ui {

using provisioning::JobState;

namespace {

/// The translation context of the tile texts (lupdate reads Q_DECLARE_TR_FUNCTIONS).
class SlotLookText
{
    Q_DECLARE_TR_FUNCTIONS(SlotLook)
};

/// How far along the usual path a working state is, for the step progress bar.
int stepPercent(JobState state)
{
    const int first = int(JobState::Opening);
    const int last = int(JobState::Recording);
    const int s = qBound(first, int(state), last);
    return 5 + (s - first) * 90 / (last - first);
}

} // namespace

QString formatElapsed(qint64 ms)
{
    if (ms < 60'000)
        return SlotLookText::tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    const qint64 s = ms / 1000;
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString shortPortName(const QString &portPath)
{
    if (portPath.startsWith(QLatin1Char('/')))
        return QFileInfo(portPath).fileName();
    return portPath;
}

SlotLook slotLook(const provisioning::SlotInfo &slot, qint64 nowMs)
{
    SlotLook l;
    if (!slot.present) {
        l.look = TileLook::Free;
        l.lookName = QStringLiteral("free");
        l.step = SlotLookText::tr("plug in a unit");
        return l;
    }
    if (slot.result) {
        const provisioning::JobResult &r = *slot.result;
        l.elapsedMs = r.durationMs;
        l.cause = r.message.cause;
        l.remedy = r.message.remedy;
        if (r.passed()) {
            l.look = TileLook::Pass;
            l.lookName = QStringLiteral("pass");
            l.resultWord = SlotLookText::tr("\u2713 PASS");
            l.step = SlotLookText::tr("Remove the unit.");
            l.cause.clear();
            l.remedy.clear();
        } else if (r.finalState == JobState::Incomplete) {
            l.look = TileLook::Attention;
            l.lookName = QStringLiteral("attention");
            l.resultWord = SlotLookText::tr("\u26A0 STOPPED");
        } else {
            l.look = TileLook::Fail;
            l.lookName = QStringLiteral("fail");
            l.resultWord = SlotLookText::tr("\u2715 FAIL");
        }
        return l;
    }
    l.elapsedMs = slot.startedMsSinceEpoch > 0 ? qMax<qint64>(0, nowMs - slot.startedMsSinceEpoch) : 0;
    l.step = slot.stepText.isEmpty() ? provisioning::jobStateLabel(slot.state) : slot.stepText;
    if (slot.state == JobState::AwaitingScan) {
        l.look = TileLook::Waiting;
        l.lookName = QStringLiteral("waiting");
        l.elapsedMs = 0;
        l.step = SlotLookText::tr("\u25A4 Scan the unit's label");
        return l;
    }
    if (slot.state == JobState::AwaitingConfirmation) {
        l.look = TileLook::Attention;
        l.lookName = QStringLiteral("attention");
        l.elapsedMs = 0;
        l.step = SlotLookText::tr("Already provisioned: a supervisor re-provisions it with F7");
        return l;
    }
    l.look = TileLook::Working;
    l.lookName = QStringLiteral("working");
    l.running = slot.startedMsSinceEpoch > 0;
    l.progressPercent = slot.progressTotal > 0
                            ? int(qBound<qint64>(qint64(0), slot.progressDone * 100 / slot.progressTotal, qint64(100)))
                            : stepPercent(slot.state);
    return l;
}

} // namespace station::ui
