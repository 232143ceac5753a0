#include "Error.h"

namespace station {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return QStringLiteral("invalid-argument");
    case ErrorCode::Parse: return QStringLiteral("parse");
    case ErrorCode::Crypto: return QStringLiteral("crypto");
    case ErrorCode::Verification: return QStringLiteral("verification");
    case ErrorCode::Io: return QStringLiteral("io");
    case ErrorCode::Network: return QStringLiteral("network");
    case ErrorCode::Tls: return QStringLiteral("tls");
    case ErrorCode::Timeout: return QStringLiteral("timeout");
    case ErrorCode::Cancelled: return QStringLiteral("cancelled");
    case ErrorCode::Http: return QStringLiteral("http");
    case ErrorCode::Authentication: return QStringLiteral("authentication");
    case ErrorCode::NotFound: return QStringLiteral("not-found");
    case ErrorCode::Unsupported: return QStringLiteral("unsupported");
    case ErrorCode::Device: return QStringLiteral("device");
    case ErrorCode::Database: return QStringLiteral("database");
    case ErrorCode::Internal: return QStringLiteral("internal");
    case ErrorCode::DeviceGone: return QStringLiteral("device-gone");
    case ErrorCode::DeviceTimeout: return QStringLiteral("device-timeout");
    case ErrorCode::OutcomeUnknown: return QStringLiteral("outcome-unknown");
    }
    return QStringLiteral("unknown");
}

Error Error::withContext(const QString &context) const
{
    Error copy = *this;
    copy.message = context + QStringLiteral(": ") + message;
    return copy;
}

Error Error::withRemedy(const QString &rem) const
{
    Error copy = *this;
    copy.remedy = rem;
    return copy;
}

bool Error::isRetryable() const
{
    switch (code) {
    case ErrorCode::Network:
    case ErrorCode::Timeout:
    case ErrorCode::DeviceTimeout: return true;
    case ErrorCode::Http:
        // Server-side trouble that passes: overloaded, gateway, pending.
        return httpStatus == 408 || httpStatus == 429 || httpStatus == 502 || httpStatus == 503 || httpStatus == 504;
    default: return false;
    }
}

QString Error::toString() const
{
    QString text = message;
    if (!detail.isEmpty())
        text += QStringLiteral(" (") + detail + QLatin1Char(')');
    if (!remedy.isEmpty())
        text += QStringLiteral(". Remedy: ") + remedy;
    return text;
}

} // namespace station
