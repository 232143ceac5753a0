// How a unit's label reads: a plain serial, a regular expression with a named group `serial`, or a GS1
// element string — raw with FNC1/GS separators, with or without a `]d2` / `]Q3` / `]C1` / `]e0`
// symbology identifier, or in the parenthesised human-readable form — whose AI (21) is the serial and
// whose AI (01) GTIN must have a valid check digit. Scanner input is untrusted: it is bounded, control
// characters other than the GS separator are refused, and every refusal says what was wrong.
#pragma once

#include "Error.h"

#include <QMap>
#include <QRegularExpression>
#include <QString>

namespace station::provisioning {

struct ScannedCode {
    QString raw;                ///< what the scanner sent, trimmed
    QString serial;             ///< the unit's serial number the code names
    QString gtin;               ///< GS1 AI (01), when present
    QMap<QString, QString> ais; ///< GS1: every application identifier and its value
};

class BarcodeRule
{
public:
    enum class Kind { Plain, Regex, Gs1 };
    static constexpr int kMaxLength = 512;

    BarcodeRule() = default;
    [[nodiscard]] static BarcodeRule plain() { return BarcodeRule(); }
    [[nodiscard]] static BarcodeRule gs1();
    /// The pattern must compile and have a named group `serial`.
    [[nodiscard]] static Result<BarcodeRule> regex(const QString &pattern);
    /// "plain", "gs1" or "regex:<pattern>" (the CLI's --barcode-rule).
    [[nodiscard]] static Result<BarcodeRule> fromSpec(const QString &spec);

    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] QString pattern() const { return m_regex.pattern(); }
    [[nodiscard]] QString spec() const; ///< the inverse of fromSpec

    /// Reads a scan. InvalidArgument error (operator-readable) when the code does not fit the rule.
    [[nodiscard]] Result<ScannedCode> parse(const QString &scanned) const;

    /// GS1 mod-10 check digit of a GTIN-8/12/13/14 (all digits, check digit last).
    [[nodiscard]] static bool gtinCheckDigitValid(const QString &gtin);

private:
    [[nodiscard]] Result<ScannedCode> parseGs1(QString text) const;

    Kind m_kind = Kind::Plain;
    QRegularExpression m_regex;
};

} // namespace station::provisioning
