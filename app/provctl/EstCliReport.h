// How `provctl est` talks to its user: errors with cause and remedy on stderr, summaries of issued
// certificates on stdout, and the output files (PEM; keys 0600, written only where the user asked).
#pragma once

#include "Error.h"
#include "FileUtil.h"

#include "crypto/Certificate.h"
#include "crypto/SecretBytes.h"

#include <QList>
#include <QString>
#include <QTextStream>

namespace station::cli {

/// "provctl est <op>: <message>\n  cause: <detail>\n  remedy: <remedy>\n"
void printEstError(QTextStream &err, const QString &operation, const Error &error);
/// Subject, issuer, serial, validity and fingerprint of an issued certificate.
void printIssued(QTextStream &out, const crypto::Certificate &certificate, const QString &writtenTo);
/// Writes the certificate (and optionally its chain) as PEM.
[[nodiscard]] Result<void> writeCertificates(const QString &path, const QList<crypto::Certificate> &certificates,
                                             FileDurability durability = FileDurability::Synced);
/// Writes a private key given as PKCS#8 DER to `path` as PEM, mode 0600.
[[nodiscard]] Result<void> writePrivateKey(const QString &path, const crypto::SecretBytes &pkcs8Der);

} // namespace station::cli
