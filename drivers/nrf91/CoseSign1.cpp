#include "CoseSign1.h"

#include "crypto/OpenSslPtr.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>

#include <limits>

#include <memory>

namespace station::drivers {

std::optional<int> cborInt(const QCborValue &value)
{
    if (!value.isInteger())
        return std::nullopt;
    const qint64 v = value.toInteger();
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(v);
}

Result<CoseSign1> CoseSign1::decode(const QByteArray &cbor)
{
    QCborParserError error;
    QCborValue value = QCborValue::fromCbor(cbor, &error);
    if (error.error != QCborError::NoError)
        return fail(ErrorCode::Parse, QStringLiteral("The COSE_Sign1 is not valid CBOR"), error.errorString());
    if (value.isTag()) {
        if (value.tag() != QCborTag(18))
            return fail(ErrorCode::Parse, QStringLiteral("The COSE object is not a COSE_Sign1"),
                        QStringLiteral("CBOR tag %1").arg(static_cast<quint64>(value.tag())));
        value = value.taggedValue();
    }
    if (!value.isArray() || value.toArray().size() != 4)
        return fail(ErrorCode::Parse, QStringLiteral("The COSE_Sign1 is not a four-element array"));
    const QCborArray a = value.toArray();
    if (!a.at(0).isByteArray() || !a.at(1).isMap() || !(a.at(2).isByteArray() || a.at(2).isNull()) ||
        !a.at(3).isByteArray())
        return fail(ErrorCode::Parse, QStringLiteral("The COSE_Sign1 elements have the wrong types"));
    CoseSign1 cose;
    cose.protectedHeader = a.at(0).toByteArray();
    if (!cose.protectedHeader.isEmpty()) {
        const QCborValue header = QCborValue::fromCbor(cose.protectedHeader, &error);
        if (error.error != QCborError::NoError || !header.isMap())
            return fail(ErrorCode::Parse, QStringLiteral("The COSE protected header is not a CBOR map"));
        const std::optional<int> algorithm = cborInt(header.toMap().value(1));
        if (!algorithm)
            return fail(ErrorCode::Parse, QStringLiteral("The COSE protected header names no integer algorithm"));
        cose.algorithm = *algorithm;
    }
    const QCborValue kid = a.at(1).toMap().value(4);
    if (kid.isByteArray())
        cose.keyId = kid.toByteArray();
    cose.payload = a.at(2).toByteArray();
    cose.signature = a.at(3).toByteArray();
    return cose;
}

QByteArray CoseSign1::encode() const
{
    QCborMap unprotected;
    if (!keyId.isEmpty())
        unprotected.insert(4, keyId);
    QCborArray a{protectedHeader, unprotected, payload, signature};
    return QCborValue(QCborTag(18), a).toCbor();
}

QByteArray CoseSign1::toBeSigned() const
{
    return QCborValue(QCborArray{QStringLiteral("Signature1"), protectedHeader, QByteArray(), payload}).toCbor();
}

Result<QByteArray> CoseSign1::derToRaw(const QByteArray &der, int half)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(d2i_ECDSA_SIG(nullptr, &p, long(der.size())),
                                                              &ECDSA_SIG_free);
    if (!sig || p != reinterpret_cast<const unsigned char *>(der.constData()) + der.size()) {
        crypto::clearOpenSslErrors();
        return fail(ErrorCode::Parse, QStringLiteral("Not a DER ECDSA signature"));
    }
    const BIGNUM *r = ECDSA_SIG_get0_r(sig.get());
    const BIGNUM *s = ECDSA_SIG_get0_s(sig.get());
    if (half <= 0 || BN_num_bytes(r) > half || BN_num_bytes(s) > half)
        return fail(ErrorCode::Parse, QStringLiteral("Not a DER ECDSA signature of this curve size"));
    QByteArray raw(2 * half, '\0');
    auto *out = reinterpret_cast<unsigned char *>(raw.data());
    if (BN_bn2binpad(r, out, half) != half || BN_bn2binpad(s, out + half, half) != half) {
        crypto::clearOpenSslErrors();
        return fail(ErrorCode::Parse, QStringLiteral("Not a DER ECDSA signature of this curve size"));
    }
    return raw;
}

QByteArray CoseSign1::rawToDer(const QByteArray &raw)
{
    // OpenSSL writes the DER: r and s are INTEGERs of up to 66 bytes (P-521), so the SEQUENCE needs a
    // long-form length; hand-written one-byte lengths broke P-521 signatures.
    if (raw.size() < 2 || raw.size() % 2 != 0)
        return {};
    const int half = int(raw.size() / 2);
    const auto *bytes = reinterpret_cast<const unsigned char *>(raw.constData());
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(ECDSA_SIG_new(), &ECDSA_SIG_free);
    BIGNUM *r = BN_bin2bn(bytes, half, nullptr);
    BIGNUM *s = BN_bin2bn(bytes + half, half, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        crypto::clearOpenSslErrors();
        return {};
    }
    unsigned char *der = nullptr;
    const int length = i2d_ECDSA_SIG(sig.get(), &der);
    if (length <= 0) {
        crypto::clearOpenSslErrors();
        return {};
    }
    QByteArray out(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    return out;
}

} // namespace station::drivers
