// Bookkeeping for a driver's one pending operation: marks the driver busy, makes sure the completion
// callback runs exactly once, and lets cancel() or a lost connection end it early while any late result
// of the abandoned exchange is dropped.
#pragma once

#include "Error.h"

#include <functional>
#include <memory>

namespace station::drivers {

class PendingOperation
{
public:
    template <typename T> using Done = std::function<void(Result<T>)>;

    [[nodiscard]] bool busy() const { return m_busy; }

    /// Marks an operation as started and returns the callback to complete it with.
    template <typename T> Done<T> start(Done<T> done)
    {
        const quint64 generation = ++m_generation;
        auto shared = std::make_shared<Done<T>>(std::move(done));
        m_abort = [shared](const Error &error) {
            Done<T> d = std::move(*shared);
            *shared = nullptr;
            if (d)
                d(std::unexpected(error));
        };
        m_busy = true;
        return [this, generation, shared](Result<T> result) {
            if (generation != m_generation || !m_busy)
                return; // cancelled or superseded: the caller already heard
            m_busy = false;
            m_abort = nullptr;
            Done<T> d = std::move(*shared);
            *shared = nullptr;
            if (d)
                d(std::move(result));
        };
    }

    /// Ends the pending operation (if any) with `error`.
    void abort(const Error &error)
    {
        if (!m_busy)
            return;
        m_busy = false;
        ++m_generation;
        auto a = std::move(m_abort);
        m_abort = nullptr;
        if (a)
            a(error);
    }

private:
    std::function<void(const Error &)> m_abort;
    quint64 m_generation = 0;
    bool m_busy = false;
};

} // namespace station::drivers
