// The manifest browser's filters, in one row above the table: when (any time, the last hour, today, the
// last 7 or 30 days, or since a date), which result (PASS / FAIL / INCOMPLETE), and which unit (its
// serial, typed or scanned). Each has an Alt+letter to reach it from the keyboard. Emits the filter as a
// ManifestQuery (since / outcome / serial) whenever it changes; a serial applies on Enter or after a short
// pause in typing.
#pragma once

#include "manifest/Manifest.h"

#include <QTimer>
#include <QWidget>

#include <functional>

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;

namespace station::ui {

class ManifestFilterBar : public QWidget
{
    Q_OBJECT
public:
    enum class Period { Any, LastHour, Today, Last7Days, Last30Days, SinceDate };
    enum class Result { Any, Pass, Fail, Incomplete };

    /// `clock` gives the current local time (tests inject one).
    explicit ManifestFilterBar(std::function<QDateTime()> clock = {}, QWidget *parent = nullptr);

    [[nodiscard]] manifest::ManifestQuery filter() const;

    void setPeriod(Period period);
    void setSinceDate(const QDate &date);
    void setResult(Result result);
    void setSerial(const QString &serial);

    [[nodiscard]] QComboBox *periodBox() const { return m_period; }
    [[nodiscard]] QComboBox *resultBox() const { return m_result; }
    [[nodiscard]] QLineEdit *serialEdit() const { return m_serial; }
    [[nodiscard]] QDateEdit *dateEdit() const { return m_date; }
    void setPixelSize(int px);

signals:
    void filterChanged(const station::manifest::ManifestQuery &filter);
    /// Enter in the serial field (typed, or a scanner's): the browser moves the keyboard to the results.
    void submitted();

private:
    void changed();

    std::function<QDateTime()> m_clock;
    QLabel *m_periodLabel;
    QComboBox *m_period;
    QDateEdit *m_date;
    QLabel *m_resultLabel;
    QComboBox *m_result;
    QLabel *m_serialLabel;
    QLineEdit *m_serial;
    QTimer m_typing;
};

} // namespace station::ui
