#include "AtResponse.h"

namespace station::drivers {

QList<QByteArray> AtResponse::valuesOf(const QByteArray &prefix) const
{
    QList<QByteArray> out;
    for (const QByteArray &line : lines)
        if (line.startsWith(prefix))
            out.append(line.mid(prefix.size()).trimmed());
    return out;
}

QList<QByteArray> AtResponse::splitParameters(const QByteArray &value)
{
    // Blanks outside quotes are dropped; quoted content is kept byte for byte (PEM ends with a newline).
    QList<QByteArray> out;
    QByteArray current;
    bool quoted = false;
    for (char c : value) {
        if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            out.append(current);
            current.clear();
        } else if (quoted || (c != ' ' && c != '\t' && c != '\r' && c != '\n')) {
            current.append(c);
        }
    }
    out.append(current);
    return out;
}

QString AtResponse::cmeErrorText(int code)
{
    switch (code) {
    case 0: return QStringLiteral("phone failure");
    case 3: return QStringLiteral("operation not allowed");
    case 4: return QStringLiteral("operation not supported");
    case 50: return QStringLiteral("incorrect parameters");
    case 51: return QStringLiteral("command disabled in this modem firmware");
    case 513: return QStringLiteral("not found");
    case 514: return QStringLiteral("no access");
    case 515: return QStringLiteral("memory full");
    case 518: return QStringLiteral("not allowed in active state");
    case 519: return QStringLiteral("already exists");
    case 520: return QStringLiteral("already exists (public key)");
    case 523: return QStringLiteral("key generation failed");
    case 524: return QStringLiteral("sec_tag not allowed");
    case 528: return QStringLiteral("not allowed when power off warning is active");
    default: return {};
    }
}

QString AtResponse::finalText() const
{
    switch (final) {
    case Final::Ok: return QStringLiteral("OK");
    case Final::Error: return QStringLiteral("ERROR");
    case Final::CmeError: {
        const QString text = cmeErrorText(errorCode);
        return QStringLiteral("+CME ERROR: %1").arg(errorCode) +
               (text.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(text));
    }
    case Final::CmsError: return QStringLiteral("+CMS ERROR: %1").arg(errorCode);
    }
    return {};
}

Error AtResponse::toError(const QString &command, const QString &location, bool quoteLines) const
{
    // Every refusal is a Device error; the modem's own result code is kept in the detail for engineers.
    QString remedy;
    if (final == Final::CmeError) {
        switch (errorCode) {
        case 514: remedy = QStringLiteral("The credential is protected (private keys cannot be read back)."); break;
        case 515:
            remedy = QStringLiteral("Delete unused credentials on the modem (factory reset of the slot) and retry.");
            break;
        case 518:
            remedy = QStringLiteral(
                "The modem must be offline (AT+CFUN=4) for credential work; power-cycle the unit and retry.");
            break;
        case 519: remedy = QStringLiteral("Delete the existing credential first (factory reset of the slot)."); break;
        case 523: remedy = QStringLiteral("Retry once; if key generation fails again, set the unit aside."); break;
        case 51:
        case 4: remedy = QStringLiteral("Update the modem firmware to a version that supports this command."); break;
        default: break;
        }
    } else if (final == Final::Error) {
        remedy = QStringLiteral("Enable extended errors (AT+CMEE=1) or check the modem firmware version.");
    }
    QString detail = finalText();
    if (!lines.isEmpty() && quoteLines)
        detail += QStringLiteral(" after: ") + QString::fromUtf8(lines.join(" | ").left(300));
    else if (!lines.isEmpty())
        detail += QStringLiteral(" after %1 line(s), not quoted: they may echo the credential").arg(lines.size());
    return Error(ErrorCode::Device,
                 QStringLiteral("The modem on %1 rejected %2: %3").arg(location, command, finalText()), detail, remedy);
}

} // namespace station::drivers
