#include "LamassuHttp.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

namespace station::testing::lamassu {

est::HttpResponse ginJson(int status, const QJsonValue &value)
{
    QByteArray body;
    if (value.isObject())
        body = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    else if (value.isArray())
        body = QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    else
        body = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    return est::HttpResponse(status, "application/json; charset=utf-8", body);
}

est::HttpResponse ginError(int status, const QString &message)
{
    return ginJson(status, QJsonObject{{QStringLiteral("err"), message}});
}

est::HttpResponse ginOpaqueError(int status)
{
    return ginJson(status, QJsonObject{});
}

est::HttpResponse ginNotFound()
{
    return est::HttpResponse(404, "text/plain", "404 page not found");
}

QString goTime(qint64 nanosSinceEpoch)
{
    const qint64 seconds = nanosSinceEpoch / 1'000'000'000;
    const qint64 fraction = nanosSinceEpoch % 1'000'000'000;
    QString text =
        QDateTime::fromSecsSinceEpoch(seconds, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    if (fraction != 0) {
        QString digits = QStringLiteral("%1").arg(fraction, 9, 10, QLatin1Char('0'));
        while (digits.endsWith(QLatin1Char('0')))
            digits.chop(1);
        text += QLatin1Char('.') + digits;
    }
    return text + QLatin1Char('Z');
}

qint64 EventClock::next()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    m_last = qMax(now, m_last + 1);
    return m_last;
}

} // namespace station::testing::lamassu
