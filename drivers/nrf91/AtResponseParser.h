// Splits what an AT modem sends into lines and complete responses. Robust against what real lines carry:
// quoted strings spanning several lines (%CMNG read answers, PEM), an "OK" line inside such a string
// (only an "OK" outside quotes ends a response), command echo, URCs and boot chatter. Quote tracking
// only applies to lines that start like an information response ('+' or '%'), so a stray quote in a log
// line cannot swallow what follows.
#pragma once

#include "AtResponse.h"

#include <QByteArray>
#include <QList>

namespace station::drivers {

class AtResponseParser
{
public:
    struct Output {
        QList<AtResponse> responses;
        QList<QByteArray> unsolicited; ///< lines outside any response (URCs, chatter) when not collecting
    };

    static constexpr qsizetype kMaxLine = 64 * 1024;

    /// Lines received while `collecting` is false are reported as unsolicited.
    [[nodiscard]] Output feed(QByteArrayView bytes);
    void setCollecting(bool collecting) { m_collecting = collecting; }
    /// The command just sent: lines equal to its lines, in order, are its echo and skipped (a multi-line
    /// %CMNG write echoes line by line). Only SHA-256 digests of the lines are kept, never the text, and a
    /// skipped echo line is wiped: it may be a line of a private key.
    void setEcho(QByteArrayView command);
    void reset();

    /// Final result code of `line`, if it is one.
    [[nodiscard]] static bool parseFinal(const QByteArray &line, AtResponse::Final *final, int *code);

private:
    void onLine(QByteArray line, Output &out);

    QByteArray m_line;
    bool m_inQuotes = false;
    bool m_collecting = false;
    QList<QByteArray> m_echoDigests;
    qsizetype m_echoNext = 0;
    AtResponse m_current;
};

} // namespace station::drivers
