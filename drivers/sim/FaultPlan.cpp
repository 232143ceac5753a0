#include "FaultPlan.h"

namespace station::drivers {

Result<FaultPlan> FaultPlan::parse(const QString &spec)
{
    FaultPlan plan;
    const QStringList parts = spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &raw : parts) {
        const QString part = raw.trimmed();
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        const QString key = (eq < 0 ? part : part.left(eq)).trimmed().toLower();
        const QString value = eq < 0 ? QString() : part.mid(eq + 1).trimmed();
        auto number = [&](qint64 min) -> Result<qint64> {
            bool ok = false;
            const qint64 n = value.toLongLong(&ok);
            if (!ok || n < min)
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("Fault '%1' needs a whole number of at least %2").arg(key).arg(min),
                            QStringLiteral("got '%1'").arg(value));
            return n;
        };
        if (key == QLatin1String("disconnect-after-bytes")) {
            auto n = number(1);
            if (!n)
                return std::unexpected(n.error());
            plan.disconnectAfterBytes = *n;
        } else if (key == QLatin1String("disconnect-at")) {
            if (value.isEmpty())
                return fail(ErrorCode::InvalidArgument, QStringLiteral("Fault 'disconnect-at' needs a step name"));
            plan.disconnectAt = value.toLower();
        } else if (key == QLatin1String("corrupt-every")) {
            auto n = number(1);
            if (!n)
                return std::unexpected(n.error());
            plan.corruptEvery = *n;
        } else if (key == QLatin1String("stall-ms")) {
            auto n = number(0);
            if (!n)
                return std::unexpected(n.error());
            plan.stallMs = static_cast<int>(qMin<qint64>(*n, 600000));
        } else if (key == QLatin1String("refuse")) {
            if (value.isEmpty())
                return fail(ErrorCode::InvalidArgument, QStringLiteral("Fault 'refuse' needs a command name"));
            plan.refuse.append(value.toLower());
        } else if (key == QLatin1String("keygen-fail")) {
            plan.keyGenFail = true;
        } else if (key == QLatin1String("echo")) {
            if (!value.isEmpty() && value != QLatin1String("sticky"))
                return fail(ErrorCode::InvalidArgument, QStringLiteral("Fault 'echo' takes no value or 'sticky'"),
                            QStringLiteral("got '%1'").arg(value));
            plan.echo = value.isEmpty() ? Echo::On : Echo::Sticky;
        } else {
            return fail(ErrorCode::InvalidArgument, QStringLiteral("Unknown fault '%1'").arg(key), {},
                        QStringLiteral("Use disconnect-after-bytes=N, disconnect-at=STEP, corrupt-every=N, "
                                       "stall-ms=T, refuse=COMMAND, keygen-fail or echo[=sticky]."));
        }
    }
    return plan;
}

bool FaultPlan::refuses(const QString &command) const
{
    return refuse.contains(command.toLower());
}

bool FaultPlan::isEmpty() const
{
    return disconnectAfterBytes == 0 && disconnectAt.isEmpty() && corruptEvery == 0 && stallMs == 0 &&
           refuse.isEmpty() && !keyGenFail && echo == Echo::Off;
}

QString FaultPlan::toString() const
{
    QStringList parts;
    if (disconnectAfterBytes > 0)
        parts << QStringLiteral("disconnect-after-bytes=%1").arg(disconnectAfterBytes);
    if (!disconnectAt.isEmpty())
        parts << QStringLiteral("disconnect-at=%1").arg(disconnectAt);
    if (corruptEvery > 0)
        parts << QStringLiteral("corrupt-every=%1").arg(corruptEvery);
    if (stallMs > 0)
        parts << QStringLiteral("stall-ms=%1").arg(stallMs);
    for (const QString &r : refuse)
        parts << QStringLiteral("refuse=%1").arg(r);
    if (keyGenFail)
        parts << QStringLiteral("keygen-fail");
    if (echo != Echo::Off)
        parts << (echo == Echo::Sticky ? QStringLiteral("echo=sticky") : QStringLiteral("echo"));
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QLatin1Char(','));
}

} // namespace station::drivers
