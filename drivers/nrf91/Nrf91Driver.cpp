#include "Nrf91Driver.h"

#include "KeyGenResponse.h"
#include "crypto/CertificateRequest.h"
#include "crypto/Encoding.h"
#include "crypto/PrivateKey.h"
#include "transport/Transport.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QTimer>

namespace station::drivers {

namespace {

constexpr std::chrono::milliseconds kProbe{400};

QByteArray pemList(const QList<crypto::Certificate> &certificates)
{
    QByteArray out;
    for (const crypto::Certificate &c : certificates)
        out.append(c.toPem());
    return out;
}

/// The SHA-256 digests a modem may list for `content` as written (modems differ in whether the final
/// newline counts). Hashed from views: no copy of a secret content is made.
QList<QByteArray> candidateDigests(QByteArrayView content)
{
    const QByteArrayView trimmed = content.trimmed();
    QCryptographicHash withNewline(QCryptographicHash::Sha256);
    withNewline.addData(trimmed);
    withNewline.addData(QByteArrayView("\n"));
    return {QCryptographicHash::hash(content, QCryptographicHash::Sha256),
            QCryptographicHash::hash(trimmed, QCryptographicHash::Sha256), withNewline.result()};
}

bool digestMatches(const QByteArray &listed, QByteArrayView content)
{
    return candidateDigests(content).contains(listed);
}

/// A value goes into an AT command only without control characters and double quotes: a CR or LF ends
/// the command line on the modem (what follows would run as another command), a quote ends the string.
/// `allowLineFeeds` admits '\n' for PEM inside a quoted %CMNG string. The error names the field and the
/// offending character's position, never the value (it may be a credential).
Result<void> checkAtValue(const QString &field, QByteArrayView value, bool allowLineFeeds = false)
{
    for (qsizetype i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if ((c < 0x20 && !(allowLineFeeds && c == '\n')) || c == 0x7F || c == '"')
            return fail(
                ErrorCode::InvalidArgument,
                QStringLiteral("The %1 cannot be sent to the modem: it contains %2")
                    .arg(field, c == '"' ? QStringLiteral("a double quote") : QStringLiteral("a control character")),
                QStringLiteral("character 0x%1 at position %2").arg(c, 2, 16, QLatin1Char('0')).arg(i),
                QStringLiteral("Remove line breaks, control characters and quotes from the %1.").arg(field));
    }
    return {};
}

/// PKCS#8 DER as PEM, built in one exactly reserved buffer; the base64 intermediate is wiped.
QByteArray privateKeyPem(const crypto::SecretBytes &der)
{
    static constexpr QByteArrayView kBegin("-----BEGIN PRIVATE KEY-----\n");
    static constexpr QByteArrayView kEnd("-----END PRIVATE KEY-----\n");
    QByteArray flat = der.borrow().toBase64();
    QByteArray out;
    out.reserve(kBegin.size() + flat.size() + flat.size() / 64 + 1 + kEnd.size());
    out.append(kBegin);
    for (qsizetype i = 0; i < flat.size(); i += 64) {
        out.append(QByteArrayView(flat).sliced(i, qMin<qsizetype>(64, flat.size() - i)));
        out.append('\n');
    }
    out.append(kEnd);
    crypto::wipe(flat);
    return out;
}

CredentialKind kindOf(int type)
{
    switch (type) {
    case Nrf91Driver::CaCertificate: return CredentialKind::TrustAnchors;
    case Nrf91Driver::ClientCertificate: return CredentialKind::CertificateChain;
    default: return CredentialKind::PrivateKey;
    }
}

QString normaliseUuid(QByteArray text)
{
    text = text.trimmed();
    if (text.startsWith('"'))
        text = text.mid(1, text.size() - 2);
    text.replace("-", "");
    if (text.size() != 32)
        return {};
    const QString hex = QString::fromLatin1(text).toLower();
    return hex.left(8) + u'-' + hex.mid(8, 4) + u'-' + hex.mid(12, 4) + u'-' + hex.mid(16, 4) + u'-' + hex.mid(20);
}

/// A bare value line (AT+CGMR, AT+CGMM): the last line without blanks, so chatter is skipped.
QString bareValue(const AtResponse &r)
{
    static const QRegularExpression token(QStringLiteral("^[A-Za-z0-9_.\\-]+$"));
    for (auto it = r.lines.crbegin(); it != r.lines.crend(); ++it) {
        const QString line = QString::fromUtf8(it->trimmed());
        if (token.match(line).hasMatch())
            return line;
    }
    return {};
}

} // namespace

Nrf91Driver::Nrf91Driver(std::unique_ptr<Transport> transport, DriverConfig config, QObject *parent)
    : DeviceDriver(parent), m_transport(std::move(transport)), m_config(std::move(config))
{
    m_transport->setParent(nullptr);
    m_channel = new AtChannel(m_transport.get(), this);
    connect(m_transport.get(), &Transport::closed, this, [this](const Error &error) {
        m_pending.abort(error);
        reportConnectionLost(error);
    });
}

Nrf91Driver::~Nrf91Driver()
{
    delete m_channel;
    m_channel = nullptr;
}

QString Nrf91Driver::location() const
{
    return m_transport->location();
}

template <typename T> bool Nrf91Driver::admit(Done<T> &done, bool needsSession)
{
    if (m_pending.busy() || (needsSession && !m_transport->isOpen())) {
        const bool busy = m_pending.busy();
        QTimer::singleShot(0, this, [this, busy, done = std::move(done)] {
            done(busy ? fail(ErrorCode::InvalidArgument, QStringLiteral("The driver is busy with another operation"))
                      : fail(ErrorCode::DeviceGone, QStringLiteral("The unit on %1 is not connected").arg(location()),
                             {}, QStringLiteral("Plug the unit in and open it again.")));
        });
        return false;
    }
    done = m_pending.start<T>(std::move(done));
    return true;
}

void Nrf91Driver::run(const QByteArray &command, std::function<void(Result<AtResponse>)> next,
                      std::chrono::milliseconds timeout, Secrecy secrecy)
{
    const auto wait = timeout.count() > 0 ? timeout : m_config.exchangeTimeout;
    // Only the command's name is kept for the error: the command itself may carry a key, and what comes
    // back before the result of a credential write may be its echo.
    const QString name =
        QString::fromLatin1(command.left(command.indexOf('=') > 0 ? command.indexOf('=') : command.size()));
    const bool credentialWrite = command.startsWith("AT%CMNG=0,");
    m_channel->command(
        command, wait,
        [this, name, credentialWrite, next = std::move(next)](Result<AtResponse> r) {
            if (r && !r->ok()) {
                next(std::unexpected(r->toError(name, location(), !credentialWrite)));
                return;
            }
            next(std::move(r));
        },
        secrecy);
}

void Nrf91Driver::open(Done<void> done)
{
    if (!admit(done, false))
        return;
    if (auto opened = m_transport->open(); !opened) {
        QTimer::singleShot(0, this, [done, e = opened.error()] { done(std::unexpected(e)); });
        return;
    }
    resetConnectionLost();
    m_uuid.clear();
    m_openClock.start();
    emit progress(0, 3, QStringLiteral("waiting for the modem"));
    handshake(0, [this, done](Result<void> r) {
        if (!r) {
            done(std::move(r));
            return;
        }
        setup(done);
    });
}

void Nrf91Driver::handshake(int attempt, Done<void> done)
{
    // Plain "AT" until the modem answers OK: it may still boot, and a stale answer may be in flight.
    m_channel->command("AT", kProbe, [this, attempt, done](Result<AtResponse> r) {
        if (r && r->ok()) {
            done({});
            return;
        }
        if (!r && r.error().code != ErrorCode::DeviceTimeout) {
            done(std::unexpected(r.error()));
            return;
        }
        if (m_openClock.elapsed() >= m_config.openTimeout.count()) {
            done(fail(ErrorCode::DeviceTimeout,
                      QStringLiteral("The unit on %1 does not answer AT commands").arg(location()),
                      QStringLiteral("%1 attempt(s) in %2 ms").arg(attempt + 1).arg(m_openClock.elapsed()),
                      QStringLiteral("Check that the unit runs AT-command firmware and that the baud rate is right.")));
            return;
        }
        handshake(attempt + 1, done);
    });
}

void Nrf91Driver::setup(Done<void> done)
{
    emit progress(1, 3, QStringLiteral("enabling extended errors"));
    // Echo off first: an echoing modem would send every credential write back over the line (the parser
    // still recognises and drops an echo, for firmware that ignores ATE0).
    m_channel->command("ATE0", m_config.exchangeTimeout, [this, done](Result<AtResponse> echoOff) {
        if (!echoOff) {
            done(std::unexpected(echoOff.error()));
            return;
        }
        cmeeAndOffline(done);
    });
}

void Nrf91Driver::cmeeAndOffline(Done<void> done)
{
    run("AT+CMEE=1", [this, done](Result<AtResponse> r) {
        if (!r) {
            done(std::unexpected(r.error()));
            return;
        }
        emit progress(2, 3, QStringLiteral("taking the modem offline"));
        // Credential writes need the modem offline (otherwise +CME ERROR: 518).
        run("AT+CFUN=4", [this, done](Result<AtResponse> r2) {
            if (!r2) {
                done(std::unexpected(r2.error()));
                return;
            }
            emit progress(3, 3, QStringLiteral("taking the modem offline"));
            done({});
        });
    });
}

void Nrf91Driver::deviceUuid(Done<QString> done)
{
    if (!m_uuid.isEmpty()) {
        done(m_uuid);
        return;
    }
    run("AT%DEVICEUUID", [this, done](Result<AtResponse> r) {
        if (!r) {
            done(std::unexpected(r.error()));
            return;
        }
        const QList<QByteArray> values = r->valuesOf("%DEVICEUUID:");
        const QString uuid = values.isEmpty() ? QString() : normaliseUuid(values.first());
        if (uuid.isEmpty()) {
            done(fail(ErrorCode::Parse, QStringLiteral("The modem's %DEVICEUUID answer is malformed"),
                      QString::fromUtf8(values.value(0))));
            return;
        }
        m_uuid = uuid;
        done(uuid);
    });
}

void Nrf91Driver::identify(Done<DeviceIdentity> done)
{
    if (!admit(done))
        return;
    auto id = std::make_shared<DeviceIdentity>();
    id->protocolVersion = QStringLiteral("AT");
    run("AT+CGSN=1", [this, id, done](Result<AtResponse> r) {
        if (!r) {
            done(std::unexpected(r.error()));
            return;
        }
        const QList<QByteArray> v = r->valuesOf("+CGSN:");
        id->imei = v.isEmpty() ? QString() : QString::fromLatin1(AtResponse::splitParameters(v.first()).value(0));
        id->serialNumber = id->imei;
        if (id->imei.isEmpty()) {
            done(fail(ErrorCode::Parse, QStringLiteral("The modem did not report its IMEI")));
            return;
        }
        run("AT+CGMR", [this, id, done](Result<AtResponse> r2) {
            if (!r2) {
                done(std::unexpected(r2.error()));
                return;
            }
            id->firmwareVersion = bareValue(*r2);
            run("AT+CGMM", [this, id, done](Result<AtResponse> r3) {
                if (r3)
                    id->model = bareValue(*r3); // optional: older firmware may not answer
                deviceUuid([this, id, done](Result<QString> uuid) {
                    if (!uuid) {
                        done(std::unexpected(uuid.error()));
                        return;
                    }
                    id->deviceUuid = *uuid;
                    id->hardwareId = *uuid;
                    list([id, done](Result<QList<Listed>> listed) {
                        if (!listed) {
                            done(std::unexpected(listed.error()));
                            return;
                        }
                        for (const Listed &l : *listed)
                            if (l.type == ClientCertificate)
                                id->provisioned = true;
                        done(*id);
                    });
                });
            });
        });
    });
}

void Nrf91Driver::generateKey(const KeyGenRequest &request, Done<GeneratedKey> done)
{
    if (!admit(done))
        return;
    if (!request.keyType.isEmpty() && request.keyType.compare(QStringLiteral("p256"), Qt::CaseInsensitive) != 0) {
        QTimer::singleShot(0, this, [done, type = request.keyType] {
            done(fail(ErrorCode::Unsupported, QStringLiteral("The nRF91 generates P-256 keys only, not %1").arg(type),
                      {}, QStringLiteral("Set the product profile's device key type to p256.")));
        });
        return;
    }
    const QString attributes = request.subject.isEmpty() ? m_config.keyGenAttributes : request.subject;
    if (auto ok = checkAtValue(request.subject.isEmpty() ? QStringLiteral("key generation attributes (product profile)")
                                                         : QStringLiteral("subject"),
                               attributes.toUtf8());
        !ok) {
        done(std::unexpected(ok.error()));
        return;
    }
    emit progress(0, 2, QStringLiteral("generating a key on the modem"));
    deviceUuid([this, attributes, done](Result<QString> uuid) {
        if (!uuid) {
            done(std::unexpected(uuid.error()));
            return;
        }
        QByteArray command = "AT%KEYGEN=" + secTag() + ",2,0";
        if (!attributes.isEmpty())
            command += ",\"" + attributes.toUtf8() + '"'; // checked above
        run(
            command,
            [this, uuid = *uuid, done](Result<AtResponse> r) {
                if (!r) {
                    done(std::unexpected(r.error()));
                    return;
                }
                const QList<QByteArray> values = r->valuesOf("%KEYGEN:");
                if (values.isEmpty()) {
                    done(fail(ErrorCode::Parse, QStringLiteral("The modem answered %KEYGEN without a CSR")));
                    return;
                }
                auto parsed = KeyGenResponse::parse(values.first());
                if (!parsed) {
                    done(std::unexpected(parsed.error()));
                    return;
                }
                if (auto checked = parsed->check(uuid); !checked) {
                    done(std::unexpected(checked.error()));
                    return;
                }
                auto csr = crypto::CertificateRequest::fromDer(parsed->csrDer);
                if (!csr) {
                    done(std::unexpected(csr.error().withContext(QStringLiteral("The modem's CSR"))));
                    return;
                }
                if (auto sig = csr->verifySignature(); !sig) {
                    done(std::unexpected(sig.error().withContext(QStringLiteral("The modem's CSR"))));
                    return;
                }
                GeneratedKey key;
                key.csrDer = parsed->csrDer;
                key.publicKeyDer = csr->publicKeyDer();
                key.attestation = parsed->coseBytes;
                key.attestationChecked = true;
                if (!m_config.attestationKeySpkiDer.isEmpty()) {
                    auto signer = crypto::PrivateKey::publicFromSpkiDer(m_config.attestationKeySpkiDer);
                    if (!signer || parsed->cose->algorithm != -7 ||
                        !signer->verify(parsed->cose->toBeSigned(), CoseSign1::rawToDer(parsed->cose->signature))) {
                        done(fail(ErrorCode::Verification,
                                  QStringLiteral("The modem's COSE signature does not verify with the configured "
                                                 "attestation key"),
                                  QStringLiteral("algorithm %1").arg(parsed->cose->algorithm),
                                  QStringLiteral("Check the product profile's attestation key; otherwise set the unit "
                                                 "aside.")));
                        return;
                    }
                    key.attestationSignatureVerified = true;
                }
                emit progress(2, 2, QStringLiteral("generating a key on the modem"));
                done(std::move(key));
            },
            m_config.keyGenTimeout);
    });
}

void Nrf91Driver::list(Done<QList<Listed>> done)
{
    run("AT%CMNG=1," + secTag(), [this, done](Result<AtResponse> r) {
        if (!r) {
            done(std::unexpected(r.error()));
            return;
        }
        QList<Listed> out;
        for (const QByteArray &value : r->valuesOf("%CMNG:")) {
            const QList<QByteArray> p = AtResponse::splitParameters(value);
            if (p.size() < 2 || p.at(0) != secTag())
                continue;
            Listed l;
            l.type = p.at(1).toInt();
            l.sha256 = QByteArray::fromHex(p.value(2));
            out.append(l);
        }
        done(out);
    });
}

void Nrf91Driver::writeCredential(CredentialType type, QByteArray content, const QString &step, Done<void> done)
{
    if (auto ok = checkAtValue(step.section(QLatin1Char(' '), 1) + QStringLiteral(" for %CMNG"), content, true); !ok) {
        crypto::wipe(content);
        done(std::unexpected(ok.error()));
        return;
    }
    const qint64 total = content.size();
    emit progress(0, total, step);
    // Verification needs only digests; the content and the command are wiped as soon as they are sent.
    const QList<QByteArray> digests = candidateDigests(content);
    const QByteArray prefix = "AT%CMNG=0," + secTag() + ',' + QByteArray::number(type) + ",\"";
    QByteArray command;
    command.reserve(prefix.size() + content.size() + 1);
    command.append(prefix);
    command.append(content);
    command.append('"');
    crypto::wipe(content);
    const Secrecy secrecy = type == ClientPrivateKey ? Secrecy::Secret : Secrecy::Plain;
    run(
        command,
        [this, type, digests, total, step, done](Result<AtResponse> r) {
            if (!r) {
                done(std::unexpected(r.error()));
                return;
            }
            list([this, type, digests, total, step, done](Result<QList<Listed>> listed) {
                const bool verified = listed && std::any_of(listed->cbegin(), listed->cend(), [&](const Listed &l) {
                                          return l.type == type && digests.contains(l.sha256);
                                      });
                if (!listed) {
                    done(std::unexpected(listed.error()));
                    return;
                }
                if (!verified) {
                    done(fail(
                        ErrorCode::Verification,
                        QStringLiteral("The modem on %1 does not list what was written (%2)").arg(location(), step),
                        QStringLiteral("sec_tag %1 type %2: SHA-256 differs or entry missing")
                            .arg(QString::fromLatin1(secTag()))
                            .arg(type),
                        QStringLiteral("The line corrupted the transfer; retry the unit.")));
                    return;
                }
                emit progress(total, total, step);
                done({});
            });
        },
        {}, secrecy);
    crypto::wipe(command); // the channel kept no copy
}

void Nrf91Driver::writeTrustAnchors(const QList<crypto::Certificate> &anchors, Done<void> done)
{
    if (!admit(done))
        return;
    writeCredential(CaCertificate, pemList(anchors), QStringLiteral("writing trust anchors"), done);
}

void Nrf91Driver::writeCertificateChain(const QList<crypto::Certificate> &chain, Done<void> done)
{
    if (!admit(done))
        return;
    writeCredential(ClientCertificate, pemList(chain), QStringLiteral("writing the certificate chain"), done);
}

void Nrf91Driver::writePrivateKey(const crypto::SecretBytes &pkcs8Der, Done<void> done)
{
    if (!admit(done))
        return;
    writeCredential(ClientPrivateKey, privateKeyPem(pkcs8Der), QStringLiteral("writing the private key"), done);
}

void Nrf91Driver::commit(Done<void> done)
{
    if (!admit(done))
        return;
    // %CMNG writes go straight to NVM; commit confirms the sec_tag holds a client certificate.
    list([this, done](Result<QList<Listed>> listed) {
        if (!listed) {
            done(std::unexpected(listed.error()));
            return;
        }
        const bool hasCert =
            std::any_of(listed->cbegin(), listed->cend(), [](const Listed &l) { return l.type == ClientCertificate; });
        if (!hasCert) {
            done(fail(ErrorCode::Device,
                      QStringLiteral("The modem on %1 holds no client certificate in sec_tag %2")
                          .arg(location(), QString::fromLatin1(secTag())),
                      {}, QStringLiteral("Write the certificate chain before committing.")));
            return;
        }
        done({});
    });
}

void Nrf91Driver::readBack(ReadBackDepth depth, Done<StoredCredentials> done)
{
    if (!admit(done))
        return;
    list([this, depth, done](Result<QList<Listed>> listed) {
        if (!listed) {
            done(std::unexpected(listed.error()));
            return;
        }
        StoredCredentials stored;
        for (const Listed &l : *listed) {
            if (l.type < CaCertificate || l.type > ClientPrivateKey)
                continue;
            StoredItem item;
            item.kind = kindOf(l.type);
            item.committed = true; // %CMNG writes are persistent
            item.sha256 = l.sha256;
            item.location = m_config.slot;
            stored.items.append(item);
        }
        if (depth == ReadBackDepth::Digests) {
            done(std::move(stored));
            return;
        }
        readContents(std::move(stored), 0, done);
    });
}

void Nrf91Driver::readContents(StoredCredentials stored, int index, Done<StoredCredentials> done)
{
    while (index < stored.items.size() && stored.items[index].kind == CredentialKind::PrivateKey)
        ++index; // %CMNG read of a private key is refused by design (514)
    if (index >= stored.items.size()) {
        done(std::move(stored));
        return;
    }
    const int type = stored.items[index].kind == CredentialKind::TrustAnchors ? CaCertificate : ClientCertificate;
    emit progress(index, stored.items.size(),
                  QStringLiteral("reading back %1").arg(credentialKindName(stored.items[index].kind)));
    run("AT%CMNG=2," + secTag() + ',' + QByteArray::number(type),
        [this, stored, index, done](Result<AtResponse> r) mutable {
            if (!r) {
                done(std::unexpected(r.error()));
                return;
            }
            const QList<QByteArray> values = r->valuesOf("%CMNG:");
            const QList<QByteArray> p =
                values.isEmpty() ? QList<QByteArray>() : AtResponse::splitParameters(values.first());
            if (p.size() < 4) {
                done(fail(ErrorCode::Parse, QStringLiteral("The modem's %CMNG read answer has no content")));
                return;
            }
            StoredItem &item = stored.items[index];
            item.content = p.at(3);
            item.size = item.content.size();
            if (!digestMatches(item.sha256, item.content)) {
                done(fail(ErrorCode::Verification,
                          QStringLiteral("The %1 read from the modem does not match its listed SHA-256")
                              .arg(credentialKindName(item.kind)),
                          {}, QStringLiteral("The line is unreliable: check the cable and try again.")));
                return;
            }
            readContents(std::move(stored), index + 1, done);
        });
}

void Nrf91Driver::deleteTypes(QList<int> types, Done<void> done)
{
    if (types.isEmpty()) {
        done({});
        return;
    }
    const int type = types.takeFirst();
    m_channel->command("AT%CMNG=3," + secTag() + ',' + QByteArray::number(type), m_config.exchangeTimeout,
                       [this, types, done](Result<AtResponse> r) {
                           if (!r) {
                               done(std::unexpected(r.error()));
                               return;
                           }
                           // 513: nothing of that type stored — already reset.
                           if (!r->ok() && !(r->final == AtResponse::Final::CmeError && r->errorCode == 513)) {
                               done(std::unexpected(r->toError(QStringLiteral("%CMNG delete"), location())));
                               return;
                           }
                           deleteTypes(types, done);
                       });
}

void Nrf91Driver::factoryReset(Done<void> done)
{
    if (!admit(done))
        return;
    deleteTypes({ClientPrivateKey, ClientCertificate, CaCertificate}, done);
}

void Nrf91Driver::close()
{
    m_pending.abort(Error(ErrorCode::Cancelled, QStringLiteral("The connection was closed")));
    m_channel->cancel();
    m_transport->close();
}

void Nrf91Driver::cancel()
{
    m_pending.abort(Error(ErrorCode::Cancelled, QStringLiteral("Cancelled by the operator")));
    m_channel->cancel();
}

QByteArray Nrf91Driver::storedDigest(CredentialKind, const QList<crypto::Certificate> &certificates) const
{
    return QCryptographicHash::hash(pemList(certificates), QCryptographicHash::Sha256);
}

QByteArray Nrf91Driver::storedKeyDigest(const crypto::SecretBytes &pkcs8Der) const
{
    // The digest of the PEM the modem stores; the PEM itself is wiped on the way out.
    crypto::SecretBytes stored(privateKeyPem(pkcs8Der));
    return QCryptographicHash::hash(stored.view(), QCryptographicHash::Sha256);
}

} // namespace station::drivers
