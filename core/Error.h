// The one error type of the station: a code for programs, a message and remedy for operators, and a
// technical detail for engineers. Every fallible core API returns Result<T> (std::expected).
#pragma once

#include <QString>
#include <QStringList>

#include <expected>

namespace station {

enum class ErrorCode {
    InvalidArgument, ///< the caller passed something unusable (bad option, bad DN syntax)
    Parse,           ///< untrusted bytes could not be decoded (base64, DER, PEM, HTTP, multipart)
    Crypto,          ///< OpenSSL refused an operation (key generation, signing)
    Verification,    ///< a signature, chain or key match did not verify
    Io,              ///< file system or device I/O
    Network,         ///< connection refused, reset, DNS
    Tls,             ///< TLS handshake or certificate failure
    Timeout,
    Cancelled,
    Http,           ///< the server answered with an unexpected HTTP status
    Authentication, ///< 401/403 or equivalent
    NotFound,
    Unsupported,
    Device, ///< the device refused a command or reported an error
    Database,
    Internal,
    DeviceGone,    ///< the unit was unplugged or its port vanished mid-session
    DeviceTimeout, ///< the unit stopped answering (after retransmissions)
    /// A request that changes server state (an enrollment POST) was sent and the connection failed before
    /// an answer: the server may have issued a certificate. Never retried blindly.
    OutcomeUnknown,
};

/// Human-readable name of an error code ("parse", "tls", ...), stable for logs and scripts.
QString errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message; ///< what went wrong, one operator-readable sentence
    QString remedy;  ///< what to do about it (may be empty)
    QString detail;  ///< technical detail: OpenSSL queue, HTTP body, ... (may be empty)
    int httpStatus = 0;
    /// A stable, machine-readable cause where the source names one (the DMS's "device not preregistered"),
    /// so that callers can tell refusals apart without parsing the message; empty otherwise.
    QString reason;

    Error() = default;
    Error(ErrorCode c, QString msg, QString det = {}, QString rem = {})
        : code(c), message(std::move(msg)), remedy(std::move(rem)), detail(std::move(det))
    {}

    /// Returns a copy with `context: ` put in front of the message.
    [[nodiscard]] Error withContext(const QString &context) const;
    [[nodiscard]] Error withRemedy(const QString &rem) const;
    /// Whether trying the same thing again can help (a transient network or server condition, a
    /// timeout); false for refusals, bad input, trust failures, cancellations and unknown outcomes.
    [[nodiscard]] bool isRetryable() const;
    /// "message (detail). Remedy: remedy" — what the CLI prints and the GUI shows.
    [[nodiscard]] QString toString() const;
};

template <typename T> using Result = std::expected<T, Error>;

/// Shorthand for `std::unexpected(Error{...})`.
inline std::unexpected<Error> fail(ErrorCode code, QString message, QString detail = {}, QString remedy = {})
{
    return std::unexpected(Error(code, std::move(message), std::move(detail), std::move(remedy)));
}

inline std::unexpected<Error> fail(Error error)
{
    return std::unexpected(std::move(error));
}

} // namespace station
