#include "BarcodeRule.h"

#include <QList>

namespace station::provisioning {

namespace {

constexpr QChar kGs(0x1D);

/// Length rules of the GS1 application identifiers a unit label carries (GS1 General Specifications
/// §3.2): the AI's digits, and its data length — fixed, or variable up to a maximum.
struct AiRule {
    const char *prefix; ///< the AI, or its leading digits for AI families (31nn)
    int aiLength;       ///< digits of the AI itself
    int dataLength;     ///< fixed length, or maximum when variable
    bool fixed;
};

// Prefix-matched, longest first where they overlap.
const AiRule kAiRules[] = {
    {"00", 2, 18, true},    {"01", 2, 14, true},   {"02", 2, 14, true},   {"10", 2, 20, false},  {"11", 2, 6, true},
    {"12", 2, 6, true},     {"13", 2, 6, true},    {"15", 2, 6, true},    {"16", 2, 6, true},    {"17", 2, 6, true},
    {"20", 2, 2, true},     {"21", 2, 20, false},  {"22", 2, 20, false},  {"235", 3, 28, false}, {"240", 3, 30, false},
    {"241", 3, 30, false},  {"242", 3, 6, false},  {"243", 3, 20, false}, {"250", 3, 30, false}, {"251", 3, 30, false},
    {"253", 3, 30, false},  {"254", 3, 20, false}, {"255", 3, 25, false}, {"30", 2, 8, false},   {"31", 4, 6, true},
    {"32", 4, 6, true},     {"33", 4, 6, true},    {"34", 4, 6, true},    {"35", 4, 6, true},    {"36", 4, 6, true},
    {"37", 2, 8, false},    {"400", 3, 30, false}, {"401", 3, 30, false}, {"402", 3, 17, true},  {"403", 3, 30, false},
    {"41", 3, 13, true},    {"420", 3, 20, false}, {"421", 3, 12, false}, {"422", 3, 3, true},   {"7003", 4, 10, true},
    {"8004", 4, 30, false}, {"8005", 4, 6, true},  {"8006", 4, 18, true}, {"90", 2, 30, false},  {"91", 2, 90, false},
    {"92", 2, 90, false},   {"93", 2, 90, false},  {"94", 2, 90, false},  {"95", 2, 90, false},  {"96", 2, 90, false},
    {"97", 2, 90, false},   {"98", 2, 90, false},  {"99", 2, 90, false},
};

const AiRule *ruleFor(QStringView text)
{
    const AiRule *best = nullptr;
    for (const AiRule &r : kAiRules) {
        const QLatin1StringView p(r.prefix);
        if (text.startsWith(p) && (!best || qstrlen(r.prefix) > qstrlen(best->prefix)))
            best = &r;
    }
    // "41" covers 410..417 only; "420"/"421"/"422" are separate entries.
    if (best && QLatin1StringView(best->prefix) == QLatin1String("41") && text.size() >= 3 &&
        (text[2] < QLatin1Char('0') || text[2] > QLatin1Char('7')))
        return nullptr;
    return best;
}

/// GS1 AI encodable character set 82 (the characters a serial may use).
bool isCset82(QChar c)
{
    static const QString extra = QStringLiteral("!\"%&'()*+,-./:;<=>?_");
    return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
           (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || extra.contains(c);
}

Result<void> checkPlainText(const QString &text)
{
    if (text.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The scan was empty"), {},
                    QStringLiteral("Scan the unit's label again."));
    if (text.size() > BarcodeRule::kMaxLength)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The scanned code is too long (%1 characters)").arg(text.size()), {},
                    QStringLiteral("Scan the unit's own label, not another code."));
    for (QChar c : text) {
        if ((c.unicode() < 0x20 && c != kGs) || c.unicode() == 0x7F)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("The scanned code contains a control character (0x%1)")
                            .arg(c.unicode(), 2, 16, QLatin1Char('0')),
                        {}, QStringLiteral("Check the scanner's configuration (suffix / prefix) and scan again."));
    }
    return {};
}

} // namespace

BarcodeRule BarcodeRule::gs1()
{
    BarcodeRule r;
    r.m_kind = Kind::Gs1;
    return r;
}

Result<BarcodeRule> BarcodeRule::regex(const QString &pattern)
{
    QRegularExpression re(pattern);
    if (!re.isValid())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The barcode pattern does not compile: %1 (at offset %2)")
                        .arg(re.errorString())
                        .arg(re.patternErrorOffset()),
                    {}, QStringLiteral("Fix the regular expression."));
    if (!re.namedCaptureGroups().contains(QStringLiteral("serial")))
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The barcode pattern has no group named 'serial'"), {},
                    QStringLiteral("Mark the serial number with (?<serial>...)."));
    BarcodeRule r;
    r.m_kind = Kind::Regex;
    r.m_regex = re;
    return r;
}

Result<BarcodeRule> BarcodeRule::fromSpec(const QString &spec)
{
    if (spec == QLatin1String("plain") || spec.isEmpty())
        return plain();
    if (spec == QLatin1String("gs1"))
        return gs1();
    if (spec.startsWith(QLatin1String("regex:")))
        return regex(spec.mid(6));
    return fail(ErrorCode::InvalidArgument, QStringLiteral("Unknown barcode rule '%1'").arg(spec), {},
                QStringLiteral("Use plain, gs1 or regex:<pattern with (?<serial>...)>."));
}

QString BarcodeRule::spec() const
{
    switch (m_kind) {
    case Kind::Plain: return QStringLiteral("plain");
    case Kind::Gs1: return QStringLiteral("gs1");
    case Kind::Regex: return QStringLiteral("regex:") + m_regex.pattern();
    }
    return QStringLiteral("plain");
}

bool BarcodeRule::gtinCheckDigitValid(const QString &gtin)
{
    if (gtin.size() != 8 && gtin.size() != 12 && gtin.size() != 13 && gtin.size() != 14)
        return false;
    int sum = 0;
    // Weights 3,1,3,... from the digit left of the check digit.
    for (qsizetype i = gtin.size() - 2, w = 3; i >= 0; --i, w = 4 - w) {
        const QChar c = gtin[i];
        if (!c.isDigit() || c.unicode() > '9')
            return false;
        sum += (c.unicode() - '0') * int(w);
    }
    const QChar check = gtin.back();
    return check.isDigit() && check.unicode() <= '9' && (10 - sum % 10) % 10 == check.unicode() - '0';
}

Result<ScannedCode> BarcodeRule::parse(const QString &scanned) const
{
    const QString text = scanned.trimmed();
    if (auto ok = checkPlainText(text); !ok)
        return fail(ok.error());
    ScannedCode code;
    code.raw = text;
    switch (m_kind) {
    case Kind::Plain:
        if (text.contains(kGs))
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("The scanned code is a GS1 code, not a plain serial"), {},
                        QStringLiteral("Scan the serial-number label, or use a profile with the gs1 rule."));
        code.serial = text;
        return code;
    case Kind::Regex: {
        const QRegularExpressionMatch m =
            m_regex.match(text, 0, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
        if (!m.hasMatch() || m.capturedEnd() != text.size() || m.captured(QStringLiteral("serial")).isEmpty())
            return fail(
                ErrorCode::InvalidArgument,
                QStringLiteral("The scanned code '%1' does not have the expected form").arg(text), {},
                QStringLiteral("Scan the unit's serial-number label (the profile expects %1).").arg(m_regex.pattern()));
        code.serial = m.captured(QStringLiteral("serial"));
        return code;
    }
    case Kind::Gs1: return parseGs1(text);
    }
    return code;
}

Result<ScannedCode> BarcodeRule::parseGs1(QString text) const
{
    ScannedCode code;
    code.raw = text;
    auto bad = [&text](const QString &why) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The scanned GS1 code is not valid: %1").arg(why),
                    QStringLiteral("scanned: %1").arg(QString(text).replace(kGs, QStringLiteral("<GS>"))),
                    QStringLiteral("Scan the unit's GS1 label (with AI 21, the serial number) again."));
    };
    // Symbology identifiers of the GS1 symbologies (ISO/IEC 15424): ]d2 DataMatrix, ]Q3 QR, ]C1 GS1-128,
    // ]e0 DataBar. Any other symbology is not a GS1 element string.
    if (text.startsWith(QLatin1Char(']'))) {
        const QString id = text.left(3);
        if (id != QLatin1String("]d2") && id != QLatin1String("]Q3") && id != QLatin1String("]C1") &&
            id != QLatin1String("]e0"))
            return bad(QStringLiteral("symbology identifier %1 is not a GS1 symbology").arg(id));
        text.remove(0, 3);
    }
    while (text.startsWith(kGs)) // a leading FNC1 some scanners transmit
        text.remove(0, 1);
    if (text.isEmpty())
        return bad(QStringLiteral("no element string"));

    if (text.startsWith(QLatin1Char('('))) {
        // Human-readable form: (AI)value(AI)value...
        qsizetype i = 0;
        while (i < text.size()) {
            if (text[i] != QLatin1Char('('))
                return bad(QStringLiteral("expected '(' at position %1").arg(i + 1));
            const qsizetype close = text.indexOf(QLatin1Char(')'), i);
            if (close < 0)
                return bad(QStringLiteral("unclosed '(' at position %1").arg(i + 1));
            const QString ai = text.mid(i + 1, close - i - 1);
            const qsizetype next = text.indexOf(QLatin1Char('('), close);
            const QString value = text.mid(close + 1, (next < 0 ? text.size() : next) - close - 1);
            const AiRule *rule = ruleFor(ai);
            if (!rule || ai.size() != rule->aiLength || !std::all_of(ai.cbegin(), ai.cend(), [](QChar c) {
                    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
                }))
                return bad(QStringLiteral("unknown application identifier (%1)").arg(ai));
            if (rule->fixed ? value.size() != rule->dataLength : (value.isEmpty() || value.size() > rule->dataLength))
                return bad(QStringLiteral("AI (%1) must have %2 %3 characters, not %4")
                               .arg(ai, rule->fixed ? QStringLiteral("exactly") : QStringLiteral("1 to"))
                               .arg(rule->dataLength)
                               .arg(value.size()));
            if (code.ais.contains(ai))
                return bad(QStringLiteral("AI (%1) appears twice").arg(ai));
            code.ais.insert(ai, value);
            i = next < 0 ? text.size() : next;
        }
    } else {
        // Raw element string: fixed-length AIs run on, variable-length ones end at GS or the end.
        qsizetype i = 0;
        while (i < text.size()) {
            const AiRule *rule = ruleFor(QStringView(text).mid(i));
            if (!rule || i + rule->aiLength > text.size())
                return bad(QStringLiteral("unknown application identifier at position %1").arg(i + 1));
            const QString ai = text.mid(i, rule->aiLength);
            i += rule->aiLength;
            QString value;
            if (rule->fixed) {
                value = text.mid(i, rule->dataLength);
                if (value.size() != rule->dataLength || value.contains(kGs))
                    return bad(QStringLiteral("AI (%1) must have exactly %2 characters").arg(ai).arg(rule->dataLength));
                i += rule->dataLength;
                if (i < text.size() && text[i] == kGs)
                    ++i; // a redundant separator after a fixed field is tolerated
            } else {
                const qsizetype end = text.indexOf(kGs, i);
                value = text.mid(i, (end < 0 ? text.size() : end) - i);
                if (value.isEmpty() || value.size() > rule->dataLength)
                    return bad(QStringLiteral("AI (%1) must have 1 to %2 characters, not %3")
                                   .arg(ai)
                                   .arg(rule->dataLength)
                                   .arg(value.size()));
                i = end < 0 ? text.size() : end + 1;
            }
            if (code.ais.contains(ai))
                return bad(QStringLiteral("AI (%1) appears twice").arg(ai));
            code.ais.insert(ai, value);
        }
    }

    for (auto it = code.ais.cbegin(); it != code.ais.cend(); ++it) {
        if (it.value().contains(kGs))
            return bad(QStringLiteral("a separator inside AI (%1)").arg(it.key()));
    }
    if (code.ais.contains(QStringLiteral("01"))) {
        code.gtin = code.ais.value(QStringLiteral("01"));
        if (!gtinCheckDigitValid(code.gtin))
            return bad(QStringLiteral("the GTIN (01) %1 has a wrong check digit").arg(code.gtin));
    }
    if (!code.ais.contains(QStringLiteral("21")))
        return bad(QStringLiteral("it has no serial number, AI (21)"));
    code.serial = code.ais.value(QStringLiteral("21"));
    if (!std::all_of(code.serial.cbegin(), code.serial.cend(), isCset82))
        return bad(QStringLiteral("the serial (21) has characters GS1 does not allow"));
    return code;
}

} // namespace station::provisioning
