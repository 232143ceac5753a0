// The complete answer to one AT command: the information lines and the final result code (OK, ERROR,
// +CME ERROR: <n>, +CMS ERROR: <n>), with the nRF91's documented CME codes turned into operator text.
#pragma once

#include "Error.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace station::drivers {

struct AtResponse {
    enum class Final { Ok, Error, CmeError, CmsError };

    QList<QByteArray> lines; ///< information lines in order (quoted strings may contain CR/LF)
    Final final = Final::Ok;
    int errorCode = -1; ///< for CmeError / CmsError

    [[nodiscard]] bool ok() const { return final == Final::Ok; }
    /// Lines that start with `prefix` ("%CMNG:"), with the prefix and following blanks removed.
    [[nodiscard]] QList<QByteArray> valuesOf(const QByteArray &prefix) const;
    /// "+CME ERROR: 513 (not found)" and friends.
    [[nodiscard]] QString finalText() const;
    /// An Error for a failed `command`, with the cause and a remedy where the code tells one. The detail
    /// quotes the information lines unless `quoteLines` is false (a credential write: what came back may
    /// be the modem echoing the credential).
    [[nodiscard]] Error toError(const QString &command, const QString &location, bool quoteLines = true) const;

    /// Splits an information value ("16842753,0,\"AB..\"") at commas outside quotes; quotes are removed.
    [[nodiscard]] static QList<QByteArray> splitParameters(const QByteArray &value);
    /// The nRF91 meaning of a +CME ERROR code ("not found", "memory full", ...), or empty.
    [[nodiscard]] static QString cmeErrorText(int code);
};

} // namespace station::drivers
