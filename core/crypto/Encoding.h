// Lenient decoding of what servers and devices send (RFC 8951): base64 with or without line breaks (CRLF
// or LF, any width), PEM of any label, or raw DER — and the strict encodings the station sends.
#pragma once

#include "Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace station::crypto {

enum class BodyForm { Der, Base64, Pem };

/// One decoded PEM block.
struct PemBlock {
    QByteArray label;       ///< "CERTIFICATE", "PRIVATE KEY", ...
    QByteArray der;         ///< the decoded body
    bool encrypted = false; ///< traditional "Proc-Type: 4,ENCRYPTED" header present
};

class Encoding
{
public:
    /// Decodes a body that is DER, base64 of DER (whitespace anywhere allowed) or PEM (first block; the
    /// label is returned in `pemLabel` when non-null). Decides by content: a leading 0x30 with a DER
    /// length that spans the body is DER. Trailing whitespace and NUL bytes after any form are ignored
    /// (servers send DER + CRLF, or base64 with a C string's terminator). Fails with a Parse error that
    /// says which form it looked like.
    [[nodiscard]] static Result<QByteArray> decodeLenient(QByteArrayView body, QString *pemLabel = nullptr,
                                                          BodyForm *form = nullptr);
    /// Strict base64 decoding: only the base64 alphabet, '=' padding and CR/LF/space/tab whitespace.
    [[nodiscard]] static Result<QByteArray> decodeBase64(QByteArrayView text);
    /// Base64 with a line break every `lineLength` characters (0 = one line); `crlf` chooses CRLF over LF.
    [[nodiscard]] static QByteArray encodeBase64(QByteArrayView data, int lineLength = 64, bool crlf = false);
    /// PEM with the given label and 64-column lines.
    [[nodiscard]] static QByteArray toPem(QByteArrayView der, const QByteArray &label);
    /// All blocks with `label` in a PEM text (empty label = any), decoded.
    [[nodiscard]] static QList<QByteArray> pemBlocks(QByteArrayView text, const QByteArray &label = {});
    /// All PEM blocks of a text, in order. Fails (Parse) when there is no block or a block is malformed
    /// (no END line, END label differs, bad base64), saying which block and what is wrong.
    [[nodiscard]] static Result<QList<PemBlock>> parsePem(QByteArrayView text);
    /// True when `text` contains a PEM BEGIN line.
    [[nodiscard]] static bool looksLikePem(QByteArrayView text);
    /// True when `data` is exactly one complete DER TLV (definite length).
    [[nodiscard]] static bool isSingleDerObject(QByteArrayView data);
    /// base64url without padding (RFC 4648 §5), as used by nRF91 %KEYGEN and COSE tooling.
    [[nodiscard]] static Result<QByteArray> decodeBase64Url(QByteArrayView text);
    [[nodiscard]] static QByteArray encodeBase64Url(QByteArrayView data);
    /// Lower-case hex SHA-256 of `data`.
    [[nodiscard]] static QString sha256Hex(QByteArrayView data);
    [[nodiscard]] static QByteArray sha256(QByteArrayView data);
};

} // namespace station::crypto
