#include "ChainVerifier.h"

#include "OpenSslPtr.h"

#include <openssl/x509_vfy.h>

#include <utility>

namespace station::crypto {

namespace {

QString remedyFor(int error)
{
    switch (error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return QStringLiteral("Renew the certificate, and check that the station's clock is correct");
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return QStringLiteral("Check that the station's clock and the CA's clock are correct");
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return QStringLiteral("Install the issuing CA certificate as a trust anchor, or supply the missing "
                              "intermediate certificates (EST /cacerts)");
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return QStringLiteral("The chain ends in a root that is not a trust anchor: check that the right CA "
                              "certificates are configured");
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_CERT_REJECTED:
        return QStringLiteral("The certificate was altered or signed by another key; obtain it again from the CA");
    case X509_V_ERR_INVALID_PURPOSE:
        return QStringLiteral("The certificate lacks the required extended key usage; request one with it");
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
        return QStringLiteral("An intermediate is not allowed to issue certificates; check the CA configuration");
    default: return QStringLiteral("Check the trust anchors, the intermediate certificates and the station's clock");
    }
}

} // namespace

ChainVerifier::ChainVerifier(QList<Certificate> trustAnchors, QList<Certificate> intermediates)
    : m_anchors(std::move(trustAnchors)), m_intermediates(std::move(intermediates))
{
    if (m_anchors.isEmpty())
        return;
    X509StorePtr store(X509_STORE_new());
    if (!store)
        return; // verify() reports it
    for (const Certificate &anchor : m_anchors) {
        if (!anchor.isNull() && X509_STORE_add_cert(store.get(), anchor.native()) != 1)
            clearOpenSslErrors(); // a duplicate anchor is harmless
    }
    m_store = std::shared_ptr<X509_STORE>(store.release(), X509_STORE_free);
}

Result<QList<Certificate>> ChainVerifier::verify(const Certificate &leaf,
                                                 const QList<Certificate> &extraIntermediates) const
{
    if (leaf.isNull())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("No certificate to verify"));
    if (m_anchors.isEmpty())
        return fail(ErrorCode::Verification, QStringLiteral("No trust anchors are configured"), {},
                    QStringLiteral("Fetch the CA certificates (EST /cacerts) and confirm their fingerprint"));
    X509StackPtr untrusted(sk_X509_new_null());
    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!m_store || !untrusted || !ctx)
        return fail(takeOpenSslError(QStringLiteral("Setting up chain verification")));
    for (const QList<Certificate> *list : {&m_intermediates, &extraIntermediates}) {
        for (const Certificate &cert : *list) {
            if (cert.isNull())
                continue;
            if (X509_add_cert(untrusted.get(), cert.native(), X509_ADD_FLAG_UP_REF | X509_ADD_FLAG_NO_DUP) != 1)
                return fail(takeOpenSslError(QStringLiteral("Collecting intermediate certificates")));
        }
    }
    if (X509_STORE_CTX_init(ctx.get(), m_store.get(), leaf.native(), untrusted.get()) != 1)
        return fail(takeOpenSslError(QStringLiteral("Setting up chain verification")));
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
    if (m_when.isValid())
        X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(m_when.toSecsSinceEpoch()));

    int purpose = 0;
    QString customPurpose;
    if (!m_purpose.isEmpty()) {
        if (m_purpose.compare(QStringLiteral("clientAuth"), Qt::CaseInsensitive) == 0 ||
            m_purpose == u"1.3.6.1.5.5.7.3.2")
            purpose = X509_PURPOSE_SSL_CLIENT;
        else if (m_purpose.compare(QStringLiteral("serverAuth"), Qt::CaseInsensitive) == 0 ||
                 m_purpose == u"1.3.6.1.5.5.7.3.1")
            purpose = X509_PURPOSE_SSL_SERVER;
        else
            customPurpose = m_purpose;
        if (purpose != 0 && X509_STORE_CTX_set_purpose(ctx.get(), purpose) != 1)
            return fail(takeOpenSslError(QStringLiteral("Setting the required purpose")));
    }

    if (X509_verify_cert(ctx.get()) != 1) {
        const int error = X509_STORE_CTX_get_error(ctx.get());
        const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
        X509 *failing = X509_STORE_CTX_get_current_cert(ctx.get());
        const QString reason = QString::fromUtf8(X509_verify_cert_error_string(error));
        QString detail = QStringLiteral("X509_V_ERR %1 at depth %2").arg(error).arg(depth);
        if (failing)
            detail += QStringLiteral(", certificate \"%1\"")
                          .arg(DistinguishedName::fromX509Name(X509_get_subject_name(failing)).toString());
        clearOpenSslErrors();
        return fail(ErrorCode::Verification, QStringLiteral("Certificate chain does not verify: %1").arg(reason),
                    detail, remedyFor(error));
    }
    clearOpenSslErrors();

    if (!customPurpose.isEmpty()) {
        const QStringList usages = leaf.extendedKeyUsages();
        Asn1ObjectPtr wanted = objectFromText(customPurpose);
        const QString wantedOid = wanted ? oidToText(wanted.get()) : customPurpose;
        if (!usages.isEmpty() && !usages.contains(wantedOid) && !usages.contains(QStringLiteral("2.5.29.37.0")))
            return fail(ErrorCode::Verification,
                        QStringLiteral("Certificate chain does not verify: the certificate is not allowed for %1")
                            .arg(customPurpose),
                        QStringLiteral("extendedKeyUsage: %1").arg(usages.join(QStringLiteral(", "))),
                        remedyFor(X509_V_ERR_INVALID_PURPOSE));
    }

    X509StackPtr chain(X509_STORE_CTX_get1_chain(ctx.get()));
    QList<Certificate> result;
    for (int i = 0; chain && i < sk_X509_num(chain.get()); ++i) {
        X509 *x = sk_X509_value(chain.get(), i);
        X509_up_ref(x);
        result.append(Certificate::adopt(x));
    }
    return result;
}

} // namespace station::crypto
