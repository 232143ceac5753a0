#include "RetryAfter.h"

#include <QByteArray>
#include <QList>
#include <QTimeZone>

#include <limits>

namespace station::est {

namespace {

constexpr const char *kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char *kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

int monthFromName(const QByteArray &name)
{
    const QByteArray lower = name.toLower();
    for (int i = 0; i < 12; ++i) {
        if (lower == kMonths[i])
            return i + 1;
    }
    return 0;
}

bool parseNumber(const QByteArray &text, int &out)
{
    if (text.isEmpty() || text.size() > 4)
        return false;
    bool ok = false;
    out = text.toInt(&ok);
    return ok && out >= 0;
}

bool parseClock(const QByteArray &text, QTime &out)
{
    const QList<QByteArray> parts = text.split(':');
    int h = 0, m = 0, s = 0;
    if (parts.size() != 3 || !parseNumber(parts[0], h) || !parseNumber(parts[1], m) || !parseNumber(parts[2], s))
        return false;
    // Leap second 60 is legal in HTTP-date; QTime does not know it.
    out = QTime(h, m, s == 60 ? 59 : s);
    return out.isValid();
}

QDateTime make(int year, int month, int day, const QTime &time)
{
    const QDate date(year, month, day);
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, QTimeZone::utc());
}

} // namespace

QDateTime RetryAfter::parseHttpDate(QByteArrayView value)
{
    const QByteArray text = value.toByteArray().simplified();
    const QList<QByteArray> tokens = text.split(' ');
    if (tokens.isEmpty())
        return {};
    QTime time;
    int day = 0, year = 0;
    if (tokens.size() == 6 && tokens[0].endsWith(',')) {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        const int month = monthFromName(tokens[2]);
        if (month == 0 || !parseNumber(tokens[1], day) || !parseNumber(tokens[3], year) ||
            !parseClock(tokens[4], time) || (tokens[5].toUpper() != "GMT" && tokens[5].toUpper() != "UTC"))
            return {};
        return make(year, month, day, time);
    }
    if (tokens.size() == 4 && tokens[0].endsWith(',')) {
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        const QList<QByteArray> dmy = tokens[1].split('-');
        if (dmy.size() != 3 || !parseNumber(dmy[0], day) || !parseNumber(dmy[2], year) ||
            !parseClock(tokens[2], time) || tokens[3].toUpper() != "GMT")
            return {};
        const int month = monthFromName(dmy[1]);
        if (month == 0)
            return {};
        if (dmy[2].size() == 2)
            year += year < 70 ? 2000 : 1900; // RFC 9110: interpret two-digit years within 50 years of now
        return make(year, month, day, time);
    }
    if (tokens.size() == 5) {
        // asctime: Sun Nov  6 08:49:37 1994 (simplified() collapsed the double space)
        const int month = monthFromName(tokens[1]);
        if (month == 0 || !parseNumber(tokens[2], day) || !parseClock(tokens[3], time) || !parseNumber(tokens[4], year))
            return {};
        return make(year, month, day, time);
    }
    return {};
}

std::optional<std::chrono::seconds> RetryAfter::parse(QByteArrayView value, const QDateTime &now)
{
    const QByteArray text = value.toByteArray().trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool allDigits = true;
    for (char c : text)
        allDigits = allDigits && c >= '0' && c <= '9';
    if (allDigits) {
        // Huge values saturate rather than overflow; the client caps delays by its deadline anyway.
        if (text.size() > 9)
            return std::chrono::seconds(std::numeric_limits<int>::max());
        return std::chrono::seconds(text.toLongLong());
    }
    const QDateTime when = parseHttpDate(text);
    if (!when.isValid())
        return std::nullopt;
    const qint64 delta = now.secsTo(when);
    return std::chrono::seconds(delta > 0 ? delta : 0);
}

QByteArray RetryAfter::formatHttpDate(const QDateTime &when)
{
    const QDateTime utc = when.toUTC();
    const QDate d = utc.date();
    QByteArray month = kMonths[d.month() - 1];
    month[0] = char(month[0] - 'a' + 'A');
    return QByteArray(kDays[d.dayOfWeek() - 1]) + ", " + QByteArray::number(d.day()).rightJustified(2, '0') + ' ' +
           month + ' ' + QByteArray::number(d.year()) + ' ' +
           utc.time().toString(QStringLiteral("HH:mm:ss")).toLatin1() + " GMT";
}

} // namespace station::est
