#include "SlotTile.h"

#include "Icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QResizeEvent>
#include <QVBoxLayout>

namespace station::ui {

namespace {

/// The result word as the tile shows it beside its icon: "PASS", not "✓ PASS" (the SVG icon is the
/// shape; the accessible text keeps the glyph).
QString wordBesideIcon(const QString &resultWord)
{
    const qsizetype space = resultWord.indexOf(QLatin1Char(' '));
    return space > 0 && !resultWord.at(0).isLetterOrNumber() ? resultWord.mid(space + 1) : resultWord;
}

QLabel *makeLabel(QWidget *parent, bool wrap = false)
{
    auto *l = new QLabel(parent);
    l->setWordWrap(wrap);
    l->setTextFormat(Qt::PlainText);
    return l;
}

} // namespace

SlotTile::SlotTile(int index, QWidget *parent) : QFrame(parent), m_index(index)
{
    setFocusPolicy(Qt::NoFocus);
    setMinimumSize(120, 90);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_number = makeLabel(this);
    m_port = makeLabel(this);
    m_elapsed = makeLabel(this);
    m_elapsed->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_serial = makeLabel(this);
    m_serial->setObjectName(QStringLiteral("serial"));
    m_result = makeLabel(this);
    m_result->setObjectName(QStringLiteral("result"));
    m_result->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_result->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Preferred);
    m_icon = new QLabel(this);
    m_icon->setObjectName(QStringLiteral("icon"));
    m_step = makeLabel(this, true);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 100);
    m_progress->setTextVisible(false);
    m_cause = makeLabel(this, true);
    m_cause->setObjectName(QStringLiteral("cause"));
    m_remedy = makeLabel(this, true);
    m_remedy->setObjectName(QStringLiteral("remedy"));
    // Wrapped lines that do not fit a small tile are clipped, never drawn over the next line.
    for (QLabel *l : {m_step, m_cause, m_remedy})
        l->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Ignored);

    auto *header = new QHBoxLayout;
    header->setSpacing(10);
    header->addWidget(m_number);
    header->addWidget(m_port, 1);
    header->addWidget(m_elapsed);

    auto *resultRow = new QHBoxLayout;
    resultRow->setSpacing(10);
    resultRow->addWidget(m_icon);
    resultRow->addWidget(m_result);
    resultRow->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 8, 14, 10);
    layout->setSpacing(4);
    layout->addLayout(header);
    layout->addWidget(m_serial);
    layout->addLayout(resultRow);
    layout->addWidget(m_step);
    layout->addWidget(m_progress);
    layout->addWidget(m_cause);
    layout->addWidget(m_remedy);
    layout->addStretch(1);

    setSizes(ThemeSizes::forHeight(800));
    provisioning::SlotInfo empty;
    empty.index = index;
    setSlot(empty, 0);
}

void SlotTile::setSizes(const ThemeSizes &sizes)
{
    setPixelFont(m_number, sizes.serialPx, true);
    setPixelFont(m_port, sizes.smallPx);
    setPixelFont(m_elapsed, sizes.smallPx);
    m_serialPx = sizes.serialPx;
    fitSerial();
    m_resultPx = sizes.resultPx;
    m_compact = sizes.resultPx < 40;
    fitResult();
    setPixelFont(m_step, sizes.bodyPx);
    setPixelFont(m_cause, sizes.bodyPx + 2, true);
    setPixelFont(m_remedy, sizes.bodyPx);
}

void SlotTile::setSlot(const provisioning::SlotInfo &slot, qint64 nowMs)
{
    m_slot = slot;
    m_look = slotLook(slot, nowMs);
    render();
}

void SlotTile::tick(qint64 nowMs)
{
    if (!m_look.running)
        return;
    m_look = slotLook(m_slot, nowMs);
    m_elapsed->setText(formatElapsed(m_look.elapsedMs));
}

void SlotTile::setSelected(bool selected)
{
    m_selected = selected;
    setLook(this, "tileSelected", selected ? QStringLiteral("yes") : QStringLiteral("no"));
    render();
}

void SlotTile::render()
{
    setLook(this, "tileLook", m_look.lookName);
    m_number->setText(m_selected ? QStringLiteral("\u25B6 %1").arg(m_index + 1) : QString::number(m_index + 1));
    m_port->setText(m_slot.portPath.isEmpty() ? tr("(no port yet)") : shortPortName(m_slot.portPath));
    m_port->setToolTip(m_slot.portPath);
    m_elapsed->setText(m_look.elapsedMs > 0 ? formatElapsed(m_look.elapsedMs) : QString());
    m_serial->setText(m_slot.serial);
    fitSerial();
    m_serial->setVisible(m_look.look != TileLook::Free);
    setLook(m_result, "resultLook", m_look.lookName);
    m_result->setText(wordBesideIcon(m_look.resultWord));
    fitResult();
    m_result->setVisible(!m_look.resultWord.isEmpty());
    showIcon();
    setLook(m_step, "stepLook", m_look.lookName);
    m_step->setText(m_look.step);
    // A small tile keeps what matters: the result and the cause; "Remove the unit." and the remedy go.
    const bool hasResult = !m_look.resultWord.isEmpty();
    m_step->setVisible(!m_look.step.isEmpty() && !(m_compact && hasResult));
    m_step->setAlignment(m_look.look == TileLook::Free ? Qt::AlignCenter : Qt::AlignLeft | Qt::AlignVCenter);
    m_progress->setVisible(m_look.progressPercent >= 0);
    if (m_look.progressPercent >= 0)
        m_progress->setValue(m_look.progressPercent);
    m_cause->setText(m_look.cause);
    m_cause->setVisible(!m_look.cause.isEmpty());
    m_remedy->setText(m_look.remedy);
    m_remedy->setVisible(!m_look.remedy.isEmpty() && !m_compact);
    setAccessibleName(text());
    setToolTip(text());
}

void SlotTile::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    fitSerial();
    fitResult();
}

void SlotTile::fitResult()
{
    const int available = contentsRect().width() - 32;
    int px = m_resultPx;
    QFont f = m_result->font();
    f.setBold(true);
    for (; px > 14; --px) {
        f.setPixelSize(px);
        // + the icon beside it (px + 8, and the row's spacing)
        if (QFontMetrics(f).horizontalAdvance(wordBesideIcon(m_look.resultWord)) + 24 + px + 18 <= available)
            break;
    }
    if (m_result->font().pixelSize() != px)
        setPixelFont(m_result, px, true);
    showIcon();
}

void SlotTile::showIcon()
{
    QString name;
    switch (m_look.look) {
    case TileLook::Free: name = QStringLiteral("empty"); break;
    case TileLook::Working: name = QStringLiteral("working"); break;
    case TileLook::Waiting: break; // the step line says it with its own glyph: "▤ Scan the unit's label"
    case TileLook::Attention: name = QStringLiteral("attention"); break;
    case TileLook::Pass: name = QStringLiteral("pass"); break;
    case TileLook::Fail: name = QStringLiteral("fail"); break;
    }
    // As tall as the result word; a little smaller beside a step text.
    const int px = m_look.resultWord.isEmpty() ? qMax(24, m_resultPx * 2 / 3) : m_result->font().pixelSize() + 8;
    const QString key = QStringLiteral("%1/%2/%3").arg(name).arg(px).arg(devicePixelRatioF());
    m_icon->setVisible(!name.isEmpty());
    if (key == m_iconKey || name.isEmpty())
        return;
    m_iconKey = key;
    m_icon->setPixmap(uiPixmap(name, px, devicePixelRatioF()));
    m_icon->setFixedSize(px, px);
}

void SlotTile::fitSerial()
{
    const int available = contentsRect().width() - 32;
    int px = m_serialPx;
    QFont f = m_serial->font();
    f.setBold(true);
    for (; px > 10; --px) {
        f.setPixelSize(px);
        if (QFontMetrics(f).horizontalAdvance(m_slot.serial) <= available)
            break;
    }
    if (m_serial->font().pixelSize() != px)
        setPixelFont(m_serial, px, true);
}

QString SlotTile::text() const
{
    QStringList parts{QString::number(m_index + 1),
                      shortPortName(m_slot.portPath),
                      m_slot.serial,
                      m_look.resultWord,
                      m_look.step,
                      m_look.cause,
                      m_look.remedy};
    parts.removeAll(QString());
    return parts.join(QLatin1Char(' '));
}

} // namespace station::ui
