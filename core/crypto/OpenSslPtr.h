// Owning smart pointers for OpenSSL objects, and the bridge from OpenSSL's error queue to station::Error.
// Internal to core/crypto and its tests; other layers use the value types (PrivateKey, Certificate, ...).
#pragma once

#include "Error.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <QByteArray>

#include <memory>

namespace station::crypto {

template <auto Fn> struct OpenSslDeleter {
    template <typename T> void operator()(T *p) const noexcept { Fn(p); }
};

using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, OpenSslDeleter<X509_REQ_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpenSslDeleter<X509_NAME_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslDeleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslDeleter<X509_STORE_CTX_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION_free>>;
using X509AttributePtr = std::unique_ptr<X509_ATTRIBUTE, OpenSslDeleter<X509_ATTRIBUTE_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslDeleter<GENERAL_NAMES_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, OpenSslDeleter<GENERAL_NAME_free>>;
using ExtendedKeyUsagePtr = std::unique_ptr<EXTENDED_KEY_USAGE, OpenSslDeleter<EXTENDED_KEY_USAGE_free>>;
using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, OpenSslDeleter<ASN1_OBJECT_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OpenSslDeleter<ASN1_INTEGER_free>>;
using Asn1BitStringPtr = std::unique_ptr<ASN1_BIT_STRING, OpenSslDeleter<ASN1_BIT_STRING_free>>;
using Asn1OctetStringPtr = std::unique_ptr<ASN1_OCTET_STRING, OpenSslDeleter<ASN1_OCTET_STRING_free>>;
using Asn1TypePtr = std::unique_ptr<ASN1_TYPE, OpenSslDeleter<ASN1_TYPE_free>>;
using BasicConstraintsPtr = std::unique_ptr<BASIC_CONSTRAINTS, OpenSslDeleter<BASIC_CONSTRAINTS_free>>;
using AuthorityKeyIdPtr = std::unique_ptr<AUTHORITY_KEYID, OpenSslDeleter<AUTHORITY_KEYID_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>>;
using Pkcs7Ptr = std::unique_ptr<PKCS7, OpenSslDeleter<PKCS7_free>>;
using Pkcs12Ptr = std::unique_ptr<PKCS12, OpenSslDeleter<PKCS12_free>>;
using X509SigPtr = std::unique_ptr<X509_SIG, OpenSslDeleter<X509_SIG_free>>;

inline void freeX509Stack(STACK_OF(X509) * stack) noexcept
{
    sk_X509_pop_free(stack, X509_free);
}
inline void freeExtensionStack(STACK_OF(X509_EXTENSION) * stack) noexcept
{
    sk_X509_EXTENSION_pop_free(stack, X509_EXTENSION_free);
}
/// Owns the stack and the certificates in it.
using X509StackPtr = std::unique_ptr<STACK_OF(X509), OpenSslDeleter<freeX509Stack>>;
/// Owns the stack and the extensions in it.
using X509ExtensionStackPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), OpenSslDeleter<freeExtensionStack>>;
/// Frees OPENSSL_malloc'ed memory (OPENSSL_free is a macro, hence the wrapper).
inline void freeOpenSslMemory(void *p) noexcept
{
    OPENSSL_free(p);
}
using OpenSslMemoryPtr = std::unique_ptr<void, OpenSslDeleter<freeOpenSslMemory>>;

/// Drains the whole OpenSSL error queue of this thread into one Error (code Crypto unless given).
/// `what` says what was attempted ("signing the CSR"); the queue's entries become the detail.
[[nodiscard]] Error takeOpenSslError(const QString &what, ErrorCode code = ErrorCode::Crypto);

/// Clears the thread's OpenSSL error queue (before an operation whose failure is expected and handled).
void clearOpenSslErrors();

/// A read-only memory BIO over `data` (which must outlive the BIO).
BioPtr memoryBio(const QByteArray &data);
/// Everything written to a memory BIO.
QByteArray bioContents(BIO *bio);

/// Dotted OID text of `object` ("2.5.29.17").
QString oidToText(const ASN1_OBJECT *object);
/// The ASN1_OBJECT for a dotted OID or an OpenSSL short/long name ("clientAuth"); null when unknown.
Asn1ObjectPtr objectFromText(const QString &text);
/// The DER of `d2i`-style objects: i2d into a QByteArray (empty on failure).
template <typename T, typename I2d> QByteArray toDerBytes(const T *object, I2d i2d)
{
    unsigned char *out = nullptr;
    const int len = i2d(object, &out);
    if (len <= 0 || !out)
        return {};
    QByteArray der(reinterpret_cast<const char *>(out), len);
    OPENSSL_free(out);
    return der;
}
/// Upper-case hex without separators.
QString hexUpper(const QByteArray &bytes);

} // namespace station::crypto
