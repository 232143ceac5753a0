// The EST trust setup (RFC 7030 §4.1.1) as the supervisor sees it: the station fetches /cacerts from the
// profile's server without trusting it (core's TrustSetup), shows each CA certificate's SHA-256
// fingerprint large enough to compare digit by digit with the one the server's operator gave, and says
// whether it matches the fingerprint pinned in the profile. Nothing is trusted until the supervisor
// presses "Trust", or types the expected fingerprint (any case, with or without colons or spaces) and
// it matches; a typed fingerprint that matches nothing is refused inline.
#pragma once

#include "provisioning/ProductProfile.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QVBoxLayout;

namespace station::provisioning {
class TrustSetup;
}

namespace station::ui {

class TrustPage : public QWidget
{
    Q_OBJECT
public:
    explicit TrustPage(QString trustDir, QWidget *parent = nullptr);

    /// Starts over for `profile` and fetches at once.
    void setProfile(const provisioning::ProductProfile &profile);
    void fetch();

    [[nodiscard]] bool isTrusted() const;
    [[nodiscard]] provisioning::TrustSetup *setup() const { return m_setup; }
    /// The fingerprints on screen, as shown ("AB:CD:...").
    [[nodiscard]] QStringList shownFingerprints() const;
    [[nodiscard]] QString statusText() const;
    [[nodiscard]] QLineEdit *typedField() const { return m_typed; }
    [[nodiscard]] QPushButton *confirmButton() const { return m_confirm; }
    [[nodiscard]] QPushButton *checkTypedButton() const { return m_checkTyped; }

signals:
    /// The supervisor confirmed; the anchors are saved.
    void trusted();

private:
    void onFetched();
    void onFailed(const QString &text);
    void trust(const QString &fingerprint, bool typed);
    void setStatus(const QString &text, const QString &look);

    QString m_trustDir;
    provisioning::TrustSetup *m_setup = nullptr;
    QLabel *m_server;
    QLabel *m_status;
    QWidget *m_certBox;
    QVBoxLayout *m_certLayout;
    QList<QLabel *> m_fingerprints;
    QLabel *m_pin;
    QPushButton *m_confirm;
    QLineEdit *m_typed;
    QPushButton *m_checkTyped;
    QPushButton *m_retry;
};

} // namespace station::ui
