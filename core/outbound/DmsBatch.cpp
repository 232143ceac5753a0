#include "DmsBatch.h"

#include "LamassuDevice.h"

#include <QTimer>

namespace station::outbound {

namespace {
constexpr int kPage = 256;
} // namespace

DmsBatch::DmsBatch(manifest::Manifest &manifest, DmsApi *api, BatchOptions options, QObject *parent)
    : QObject(parent), m_manifest(manifest), m_api(api), m_options(std::move(options))
{
    m_options.jobs = qBound(1, m_options.jobs, 64);
    m_options.attempts = qMax(1, m_options.attempts);
    m_options.filter.latestPerSerial = true;
}

void DmsBatch::cancel()
{
    m_cancelled = true;
    m_queue.clear();
    QTimer::singleShot(0, this, [this] { maybeFinish(); });
}

void DmsBatch::startUnits()
{
    m_started = true;
    pump();
}

void DmsBatch::refill()
{
    if (m_exhausted || m_abort)
        return;
    int taken = 0;
    auto read =
        m_manifest.forEachFinished(m_options.filter, m_cursorSeq, [this, &taken](const manifest::ManifestRecord &r) {
            m_cursorSeq = r.seq.value_or(m_cursorSeq);
            const QString id = lamassuDeviceId(r);
            if (accept(r, id)) {
                m_queue.append({r, id, 0, 0});
                ++taken;
            }
            return taken < kPage && !m_abort;
        });
    if (!read) {
        readFailed(read.error());
        return;
    }
    m_exhausted = taken < kPage; // the walk ended before the page was full: no rows left
}

void DmsBatch::pump()
{
    if (!m_started || m_finished)
        return;
    while (!m_cancelled && !m_abort && m_active < m_options.jobs) {
        if (m_queue.isEmpty())
            refill();
        if (m_queue.isEmpty())
            break;
        ++m_active;
        process(m_queue.takeFirst());
    }
    maybeFinish();
}

void DmsBatch::unitDone()
{
    --m_active;
    Q_EMIT progress(++m_done);
    // Not from inside the subclass's callback: the next unit starts on a fresh stack.
    QTimer::singleShot(0, this, [this] { pump(); });
}

bool DmsBatch::retry(Unit unit)
{
    if (++unit.attempt >= m_options.attempts || m_cancelled || m_abort)
        return false;
    const int delay = qMin(m_options.maxBackoffMs, m_options.backoffMs << qMin(unit.attempt - 1, 16));
    QTimer::singleShot(delay, this, [this, unit] {
        if (m_abort) {
            --m_active;
            maybeFinish();
            return;
        }
        process(unit); // still counted in m_active
    });
    return true;
}

void DmsBatch::afterBackoff(int attempt, std::function<void()> again)
{
    const int delay = qMin(m_options.maxBackoffMs, m_options.backoffMs << qMin(qMax(0, attempt - 1), 16));
    QTimer::singleShot(delay, this, std::move(again));
}

void DmsBatch::abort(const Error &why)
{
    if (!m_abort)
        m_abort = why;
    m_queue.clear();
    QTimer::singleShot(0, this, [this] { maybeFinish(); });
}

void DmsBatch::readFailed(const Error &error)
{
    abort(error.withContext(QStringLiteral("Reading the manifest")));
}

void DmsBatch::maybeFinish()
{
    if (m_finished || m_active > 0)
        return;
    const bool nothingLeft = m_abort || m_cancelled || (m_started && m_queue.isEmpty() && m_exhausted);
    if (!nothingLeft)
        return;
    m_finished = true;
    allDone();
}

} // namespace station::outbound
