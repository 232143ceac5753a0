#include "UnitDetails.h"

#include "ManifestModel.h"

#include "crypto/Certificate.h"

#include <QClipboard>
#include <QGridLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace station::ui {

using manifest::Outcome;

namespace {

QString timeText(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
}

/// Long hex (a SHA-256) in lines of 32 digits: a pane never has to be wider than that.
QString hexLines(const QString &hex)
{
    QStringList lines;
    for (int i = 0; i < hex.size(); i += 32)
        lines << hex.mid(i, 32);
    return lines.join(QLatin1Char('\n'));
}

/// "AB:CD:…" in two lines of 16 bytes: what `openssl x509 -fingerprint -sha256` prints, readable in a pane.
QString fingerprintText(const QString &hex)
{
    const QString up = hex.toUpper();
    QStringList bytes;
    for (int i = 0; i + 1 < up.size(); i += 2)
        bytes << up.mid(i, 2);
    const QString first = bytes.mid(0, 16).join(QLatin1Char(':'));
    const QString rest = bytes.mid(16).join(QLatin1Char(':'));
    return rest.isEmpty() ? first : first + QStringLiteral(":\n") + rest;
}

QPlainTextEdit *codeView(QWidget *parent, const QString &name)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setReadOnly(true);
    edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setTabChangesFocus(true);
    edit->setFocusPolicy(Qt::TabFocus);
    return edit;
}

} // namespace

UnitDetails::UnitDetails(QWidget *parent)
    : QWidget(parent), m_title(new QLabel(this)), m_hint(new QLabel(this)), m_body(new QWidget),
      m_pem(codeView(this, QStringLiteral("pem"))), m_copy(new QPushButton(tr("Copy PEM  (Ctrl+C)"), this)),
      m_evidence(codeView(this, QStringLiteral("evidence")))
{
    // Base64 signatures and keys are long: wrapped, the whole evidence reads without scrolling sideways.
    m_evidence->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_evidence->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_title->setObjectName(QStringLiteral("detailsTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hint->setWordWrap(true);
    m_hint->setText(tr("Select an attempt in the list to see the unit, its certificate and its evidence."));
    m_copy->setFocusPolicy(Qt::TabFocus);
    connect(m_copy, &QPushButton::clicked, this, &UnitDetails::copyPem);

    // Two columns: who the unit is, why it failed and how the attempt ran on the left; what the CA issued
    // and the evidence on the right.
    auto *body = new QHBoxLayout(m_body);
    body->setContentsMargins(0, 0, 6, 0);
    body->setSpacing(12);
    auto *left = new QVBoxLayout;
    auto *right = new QVBoxLayout;
    left->setSpacing(10);
    right->setSpacing(10);
    body->addLayout(left, 1);
    body->addLayout(right, 1);

    // A failure's cause and remedy come first: that is what the supervisor opened the row for.
    QGridLayout *failure = addSection(left, &m_failureBox, tr("Why it did not pass"));
    addField(failure, QStringLiteral("errorMessage"), tr("Message"));
    addField(failure, QStringLiteral("errorCode"), tr("Code"));
    addField(failure, QStringLiteral("step"), tr("At step"));
    addField(failure, QStringLiteral("errorDetail"), tr("Detail"));
    addField(failure, QStringLiteral("orphanCertSerial"), tr("Certificate to revoke"));

    QGridLayout *unit = addSection(left, &m_unitBox, tr("Unit"));
    addField(unit, QStringLiteral("serial"), tr("Serial"));
    addField(unit, QStringLiteral("barcode"), tr("Label scanned"));
    addField(unit, QStringLiteral("hardwareId"), tr("Hardware ID"));
    addField(unit, QStringLiteral("deviceUuid"), tr("Device UUID"));
    addField(unit, QStringLiteral("imei"), tr("IMEI"));
    addField(unit, QStringLiteral("model"), tr("Model"));
    addField(unit, QStringLiteral("firmware"), tr("Firmware"));
    addField(unit, QStringLiteral("portPath"), tr("Port"));

    QGridLayout *cert = addSection(right, &m_certBox, tr("Certificate"));
    addField(cert, QStringLiteral("certSubject"), tr("Subject"));
    addField(cert, QStringLiteral("certIssuer"), tr("Issuer"));
    addField(cert, QStringLiteral("certSerial"), tr("Serial number"));
    addField(cert, QStringLiteral("certValidity"), tr("Valid"));
    addField(cert, QStringLiteral("certFingerprint"), tr("SHA-256 fingerprint"));
    addField(cert, QStringLiteral("certSans"), tr("Alternative names"));
    addField(cert, QStringLiteral("publicKeySha256"), tr("Public key SHA-256"));
    m_pemLabel = addRow(cert, tr("PEM"), m_pem);
    addRow(cert, QString(), m_copy);

    QGridLayout *evidence = addSection(right, &m_evidenceBox, tr("Attestation evidence"));
    evidence->addWidget(m_evidence, 0, 0, 1, 2);

    QGridLayout *attempt = addSection(left, &m_attemptBox, tr("Attempt"));
    addField(attempt, QStringLiteral("startedAt"), tr("Started"));
    addField(attempt, QStringLiteral("finishedAt"), tr("Finished"));
    addField(attempt, QStringLiteral("duration"), tr("Duration"));
    addField(attempt, QStringLiteral("who"), tr("Operator @ station"));
    addField(attempt, QStringLiteral("profile"), tr("Profile"));
    addField(attempt, QStringLiteral("estUrl"), tr("EST server"));
    addField(attempt, QStringLiteral("key"), tr("Key"));
    addField(attempt, QStringLiteral("attemptId"), tr("Attempt ID"));
    addField(attempt, QStringLiteral("row"), tr("Manifest row"));
    left->addStretch(1);
    right->addStretch(1);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_body);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setFocusPolicy(Qt::NoFocus);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_title);
    layout->addWidget(m_hint);
    layout->addWidget(scroll, 1);
    showRecord(std::nullopt);
}

QGridLayout *UnitDetails::addSection(QVBoxLayout *column, QGroupBox **box, const QString &title)
{
    // A grid, not a QFormLayout: hidden rows take no space, and QFormLayout::setRowVisible writes out of
    // bounds in Qt 6.4 (valgrind) when rows are hidden and shown as the selection changes.
    *box = new QGroupBox(title, m_body);
    auto *grid = new QGridLayout(*box);
    grid->setColumnStretch(1, 1);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(4);
    column->addWidget(*box);
    return grid;
}

QLabel *UnitDetails::addRow(QGridLayout *grid, const QString &label, QWidget *value)
{
    const int row = grid->rowCount();
    QLabel *name = nullptr;
    if (!label.isEmpty()) {
        name = new QLabel(label, value->parentWidget());
        grid->addWidget(name, row, 0, Qt::AlignLeft | Qt::AlignTop);
    }
    grid->addWidget(value, row, 1);
    return name;
}

void UnitDetails::addField(QGridLayout *grid, const QString &key, const QString &label)
{
    auto *name = new QLabel(label, m_body);
    auto *value = new QLabel(m_body);
    value->setObjectName(key);
    value->setTextFormat(Qt::PlainText);
    value->setWordWrap(true);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    const int row = grid->rowCount();
    grid->addWidget(name, row, 0, Qt::AlignLeft | Qt::AlignTop);
    grid->addWidget(value, row, 1);
    m_fields.insert(key, Field{name, value});
}

void UnitDetails::setField(const QString &key, const QString &value)
{
    const auto it = m_fields.constFind(key);
    if (it == m_fields.cend())
        return;
    it->value->setText(value);
    it->label->setVisible(!value.isEmpty());
    it->value->setVisible(!value.isEmpty());
}

QString UnitDetails::field(const QString &key) const
{
    const auto it = m_fields.constFind(key);
    return it == m_fields.cend() || it->value->text().isEmpty() ? QString() : it->value->text();
}

QString UnitDetails::pemText() const
{
    return m_certBox->isHidden() ? QString() : m_pem->toPlainText();
}

QString UnitDetails::evidenceText() const
{
    return m_evidenceBox->isHidden() ? QString() : m_evidence->toPlainText();
}

void UnitDetails::showRecord(const std::optional<manifest::ManifestRecord> &record)
{
    m_record = record;
    m_hint->setVisible(!record);
    m_body->setVisible(record.has_value());
    if (!record) {
        m_title->setText(tr("No attempt selected"));
        setTitleColor(colors::muted);
        return;
    }
    const manifest::ManifestRecord &r = *record;
    const ManifestRow row = ManifestRow::of(r);
    m_title->setText(
        tr("%1   %2").arg(r.serial.isEmpty() ? tr("(no serial)") : r.serial, ManifestModel::resultText(row)));
    setTitleColor(!row.finished                ? colors::working
                  : r.outcome == Outcome::Pass ? colors::pass
                  : r.outcome == Outcome::Fail ? colors::fail
                                               : colors::warning);

    setField(QStringLiteral("serial"), r.serial);
    setField(QStringLiteral("barcode"), r.barcode == r.serial ? QString() : r.barcode);
    setField(QStringLiteral("hardwareId"), r.hardwareId);
    setField(QStringLiteral("deviceUuid"), r.deviceUuid);
    setField(QStringLiteral("imei"), r.imei);
    setField(QStringLiteral("model"), r.model);
    setField(QStringLiteral("firmware"), r.firmware);
    setField(QStringLiteral("portPath"), r.portPath);

    const bool problem = r.outcome != Outcome::Pass;
    m_failureBox->setVisible(problem && (!r.errorCode.isEmpty() || !r.errorMessage.isEmpty() || !row.finished));
    m_failureBox->setTitle(row.finished ? tr("Why it did not pass") : tr("Running"));
    setField(QStringLiteral("errorMessage"), r.errorMessage);
    setField(QStringLiteral("errorCode"), r.errorCode);
    setField(QStringLiteral("step"),
             r.step.isEmpty() ? QString() : tr("%1  (%2)").arg(ManifestModel::stepLabel(r.step), r.step));
    setField(QStringLiteral("errorDetail"), r.errorDetail);
    setField(QStringLiteral("orphanCertSerial"), r.orphanCertSerial);

    m_certBox->setVisible(!r.certPem.isEmpty() || !r.certSerial.isEmpty());
    setField(QStringLiteral("certSubject"), r.certSubject);
    setField(QStringLiteral("certIssuer"), r.certIssuer);
    setField(QStringLiteral("certSerial"), r.certSerial);
    QString validity;
    if (r.certNotBefore.isValid() || r.certNotAfter.isValid()) {
        validity = tr("%1  to  %2").arg(timeText(r.certNotBefore), timeText(r.certNotAfter));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (r.certNotAfter.isValid() && now > r.certNotAfter)
            validity += tr("   \u26A0 expired");
        else if (r.certNotBefore.isValid() && now < r.certNotBefore)
            validity += tr("   \u26A0 not valid yet");
    }
    setField(QStringLiteral("certValidity"), validity);
    QString fingerprint = fingerprintText(r.certFingerprint);
    QString sans;
    if (!r.certPem.isEmpty()) {
        // The manifest stores both; a supervisor sees at once if the PEM is not the certificate recorded.
        auto cert = crypto::Certificate::fromPem(r.certPem.toUtf8());
        if (!cert)
            fingerprint += tr("\n\u26A0 the stored PEM cannot be read");
        else if (cert->fingerprintSha256() != r.certFingerprint)
            fingerprint += tr("\n\u26A0 does not match the stored PEM");
        else {
            QStringList names;
            for (const crypto::SubjectAltName &san : cert->subjectAltNames())
                names << san.toString();
            sans = names.join(QStringLiteral(", "));
        }
    }
    setField(QStringLiteral("certFingerprint"), fingerprint);
    setField(QStringLiteral("certSans"), sans);
    setField(QStringLiteral("publicKeySha256"), hexLines(r.publicKeySha256));
    m_pem->setPlainText(r.certPem.trimmed());
    m_pem->setVisible(!r.certPem.isEmpty());
    m_pemLabel->setVisible(!r.certPem.isEmpty());
    m_copy->setVisible(!r.certPem.isEmpty());

    QString evidence;
    if (!r.evidence.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(r.evidence.toUtf8());
        evidence = doc.isNull() ? r.evidence : QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
    }
    m_evidenceBox->setVisible(!evidence.isEmpty());
    m_evidence->setPlainText(evidence);

    setField(QStringLiteral("startedAt"), timeText(r.startedAt));
    setField(QStringLiteral("finishedAt"), timeText(r.finishedAt));
    setField(QStringLiteral("duration"),
             row.finished ? tr("%1 s").arg(double(r.durationMs) / 1000.0, 0, 'f', 1) : QString());
    setField(QStringLiteral("who"),
             r.stationId.isEmpty() ? r.operatorName : tr("%1 @ %2").arg(r.operatorName, r.stationId));
    setField(QStringLiteral("profile"),
             r.profileSha256.isEmpty() ? r.profileName
                                       : tr("%1  (SHA-256 %2\u2026)").arg(r.profileName, r.profileSha256.left(12)));
    setField(QStringLiteral("estUrl"), r.estUrl);
    setField(QStringLiteral("key"),
             r.keyType.isEmpty()
                 ? QString()
                 : tr("%1, generated by the %2")
                       .arg(r.keyType, r.keyOrigin == QLatin1String("server") ? tr("EST server") : tr("unit")));
    setField(QStringLiteral("attemptId"), r.attemptId);
    setField(QStringLiteral("row"),
             r.seq ? tr("%1 (chain position %2)").arg(r.id).arg(*r.seq) : tr("%1 (open: not sealed yet)").arg(r.id));
}

void UnitDetails::setTitleColor(const QColor &color)
{
    QPalette p = m_title->palette();
    p.setColor(QPalette::WindowText, color);
    m_title->setPalette(p);
}

bool UnitDetails::copyPem()
{
    if (!m_record || m_record->certPem.isEmpty()) {
        emit copied(tr("This attempt has no certificate to copy."));
        return false;
    }
    QGuiApplication::clipboard()->setText(m_record->certPem.trimmed() + QLatin1Char('\n'));
    emit copied(tr("Certificate of %1 copied (PEM).").arg(m_record->serial));
    return true;
}

void UnitDetails::setSizes(const ThemeSizes &sizes)
{
    setPixelFont(m_title, sizes.serialPx, true);
    setPixelFont(m_hint, sizes.smallPx);
    for (QGroupBox *box : {m_unitBox, m_attemptBox, m_failureBox, m_certBox, m_evidenceBox})
        setPixelFont(box, sizes.smallPx, true);
    for (const Field &f : std::as_const(m_fields)) {
        setPixelFont(f.label, sizes.smallPx);
        setPixelFont(f.value, sizes.smallPx);
    }
    setPixelFont(m_copy, sizes.smallPx, true);
    setPixelFont(m_pemLabel, sizes.smallPx);
    QFont mono(QStringLiteral("DejaVu Sans Mono"));
    mono.setPixelSize(std::max(12, sizes.smallPx - 2));
    m_pem->setFont(mono);
    m_evidence->setFont(mono);
    const int line = QFontMetrics(mono).lineSpacing();
    m_pem->setFixedHeight(line * 13 + 12);
    m_evidence->setMinimumHeight(line * 12 + 12);
    m_evidence->setMaximumHeight(line * 18 + 12);
}

} // namespace station::ui
