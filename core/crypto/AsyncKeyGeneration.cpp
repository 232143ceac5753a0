#include "AsyncKeyGeneration.h"

#include "ThreadState.h"

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

namespace station::crypto {

void generateKeyAsync(KeyType type, QObject *context, std::function<void(Result<PrivateKey>)> done)
{
    // The watcher is a child of the context: destroying the context drops the result with it.
    auto *watcher = new QFutureWatcher<Result<PrivateKey>>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([type] {
        const ThreadStateRelease release; // a pool thread: its OpenSSL state ends with the task
        return PrivateKey::generate(type);
    }));
}

} // namespace station::crypto
