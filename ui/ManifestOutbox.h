// The supervisor's "Manifest" section: export the manifest (CSV, JSON or Lamassu device bodies, all rows
// or only those not exported yet) on a worker thread, and pre-register the units in the DMS — dry run,
// upload, end-of-shift reconciliation — through DmsRunner. The DMS fields start from the profile (its
// dms section, the EST host as the DMS gateway, the EST trust file); the secret is typed for the run and
// never stored. The same engine as `provctl manifest export | upload | reconcile`.
#pragma once

#include "provisioning/ProductProfile.h"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace station::ui {

class DmsRunner;
class SupervisorGate;

class ManifestOutbox : public QGroupBox
{
    Q_OBJECT
public:
    ManifestOutbox(SupervisorGate *gate, QWidget *parent = nullptr);

    void showStation(const provisioning::ProductProfile &profile, const QString &manifestPath);
    /// Exports in the chosen format (the supervisor picked `path`), on a worker thread.
    void exportTo(const QString &path);
    [[nodiscard]] QString exportStatus() const;
    [[nodiscard]] QString dmsStatus() const;

    // For tests and keyboard use: the DMS fields.
    [[nodiscard]] QLineEdit *dmsUrlField() const { return m_dmsUrl; }
    [[nodiscard]] QLineEdit *dmsIdField() const { return m_dmsId; }
    [[nodiscard]] QLineEdit *tokenUrlField() const { return m_tokenUrl; }
    [[nodiscard]] QLineEdit *clientIdField() const { return m_clientId; }
    [[nodiscard]] QLineEdit *secretField() const { return m_secret; }
    [[nodiscard]] QLineEdit *trustField() const { return m_trust; }
    [[nodiscard]] QComboBox *formatBox() const { return m_format; }
    /// Starts an upload (dryRun: lists only) or a reconciliation with the fields as they are.
    void runDms(bool reconcile, bool dryRun);

private:
    void chooseExportFile();
    void setDmsBusy(bool busy);

    SupervisorGate *m_gate;
    DmsRunner *m_runner;
    provisioning::ProductProfile m_profile;
    QString m_manifestPath;
    QLabel *m_file;
    QComboBox *m_format;
    QCheckBox *m_onlyNew;
    QLabel *m_exportStatus;
    QLineEdit *m_dmsUrl;
    QLineEdit *m_dmsId;
    QLineEdit *m_tokenUrl;
    QLineEdit *m_clientId;
    QLineEdit *m_secret;
    QLineEdit *m_trust;
    QList<QPushButton *> m_dmsButtons;
    QPushButton *m_stop;
    QLabel *m_dmsStatus;
    QPlainTextEdit *m_log;
};

} // namespace station::ui
