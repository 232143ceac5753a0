#include "AtResponseParser.h"

#include "crypto/SecretBytes.h"

#include <QCryptographicHash>

namespace station::drivers {

namespace {

QByteArray lineDigest(QByteArrayView line)
{
    return QCryptographicHash::hash(line.trimmed(), QCryptographicHash::Sha256);
}

} // namespace

void AtResponseParser::setEcho(QByteArrayView command)
{
    m_echoDigests.clear();
    m_echoNext = 0;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= command.size(); ++i) {
        if (i == command.size() || command[i] == '\r' || command[i] == '\n') {
            const QByteArrayView line = command.sliced(start, i - start);
            if (!line.trimmed().isEmpty())
                m_echoDigests.append(lineDigest(line));
            start = i + 1;
        }
    }
}

void AtResponseParser::reset()
{
    m_line.clear();
    m_inQuotes = false;
    m_current = {};
}

bool AtResponseParser::parseFinal(const QByteArray &line, AtResponse::Final *final, int *code)
{
    if (line == "OK") {
        *final = AtResponse::Final::Ok;
        return true;
    }
    if (line == "ERROR") {
        *final = AtResponse::Final::Error;
        return true;
    }
    for (const auto &[prefix, kind] : {std::pair{QByteArrayView("+CME ERROR:"), AtResponse::Final::CmeError},
                                       std::pair{QByteArrayView("+CMS ERROR:"), AtResponse::Final::CmsError}}) {
        if (line.startsWith(prefix)) {
            bool ok = false;
            const int n = line.mid(prefix.size()).trimmed().toInt(&ok);
            *final = kind;
            *code = ok ? n : -1;
            return true;
        }
    }
    return false;
}

AtResponseParser::Output AtResponseParser::feed(QByteArrayView bytes)
{
    Output out;
    for (char c : bytes) {
        if (m_inQuotes) {
            m_line.append(c);
            if (c == '"')
                m_inQuotes = false;
        } else if (c == '\r' || c == '\n') {
            if (!m_line.isEmpty())
                onLine(std::exchange(m_line, {}), out);
        } else {
            m_line.append(c);
            if (c == '"' && (m_line.startsWith('+') || m_line.startsWith('%')))
                m_inQuotes = true;
        }
        if (m_line.size() > kMaxLine) { // runaway: a lost closing quote, or garbage without line ends
            m_line.clear();
            m_inQuotes = false;
        }
    }
    return out;
}

void AtResponseParser::onLine(QByteArray line, Output &out)
{
    if (!m_collecting) {
        out.unsolicited.append(line);
        return;
    }
    if (m_echoNext < m_echoDigests.size() && lineDigest(line) == m_echoDigests.at(m_echoNext)) {
        ++m_echoNext;
        crypto::wipe(line);
        return;
    }
    AtResponse::Final final;
    int code = -1;
    if (parseFinal(line, &final, &code)) {
        m_current.final = final;
        m_current.errorCode = code;
        out.responses.append(std::exchange(m_current, {}));
        m_collecting = false;
        return;
    }
    m_current.lines.append(line);
}

} // namespace station::drivers
