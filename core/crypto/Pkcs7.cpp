#include "Pkcs7.h"

#include "OpenSslPtr.h"

#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <QHash>
#include <QSet>

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

/// At most this many same-name certificates are tried as the issuer of one certificate: a key rollover
/// gives two or three, an answer with hundreds is hostile or broken and must not cost a signature each.
constexpr int kMaxIssuerCandidates = 8;

QByteArray nameKey(const X509_NAME *name)
{
    unsigned char *der = nullptr;
    const int length = i2d_X509_NAME(name, &der);
    if (length <= 0) {
        clearOpenSslErrors();
        return {};
    }
    QByteArray key(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    return key;
}

QByteArray octets(const ASN1_OCTET_STRING *s)
{
    if (!s)
        return {};
    return QByteArray(reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
}

/// What links a certificate to its issuer, computed once per certificate.
struct Links {
    QByteArray subject, issuer; ///< DER names
    QByteArray subjectKeyId, authorityKeyId;
};

} // namespace

QList<Certificate> Pkcs7::sortLeafFirst(const QList<Certificate> &certificates, int *signatureChecks)
{
    if (signatureChecks)
        *signatureChecks = 0;
    const qsizetype n = certificates.size();
    if (n < 2)
        return certificates;

    // Index the certificates by subject name and subject key identifier: finding the possible issuers
    // of a certificate is then a hash lookup, not a scan (and never a signature check).
    QList<Links> links(n);
    QHash<QByteArray, QList<qsizetype>> bySubject, byKeyId;
    for (qsizetype i = 0; i < n; ++i) {
        X509 *x = certificates[i].native();
        links[i].subject = nameKey(X509_get_subject_name(x));
        links[i].issuer = nameKey(X509_get_issuer_name(x));
        links[i].subjectKeyId = octets(X509_get0_subject_key_id(x));
        links[i].authorityKeyId = octets(X509_get0_authority_key_id(x));
        clearOpenSslErrors();
        bySubject[links[i].subject].append(i);
        if (!links[i].subjectKeyId.isEmpty())
            byKeyId[links[i].subjectKeyId].append(i);
    }
    // Possible issuers of `i` (never itself): by authority key identifier when it names one in the list,
    // else by issuer name; at most kMaxIssuerCandidates.
    auto candidates = [&](qsizetype i) {
        QList<qsizetype> out;
        const QList<qsizetype> *pool = nullptr;
        if (!links[i].authorityKeyId.isEmpty()) {
            auto it = byKeyId.constFind(links[i].authorityKeyId);
            if (it != byKeyId.constEnd())
                pool = &it.value();
        }
        if (!pool) {
            auto it = bySubject.constFind(links[i].issuer);
            if (it == bySubject.constEnd())
                return out;
            pool = &it.value();
        }
        for (const qsizetype j : *pool) {
            if (j == i || links[j].subject != links[i].issuer)
                continue;
            out.append(j);
            if (out.size() == kMaxIssuerCandidates)
                break;
        }
        return out;
    };
    QList<QList<qsizetype>> issuersOf(n);
    QList<bool> issuesSomething(n, false);
    for (qsizetype i = 0; i < n; ++i) {
        issuersOf[i] = candidates(i);
        for (const qsizetype j : issuersOf[i])
            issuesSomething[j] = true;
    }
    // Length of the chain above each certificate by names alone (first candidate), memoised and cycle-safe.
    QList<int> depth(n, 0); // 0 = not known yet
    for (qsizetype start = 0; start < n; ++start) {
        QList<qsizetype> path;
        QSet<qsizetype> onPath;
        qsizetype current = start;
        while (depth[current] == 0 && !onPath.contains(current)) {
            path.append(current);
            onPath.insert(current);
            if (issuersOf[current].isEmpty())
                break;
            current = issuersOf[current].first();
        }
        int above = (depth[current] != 0 && !onPath.contains(current)) ? depth[current] : 0;
        for (qsizetype k = path.size() - 1; k >= 0; --k)
            depth[path[k]] = ++above;
    }
    // The leaf: a certificate that issues nothing else in the list, with the longest chain (first wins ties);
    // if every certificate issues another (a cycle), the first one.
    qsizetype leaf = -1;
    for (qsizetype i = 0; i < n; ++i) {
        if (!issuesSomething[i] && (leaf < 0 || depth[i] > depth[leaf]))
            leaf = i;
    }
    if (leaf < 0)
        leaf = 0;
    // Walk up from the leaf, verifying a signature only for the links of this one path.
    QList<qsizetype> chain{leaf};
    QSet<qsizetype> inChain{leaf};
    for (qsizetype current = leaf;;) {
        qsizetype next = -1;
        for (const qsizetype j : issuersOf[current]) {
            if (inChain.contains(j))
                continue;
            const bool nameMatch =
                X509_check_issued(certificates[j].native(), certificates[current].native()) == X509_V_OK;
            clearOpenSslErrors();
            if (!nameMatch)
                continue;
            if (signatureChecks)
                ++*signatureChecks;
            if (certificates[current].isSignedBy(certificates[j])) {
                next = j;
                break;
            }
        }
        if (next < 0)
            break;
        chain.append(next);
        inChain.insert(next);
        current = next;
    }
    QList<Certificate> sorted;
    sorted.reserve(n);
    for (const qsizetype index : chain)
        sorted.append(certificates[index]);
    for (qsizetype i = 0; i < n; ++i) {
        if (!inChain.contains(i))
            sorted.append(certificates[i]);
    }
    return sorted;
}

} // namespace station::crypto
