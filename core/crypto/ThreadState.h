// OpenSSL keeps per-thread state (the thread's private random generator, error queue) that it frees
// when the thread ends. Tasks that run OpenSSL on a pool thread — which lives on, idle, and may still be
// alive when the process exits — release that state when they finish, so nothing of it outlives the task
// (and leak checkers see no orphaned generator). Use: `const crypto::ThreadStateRelease release;` first
// thing in the task.
#pragma once

namespace station::crypto {

/// Frees this thread's OpenSSL state (OPENSSL_thread_stop) when it goes out of scope.
struct ThreadStateRelease {
    ThreadStateRelease() = default;
    ~ThreadStateRelease();
    ThreadStateRelease(const ThreadStateRelease &) = delete;
    ThreadStateRelease &operator=(const ThreadStateRelease &) = delete;
};

} // namespace station::crypto
