#include "EstCliSession.h"

#include "EstBatchEnroller.h"
#include "EstCliReport.h"

#include "FileUtil.h"
#include "est/CsrAttributesPolicy.h"
#include "est/TrustBootstrap.h"

#include "crypto/AsyncKeyGeneration.h"
#include "crypto/ChainVerifier.h"
#include "crypto/SubjectAltName.h"

#include <QMetaObject>

#include <unistd.h>

namespace station::cli {

using est::EstReply;

namespace {

QString describeAttributes(const crypto::CsrAttributes &attrs)
{
    QString text;
    for (const crypto::CsrAttrItem &item : attrs.items()) {
        text += QStringLiteral("  %1%2\n")
                    .arg(est::CsrAttributesPolicy::describeOid(item.oid),
                         item.isAttribute ? QStringLiteral(" (attribute with %1 value(s))").arg(item.valuesDer.size())
                                          : QString());
    }
    return text;
}

} // namespace

EstCliSession::EstCliSession(EstCliOptions options, est::EstClientConfig config, QTextStream &out, QTextStream &err,
                             QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_out(out), m_err(err)
{
    m_client = new est::EstClient(std::move(config), this);
    if (m_options.verbose) {
        connect(m_client, &est::EstClient::trace, this, [this](const QString &text) {
            m_err << text << (text.endsWith(QLatin1Char('\n')) ? "" : "\n");
            m_err.flush();
        });
    }
}

void EstCliSession::start()
{
    QMetaObject::invokeMethod(
        this,
        [this] {
            bootstrapThen([this] {
                const QString &c = m_options.command;
                if (c == QLatin1String("cacerts"))
                    runCaCerts();
                else if (c == QLatin1String("csrattrs"))
                    runCsrAttrs();
                else if (c == QLatin1String("enroll"))
                    runEnroll();
                else if (c == QLatin1String("reenroll"))
                    runReenroll();
                else
                    runServerKeygen();
            });
        },
        Qt::QueuedConnection);
}

void EstCliSession::interrupt()
{
    if (m_finished)
        return;
    m_interrupted = true;
    if (m_batch)
        m_batch->cancel();
    m_client->cancelAll();
    if (!m_finished) {
        m_err << "provctl est: interrupted\n";
        finish(130);
    }
}

void EstCliSession::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_out.flush();
    m_err.flush();
    emit done(code);
}

void EstCliSession::failWith(const Error &error)
{
    if (m_finished)
        return;
    printEstError(m_err, m_options.command, error);
    finish(m_interrupted ? 130 : (error.code == ErrorCode::InvalidArgument ? 2 : 1));
}

void EstCliSession::await(EstReply *reply, std::function<void(EstReply *)> then)
{
    connect(reply, &EstReply::retryScheduled, this, [this](int attempt, qint64 delayMs) {
        m_err << "The server accepted the request but has not issued yet (202); retry " << attempt << " in "
              << (delayMs + 999) / 1000 << " s\n";
        m_err.flush();
    });
    connect(reply, &EstReply::finished, this, [this, reply, then = std::move(then)] {
        reply->deleteLater();
        if (m_finished)
            return;
        if (!reply->isSuccess()) {
            failWith(reply->error());
            return;
        }
        then(reply);
    });
}

void EstCliSession::bootstrapThen(std::function<void()> next)
{
    if (!m_options.wantsBootstrap()) {
        next();
        return;
    }
    await(m_client->fetchCaCertsForBootstrap(), [this, next = std::move(next)](EstReply *reply) {
        const QList<crypto::Certificate> fetched = reply->caCertificates();
        m_err << "Bootstrap: " << m_client->operationUrl(est::EstOperation::CaCerts).toDisplayString()
              << " sent these CA certificates (NOT trusted yet):\n"
              << est::TrustBootstrap::describe(fetched);
        m_err.flush();
        Result<est::BootstrapDecision> decision = fail(ErrorCode::Internal, QStringLiteral("no decision"));
        if (!m_options.bootstrapFingerprint.isEmpty()) {
            decision = est::TrustBootstrap::accept(fetched, m_options.bootstrapFingerprint);
        } else {
            if (!isatty(STDIN_FILENO)) {
                failWith(Error(ErrorCode::InvalidArgument,
                               QStringLiteral("--bootstrap asks on the terminal, and "
                                              "standard input is not one"),
                               {},
                               QStringLiteral("Give the expected fingerprint with --bootstrap-fingerprint SHA256")));
                return;
            }
            m_err << "Compare the SHA-256 fingerprints above with the ones the server's operator gave you.\n"
                  << "Type the fingerprint of the CA certificate to trust (or paste it), or press Enter to refuse: ";
            m_err.flush();
            // The CLI waits for its user here; nothing else is in flight at this point.
            QTextStream in(stdin);
            const QString answer = in.readLine().trimmed();
            if (answer.isEmpty()) {
                failWith(Error(ErrorCode::Verification, QStringLiteral("Bootstrap refused: nothing was trusted"), {},
                               QStringLiteral("Obtain the CA fingerprint out of band and try again")));
                return;
            }
            decision = est::TrustBootstrap::accept(fetched, answer);
        }
        if (!decision) {
            failWith(decision.error());
            return;
        }
        for (const crypto::Certificate &c : decision->rejected)
            m_err << "Not trusted (does not chain to the confirmed certificate): " << c.subject().toString() << '\n';
        m_err << "Trusted " << decision->accepted.size() << " certificate(s) confirmed by fingerprint.\n";

        // The TLS server certificate seen during the bootstrap should chain to what was confirmed.
        const QList<QSslCertificate> peer = reply->serverCertificateChain();
        if (!peer.isEmpty()) {
            QList<crypto::Certificate> chain;
            for (const QSslCertificate &q : peer) {
                if (auto c = crypto::Certificate::fromDer(q.toDer()))
                    chain.append(*c);
            }
            if (!chain.isEmpty()) {
                crypto::ChainVerifier verifier(decision->accepted, chain.mid(1));
                if (!verifier.verify(chain.first()))
                    m_err << "Note: the server's TLS certificate (" << chain.first().subject().toString()
                          << ") does not chain to these CA certificates; further requests need --trust with the "
                             "CA of the TLS certificate.\n";
            }
        }
        m_err.flush();
        m_client->setTrustAnchors(decision->accepted);
        if (m_client->config().caCertificates.isEmpty())
            m_client->setCaCertificates(decision->accepted);
        next();
    });
}

void EstCliSession::runCaCerts()
{
    auto output = [this](const QList<crypto::Certificate> &certs) {
        if (m_options.out.isEmpty()) {
            m_out << crypto::Certificate::listToPem(certs);
        } else {
            if (auto w = writeCertificates(m_options.out, certs); !w) {
                failWith(w.error());
                return;
            }
            m_out << est::TrustBootstrap::describe(certs) << "Written to " << m_options.out << '\n';
        }
        finish(0);
    };
    if (m_options.wantsBootstrap()) {
        output(m_client->caCertificates()); // set by the confirmed bootstrap
        return;
    }
    await(m_client->fetchCaCerts(), [output](EstReply *reply) { output(reply->caCertificates()); });
}

void EstCliSession::runCsrAttrs()
{
    await(m_client->fetchCsrAttrs(), [this](EstReply *reply) {
        const crypto::CsrAttributes &attrs = reply->csrAttributes();
        if (!m_options.out.isEmpty()) {
            if (auto w = writeFileAtomically(m_options.out, attrs.toDer()); !w) {
                failWith(w.error());
                return;
            }
        }
        if (attrs.isEmpty()) {
            m_out << "The server asks for no CSR attributes";
            if (reply->httpStatus() == 404 || reply->httpStatus() == 204)
                m_out << " (HTTP " << reply->httpStatus() << ')';
            m_out << ".\n";
            if (reply->httpStatus() == 404)
                m_out << "Note: a wrong label / DMS id in the URL also answers 404; if enrollment fails with "
                         "'not found', check the URL ("
                      << m_options.url.toDisplayString() << ").\n";
            finish(0);
            return;
        }
        m_out << "CSR attributes (" << attrs.items().size() << "):\n" << describeAttributes(attrs);
        const crypto::CsrAttrRequirements req = attrs.requirements();
        if (req.keyType)
            m_out << "Key type asked for: " << crypto::keyTypeName(*req.keyType) << '\n';
        if (req.challengePassword)
            m_out << "A challengePassword is asked for (--challenge-password-env VAR).\n";
        for (const auto &[type, value] : req.subjectTemplate)
            m_out << "Subject attribute: " << est::CsrAttributesPolicy::describeOid(type)
                  << (value.isEmpty() ? QString() : QStringLiteral(" = ") + value) << '\n';
        for (const QString &oid : req.requestedExtensionOids)
            m_out << "Extension: " << est::CsrAttributesPolicy::describeOid(oid) << '\n';
        for (const QString &oid : req.unrecognised)
            m_out << "Not understood by the station: " << est::CsrAttributesPolicy::describeOid(oid) << '\n';
        finish(0);
    });
}

void EstCliSession::withCsrAttributes(std::function<void(const crypto::CsrAttributes &)> next)
{
    if (m_options.noCsrAttrs) {
        next({});
        return;
    }
    EstReply *reply = m_client->fetchCsrAttrs();
    connect(reply, &EstReply::finished, this, [this, reply, next = std::move(next)] {
        reply->deleteLater();
        if (m_finished)
            return;
        if (!reply->isSuccess()) {
            // Attributes are hints; a server that fails to give them can still enroll.
            m_err << "Note: could not read the server's CSR attributes (" << reply->error().message
                  << "); going on without them.\n";
            next({});
            return;
        }
        next(reply->csrAttributes());
    });
}

Result<crypto::CsrSpec> EstCliSession::csrSpecFromOptions() const
{
    auto subject = crypto::DistinguishedName::parse(m_options.subject);
    if (!subject)
        return fail(subject.error().withContext(QStringLiteral("--subject")));
    crypto::CsrSpec spec;
    spec.subject = *subject;
    for (const QString &s : m_options.sans) {
        auto san = crypto::SubjectAltName::parse(s);
        if (!san)
            return fail(san.error().withContext(QStringLiteral("--san %1").arg(s)));
        spec.subjectAltNames.append(*san);
    }
    return spec;
}

void EstCliSession::runEnroll()
{
    if (m_options.isBatch()) {
        m_batch =
            new EstBatchEnroller(m_client, m_options.csrDir, m_options.outDir, m_options.jobs, m_out, m_err, this);
        connect(m_batch, &EstBatchEnroller::done, this, [this](int code) { finish(m_interrupted ? 130 : code); });
        m_batch->start();
        return;
    }
    if (!m_options.csrFile.isEmpty()) {
        auto data = readFileBounded(m_options.csrFile, 1024 * 1024);
        if (!data) {
            failWith(data.error());
            return;
        }
        auto csr = crypto::CertificateRequest::fromAny(*data);
        if (!csr) {
            failWith(csr.error().withContext(QStringLiteral("'%1' is not a usable CSR").arg(m_options.csrFile)));
            return;
        }
        if (auto sig = csr->verifySignature(); !sig) {
            failWith(sig.error().withContext(QStringLiteral("The CSR's signature does not verify")));
            return;
        }
        withCsrAttributes([this, csr = *csr](const crypto::CsrAttributes &attrs) {
            for (const QString &note : est::CsrAttributesPolicy::check(attrs, csr))
                m_err << "Warning: " << note << '\n';
            submitIssue(m_client->simpleEnroll(csr), {});
        });
        return;
    }

    auto parsedSpec = csrSpecFromOptions();
    if (!parsedSpec) {
        failWith(parsedSpec.error());
        return;
    }
    crypto::CsrSpec spec = std::move(*parsedSpec);
    crypto::PrivateKey existing;
    if (!m_options.keyFile.isEmpty()) {
        auto data = readFileBounded(m_options.keyFile, 1024 * 1024);
        if (!data) {
            failWith(data.error());
            return;
        }
        QByteArray bytes = std::move(*data);
        auto key = crypto::PrivateKey::fromAny(bytes);
        crypto::wipe(bytes);
        if (!key) {
            failWith(key.error().withContext(QStringLiteral("Cannot load --key %1").arg(m_options.keyFile)));
            return;
        }
        existing = *key;
    }
    std::optional<crypto::KeyType> keyType;
    if (!m_options.keyType.isEmpty())
        keyType = *crypto::parseKeyType(m_options.keyType);
    auto challenge = qEnvironmentVariable(m_options.challengePasswordEnv.toLocal8Bit().constData());
    withCsrAttributes([this, spec, existing, keyType, challenge](const crypto::CsrAttributes &attrs) {
        const est::CsrPlan plan = est::CsrAttributesPolicy::apply(attrs, spec, keyType, !existing.isNull(), challenge);
        if (m_options.verbose) {
            for (const QString &a : plan.applied)
                m_err << "CSR attributes: " << a << '\n';
        }
        for (const QString &n : plan.notHonoured)
            m_err << "Warning: " << n << '\n';
        auto enroll = [this, spec = plan.spec](const crypto::PrivateKey &key, bool generated) {
            auto csr = crypto::CertificateRequest::create(spec, key);
            if (!csr) {
                failWith(csr.error());
                return;
            }
            submitIssue(m_client->simpleEnroll(*csr), generated ? key : crypto::PrivateKey());
        };
        if (!existing.isNull()) {
            enroll(existing, false);
            return;
        }
        // Off the event loop: an RSA key takes long, and the loop serves the connections.
        crypto::generateKeyAsync(plan.keyType.value_or(crypto::KeyType::EcP256), this,
                                 [this, enroll](Result<crypto::PrivateKey> fresh) {
                                     if (!fresh) {
                                         failWith(fresh.error());
                                         return;
                                     }
                                     enroll(*fresh, true);
                                 });
    });
}

void EstCliSession::runReenroll()
{
    const est::ClientIdentity &current = m_client->config().clientIdentity;
    crypto::CsrSpec spec;
    // RFC 7030 §4.2.2: the subject and subjectAltName stay those of the certificate being renewed.
    spec.subject = current.certificate.subject();
    spec.subjectAltNames = current.certificate.subjectAltNames();
    crypto::PrivateKey key = current.key;
    if (!m_options.keyFile.isEmpty()) {
        auto data = readFileBounded(m_options.keyFile, 1024 * 1024);
        if (!data) {
            failWith(data.error());
            return;
        }
        auto k = crypto::PrivateKey::fromAny(*data);
        if (!k) {
            failWith(k.error().withContext(QStringLiteral("Cannot load --key %1").arg(m_options.keyFile)));
            return;
        }
        key = *k;
    }
    auto reenroll = [this, spec](const crypto::PrivateKey &k, bool generated) {
        auto csr = crypto::CertificateRequest::create(spec, k);
        if (!csr) {
            failWith(csr.error());
            return;
        }
        submitIssue(m_client->simpleReenroll(*csr), generated ? k : crypto::PrivateKey());
    };
    if (m_options.keyFile.isEmpty() && !m_options.keyType.isEmpty()) {
        crypto::generateKeyAsync(*crypto::parseKeyType(m_options.keyType), this,
                                 [this, reenroll](Result<crypto::PrivateKey> fresh) {
                                     if (!fresh) {
                                         failWith(fresh.error());
                                         return;
                                     }
                                     reenroll(*fresh, true);
                                 });
        return;
    }
    reenroll(key, false);
}

void EstCliSession::runServerKeygen()
{
    auto parsedSpec = csrSpecFromOptions();
    if (!parsedSpec) {
        failWith(parsedSpec.error());
        return;
    }
    crypto::CsrSpec spec = std::move(*parsedSpec);
    // The CSR only carries the subject (and a key-type hint); its key is thrown away.
    const crypto::KeyType hint =
        m_options.keyType.isEmpty() ? crypto::KeyType::EcP256 : *crypto::parseKeyType(m_options.keyType);
    crypto::generateKeyAsync(hint, this, [this, spec](Result<crypto::PrivateKey> throwaway) {
        if (!throwaway) {
            failWith(throwaway.error());
            return;
        }
        auto csr = crypto::CertificateRequest::create(spec, *throwaway);
        if (!csr) {
            failWith(csr.error());
            return;
        }
        submitIssue(m_client->serverKeygen(*csr), {});
    });
}

void EstCliSession::submitIssue(EstReply *reply, const crypto::PrivateKey &generatedKey)
{
    await(reply, [this, generatedKey](EstReply *r) {
        // Key first: a certificate without its key on disk is useless.
        crypto::SecretBytes serverKey = r->takePrivateKey();
        if (!serverKey.isEmpty() || !generatedKey.isNull()) {
            Result<crypto::SecretBytes> der =
                serverKey.isEmpty() ? generatedKey.toPkcs8Der() : Result<crypto::SecretBytes>(std::move(serverKey));
            if (!der) {
                failWith(der.error());
                return;
            }
            if (auto w = writePrivateKey(m_options.keyOut, *der); !w) {
                failWith(w.error().withContext(QStringLiteral("The certificate was issued but the key could not be "
                                                              "saved")));
                return;
            }
            m_out << "Private key written to " << m_options.keyOut << " (mode 0600)\n";
        }
        if (auto w = writeCertificates(m_options.out, {r->certificate()}); !w) {
            failWith(w.error());
            return;
        }
        if (!m_options.chainOut.isEmpty()) {
            if (auto w = writeCertificates(m_options.chainOut, r->chain()); !w) {
                failWith(w.error());
                return;
            }
        }
        printIssued(m_out, r->certificate(), m_options.out);
        m_out << "  verified: key matches the request, chains to " << r->chain().last().subject().toString() << '\n';
        finish(0);
    });
}

} // namespace station::cli
