// The supervisor's password, kept as a salted, slow hash: PBKDF2-HMAC-SHA256 (OpenSSL) with a random
// 16-byte salt and, by default, 600,000 iterations (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). The
// record carries its own parameters — "$pbkdf2-sha256$i=600000$<salt>$<hash>" (PHC string style, base64
// without padding) — so the count can be raised later and old records still verify (needsRehash() says
// when to store a fresh one). Verification compares in constant time (CRYPTO_memcmp).
//
// Deriving takes about half a second on purpose: call it off the GUI thread (SupervisorSession does).
#pragma once

#include "Error.h"

#include "crypto/SecretBytes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace station::crypto {

/// The derivation's cost for new records.
struct PasswordHashParams {
    quint32 iterations = 600'000;
};

class PasswordHash
{
public:
    using Params = PasswordHashParams;
    static constexpr quint32 kDefaultIterations = 600'000;
    /// Records below this are refused as tampered or from a broken writer (tests may go down to it).
    static constexpr quint32 kMinimumIterations = 1'000;
    /// Bounds the work an edited record can make the station do.
    static constexpr quint32 kMaximumIterations = 100'000'000;
    static constexpr int kSaltBytes = 16;
    static constexpr int kHashBytes = 32;

    /// A parsed record.
    struct Record {
        quint32 iterations = 0;
        QByteArray salt;
        QByteArray hash;
        [[nodiscard]] QString toString() const;
    };

    /// A new record for `password` with a fresh random salt.
    [[nodiscard]] static Result<QString> create(const SecretBytes &password, Params params = {});
    /// Whether `password` matches `record`; an error when the record is not one this class writes
    /// (unknown algorithm, bad base64, lengths or iteration count out of range).
    [[nodiscard]] static Result<bool> verify(const SecretBytes &password, const QString &record);
    /// Parses a record without deriving anything.
    [[nodiscard]] static Result<Record> parse(const QString &record);
    /// Whether a valid record was made with weaker parameters than `params` (store a fresh one then).
    [[nodiscard]] static bool needsRehash(const QString &record, Params params = {});
    /// The raw PBKDF2-HMAC-SHA256 (for known-answer tests).
    [[nodiscard]] static Result<QByteArray> pbkdf2Sha256(QByteArrayView password, QByteArrayView salt,
                                                         quint32 iterations, int length);
};

} // namespace station::crypto
