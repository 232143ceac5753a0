// The RFC 7030 §4.1.1 bootstrap as a supervisor does it at first start (or later, from the supervisor
// page): fetch /cacerts from the profile's EST server without trusting it (EstClient's bootstrap
// request, no credentials sent), show the certificates with their SHA-256 fingerprints, and trust them
// only when the supervisor confirms one — by pressing "trust" on the one shown, or by typing the
// fingerprint obtained out of band — through TrustBootstrap::accept. The confirmed anchors are kept as a
// PEM file in the station's configuration folder, one per EST URL; withConfirmedTrust() makes a profile
// that asks for the bootstrap use them at every later start.
#pragma once

#include "ProductProfile.h"

#include "Error.h"
#include "est/TrustBootstrap.h"

#include "crypto/Certificate.h"

#include <QObject>
#include <QPointer>

namespace station::est {
class EstClient;
class EstReply;
} // namespace station::est

namespace station::provisioning {

class TrustSetup : public QObject
{
    Q_OBJECT
public:
    /// `trustDir`: where confirmed anchors are kept (defaultTrustDir() for the station).
    TrustSetup(ProductProfile profile, QString trustDir, QObject *parent = nullptr);
    ~TrustSetup() override;

    /// <AppConfigLocation>/trust (e.g. ~/.config/ProvisioningStation/provstation/trust).
    [[nodiscard]] static QString defaultTrustDir();
    /// The anchor file for an EST base URL in `trustDir`.
    [[nodiscard]] static QString anchorPathFor(const QUrl &estUrl, const QString &trustDir);
    /// `profile`, switched to the anchors confirmed earlier for its EST URL when it asks for the bootstrap
    /// and such a file exists; unchanged otherwise.
    [[nodiscard]] static ProductProfile withConfirmedTrust(ProductProfile profile, const QString &trustDir);
    /// Whether `profile` needs the interactive bootstrap (trust by bootstrap and nothing confirmed yet).
    [[nodiscard]] static bool needsBootstrap(const ProductProfile &profile, const QString &trustDir);

    [[nodiscard]] const ProductProfile &profile() const { return m_profile; }
    [[nodiscard]] QString anchorPath() const { return anchorPathFor(m_profile.est.url, m_trustDir); }

    /// GET /cacerts without trusting the server: fetched() or failed(). Nothing is trusted by this.
    void fetch();
    [[nodiscard]] bool isFetching() const;
    /// What the server sent (untrusted until confirm()).
    [[nodiscard]] const QList<crypto::Certificate> &fetchedCertificates() const { return m_fetched; }
    /// Whether `fingerprint` (any case, colons or spaces) is that of a fetched certificate.
    [[nodiscard]] bool matchesFetched(const QString &fingerprint) const;
    /// Whether the profile pins a fingerprint, and it is one of the fetched certificates'.
    [[nodiscard]] bool profilePinMatches() const;

    /// Trusts the fetched certificate with `fingerprint` and those chaining to it, and saves them to
    /// anchorPath(). An error (nothing trusted, nothing written) when no fetched certificate has it.
    [[nodiscard]] Result<est::BootstrapDecision> confirm(const QString &fingerprint);
    [[nodiscard]] bool isTrusted() const { return m_trusted; }

signals:
    void fetched();
    void failed(const station::Error &error);

private:
    ProductProfile m_profile;
    QString m_trustDir;
    est::EstClient *m_client = nullptr;
    QPointer<est::EstReply> m_reply;
    QList<crypto::Certificate> m_fetched;
    bool m_trusted = false;
};

} // namespace station::provisioning
