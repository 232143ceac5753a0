#include "UnitTemplate.h"

#include <QRegularExpression>

namespace station::provisioning {

QMap<QString, QString> UnitTemplate::fields(const device::DeviceIdentity &identity, const ScannedCode &scan)
{
    QMap<QString, QString> f;
    f.insert(QStringLiteral("serial"), identity.serialNumber.isEmpty() ? scan.serial : identity.serialNumber);
    f.insert(QStringLiteral("barcode"), scan.raw);
    f.insert(QStringLiteral("hardware_id"), identity.hardwareId);
    f.insert(QStringLiteral("uuid"), identity.deviceUuid);
    f.insert(QStringLiteral("imei"), identity.imei);
    f.insert(QStringLiteral("model"), identity.model);
    f.insert(QStringLiteral("firmware"), identity.firmwareVersion);
    f.insert(QStringLiteral("gtin"), scan.gtin);
    for (auto it = scan.ais.cbegin(); it != scan.ais.cend(); ++it)
        f.insert(QStringLiteral("ai:") + it.key(), it.value());
    return f;
}

Result<QString> UnitTemplate::expand(const QString &templ, const QMap<QString, QString> &fields, bool escapeForDn)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{([^{}]*)\\}"));
    QString out;
    qsizetype last = 0;
    for (auto it = placeholder.globalMatch(templ); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += templ.mid(last, m.capturedStart() - last);
        const QString name = m.captured(1);
        if (!fields.contains(name))
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("The template '%1' uses an unknown field {%2}").arg(templ, name));
        const QString value = fields.value(name);
        if (value.isEmpty())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("The template '%1' needs {%2}, which this unit does not have").arg(templ, name),
                        {}, QStringLiteral("Check the profile's subject template against what the unit reports."));
        for (QChar c : value) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7F)
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("The value of {%1} contains a control character").arg(name));
        }
        if (escapeForDn) {
            // RFC 4514 §2.4: escape the specials, a leading '#' or space, and a trailing space.
            QString escaped;
            for (qsizetype i = 0; i < value.size(); ++i) {
                const QChar c = value[i];
                const bool special = QStringLiteral(",+\"\\<>;=").contains(c) ||
                                     (i == 0 && (c == QLatin1Char('#') || c == QLatin1Char(' '))) ||
                                     (i == value.size() - 1 && c == QLatin1Char(' '));
                if (special)
                    escaped += QLatin1Char('\\');
                escaped += c;
            }
            out += escaped;
        } else {
            out += value;
        }
        last = m.capturedEnd();
    }
    out += templ.mid(last);
    return out;
}

Result<crypto::DistinguishedName> UnitTemplate::subject(const QString &templ, const QMap<QString, QString> &fields)
{
    auto text = expand(templ, fields, true);
    if (!text)
        return fail(text.error());
    auto dn = crypto::DistinguishedName::parse(*text);
    if (!dn)
        return fail(dn.error().withContext(QStringLiteral("The subject template '%1'").arg(templ)));
    return dn;
}

Result<QList<crypto::SubjectAltName>> UnitTemplate::subjectAltNames(const QStringList &templates,
                                                                    const QMap<QString, QString> &fields)
{
    QList<crypto::SubjectAltName> out;
    for (const QString &t : templates) {
        auto text = expand(t, fields, false);
        if (!text)
            return fail(text.error());
        auto san = crypto::SubjectAltName::parse(*text);
        if (!san)
            return fail(san.error().withContext(QStringLiteral("The subjectAltName template '%1'").arg(t)));
        out.append(*san);
    }
    return out;
}

} // namespace station::provisioning
