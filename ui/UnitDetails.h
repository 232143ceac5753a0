// The manifest browser's details pane: one attempt in full. Who the unit is (serial, hardware id, IMEI,
// model, firmware, port), how the attempt ran (times, profile, EST server, key), how it failed (code,
// the operator's message, the engineer's detail), the certificate the CA issued (subject, issuer,
// serial, validity, SHA-256 fingerprint — checked against the stored PEM — and the PEM itself, selectable
// and copied with the Copy button or Ctrl+C), and the attestation evidence as indented JSON. Every value
// is selectable text; empty fields are left out.
#pragma once

#include "Theme.h"
#include "manifest/ManifestRecord.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QGridLayout;
class QGroupBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QVBoxLayout;

namespace station::ui {

class UnitDetails : public QWidget
{
    Q_OBJECT
public:
    explicit UnitDetails(QWidget *parent = nullptr);

    /// Shows `record`; nullopt shows the hint to select a row.
    void showRecord(const std::optional<manifest::ManifestRecord> &record);
    [[nodiscard]] const std::optional<manifest::ManifestRecord> &record() const { return m_record; }

    /// The text shown for a field ("certSubject", "certFingerprint", "errorCode", ...); empty when hidden.
    [[nodiscard]] QString field(const QString &key) const;
    [[nodiscard]] QString pemText() const;
    [[nodiscard]] QString evidenceText() const;

    /// Puts the certificate's PEM on the clipboard; false when the attempt has none.
    bool copyPem();
    void setSizes(const ThemeSizes &sizes);

signals:
    /// After copyPem(): what happened, for the browser's status line.
    void copied(const QString &message);

private:
    QGridLayout *addSection(QVBoxLayout *column, QGroupBox **box, const QString &title);
    void addField(QGridLayout *grid, const QString &key, const QString &label);
    static QLabel *addRow(QGridLayout *grid, const QString &label, QWidget *value);
    void setField(const QString &key, const QString &value);
    void setTitleColor(const QColor &color);

    QLabel *m_title;
    QLabel *m_hint;
    QWidget *m_body;
    QGroupBox *m_unitBox = nullptr;
    QGroupBox *m_attemptBox = nullptr;
    QGroupBox *m_failureBox = nullptr;
    QGroupBox *m_certBox = nullptr;
    QGroupBox *m_evidenceBox = nullptr;
    QPlainTextEdit *m_pem;
    QLabel *m_pemLabel = nullptr;
    QPushButton *m_copy;
    QPlainTextEdit *m_evidence;
    struct Field {
        QLabel *label;
        QLabel *value;
    };
    QHash<QString, Field> m_fields;
    std::optional<manifest::ManifestRecord> m_record;
};

} // namespace station::ui
