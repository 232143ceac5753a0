#include "OpenSslPtr.h"

#include <openssl/err.h>
#include <openssl/objects.h>

#include <QStringList>

namespace station::crypto {

Error takeOpenSslError(const QString &what, ErrorCode code)
{
    QStringList entries;
    const char *data = nullptr;
    int flags = 0;
    unsigned long err = 0;
    while ((err = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) != 0) {
        char buf[256] = {};
        ERR_error_string_n(err, buf, sizeof buf);
        QString entry = QString::fromLatin1(buf);
        if ((flags & ERR_TXT_STRING) && data && *data)
            entry += QStringLiteral(" (%1)").arg(QString::fromUtf8(data));
        entries << entry;
    }
    const QString message =
        what.isEmpty() ? QStringLiteral("OpenSSL operation failed") : what + QStringLiteral(" failed");
    const QString detail =
        entries.isEmpty() ? QStringLiteral("OpenSSL reported no error details") : entries.join(QStringLiteral("; "));
    return Error(code, message, detail);
}

void clearOpenSslErrors()
{
    ERR_clear_error();
}

BioPtr memoryBio(const QByteArray &data)
{
    return BioPtr(BIO_new_mem_buf(data.constData(), static_cast<int>(data.size())));
}

QByteArray bioContents(BIO *bio)
{
    char *ptr = nullptr;
    const long len = BIO_get_mem_data(bio, &ptr);
    if (len <= 0 || !ptr)
        return {};
    return QByteArray(ptr, len);
}

QString oidToText(const ASN1_OBJECT *object)
{
    if (!object)
        return {};
    char buf[128] = {};
    const int len = OBJ_obj2txt(buf, sizeof buf, object, 1);
    if (len <= 0)
        return {};
    if (static_cast<size_t>(len) < sizeof buf)
        return QString::fromLatin1(buf, len);
    QByteArray big(len + 1, '\0');
    OBJ_obj2txt(big.data(), len + 1, object, 1);
    return QString::fromLatin1(big.constData(), len);
}

Asn1ObjectPtr objectFromText(const QString &text)
{
    if (text.isEmpty())
        return {};
    const QByteArray latin = text.toLatin1();
    Asn1ObjectPtr object(OBJ_txt2obj(latin.constData(), 0));
    if (!object)
        ERR_clear_error();
    return object;
}

QString hexUpper(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex()).toUpper();
}

} // namespace station::crypto
