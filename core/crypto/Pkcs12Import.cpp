// importPkcs12() (declared in PrivateKey.h): bootstrap credentials delivered as .p12/.pfx.
#include "Certificate.h"
#include "OpenSslPtr.h"
#include "PrivateKey.h"

#include <openssl/pkcs12.h>

namespace station::crypto {

Result<Pkcs12Bundle> importPkcs12(const QByteArray &der, const QByteArray &password)
{
    if (der.isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("The PKCS#12 data is empty"));
    const auto *begin = reinterpret_cast<const unsigned char *>(der.constData());
    const unsigned char *p = begin;
    Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())));
    if (!p12) {
        Error error = takeOpenSslError(QStringLiteral("Decoding the PKCS#12 file"), ErrorCode::Parse);
        error.message = QStringLiteral("The data is not a PKCS#12 (.p12/.pfx) file");
        return fail(std::move(error));
    }
    if (p != begin + der.size())
        return fail(ErrorCode::Parse, QStringLiteral("The PKCS#12 file has trailing data"));

    // An empty password may have been applied as "" or as no password at all; try both.
    const char *pass = password.constData();
    const int passLen = static_cast<int>(password.size());
    if (PKCS12_mac_present(p12.get())) {
        bool macOk = PKCS12_verify_mac(p12.get(), pass, passLen) == 1;
        if (!macOk && password.isEmpty()) {
            macOk = PKCS12_verify_mac(p12.get(), nullptr, 0) == 1;
            if (macOk)
                pass = nullptr;
        }
        if (!macOk) {
            Error error = takeOpenSslError(QString(), ErrorCode::Authentication);
            error.message = QStringLiteral("Wrong password for the PKCS#12 file");
            error.remedy = QStringLiteral("Enter the password the file was exported with");
            return fail(std::move(error));
        }
    }
    clearOpenSslErrors();

    EVP_PKEY *rawKey = nullptr;
    X509 *rawCert = nullptr;
    STACK_OF(X509) *rawCa = nullptr;
    if (PKCS12_parse(p12.get(), pass, &rawKey, &rawCert, &rawCa) != 1) {
        Error error = takeOpenSslError(QStringLiteral("Reading the PKCS#12 file"), ErrorCode::Parse);
        error.message = QStringLiteral("The PKCS#12 file could not be decrypted");
        error.remedy = QStringLiteral("Check the password; files that use legacy encryption (RC2, 3DES) must be "
                                      "re-exported with AES (openssl pkcs12 -export without -legacy)");
        return fail(std::move(error));
    }
    EvpPkeyPtr key(rawKey);
    X509Ptr cert(rawCert);
    X509StackPtr ca(rawCa);
    if (!key)
        return fail(ErrorCode::Parse, QStringLiteral("The PKCS#12 file holds no private key"));

    Pkcs12Bundle bundle;
    bundle.key = PrivateKey::adopt(key.release());
    if (cert)
        bundle.certificates.append(Certificate::adopt(cert.release()));
    for (int i = 0; ca && i < sk_X509_num(ca.get()); ++i) {
        X509 *x = sk_X509_value(ca.get(), i);
        X509_up_ref(x);
        bundle.certificates.append(Certificate::adopt(x));
    }
    // Leaf first: the certificate whose public key is the bundle's key.
    for (qsizetype i = 0; i < bundle.certificates.size(); ++i) {
        if (bundle.certificates[i].matchesKey(bundle.key)) {
            if (i > 0)
                bundle.certificates.move(i, 0);
            break;
        }
    }
    return bundle;
}

} // namespace station::crypto
