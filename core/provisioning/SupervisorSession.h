// Who is at the station: the operator, always; the supervisor, after the supervisor password, until a
// few minutes without a supervisor action. Settings, the profile, export / upload and re-provisioning
// ask isUnlocked() first. The password lives only as a PasswordHash record in the settings
// ("supervisor/password"), set at first start; deriving it (about half a second) runs on the thread
// pool and the answer comes back as a signal on this object's thread, so a GUI never freezes.
// The clock is injected: tests move time instead of waiting.
#pragma once

#include "Error.h"

#include "crypto/PasswordHash.h"
#include "crypto/SecretBytes.h"

#include <QObject>

#include <chrono>
#include <functional>
#include <optional>

class QSettings;
class QTimer;

namespace station::provisioning {

class SupervisorSession : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    static constexpr std::chrono::milliseconds kDefaultTimeout = std::chrono::minutes(5);
    static constexpr qsizetype kMinimumPasswordLength = 8;
    /// The settings key of the password record (the only thing the session stores).
    static inline const QString kRecordKey = QStringLiteral("supervisor/password");

    struct Options {
        std::chrono::milliseconds timeout = kDefaultTimeout; ///< inactivity that locks the session
        crypto::PasswordHash::Params hashParams;             ///< for new records (and upgrading old ones)
        Clock clock;                                         ///< default: steady_clock::now
        std::chrono::milliseconds checkInterval{1000};       ///< how often the timeout is checked (0: never)
    };

    /// `settings` (owned by the caller, outliving this) holds the password record.
    explicit SupervisorSession(QSettings *settings, QObject *parent = nullptr);
    SupervisorSession(QSettings *settings, Options options, QObject *parent = nullptr);
    ~SupervisorSession() override;

    /// Whether a supervisor password has been set (first start is over).
    [[nodiscard]] bool hasPassword() const;
    /// Whether a password is being derived right now (unlock() and setPassword() are refused meanwhile).
    [[nodiscard]] bool isBusy() const { return m_busy; }
    /// Whether the supervisor is in; locks first when the timeout has passed.
    [[nodiscard]] bool isUnlocked();
    /// Time left before the session locks (zero when locked).
    [[nodiscard]] std::chrono::milliseconds remaining() const;
    [[nodiscard]] std::chrono::milliseconds timeout() const { return m_options.timeout; }

    /// A supervisor action: the inactivity timeout starts again.
    void touch();
    /// Back to the operator at once.
    void lock();
    /// Locks when the timeout has passed (a timer calls it; tests with their own clock call it).
    void checkTimeout();

    /// Checks `password` off the calling thread: unlocked() or refused(). An old record with weaker
    /// parameters is replaced by one with the current ones on success.
    void unlock(crypto::SecretBytes password);
    /// Sets the password: allowed when none is set yet, or while unlocked. passwordSet() (the session is
    /// then unlocked) or failed().
    void setPassword(crypto::SecretBytes password);

signals:
    void unlocked();
    /// The password was wrong, or could not be checked: `reason` says so and what to do.
    void refused(const QString &reason);
    void locked();
    void passwordSet();
    void failed(const station::Error &error);
    void busyChanged(bool busy);

private:
    [[nodiscard]] std::chrono::steady_clock::time_point now() const;
    void setBusy(bool busy);

    QSettings *m_settings;
    Options m_options;
    QTimer *m_timer = nullptr;
    bool m_busy = false;
    std::optional<std::chrono::steady_clock::time_point> m_lastActivity; ///< set while unlocked
};

} // namespace station::provisioning
