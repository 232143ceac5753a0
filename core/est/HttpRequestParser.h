// Incremental HTTP/1.1 request parser for the lab EST server. Bytes from the network are untrusted:
// every limit is enforced (request line, header block, header count, body size, trailers), every size
// field is bounded before any arithmetic on it, Content-Length and chunked bodies are both supported,
// ambiguous framing (both, or conflicting lengths) is rejected, and pipelined requests are handed out one
// at a time. While a request is incomplete the parser holds at most maxHeldBytes(); what it holds beyond
// a completed request (pipelined bytes) is whatever the caller fed it, so callers feed at most room().
#pragma once

#include "HttpMessage.h"

#include <QByteArray>
#include <QByteArrayView>

namespace station::est {

class HttpRequestParser
{
public:
    struct Limits {
        qsizetype maxHeaderBytes = 16 * 1024;
        int maxHeaders = 100;
        qsizetype maxBodyBytes = 1024 * 1024;
    };

    enum class State {
        NeedMore, ///< feed more bytes
        Complete, ///< takeRequest() returns the next request
        Error,    ///< errorStatus()/errorMessage() say why; the connection should answer and close
    };

    HttpRequestParser() = default;
    explicit HttpRequestParser(Limits limits) : m_limits(limits) {}

    /// Appends bytes and parses as far as possible.
    State feed(QByteArrayView bytes);
    /// Continues parsing what is buffered (after takeRequest(), for pipelined requests).
    State parse();
    [[nodiscard]] State state() const { return m_state; }

    /// The completed request; the parser then continues with the buffered remainder.
    HttpRequest takeRequest();

    /// True once the headers of the current request are complete and they ask "Expect: 100-continue"
    /// (the server should answer "100 Continue" once; acknowledgeContinue() records that it did).
    [[nodiscard]] bool wantsContinue() const { return m_expectContinue && !m_continueSent; }
    void acknowledgeContinue() { m_continueSent = true; }

    [[nodiscard]] int errorStatus() const { return m_errorStatus; }
    [[nodiscard]] const QByteArray &errorMessage() const { return m_errorMessage; }
    [[nodiscard]] qsizetype bufferedBytes() const { return m_buffer.size() - m_pos; }
    /// Memory held for input: the raw buffer plus the body decoded so far (chunked).
    [[nodiscard]] qsizetype heldBytes() const { return m_buffer.size() + m_current.body.size(); }
    /// What heldBytes() never exceeds while the state is NeedMore: the header and body limits plus a few
    /// lines of framing (chunk-size line, line ends).
    [[nodiscard]] qsizetype maxHeldBytes() const;
    /// How much more the caller may feed without the parser holding more than maxHeldBytes().
    [[nodiscard]] qsizetype room() const { return qMax<qsizetype>(0, maxHeldBytes() - heldBytes()); }

private:
    enum class Phase { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Done };

    State failWith(int status, QByteArray message);
    State parseHead();
    State parseBody();
    State parseChunked();
    bool takeLine(QByteArray &line, qsizetype limit, bool &tooLong);
    void compact(bool always);

    static constexpr qsizetype kSlackBytes = 4096; ///< > the chunk-size line limit + line ends

    Limits m_limits;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    Phase m_phase = Phase::Head;
    State m_state = State::NeedMore;
    HttpRequest m_current;
    qsizetype m_contentLength = 0;
    qsizetype m_chunkRemaining = 0;
    qsizetype m_trailerBytes = 0;
    bool m_expectContinue = false;
    bool m_continueSent = false;
    int m_errorStatus = 0;
    QByteArray m_errorMessage;
};

} // namespace station::est
