// The body of an EST POST as a read-once device. Qt Network resends a request whose connection closed
// before an answer (up to three times, idempotent or not) and rewinds the upload data for it; this device
// refuses the rewind once any byte was handed to the socket, so Qt fails the request (ContentReSendError)
// instead of sending an enrollment a second time. Requests that never got their body out may still be
// retried by Qt: rewinding an untouched body is allowed.
#pragma once

#include <QByteArray>
#include <QIODevice>

namespace station::est {

class OnceOnlyBody : public QIODevice
{
    Q_OBJECT
public:
    explicit OnceOnlyBody(QByteArray body, QObject *parent = nullptr);

    /// True once Qt read any byte of the body (it may have reached the server).
    [[nodiscard]] bool wasRead() const { return m_position > 0; }
    /// True when Qt asked to rewind after reading (it wanted to send the request again and was refused).
    [[nodiscard]] bool resendRefused() const { return m_resendRefused; }

    [[nodiscard]] bool isSequential() const override { return true; }
    [[nodiscard]] qint64 bytesAvailable() const override;
    [[nodiscard]] qint64 size() const override { return m_body.size(); }
    bool reset() override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    QByteArray m_body;
    qint64 m_position = 0;
    bool m_resendRefused = false;
};

} // namespace station::est
