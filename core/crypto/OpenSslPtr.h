// Owning smart pointers for OpenSSL objects, and the bridge from OpenSSL's error queue to station::Error.
// Internal to core/crypto and its tests; other layers use the value types (PrivateKey, Certificate, ...).
#pragma once

#include "Error.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <QByteArray>

#include <memory>

namespace station::crypto {

template <auto Fn>
struct OpenSslDeleter {
    template <typename T>
    void operator()(T *p) const noexcept
    {
        Fn(p);
    }
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

/// Drains the whole OpenSSL error queue of this thread into one Error (code Crypto unless given).
/// `what` says what was attempted ("signing the CSR"); the queue's entries become the detail.
[[nodiscard]] Error takeOpenSslError(const QString &what, ErrorCode code = ErrorCode::Crypto);

/// Clears the thread's OpenSSL error queue (before an operation whose failure is expected and handled).
void clearOpenSslErrors();

/// A read-only memory BIO over `data` (which must outlive the BIO).
BioPtr memoryBio(const QByteArray &data);
/// Everything written to a memory BIO.
QByteArray bioContents(BIO *bio);

} // namespace station::crypto
