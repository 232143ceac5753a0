#include "TrustPage.h"

#include "Icons.h"
#include "Theme.h"

#include "est/TrustBootstrap.h"
#include "provisioning/TrustSetup.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace station::ui {

using provisioning::TrustSetup;

namespace {

/// "AB:CD:..:EF" in two lines of 16 bytes, easier to compare than one line of 95 characters.
QString twoLines(const QString &colon)
{
    const QStringList bytes = colon.split(QLatin1Char(':'));
    QStringList lines;
    for (qsizetype i = 0; i < bytes.size(); i += 16)
        lines << bytes.mid(i, 16).join(QLatin1Char(':'));
    return lines.join(QLatin1Char('\n'));
}

QLabel *plain(const QString &text = {})
{
    auto *l = new QLabel(text);
    l->setTextFormat(Qt::PlainText);
    l->setWordWrap(true);
    return l;
}

} // namespace

TrustPage::TrustPage(QString trustDir, QWidget *parent)
    : QWidget(parent), m_trustDir(std::move(trustDir)), m_server(plain()), m_status(plain()), m_certBox(new QWidget),
      m_certLayout(new QVBoxLayout(m_certBox)), m_pin(plain()),
      m_confirm(new QPushButton(uiIcon(QStringLiteral("trust")), tr("&Trust this CA"))), m_typed(new QLineEdit),
      m_checkTyped(new QPushButton(tr("&Check and trust"))), m_retry(new QPushButton(tr("&Fetch again")))
{
    m_status->setObjectName(QStringLiteral("trustStatus"));
    m_status->setMargin(6);
    m_confirm->setObjectName(QStringLiteral("confirmTrust"));
    m_typed->setObjectName(QStringLiteral("typedFingerprint"));
    m_checkTyped->setObjectName(QStringLiteral("checkTyped"));
    m_pin->setObjectName(QStringLiteral("profilePin"));
    m_typed->setPlaceholderText(tr("e.g. AB:CD:EF:\u2026 or abcdef\u2026 (64 hex digits)"));
    setPixelFont(m_server, 18);
    setPixelFont(m_status, 20, true);
    setPixelFont(m_pin, 18, true);
    setPixelFont(m_typed, 18);
    setPixelFont(m_confirm, 20, true);
    m_confirm->setIconSize(QSize(28, 28));
    m_certLayout->setContentsMargins(0, 0, 0, 0);

    auto *how = plain(tr("The station fetched the CA certificates below without trusting them. Compare the "
                         "fingerprint, group by group, with the one you got from the EST server's operator (on "
                         "paper, by phone, from their portal). Trust it only if every group matches."));
    auto *typedRow = new QHBoxLayout;
    typedRow->addWidget(m_typed, 1);
    typedRow->addWidget(m_checkTyped);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_confirm);
    buttons->addWidget(m_retry);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_server);
    layout->addWidget(how);
    layout->addWidget(m_certBox);
    layout->addWidget(m_pin);
    layout->addLayout(buttons);
    layout->addWidget(plain(tr("Or type the fingerprint you were given; the station trusts the CA only if it "
                               "matches:")));
    layout->addLayout(typedRow);
    layout->addWidget(m_status);
    layout->addStretch(1);

    connect(m_retry, &QPushButton::clicked, this, &TrustPage::fetch);
    connect(m_confirm, &QPushButton::clicked, this, [this] {
        // The root (self-signed) if the server sent one, else the first certificate.
        const QList<crypto::Certificate> &certs = m_setup->fetchedCertificates();
        QString fp = certs.isEmpty() ? QString() : certs.first().fingerprintSha256();
        for (const crypto::Certificate &c : certs) {
            if (c.isSelfSigned()) {
                fp = c.fingerprintSha256();
                break;
            }
        }
        trust(fp, false);
    });
    connect(m_checkTyped, &QPushButton::clicked, this, [this] { trust(m_typed->text(), true); });
    connect(m_typed, &QLineEdit::returnPressed, this, [this] { trust(m_typed->text(), true); });
    m_confirm->setEnabled(false);
    m_checkTyped->setEnabled(false);
}

void TrustPage::setProfile(const provisioning::ProductProfile &profile)
{
    delete m_setup;
    m_setup = new TrustSetup(profile, m_trustDir, this);
    connect(m_setup, &TrustSetup::fetched, this, &TrustPage::onFetched);
    connect(m_setup, &TrustSetup::failed, this,
            [this](const Error &e) { onFailed(e.message + QLatin1Char(' ') + e.remedy); });
    m_server->setText(tr("EST server: %1").arg(profile.est.url.toDisplayString()));
    fetch();
}

void TrustPage::fetch()
{
    if (!m_setup)
        return;
    qDeleteAll(m_certBox->findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly));
    m_fingerprints.clear();
    m_pin->clear();
    m_confirm->setEnabled(false);
    m_checkTyped->setEnabled(false);
    setStatus(tr("Fetching the CA certificates from the EST server \u2026"), QStringLiteral("information"));
    m_setup->fetch();
}

void TrustPage::onFetched()
{
    const QList<crypto::Certificate> &certs = m_setup->fetchedCertificates();
    int n = 0;
    for (const crypto::Certificate &c : certs) {
        auto *frame = new QFrame(m_certBox);
        frame->setProperty("messageLook", QStringLiteral("information"));
        auto *v = new QVBoxLayout(frame);
        auto *who = plain(tr("CA certificate %1 of %2: %3").arg(++n).arg(certs.size()).arg(c.subject().toString()));
        setPixelFont(who, 18, true);
        auto *detail = plain(tr("Issued by %1 \u00B7 valid until %2%3")
                                 .arg(c.issuer().toString(), c.notAfter().toString(Qt::ISODate),
                                      c.isSelfSigned() ? tr(" \u00B7 root (self-signed)") : QString()));
        setPixelFont(detail, 15);
        auto *caption = plain(tr("SHA-256 fingerprint:"));
        auto *fp = new QLabel(twoLines(c.fingerprintSha256Colon()));
        fp->setObjectName(QStringLiteral("fingerprint%1").arg(n - 1));
        fp->setTextFormat(Qt::PlainText);
        fp->setTextInteractionFlags(Qt::TextSelectableByMouse);
        QFont mono(QStringLiteral("DejaVu Sans Mono"));
        mono.setPixelSize(26);
        mono.setBold(true);
        fp->setFont(mono);
        v->addWidget(who);
        v->addWidget(detail);
        v->addWidget(caption);
        v->addWidget(fp);
        m_certLayout->addWidget(frame);
        m_fingerprints << fp;
    }
    const provisioning::ProductProfile &p = m_setup->profile();
    if (p.est.trust == provisioning::TrustSource::Bootstrap && !p.est.bootstrapFingerprint.isEmpty()) {
        m_pin->setText(m_setup->profilePinMatches()
                           ? tr("\u2713 Matches the fingerprint written in the profile.")
                           : tr("\u26A0 Does NOT match the fingerprint written in the profile (%1). Trust it only "
                                "if the EST server's operator confirms this one.")
                                 .arg(p.est.bootstrapFingerprint.left(11).toUpper() + QStringLiteral("\u2026")));
    }
    m_confirm->setEnabled(true);
    m_checkTyped->setEnabled(true);
    setStatus(tr("Not trusted yet: compare the fingerprint, then press \u201CTrust this CA\u201D or type it."),
              QStringLiteral("warning"));
}

void TrustPage::onFailed(const QString &text)
{
    setStatus(QStringLiteral("\u2715 ") + text, QStringLiteral("error"));
}

void TrustPage::trust(const QString &fingerprint, bool typed)
{
    if (!m_setup || m_setup->fetchedCertificates().isEmpty())
        return;
    if (typed) {
        if (est::TrustBootstrap::normalizeFingerprint(fingerprint).isEmpty()) {
            setStatus(tr("\u2715 That is not a SHA-256 fingerprint: it needs 64 hex digits (colons and spaces "
                         "are ignored)."),
                      QStringLiteral("error"));
            return;
        }
        if (!m_setup->matchesFetched(fingerprint)) {
            setStatus(tr("\u2715 The fingerprint you typed matches none of the certificates the server sent. "
                         "Nothing is trusted. Check the fingerprint with the EST server's operator: the "
                         "connection may be intercepted."),
                      QStringLiteral("error"));
            return;
        }
    }
    auto decision = m_setup->confirm(fingerprint);
    if (!decision) {
        setStatus(QStringLiteral("\u2715 ") + decision.error().message + QLatin1Char(' ') + decision.error().remedy,
                  QStringLiteral("error"));
        return;
    }
    m_confirm->setEnabled(false);
    m_checkTyped->setEnabled(false);
    setStatus(tr("\u2713 Trusted: %n CA certificate(s) saved to %1.", nullptr, int(decision->accepted.size()))
                  .arg(m_setup->anchorPath()),
              QStringLiteral("positive"));
    emit trusted();
}

void TrustPage::setStatus(const QString &text, const QString &look)
{
    m_status->setText(text);
    setLook(m_status, "trustLook", look);
}

bool TrustPage::isTrusted() const
{
    return m_setup && m_setup->isTrusted();
}

QStringList TrustPage::shownFingerprints() const
{
    QStringList out;
    for (const QLabel *l : m_fingerprints)
        out << QString(l->text()).replace(QLatin1Char('\n'), QLatin1Char(':'));
    return out;
}

QString TrustPage::statusText() const
{
    return m_status->text();
}

} // namespace station::ui
