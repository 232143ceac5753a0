// Turns a product profile's EST section into ready EstClients: loads the trust anchors and the client
// credential (PEM or PKCS#12; passphrases from the environment or asked once through `askSecret`),
// runs the RFC 7030 §4.1.1 bootstrap against the pinned fingerprint when the profile asks for it, and
// fetches the CA set over the authenticated connection. Shared by provctl and the GUI.
#pragma once

#include "ProductProfile.h"

#include "Error.h"
#include "est/EstClientConfig.h"

#include "crypto/Certificate.h"
#include "crypto/SecretBytes.h"

#include <QObject>

#include <functional>
#include <optional>

namespace station::est {
class EstClient;
}

namespace station::provisioning {

/// Asks a person for a secret ("Passphrase of client.p12"); an error when nobody can answer.
using SecretPrompt = std::function<Result<crypto::SecretBytes>(const QString &what)>;

class EstSetup : public QObject
{
    Q_OBJECT
public:
    EstSetup(const ProductProfile &profile, SecretPrompt askSecret, QObject *parent = nullptr);
    ~EstSetup() override;

    /// Builds the client configuration (files, secrets); no network. Usable before prepare().
    [[nodiscard]] static Result<est::EstClientConfig> clientConfig(const ProductProfile &profile, const QUrl &baseUrl,
                                                                   const SecretPrompt &askSecret);

    /// Creates the clients, bootstraps trust if configured and fetches the CA set; ready() or failed().
    /// A profile that asks for a passphrase, without a synchronous prompt, first emits secretNeeded().
    void prepare();
    /// The answer to secretNeeded(): preparation goes on with it (it is wiped once the clients hold it).
    void provideSecret(crypto::SecretBytes secret);

    [[nodiscard]] est::EstClient *client() const { return m_client; }
    /// The client for certificate-authenticated calls (the profile's cert_auth_url, or client()).
    [[nodiscard]] est::EstClient *enrollClient() const { return m_enrollClient ? m_enrollClient : m_client; }
    /// The client that enrolls bootstrap credentials (inject.bootstrap_credential.est_url, or enrollClient()).
    [[nodiscard]] est::EstClient *bootstrapClient() const
    {
        return m_bootstrapClient ? m_bootstrapClient : enrollClient();
    }
    [[nodiscard]] const QList<crypto::Certificate> &caCertificates() const { return m_caCertificates; }
    /// What is written to units: the profile's trust_anchors_file, or the CA set.
    [[nodiscard]] const QList<crypto::Certificate> &trustAnchorsToInject() const { return m_inject; }

signals:
    void ready();
    /// The profile asks a person for `what` (e.g. the EST key's passphrase) once per station start: answer
    /// with provideSecret(). Lets a GUI ask without a nested event loop.
    void secretNeeded(const QString &what);
    void failed(const station::Error &error);
    /// Progress for the operator ("Fetching the CA certificates from ...").
    void status(const QString &text);

private:
    void prepareWith(const SecretPrompt &prompt);
    void fetchCaCerts();

    ProductProfile m_profile;
    SecretPrompt m_askSecret;
    std::optional<crypto::SecretBytes> m_provided;
    est::EstClient *m_client = nullptr;
    est::EstClient *m_enrollClient = nullptr;
    est::EstClient *m_bootstrapClient = nullptr;
    QList<crypto::Certificate> m_caCertificates;
    QList<crypto::Certificate> m_inject;
};

} // namespace station::provisioning
