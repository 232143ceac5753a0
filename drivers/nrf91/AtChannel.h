// Sends AT commands one at a time over a Transport and delivers each complete response, with a timeout
// per command. Lines that arrive while no command is pending (boot chatter, URCs) are reported apart.
#pragma once

#include "AtResponse.h"
#include "AtResponseParser.h"
#include "Error.h"
#include "Secrecy.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>

namespace station::drivers {

class Transport;

class AtChannel : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Result<AtResponse>)>;

    explicit AtChannel(Transport *transport, QObject *parent = nullptr);

    /// Sends "AT..." (without line end; CR LF is appended) and waits up to `timeout` for the final result.
    /// A non-OK final result is still a response (the caller decides); Result errors are link failures.
    /// The channel keeps no copy of `command`: a Secret one (a %CMNG key write) is never logged or quoted
    /// (only its name, label()), and its wire buffer is wiped once handed to the transport.
    void command(const QByteArray &command, std::chrono::milliseconds timeout, Done done,
                 Secrecy secrecy = Secrecy::Plain);
    void cancel();
    [[nodiscard]] bool isBusy() const { return static_cast<bool>(m_done); }
    /// What messages may quote of a command: a plain one's start, a secret one's text before its first
    /// quote ("AT%CMNG=0,16842753,2").
    [[nodiscard]] static QByteArray label(const QByteArray &command, Secrecy secrecy);

signals:
    void unsolicited(const QByteArray &line);

private:
    void onReceived(const QByteArray &bytes);
    void finish(Result<AtResponse> result);

    Transport *m_transport;
    AtResponseParser m_parser;
    QTimer m_timer;
    QByteArray m_label;
    Done m_done;
};

} // namespace station::drivers
