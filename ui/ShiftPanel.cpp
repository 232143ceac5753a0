#include "ShiftPanel.h"

#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace station::ui {

namespace {
constexpr int kMaxEvents = 200;
}

ShiftPanel::ShiftPanel(std::function<QDateTime()> clock, QWidget *parent)
    : QWidget(parent),
      m_clock(clock ? std::move(clock) : std::function<QDateTime()>([] { return QDateTime::currentDateTime(); })),
      m_tally(m_clock()), m_title(new QLabel(tr("SHIFT"), this)), m_counters(new QLabel(this)),
      m_recentTitle(new QLabel(tr("Recent events"), this)), m_recent(new QListWidget(this))
{
    m_counters->setTextFormat(Qt::RichText);
    m_recent->setFocusPolicy(Qt::NoFocus);
    m_recent->setSelectionMode(QAbstractItemView::NoSelection);
    m_recent->setWordWrap(true);
    m_recent->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_counters);
    layout->addSpacing(8);
    layout->addWidget(m_recentTitle);
    layout->addWidget(m_recent, 1);
    // Units per hour changes with time, not only with results.
    m_refresh.setInterval(30'000);
    connect(&m_refresh, &QTimer::timeout, this, &ShiftPanel::refresh);
    m_refresh.start();
    refresh();
}

void ShiftPanel::setSizes(const ThemeSizes &sizes)
{
    setPixelFont(m_title, sizes.bodyPx, true);
    setPixelFont(m_counters, sizes.bodyPx + 2);
    setPixelFont(m_recentTitle, sizes.bodyPx, true);
    setPixelFont(m_recent, sizes.smallPx);
    setFixedWidth(qMax(300, sizes.smallPx * 21));
}

void ShiftPanel::addResult(int slot, const QString &serial, bool passed, const QString &what)
{
    m_tally.record(serial, passed);
    const QString who = serial.isEmpty() ? tr("slot %1").arg(slot + 1) : serial;
    addEvent(passed ? tr("%1 \u2713 PASS").arg(who) : tr("%1 \u2715 FAIL: %2").arg(who, what));
    refresh();
}

void ShiftPanel::addEvent(const QString &text)
{
    m_recent->insertItem(0, m_clock().toString(QStringLiteral("HH:mm")) + QLatin1Char(' ') + text);
    while (m_recent->count() > kMaxEvents)
        delete m_recent->takeItem(m_recent->count() - 1);
}

QStringList ShiftPanel::recentEvents() const
{
    QStringList out;
    for (int i = 0; i < m_recent->count(); ++i)
        out << m_recent->item(i)->text();
    return out;
}

void ShiftPanel::refresh()
{
    const double uph = m_tally.unitsPerHour(m_clock());
    const double fpy = m_tally.firstPassYield();
    const auto row = [](const QString &name, const QString &value) {
        return QStringLiteral("<tr><td>%1</td><td align=\"right\"><b>&nbsp;&nbsp;%2</b></td></tr>")
            .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
    };
    m_counters->setText(QStringLiteral("<table width=\"100%\">") +
                        row(tr("passed"), QString::number(m_tally.passed())) +
                        row(tr("failed"), QString::number(m_tally.failed())) +
                        row(tr("units/h"), uph > 0 ? QString::number(uph, 'f', 0) : QStringLiteral("\u2013")) +
                        row(tr("first-pass yield"), fpy < 0 ? QStringLiteral("\u2013")
                                                            : QString::number(fpy * 100.0, 'f', 1) + QLatin1Char('%')) +
                        QStringLiteral("</table>"));
}

} // namespace station::ui
