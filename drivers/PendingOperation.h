// Bookkeeping for a driver's one pending operation: marks the driver busy, makes sure the completion
// callback runs exactly once, and lets cancel() or a lost connection end it early while any late result
// of the abandoned exchange is dropped.
//
// Lifetime: every completion is delivered from the event loop (queued to the driver, the `context`),
// never from inside the call that produced it — not from cancel(), not from the transport's signal. So
// an owner may destroy the driver inside its callback, and when the driver is destroyed with an operation
// pending (or a result still queued) the callback is dropped without running: it captures its owner, who
// may be gone too. A completion wrapper that outlives the driver holds only a weak reference.
#pragma once

#include "Error.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace station::drivers {

class PendingOperation
{
public:
    template <typename T> using Done = std::function<void(Result<T>)>;

    /// `context` is the driver: completions are queued to its thread and dropped when it is destroyed.
    explicit PendingOperation(QObject *context) : m_context(context), m_state(std::make_shared<State>()) {}
    ~PendingOperation()
    {
        // Drop, never run: the owner of the callback may already be gone.
        m_state->busy = false;
        m_state->abort = nullptr;
    }
    PendingOperation(const PendingOperation &) = delete;
    PendingOperation &operator=(const PendingOperation &) = delete;

    [[nodiscard]] bool busy() const { return m_state->busy; }

    /// Marks an operation as started and returns the callback to complete it with.
    template <typename T> Done<T> start(Done<T> done)
    {
        const quint64 generation = ++m_state->generation;
        auto shared = std::make_shared<Done<T>>(std::move(done));
        QPointer<QObject> context = m_context;
        m_state->abort = [context, shared](const Error &error) {
            deliver<T>(context, shared, Result<T>(std::unexpected(error)));
        };
        m_state->busy = true;
        std::weak_ptr<State> weak = m_state;
        return [weak, context, generation, shared](Result<T> result) {
            const std::shared_ptr<State> state = weak.lock();
            if (!state || generation != state->generation || !state->busy)
                return; // cancelled, superseded or the driver is gone: the caller already heard or must not
            state->busy = false;
            state->abort = nullptr;
            deliver<T>(context, shared, std::move(result));
        };
    }

    /// Ends the pending operation (if any) with `error`; its callback gets it from the event loop.
    void abort(const Error &error)
    {
        if (!m_state->busy)
            return;
        m_state->busy = false;
        ++m_state->generation;
        auto a = std::move(m_state->abort);
        m_state->abort = nullptr;
        if (a)
            a(error);
    }

private:
    struct State {
        std::function<void(const Error &)> abort;
        quint64 generation = 0;
        bool busy = false;
    };

    template <typename T>
    static void deliver(const QPointer<QObject> &context, const std::shared_ptr<Done<T>> &shared, Result<T> result)
    {
        if (!context)
            return;
        auto boxed = std::make_shared<Result<T>>(std::move(result));
        QTimer::singleShot(0, context.data(), [shared, boxed] {
            Done<T> d = std::move(*shared);
            *shared = nullptr;
            if (d)
                d(std::move(*boxed));
        });
    }

    QPointer<QObject> m_context;
    std::shared_ptr<State> m_state;
};

} // namespace station::drivers
