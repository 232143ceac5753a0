#include "SupervisorSession.h"

#include "crypto/ThreadState.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QSettings>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace station::provisioning {

namespace {

/// Calls `done` with the task's result on `context`'s thread, always from the event loop — also when the
/// task finished before this returns (QFuture::then would then call it at once, inside the caller).
template <typename T, typename F> void whenDone(QFuture<T> future, QObject *context, F done)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)]() mutable {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(std::move(future));
}

} // namespace

using crypto::PasswordHash;

namespace {

struct UnlockOutcome {
    Result<bool> matched = false;
    QString upgradedRecord; ///< non-empty when the record was re-derived with stronger parameters
};

} // namespace

SupervisorSession::SupervisorSession(QSettings *settings, QObject *parent)
    : SupervisorSession(settings, Options{}, parent)
{}

SupervisorSession::SupervisorSession(QSettings *settings, Options options, QObject *parent)
    : QObject(parent), m_settings(settings), m_options(std::move(options))
{
    if (m_options.checkInterval.count() > 0) {
        m_timer = new QTimer(this);
        m_timer->setInterval(m_options.checkInterval);
        connect(m_timer, &QTimer::timeout, this, &SupervisorSession::checkTimeout);
    }
}

SupervisorSession::~SupervisorSession() = default;

std::chrono::steady_clock::time_point SupervisorSession::now() const
{
    return m_options.clock ? m_options.clock() : std::chrono::steady_clock::now();
}

bool SupervisorSession::hasPassword() const
{
    return m_settings && !m_settings->value(kRecordKey).toString().isEmpty();
}

bool SupervisorSession::isUnlocked()
{
    checkTimeout();
    return m_lastActivity.has_value();
}

std::chrono::milliseconds SupervisorSession::remaining() const
{
    if (!m_lastActivity)
        return std::chrono::milliseconds(0);
    const auto left =
        m_options.timeout - std::chrono::duration_cast<std::chrono::milliseconds>(now() - *m_lastActivity);
    return std::max(left, std::chrono::milliseconds(0));
}

void SupervisorSession::touch()
{
    if (m_lastActivity && remaining().count() > 0)
        m_lastActivity = now();
}

void SupervisorSession::lock()
{
    if (!m_lastActivity)
        return;
    m_lastActivity.reset();
    if (m_timer)
        m_timer->stop();
    emit locked();
}

void SupervisorSession::checkTimeout()
{
    if (m_lastActivity && remaining().count() <= 0)
        lock();
}

void SupervisorSession::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

void SupervisorSession::unlock(crypto::SecretBytes password)
{
    if (m_busy) {
        emit refused(tr("The station is still checking the previous password. Wait a moment."));
        return;
    }
    const QString record = m_settings ? m_settings->value(kRecordKey).toString() : QString();
    if (record.isEmpty()) {
        emit refused(tr("No supervisor password is set yet. Restart the station to set one."));
        return;
    }
    setBusy(true);
    const PasswordHash::Params params = m_options.hashParams;
    auto work = [pw = std::move(password), record, params]() {
        const crypto::ThreadStateRelease release;
        UnlockOutcome out;
        out.matched = PasswordHash::verify(pw, record);
        if (out.matched && *out.matched && PasswordHash::needsRehash(record, params)) {
            if (auto fresh = PasswordHash::create(pw, params))
                out.upgradedRecord = *fresh;
        }
        return out;
    };
    whenDone(QtConcurrent::run(std::move(work)), this, [this](const UnlockOutcome &out) {
        setBusy(false);
        if (!out.matched) {
            emit refused(out.matched.error().message + QLatin1Char(' ') + out.matched.error().remedy);
            return;
        }
        if (!*out.matched) {
            emit refused(tr("Wrong supervisor password. Try again."));
            return;
        }
        if (!out.upgradedRecord.isEmpty() && m_settings) {
            m_settings->setValue(kRecordKey, out.upgradedRecord);
            m_settings->sync();
        }
        m_lastActivity = now();
        if (m_timer)
            m_timer->start();
        emit unlocked();
    });
}

void SupervisorSession::setPassword(crypto::SecretBytes password)
{
    if (m_busy) {
        emit failed(Error(ErrorCode::InvalidArgument, tr("The station is still working on the previous password."), {},
                          tr("Wait a moment and try again.")));
        return;
    }
    if (hasPassword() && !isUnlocked()) {
        emit failed(Error(ErrorCode::Authentication, tr("Only a supervisor can change the supervisor password."), {},
                          tr("Unlock the supervisor mode first.")));
        return;
    }
    if (QString::fromUtf8(password.view()).size() < kMinimumPasswordLength) {
        emit failed(Error(ErrorCode::InvalidArgument,
                          tr("The password is too short: use at least %1 characters.").arg(kMinimumPasswordLength)));
        return;
    }
    if (!m_settings) {
        emit failed(Error(ErrorCode::Internal, tr("The station has no settings to keep the password in.")));
        return;
    }
    setBusy(true);
    const PasswordHash::Params params = m_options.hashParams;
    auto work = [pw = std::move(password), params]() {
        const crypto::ThreadStateRelease release;
        return PasswordHash::create(pw, params);
    };
    whenDone(QtConcurrent::run(std::move(work)), this, [this](const Result<QString> &record) {
        setBusy(false);
        if (!record) {
            emit failed(record.error());
            return;
        }
        m_settings->setValue(kRecordKey, *record);
        m_settings->sync();
        if (m_settings->status() != QSettings::NoError) {
            emit failed(Error(ErrorCode::Io, tr("The supervisor password could not be saved."), m_settings->fileName(),
                              tr("Check that the settings file is writable.")));
            return;
        }
        // Whoever just set the password is the supervisor (first start goes on with the profile).
        m_lastActivity = now();
        if (m_timer)
            m_timer->start();
        emit passwordSet();
    });
}

} // namespace station::provisioning
