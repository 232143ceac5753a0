#include "AtChannel.h"

#include "crypto/SecretBytes.h"
#include "transport/Transport.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAt, "station.drivers.nrf91")

namespace station::drivers {

AtChannel::AtChannel(Transport *transport, QObject *parent) : QObject(parent), m_transport(transport)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        finish(fail(ErrorCode::DeviceTimeout,
                    QStringLiteral("The modem on %1 did not answer %2")
                        .arg(m_transport->location(), QString::fromLatin1(m_label)),
                    {},
                    QStringLiteral("Check that the unit runs AT-command firmware (e.g. the AT client sample) and "
                                   "that the baud rate is right.")));
    });
    connect(m_transport, &Transport::received, this, &AtChannel::onReceived);
    connect(m_transport, &Transport::closed, this, [this](const Error &error) {
        if (m_done)
            finish(std::unexpected(error));
    });
}

QByteArray AtChannel::label(const QByteArray &command, Secrecy secrecy)
{
    if (secrecy == Secrecy::Plain)
        return command.left(40);
    const qsizetype quote = command.indexOf('"');
    QByteArray head = command.left(quote < 0 ? command.indexOf('=') : quote);
    while (head.endsWith(','))
        head.chop(1);
    return head;
}

void AtChannel::command(const QByteArray &command, std::chrono::milliseconds timeout, Done done, Secrecy secrecy)
{
    if (m_done) {
        QTimer::singleShot(0, this, [done = std::move(done)] {
            done(fail(ErrorCode::Internal, QStringLiteral("An AT command is already pending")));
        });
        return;
    }
    m_label = label(command, secrecy);
    m_done = std::move(done);
    m_parser.reset();
    m_parser.setEcho(command); // digests only
    m_parser.setCollecting(true);
    if (secrecy == Secrecy::Plain)
        qCDebug(lcAt) << ">>" << command.left(80);
    else
        qCDebug(lcAt) << ">>" << m_label << "(credential withheld)";
    QByteArray wire;
    wire.reserve(command.size() + 2); // one buffer, no reallocated copy of the command left behind
    wire.append(command);
    wire.append("\r\n");
    auto w = m_transport->write(wire);
    if (secrecy == Secrecy::Secret)
        crypto::wipe(wire);
    if (!w) {
        finish(std::unexpected(w.error()));
        return;
    }
    m_timer.start(timeout);
}

void AtChannel::cancel()
{
    if (m_done)
        finish(fail(ErrorCode::Cancelled, QStringLiteral("Cancelled")));
}

void AtChannel::onReceived(const QByteArray &bytes)
{
    const AtResponseParser::Output out = m_parser.feed(bytes);
    for (const QByteArray &line : out.unsolicited) {
        qCDebug(lcAt) << "unsolicited:" << line.left(120);
        emit unsolicited(line);
    }
    for (const AtResponse &response : out.responses) {
        qCDebug(lcAt) << "<<" << response.finalText() << response.lines.size() << "line(s)";
        if (m_done) {
            finish(response);
            return;
        }
    }
}

void AtChannel::finish(Result<AtResponse> result)
{
    m_timer.stop();
    m_parser.setCollecting(false);
    Done done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(std::move(result));
}

} // namespace station::drivers
