// Turns SIGINT/SIGTERM (Ctrl+C / console close on Windows) into a Qt signal on the event loop, so
// long-running commands (lab-server, simulate-device) stop cleanly instead of being killed mid-write.
#pragma once

#include <QObject>

namespace station::cli {

class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);
};

} // namespace station::cli
