#include "ManifestFilterBar.h"

#include "Theme.h"

#include <QComboBox>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimeZone>

namespace station::ui {

ManifestFilterBar::ManifestFilterBar(std::function<QDateTime()> clock, QWidget *parent)
    : QWidget(parent),
      m_clock(clock ? std::move(clock) : std::function<QDateTime()>([] { return QDateTime::currentDateTime(); })),
      m_periodLabel(new QLabel(tr("&When:"), this)), m_period(new QComboBox(this)), m_date(new QDateEdit(this)),
      m_resultLabel(new QLabel(tr("&Result:"), this)), m_result(new QComboBox(this)),
      m_serialLabel(new QLabel(tr("&Serial:"), this)), m_serial(new QLineEdit(this))
{
    m_period->addItem(tr("Any time"), int(Period::Any));
    m_period->addItem(tr("Last hour"), int(Period::LastHour));
    m_period->addItem(tr("Today"), int(Period::Today));
    m_period->addItem(tr("Last 7 days"), int(Period::Last7Days));
    m_period->addItem(tr("Last 30 days"), int(Period::Last30Days));
    m_period->addItem(tr("Since a date \u2192"), int(Period::SinceDate));
    m_date->setCalendarPopup(true);
    m_date->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_date->setDate(m_clock().date());
    m_date->setVisible(false); // only with "Since a date"
    m_date->setAccessibleName(tr("Since date"));

    m_result->addItem(tr("All results"), int(Result::Any));
    m_result->addItem(tr("\u2713 PASS only"), int(Result::Pass));
    m_result->addItem(tr("\u2715 FAIL only"), int(Result::Fail));
    m_result->addItem(tr("\u26A0 INCOMPLETE only"), int(Result::Incomplete));

    m_serial->setPlaceholderText(tr("type or scan a serial \u2026"));
    m_serial->setClearButtonEnabled(true);
    m_serial->setMaxLength(512);

    m_periodLabel->setBuddy(m_period);
    m_resultLabel->setBuddy(m_result);
    m_serialLabel->setBuddy(m_serial);

    auto *h = new QHBoxLayout(this);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(8);
    h->addWidget(m_periodLabel);
    h->addWidget(m_period);
    h->addWidget(m_date);
    h->addSpacing(16);
    h->addWidget(m_resultLabel);
    h->addWidget(m_result);
    h->addSpacing(16);
    h->addWidget(m_serialLabel);
    h->addWidget(m_serial, 1);

    m_typing.setSingleShot(true);
    m_typing.setInterval(400);
    connect(&m_typing, &QTimer::timeout, this, &ManifestFilterBar::changed);
    connect(m_serial, &QLineEdit::textEdited, this, [this] { m_typing.start(); });
    connect(m_serial, &QLineEdit::returnPressed, this, [this] {
        m_typing.stop();
        changed();
        emit submitted(); // a scanner's Enter: on to the results
    });
    connect(m_serial, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty()) // the clear button
            changed();
    });
    connect(m_period, &QComboBox::currentIndexChanged, this, [this] {
        const bool byDate = Period(m_period->currentData().toInt()) == Period::SinceDate;
        m_date->setVisible(byDate);
        changed();
    });
    connect(m_date, &QDateEdit::dateChanged, this, [this] {
        if (Period(m_period->currentData().toInt()) == Period::SinceDate)
            changed();
    });
    connect(m_result, &QComboBox::currentIndexChanged, this, &ManifestFilterBar::changed);
}

manifest::ManifestQuery ManifestFilterBar::filter() const
{
    manifest::ManifestQuery q;
    const QDateTime now = m_clock();
    switch (Period(m_period->currentData().toInt())) {
    case Period::Any: break;
    case Period::LastHour: q.since = now.addSecs(-3600); break;
    case Period::Today: q.since = QDateTime(now.date(), QTime(0, 0), now.timeZone()); break;
    case Period::Last7Days: q.since = now.addDays(-7); break;
    case Period::Last30Days: q.since = now.addDays(-30); break;
    case Period::SinceDate: q.since = QDateTime(m_date->date(), QTime(0, 0), now.timeZone()); break;
    }
    if (q.since.isValid())
        q.since = q.since.toUTC();
    switch (Result(m_result->currentData().toInt())) {
    case Result::Any: break;
    case Result::Pass: q.outcome = manifest::Outcome::Pass; break;
    case Result::Fail: q.outcome = manifest::Outcome::Fail; break;
    case Result::Incomplete: q.outcome = manifest::Outcome::Incomplete; break;
    }
    q.serial = m_serial->text().trimmed();
    return q;
}

void ManifestFilterBar::setPeriod(Period period)
{
    m_period->setCurrentIndex(m_period->findData(int(period)));
}

void ManifestFilterBar::setSinceDate(const QDate &date)
{
    m_date->setDate(date);
}

void ManifestFilterBar::setResult(Result result)
{
    m_result->setCurrentIndex(m_result->findData(int(result)));
}

void ManifestFilterBar::setSerial(const QString &serial)
{
    m_typing.stop();
    const bool same = m_serial->text() == serial;
    m_serial->setText(serial);
    if (!same && !serial.isEmpty())
        changed();
}

void ManifestFilterBar::setPixelSize(int px)
{
    for (QWidget *w : {static_cast<QWidget *>(m_periodLabel), static_cast<QWidget *>(m_resultLabel),
                       static_cast<QWidget *>(m_serialLabel)})
        setPixelFont(w, px, true);
    for (QWidget *w : {static_cast<QWidget *>(m_period), static_cast<QWidget *>(m_date),
                       static_cast<QWidget *>(m_result), static_cast<QWidget *>(m_serial)})
        setPixelFont(w, px);
}

void ManifestFilterBar::changed()
{
    emit filterChanged(filter());
}

} // namespace station::ui
