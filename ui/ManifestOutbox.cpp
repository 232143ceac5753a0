#include "ManifestOutbox.h"

#include "DmsRunner.h"
#include "SupervisorGate.h"

#include "manifest/Manifest.h"
#include "outbound/ManifestExport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QFuture>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace station::ui {

namespace {

QLabel *wrapped()
{
    auto *l = new QLabel;
    l->setTextFormat(Qt::PlainText);
    l->setWordWrap(true);
    return l;
}

QString suffixOf(outbound::ExportFormat f)
{
    return f == outbound::ExportFormat::Csv ? QStringLiteral("csv") : QStringLiteral("json");
}

} // namespace

ManifestOutbox::ManifestOutbox(SupervisorGate *gate, QWidget *parent)
    : QGroupBox(tr("Manifest"), parent), m_gate(gate), m_runner(new DmsRunner(this)), m_file(wrapped()),
      m_format(new QComboBox), m_onlyNew(new QCheckBox(tr("Only rows not exported yet"))), m_exportStatus(wrapped()),
      m_dmsUrl(new QLineEdit), m_dmsId(new QLineEdit), m_tokenUrl(new QLineEdit), m_clientId(new QLineEdit),
      m_secret(new QLineEdit), m_trust(new QLineEdit), m_stop(new QPushButton(tr("Stop"))), m_dmsStatus(wrapped()),
      m_log(new QPlainTextEdit)
{
    setObjectName(QStringLiteral("manifestOutbox"));
    auto *v = new QVBoxLayout(this);
    v->addWidget(m_file);

    // Export.
    m_format->addItem(tr("CSV (spreadsheet, PKI import)"), int(outbound::ExportFormat::Csv));
    m_format->addItem(tr("JSON (one object per attempt)"), int(outbound::ExportFormat::Json));
    m_format->addItem(tr("Lamassu devices (DMS import)"), int(outbound::ExportFormat::Lamassu));
    m_format->setObjectName(QStringLiteral("exportFormat"));
    auto *exportButton = new QPushButton(tr("&Export \u2026"));
    exportButton->setObjectName(QStringLiteral("exportCsv"));
    auto *er = new QHBoxLayout;
    er->addWidget(m_format, 1);
    er->addWidget(m_onlyNew);
    er->addWidget(exportButton);
    v->addLayout(er);
    m_exportStatus->setObjectName(QStringLiteral("exportStatus"));
    v->addWidget(m_exportStatus);
    connect(exportButton, &QPushButton::clicked, this, &ManifestOutbox::chooseExportFile);

    // The DMS.
    auto *form = new QFormLayout;
    m_dmsUrl->setPlaceholderText(QStringLiteral("https://lamassu.example.com"));
    m_tokenUrl->setPlaceholderText(tr("OIDC token URL; empty: the secret is a bearer token"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setPlaceholderText(tr("client secret or bearer token (not stored)"));
    m_trust->setPlaceholderText(tr("PEM file with the DMS's CA; empty: the system store"));
    form->addRow(tr("DMS &gateway"), m_dmsUrl);
    form->addRow(tr("DMS &id"), m_dmsId);
    form->addRow(tr("&Token service"), m_tokenUrl);
    form->addRow(tr("C&lient id"), m_clientId);
    form->addRow(tr("&Secret"), m_secret);
    form->addRow(tr("DMS &trust"), m_trust);
    v->addLayout(form);
    auto *dr = new QHBoxLayout;
    const auto addButton = [this, dr](const QString &text, const QString &name, bool reconcile, bool dryRun) {
        auto *b = new QPushButton(text);
        b->setObjectName(name);
        connect(b, &QPushButton::clicked, this, [this, reconcile, dryRun] { runDms(reconcile, dryRun); });
        dr->addWidget(b);
        m_dmsButtons << b;
    };
    addButton(tr("&Dry run"), QStringLiteral("dmsDryRun"), false, true);
    addButton(tr("&Upload to the DMS"), QStringLiteral("dmsUpload"), false, false);
    addButton(tr("&Reconcile"), QStringLiteral("dmsReconcile"), true, false);
    m_stop->setEnabled(false);
    dr->addWidget(m_stop);
    dr->addStretch(1);
    v->addLayout(dr);
    m_dmsStatus->setObjectName(QStringLiteral("dmsStatus"));
    v->addWidget(m_dmsStatus);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(500);
    m_log->setFixedHeight(110);
    m_log->setObjectName(QStringLiteral("dmsLog"));
    m_log->hide(); // until a run has something to say per unit
    v->addWidget(m_log);

    connect(m_stop, &QPushButton::clicked, m_runner, &DmsRunner::cancel);
    connect(m_runner, &DmsRunner::line, this, [this](const QString &text) {
        m_log->show();
        m_log->appendPlainText(text);
    });
    connect(m_runner, &DmsRunner::finished, this, [this](bool ok, const QString &summary) {
        setDmsBusy(false);
        m_dmsStatus->setText((ok ? QStringLiteral("\u2713 ") : QStringLiteral("\u2715 ")) + summary);
    });
}

void ManifestOutbox::showStation(const provisioning::ProductProfile &profile, const QString &manifestPath)
{
    m_profile = profile;
    m_manifestPath = manifestPath;
    m_file->setText(tr("File: %1").arg(manifestPath));
    // Lamassu serves EST and its REST API behind one gateway: the EST host is the first guess.
    QUrl gateway;
    gateway.setScheme(QStringLiteral("https"));
    gateway.setHost(profile.est.url.host());
    gateway.setPort(profile.est.url.port());
    if (m_dmsUrl->text().isEmpty() && !gateway.host().isEmpty())
        m_dmsUrl->setText(gateway.toString());
    if (m_dmsId->text().isEmpty())
        m_dmsId->setText(profile.dms.dmsId);
    if (m_tokenUrl->text().isEmpty() && !gateway.host().isEmpty())
        m_tokenUrl->setText(gateway.toString() + QStringLiteral("/auth/realms/lamassu/protocol/openid-connect/token"));
    if (m_trust->text().isEmpty())
        m_trust->setText(profile.est.trustFile);
}

void ManifestOutbox::chooseExportFile()
{
    m_gate->run(tr("export the manifest"), [this] {
        const auto format = outbound::ExportFormat(m_format->currentData().toInt());
        const QString name =
            QStringLiteral("manifest-%1.%2")
                .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm")), suffixOf(format));
        auto *dialog = new QFileDialog(this, tr("Export the manifest"), QDir::home().filePath(name));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setOption(QFileDialog::DontUseNativeDialog);
        connect(dialog, &QFileDialog::fileSelected, this, &ManifestOutbox::exportTo);
        dialog->open();
    });
}

void ManifestOutbox::exportTo(const QString &path)
{
    m_gate->run(tr("export the manifest"), [this, path] {
        m_exportStatus->setText(tr("Exporting to %1 \u2026").arg(path));
        outbound::ExportRequest request;
        request.format = outbound::ExportFormat(m_format->currentData().toInt());
        request.outPath = path;
        request.onlyNotExported = m_onlyNew->isChecked();
        request.dms = m_profile.dms;
        if (!m_dmsId->text().trimmed().isEmpty())
            request.dms.dmsId = m_dmsId->text().trimmed();
        // Its own connection on a worker thread: the station's jobs keep writing meanwhile.
        auto work = [manifestPath = m_manifestPath, request]() -> Result<outbound::ExportSummary> {
            auto m = manifest::Manifest::open(manifestPath);
            if (!m)
                return fail(m.error());
            return outbound::exportManifest(**m, request);
        };
        QtConcurrent::run(std::move(work)).then(this, [this](const Result<outbound::ExportSummary> &done) {
            if (!done) {
                m_exportStatus->setText(QStringLiteral("\u2715 ") + done.error().message + QLatin1Char(' ') +
                                        done.error().remedy);
                return;
            }
            m_exportStatus->setText(tr("\u2713 Exported %1 rows to %2 (SHA-256 %3).")
                                        .arg(done->rows)
                                        .arg(done->path, done->sha256.left(16) + QStringLiteral("\u2026")));
        });
    });
}

QString ManifestOutbox::exportStatus() const
{
    return m_exportStatus->text();
}

QString ManifestOutbox::dmsStatus() const
{
    return m_dmsStatus->text();
}

void ManifestOutbox::setDmsBusy(bool busy)
{
    for (QPushButton *b : std::as_const(m_dmsButtons))
        b->setEnabled(!busy);
    m_stop->setEnabled(busy);
}

void ManifestOutbox::runDms(bool reconcile, bool dryRun)
{
    const QString what = reconcile ? tr("reconcile the manifest with the DMS") : tr("upload the manifest to the DMS");
    m_gate->run(what, [this, reconcile, dryRun] {
        if (m_runner->isRunning())
            return;
        const QUrl url(m_dmsUrl->text().trimmed());
        if (url.scheme() != QLatin1String("https") || url.host().isEmpty() || m_dmsId->text().trimmed().isEmpty()) {
            m_dmsStatus->setText(tr("\u2715 Give the DMS gateway (an https URL) and the DMS id."));
            return;
        }
        DmsRequest r;
        r.kind = reconcile ? DmsRequest::Kind::Reconcile : dryRun ? DmsRequest::Kind::DryRun : DmsRequest::Kind::Upload;
        r.manifestPath = m_manifestPath;
        r.dmsUrl = url;
        r.dmsId = m_dmsId->text().trimmed();
        r.tokenUrl = QUrl(m_tokenUrl->text().trimmed());
        r.clientId = m_clientId->text().trimmed();
        r.secret = std::make_shared<crypto::SecretBytes>(m_secret->text().toUtf8());
        r.trustFile = m_trust->text().trimmed();
        r.device = m_profile.dms;
        r.keyOrigin = m_profile.enrollment.keyOrigin;
        m_log->clear();
        m_log->hide();
        m_dmsStatus->setText(reconcile ? tr("Reading the units back from the DMS \u2026")
                             : dryRun  ? tr("Listing what would be uploaded \u2026")
                                       : tr("Uploading \u2026"));
        setDmsBusy(true);
        m_runner->start(r);
    });
}

} // namespace station::ui
