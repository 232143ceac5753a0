#include "Pkcs7.h"

#include "OpenSslPtr.h"

#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509_vfy.h>

namespace station::crypto {

Result<QByteArray> Pkcs7::buildCertsOnly(const QList<Certificate> &certificates)
{
    Pkcs7Ptr p7(PKCS7_new());
    if (!p7 || PKCS7_set_type(p7.get(), NID_pkcs7_signed) != 1)
        return fail(takeOpenSslError(QStringLiteral("Creating the PKCS#7 structure")));
    // Degenerate SignedData (RFC 5652 §5.2, RFC 7030 §4.1.3): encapsulated content type id-data with no
    // content, no signers, the certificates in the given order.
    p7->d.sign->contents->type = OBJ_nid2obj(NID_pkcs7_data);
    for (const Certificate &cert : certificates) {
        if (cert.isNull())
            return fail(ErrorCode::InvalidArgument, QStringLiteral("A null certificate cannot go into PKCS#7"));
        if (PKCS7_add_certificate(p7.get(), cert.native()) != 1)
            return fail(takeOpenSslError(QStringLiteral("Adding a certificate to PKCS#7")));
    }
    QByteArray der = toDerBytes(p7.get(), i2d_PKCS7);
    if (der.isEmpty())
        return fail(takeOpenSslError(QStringLiteral("Encoding the PKCS#7 structure")));
    return der;
}

Result<QList<Certificate>> Pkcs7::parseCertsOnly(const QByteArray &der)
{
    if (der.isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("The PKCS#7 data is empty"));
    const auto *begin = reinterpret_cast<const unsigned char *>(der.constData());
    const unsigned char *p = begin;
    Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, static_cast<long>(der.size())));
    if (!p7) {
        Error error = takeOpenSslError(QStringLiteral("Decoding PKCS#7"), ErrorCode::Parse);
        error.message = QStringLiteral("The data is not a valid DER PKCS#7 structure");
        return fail(std::move(error));
    }
    if (p != begin + der.size())
        return fail(ErrorCode::Parse,
                    QStringLiteral("The PKCS#7 structure has %1 bytes of trailing data").arg(begin + der.size() - p));
    const int type = OBJ_obj2nid(p7->type);
    if (type != NID_pkcs7_signed)
        return fail(ErrorCode::Parse,
                    QStringLiteral("The PKCS#7 content type is %1, not SignedData").arg(oidToText(p7->type)), {},
                    QStringLiteral("The server must send certificates as a certs-only SignedData"));
    if (!p7->d.sign || !p7->d.sign->cert || sk_X509_num(p7->d.sign->cert) == 0)
        return fail(ErrorCode::Parse, QStringLiteral("The PKCS#7 SignedData holds no certificates"));
    QList<Certificate> result;
    STACK_OF(X509) *certs = p7->d.sign->cert;
    for (int i = 0; i < sk_X509_num(certs); ++i) {
        X509 *x = sk_X509_value(certs, i);
        if (!x)
            continue;
        X509_up_ref(x);
        result.append(Certificate::adopt(x));
    }
    return result;
}

namespace {

/// True when `issuer` issued `subject` (names, key identifiers and signature) and they are different.
bool issued(const Certificate &issuer, const Certificate &subject)
{
    if (issuer == subject)
        return false;
    const bool nameMatch = X509_check_issued(issuer.native(), subject.native()) == X509_V_OK;
    clearOpenSslErrors();
    return nameMatch && subject.isSignedBy(issuer);
}

} // namespace

QList<Certificate> Pkcs7::sortLeafFirst(const QList<Certificate> &certificates)
{
    const qsizetype n = certificates.size();
    if (n < 2)
        return certificates;
    // The issuer of each certificate within the list (index), or -1.
    QList<qsizetype> issuerOf(n, -1);
    QList<bool> issuesSomething(n, false);
    for (qsizetype i = 0; i < n; ++i) {
        for (qsizetype j = 0; j < n; ++j) {
            if (i != j && issuerOf[i] < 0 && issued(certificates[j], certificates[i])) {
                issuerOf[i] = j;
                issuesSomething[j] = true;
            }
        }
    }
    auto chainFrom = [&](qsizetype start) {
        QList<qsizetype> chain{start};
        qsizetype current = start;
        while (issuerOf[current] >= 0 && !chain.contains(issuerOf[current])) {
            current = issuerOf[current];
            chain.append(current);
        }
        return chain;
    };
    // The leaf: a certificate that issues nothing else in the list, with the longest chain (first wins ties).
    QList<qsizetype> best;
    for (qsizetype i = 0; i < n; ++i) {
        if (issuesSomething[i])
            continue;
        QList<qsizetype> chain = chainFrom(i);
        if (chain.size() > best.size())
            best = chain;
    }
    if (best.isEmpty())
        best = chainFrom(0); // every certificate issues another: a cycle; keep the given start
    QList<Certificate> sorted;
    for (const qsizetype index : best)
        sorted.append(certificates[index]);
    for (qsizetype i = 0; i < n; ++i) {
        if (!best.contains(i))
            sorted.append(certificates[i]);
    }
    return sorted;
}

} // namespace station::crypto
