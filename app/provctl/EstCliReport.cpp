#include "EstCliReport.h"

#include "FileUtil.h"

#include "crypto/PrivateKey.h"

namespace station::cli {

void printEstError(QTextStream &err, const QString &operation, const Error &error)
{
    err << "provctl est " << operation << ": " << error.message << '\n';
    if (!error.detail.isEmpty())
        err << "  cause:  " << error.detail << '\n';
    if (!error.remedy.isEmpty())
        err << "  remedy: " << error.remedy << '\n';
    err.flush();
}

void printIssued(QTextStream &out, const crypto::Certificate &c, const QString &writtenTo)
{
    out << "Issued certificate " << c.subject().toString() << '\n'
        << "  issuer:  " << c.issuer().toString() << '\n'
        << "  serial:  " << c.serialHex() << '\n'
        << "  valid:   " << c.notBefore().toString(Qt::ISODate) << " to " << c.notAfter().toString(Qt::ISODate) << '\n'
        << "  SHA-256: " << c.fingerprintSha256Colon() << '\n';
    if (!writtenTo.isEmpty())
        out << "  written: " << writtenTo << '\n';
    out.flush();
}

Result<void> writeCertificates(const QString &path, const QList<crypto::Certificate> &certificates,
                               FileDurability durability)
{
    return writeFileAtomically(path, crypto::Certificate::listToPem(certificates), FileSecrecy::Public, durability);
}

Result<void> writePrivateKey(const QString &path, const crypto::SecretBytes &pkcs8Der)
{
    auto key = crypto::PrivateKey::fromDer(pkcs8Der.borrow());
    if (!key)
        return fail(key.error().withContext(QStringLiteral("The private key to write is damaged")));
    auto pem = key->toPkcs8Pem();
    if (!pem)
        return fail(pem.error());
    return writeFileAtomically(path, pem->view(), FileSecrecy::Secret);
}

} // namespace station::cli
