#include "PrivateKey.h"

#include "Encoding.h"
#include "OpenSslPtr.h"
#include "X509Helpers.h"

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>

#include <cstring>
#include <utility>

namespace station::crypto {

namespace {

using DecoderCtxPtr = std::unique_ptr<OSSL_DECODER_CTX, OpenSslDeleter<OSSL_DECODER_CTX_free>>;
using EncoderCtxPtr = std::unique_ptr<OSSL_ENCODER_CTX, OpenSslDeleter<OSSL_ENCODER_CTX_free>>;

/// Hands the passphrase to OpenSSL's decoders and records that one was asked for, which is how a
/// failure is told apart as "wrong or missing passphrase" (Authentication) from "not a key" (Parse).
struct PassphraseRequest {
    const QByteArray *passphrase = nullptr;
    bool asked = false;
};

int passphraseCallback(char *buf, size_t size, size_t *length, const OSSL_PARAM[], void *arg)
{
    auto *request = static_cast<PassphraseRequest *>(arg);
    request->asked = true;
    const QByteArray &pass = *request->passphrase;
    if (pass.isEmpty() || static_cast<size_t>(pass.size()) > size)
        return 0;
    std::memcpy(buf, pass.constData(), static_cast<size_t>(pass.size()));
    *length = static_cast<size_t>(pass.size());
    return 1;
}

Result<PrivateKey> decodeKey(const QByteArray &data, const char *inputType, const QByteArray &passphrase,
                             bool wasEncrypted)
{
    EVP_PKEY *raw = nullptr;
    DecoderCtxPtr ctx(
        OSSL_DECODER_CTX_new_for_pkey(&raw, inputType, nullptr, nullptr, EVP_PKEY_KEYPAIR, nullptr, nullptr));
    if (!ctx)
        return fail(takeOpenSslError(QStringLiteral("Setting up key decoding")));
    PassphraseRequest request{&passphrase, false};
    OSSL_DECODER_CTX_set_passphrase_cb(ctx.get(), passphraseCallback, &request);
    const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
    size_t len = static_cast<size_t>(data.size());
    const bool ok = OSSL_DECODER_from_data(ctx.get(), &p, &len) == 1 && raw;
    EvpPkeyPtr key(raw);
    if (!ok) {
        if (request.asked || wasEncrypted) {
            Error error = takeOpenSslError(QString(), ErrorCode::Authentication);
            error.message = passphrase.isEmpty()
                                ? QStringLiteral("The private key is encrypted and no passphrase was given")
                                : QStringLiteral("Wrong passphrase for the encrypted private key");
            error.remedy = QStringLiteral("Enter the passphrase the key was exported with");
            return fail(std::move(error));
        }
        Error error = takeOpenSslError(QStringLiteral("Decoding the private key"), ErrorCode::Parse);
        error.message = QStringLiteral("The data is not a private key OpenSSL can read");
        error.remedy = QStringLiteral("Provide a PKCS#8, RSA or EC private key in PEM or DER");
        return fail(std::move(error));
    }
    if (len != 0)
        return fail(ErrorCode::Parse, QStringLiteral("The private key has %1 bytes of trailing data").arg(len));
    PrivateKey result = PrivateKey::adopt(key.release());
    if (!result.isPrivate())
        return fail(ErrorCode::Parse, QStringLiteral("The data holds a public key, not a private key"));
    return result;
}

Result<SecretBytes> encodePrivate(EVP_PKEY *key, const char *outputType, const QByteArray &passphrase = {})
{
    if (!key)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("No key to export"));
    EncoderCtxPtr ctx(OSSL_ENCODER_CTX_new_for_pkey(key, EVP_PKEY_KEYPAIR, outputType, "PrivateKeyInfo", nullptr));
    if (!ctx || OSSL_ENCODER_CTX_get_num_encoders(ctx.get()) == 0)
        return fail(takeOpenSslError(QStringLiteral("Setting up private key export")));
    if (!passphrase.isEmpty()) {
        if (OSSL_ENCODER_CTX_set_cipher(ctx.get(), "AES-256-CBC", nullptr) != 1 ||
            OSSL_ENCODER_CTX_set_passphrase(ctx.get(), reinterpret_cast<const unsigned char *>(passphrase.constData()),
                                            static_cast<size_t>(passphrase.size())) != 1)
            return fail(takeOpenSslError(QStringLiteral("Setting up private key encryption")));
    }
    unsigned char *out = nullptr;
    size_t len = 0;
    if (OSSL_ENCODER_to_data(ctx.get(), &out, &len) != 1 || !out)
        return fail(takeOpenSslError(QStringLiteral("Exporting the private key")));
    SecretBytes secret(QByteArray(reinterpret_cast<const char *>(out), static_cast<qsizetype>(len)));
    OPENSSL_clear_free(out, len);
    return secret;
}

bool hasBnParam(const EVP_PKEY *key, const char *name)
{
    BIGNUM *bn = nullptr;
    const bool ok = EVP_PKEY_get_bn_param(key, name, &bn) == 1 && bn;
    BN_clear_free(bn);
    return ok;
}

} // namespace

PrivateKey::PrivateKey() = default;

PrivateKey::~PrivateKey()
{
    EVP_PKEY_free(m_key);
}

PrivateKey::PrivateKey(const PrivateKey &other) : m_key(other.m_key)
{
    if (m_key)
        EVP_PKEY_up_ref(m_key);
}

PrivateKey &PrivateKey::operator=(const PrivateKey &other)
{
    if (this != &other) {
        if (other.m_key)
            EVP_PKEY_up_ref(other.m_key);
        EVP_PKEY_free(m_key);
        m_key = other.m_key;
    }
    return *this;
}

PrivateKey::PrivateKey(PrivateKey &&other) noexcept : m_key(std::exchange(other.m_key, nullptr)) {}

PrivateKey &PrivateKey::operator=(PrivateKey &&other) noexcept
{
    if (this != &other) {
        EVP_PKEY_free(m_key);
        m_key = std::exchange(other.m_key, nullptr);
    }
    return *this;
}

PrivateKey PrivateKey::adopt(EVP_PKEY *key)
{
    PrivateKey result;
    result.m_key = key;
    return result;
}

Result<PrivateKey> PrivateKey::generate(KeyType type)
{
    EVP_PKEY *key = nullptr;
    switch (type) {
    case KeyType::Rsa2048: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048)); break;
    case KeyType::Rsa3072: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(3072)); break;
    case KeyType::Rsa4096: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(4096)); break;
    case KeyType::EcP256: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case KeyType::EcP384: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"); break;
    case KeyType::EcP521: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521"); break;
    case KeyType::Ed25519: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
    }
    if (!key)
        return fail(takeOpenSslError(QStringLiteral("Generating a %1 key").arg(keyTypeName(type))));
    return adopt(key);
}

Result<PrivateKey> PrivateKey::fromPem(const QByteArray &pem, const QByteArray &passphrase)
{
    auto blocks = Encoding::parsePem(pem);
    if (!blocks)
        return fail(blocks.error().withContext(QStringLiteral("Reading the private key")));
    for (const PemBlock &block : *blocks) {
        if (!block.label.endsWith("PRIVATE KEY"))
            continue;
        const bool encrypted = block.encrypted || block.label == "ENCRYPTED PRIVATE KEY";
        // Traditional encrypted PEM keeps its DEK-Info header, which only the PEM decoder understands.
        if (block.encrypted) {
            const qsizetype begin = pem.indexOf("-----BEGIN " + block.label + "-----");
            const QByteArray endMarker = "-----END " + block.label + "-----";
            const qsizetype end = pem.indexOf(endMarker, begin);
            return decodeKey(pem.mid(begin, end + endMarker.size() - begin), "PEM", passphrase, true);
        }
        if (block.label == "PRIVATE KEY" || block.label == "ENCRYPTED PRIVATE KEY")
            return decodeKey(block.der, "DER", passphrase, encrypted);
        // "RSA PRIVATE KEY", "EC PRIVATE KEY": hand the PEM to the decoder, which knows the label.
        return decodeKey(Encoding::toPem(block.der, block.label), "PEM", passphrase, false);
    }
    return fail(
        ErrorCode::Parse, QStringLiteral("The PEM text holds no private key"),
        QStringLiteral("PEM labels found: %1").arg([&] {
            QStringList labels;
            for (const PemBlock &block : *blocks)
                labels << QString::fromLatin1(block.label);
            return labels.join(QStringLiteral(", "));
        }()),
        QStringLiteral(
            "Provide a \"PRIVATE KEY\", \"ENCRYPTED PRIVATE KEY\", \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\" block"));
}

Result<PrivateKey> PrivateKey::fromDer(const QByteArray &der, const QByteArray &passphrase)
{
    if (der.isEmpty())
        return fail(ErrorCode::Parse, QStringLiteral("The private key data is empty"));
    if (!Encoding::isSingleDerObject(der))
        return fail(ErrorCode::Parse, QStringLiteral("The private key is not one complete DER object"),
                    QStringLiteral("truncated, or trailing data"));
    // An EncryptedPrivateKeyInfo is an X509_SIG structure: knowing that up front makes any decoding
    // failure an Authentication error.
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    X509SigPtr sig(d2i_X509_SIG(nullptr, &p, static_cast<long>(der.size())));
    const bool encrypted = sig && p == reinterpret_cast<const unsigned char *>(der.constData()) + der.size();
    clearOpenSslErrors();
    return decodeKey(der, "DER", passphrase, encrypted);
}

Result<PrivateKey> PrivateKey::fromAny(const QByteArray &data, const QByteArray &passphrase)
{
    if (Encoding::looksLikePem(data))
        return fromPem(data, passphrase);
    if (Encoding::isSingleDerObject(data))
        return fromDer(data, passphrase);
    auto decoded = Encoding::decodeLenient(data);
    if (!decoded)
        return fail(decoded.error().withContext(QStringLiteral("Reading the private key")));
    return fromDer(*decoded, passphrase);
}

Result<PrivateKey> PrivateKey::publicFromSpkiDer(const QByteArray &spkiDer)
{
    const auto *p = reinterpret_cast<const unsigned char *>(spkiDer.constData());
    EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spkiDer.size())));
    if (!key)
        return fail(takeOpenSslError(QStringLiteral("Decoding the public key"), ErrorCode::Parse));
    if (p != reinterpret_cast<const unsigned char *>(spkiDer.constData()) + spkiDer.size())
        return fail(ErrorCode::Parse, QStringLiteral("The public key has trailing data"));
    return adopt(key.release());
}

bool PrivateKey::isNull() const
{
    return m_key == nullptr;
}

bool PrivateKey::isPrivate() const
{
    if (!m_key)
        return false;
    bool result = false;
    switch (EVP_PKEY_get_base_id(m_key)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS: result = hasBnParam(m_key, OSSL_PKEY_PARAM_RSA_D); break;
    case EVP_PKEY_EC: result = hasBnParam(m_key, OSSL_PKEY_PARAM_PRIV_KEY); break;
    default: {
        size_t len = 0;
        result = EVP_PKEY_get_octet_string_param(m_key, OSSL_PKEY_PARAM_PRIV_KEY, nullptr, 0, &len) == 1 && len > 0;
        break;
    }
    }
    clearOpenSslErrors();
    return result;
}

QString PrivateKey::algorithmName() const
{
    if (!m_key)
        return {};
    switch (EVP_PKEY_get_base_id(m_key)) {
    case EVP_PKEY_RSA: return QStringLiteral("RSA-%1").arg(bits());
    case EVP_PKEY_EC: {
        char group[64] = {};
        size_t len = 0;
        if (EVP_PKEY_get_group_name(m_key, group, sizeof group, &len) == 1) {
            const QByteArray g(group, static_cast<qsizetype>(len));
            if (g == "prime256v1" || g == "P-256")
                return QStringLiteral("EC-P256");
            if (g == "secp384r1" || g == "P-384")
                return QStringLiteral("EC-P384");
            if (g == "secp521r1" || g == "P-521")
                return QStringLiteral("EC-P521");
            return QStringLiteral("EC-") + QString::fromLatin1(g);
        }
        clearOpenSslErrors();
        return QStringLiteral("EC");
    }
    case EVP_PKEY_ED25519: return QStringLiteral("Ed25519");
    default: {
        const char *name = EVP_PKEY_get0_type_name(m_key);
        return name ? QString::fromLatin1(name) : QStringLiteral("unknown");
    }
    }
}

std::optional<KeyType> PrivateKey::keyType() const
{
    const QString name = algorithmName();
    if (name == u"RSA-2048")
        return KeyType::Rsa2048;
    if (name == u"RSA-3072")
        return KeyType::Rsa3072;
    if (name == u"RSA-4096")
        return KeyType::Rsa4096;
    if (name == u"EC-P256")
        return KeyType::EcP256;
    if (name == u"EC-P384")
        return KeyType::EcP384;
    if (name == u"EC-P521")
        return KeyType::EcP521;
    if (name == u"Ed25519")
        return KeyType::Ed25519;
    return std::nullopt;
}

int PrivateKey::bits() const
{
    return m_key ? EVP_PKEY_get_bits(m_key) : 0;
}

QByteArray PrivateKey::publicKeyDer() const
{
    if (!m_key)
        return {};
    return toDerBytes(m_key, i2d_PUBKEY);
}

bool PrivateKey::publicKeyEquals(const PrivateKey &other) const
{
    if (!m_key || !other.m_key)
        return false;
    const bool equal = EVP_PKEY_eq(m_key, other.m_key) == 1;
    clearOpenSslErrors();
    return equal;
}

Result<SecretBytes> PrivateKey::toPkcs8Der() const
{
    if (!isPrivate())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Only a private key can be exported as PKCS#8"));
    return encodePrivate(m_key, "DER");
}

Result<SecretBytes> PrivateKey::toPkcs8Pem() const
{
    if (!isPrivate())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Only a private key can be exported as PKCS#8"));
    return encodePrivate(m_key, "PEM");
}

Result<QByteArray> PrivateKey::toEncryptedPkcs8Pem(const QByteArray &passphrase) const
{
    if (passphrase.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("An encrypted key needs a non-empty passphrase"));
    if (!isPrivate())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Only a private key can be exported as PKCS#8"));
    auto secret = encodePrivate(m_key, "PEM", passphrase);
    if (!secret)
        return fail(secret.error());
    return secret->view().toByteArray(); // encrypted: no longer secret
}

QByteArray PrivateKey::publicKeyPem() const
{
    const QByteArray der = publicKeyDer();
    return der.isEmpty() ? QByteArray() : Encoding::toPem(der, "PUBLIC KEY");
}

Result<QByteArray> PrivateKey::sign(const QByteArray &data) const
{
    if (!isPrivate())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Signing needs a private key"));
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, x509::signingDigest(m_key), nullptr, m_key) != 1)
        return fail(takeOpenSslError(QStringLiteral("Setting up signing")));
    const auto *in = reinterpret_cast<const unsigned char *>(data.constData());
    size_t len = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &len, in, static_cast<size_t>(data.size())) != 1)
        return fail(takeOpenSslError(QStringLiteral("Signing")));
    QByteArray signature(static_cast<qsizetype>(len), '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &len, in,
                       static_cast<size_t>(data.size())) != 1)
        return fail(takeOpenSslError(QStringLiteral("Signing")));
    signature.resize(static_cast<qsizetype>(len));
    return signature;
}

bool PrivateKey::verify(const QByteArray &data, const QByteArray &signature) const
{
    if (!m_key)
        return false;
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, x509::signingDigest(m_key), nullptr, m_key) == 1 &&
                    EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.constData()),
                                     static_cast<size_t>(signature.size()),
                                     reinterpret_cast<const unsigned char *>(data.constData()),
                                     static_cast<size_t>(data.size())) == 1;
    clearOpenSslErrors();
    return ok;
}

} // namespace station::crypto
