#include "ClientIdentity.h"

#include <QFile>

namespace station::est {

namespace {

Result<QByteArray> readAll(const QString &path, const QString &what)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, QStringLiteral("Cannot read the %1 '%2'").arg(what, path), f.errorString(),
                    QStringLiteral("Check the path and the file's permissions"));
    return f.readAll();
}

} // namespace

Result<ClientIdentity> ClientIdentity::fromMemory(const crypto::Certificate &certificate, const crypto::PrivateKey &key,
                                                  const QList<crypto::Certificate> &chain)
{
    if (certificate.isNull() || key.isNull() || !key.isPrivate())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("A client identity needs a certificate and its private key"));
    if (!certificate.matchesKey(key))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The client key does not belong to the client certificate '%1'")
                        .arg(certificate.subject().toString()),
                    {}, QStringLiteral("Give the key file that was generated with this certificate"));
    return ClientIdentity{certificate, chain, key};
}

Result<ClientIdentity> ClientIdentity::fromFiles(const QString &certificatePath, const QString &keyPath,
                                                 const crypto::SecretBytes &passphrase)
{
    auto certData = readAll(certificatePath, QStringLiteral("client certificate"));
    if (!certData)
        return fail(certData.error());
    auto certs = crypto::Certificate::listFromAny(*certData);
    if (!certs || certs->isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("'%1' holds no certificate").arg(certificatePath),
                    certs ? QString() : certs.error().message, QStringLiteral("Give a PEM or DER certificate file"));
    auto keyData = readAll(keyPath, QStringLiteral("client key"));
    if (!keyData)
        return fail(keyData.error());
    QByteArray keyBytes = std::move(*keyData);
    auto key = crypto::PrivateKey::fromAny(keyBytes, passphrase.borrow());
    crypto::wipe(keyBytes);
    if (!key) {
        Error e = key.error().withContext(QStringLiteral("Cannot load the client key '%1'").arg(keyPath));
        if (e.code == ErrorCode::Authentication && e.remedy.isEmpty())
            e.remedy = QStringLiteral("Give the key's passphrase with --client-key-pass-env VAR");
        return fail(e);
    }
    QList<crypto::Certificate> chain = *certs;
    // The client's certificate is the one matching the key, wherever it is in the file.
    for (qsizetype i = 0; i < chain.size(); ++i) {
        if (chain[i].matchesKey(*key)) {
            const crypto::Certificate leaf = chain.takeAt(i);
            return fromMemory(leaf, *key, chain);
        }
    }
    return fromMemory(certs->first(), *key, {});
}

Result<ClientIdentity> ClientIdentity::fromPkcs12File(const QString &path, const crypto::SecretBytes &password)
{
    auto data = readAll(path, QStringLiteral("PKCS#12 file"));
    if (!data)
        return fail(data.error());
    auto bundle = crypto::importPkcs12(*data, password.borrow());
    if (!bundle)
        return fail(bundle.error().withContext(QStringLiteral("Cannot load '%1'").arg(path)));
    if (bundle->certificates.isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("The PKCS#12 file '%1' holds no certificate").arg(path));
    QList<crypto::Certificate> chain = bundle->certificates;
    const crypto::Certificate leaf = chain.takeFirst();
    return fromMemory(leaf, bundle->key, chain);
}

} // namespace station::est
