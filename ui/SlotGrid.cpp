#include "SlotGrid.h"

#include <QDateTime>
#include <QGridLayout>
#include <QResizeEvent>

#include <cmath>

namespace station::ui {

SlotGrid::SlotGrid(std::function<qint64()> clock, QWidget *parent)
    : QWidget(parent),
      m_clock(clock ? std::move(clock) : std::function<qint64()>([] { return QDateTime::currentMSecsSinceEpoch(); })),
      m_layout(new QGridLayout(this))
{
    setFocusPolicy(Qt::NoFocus);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(10);
    m_ticker.setInterval(200);
    connect(&m_ticker, &QTimer::timeout, this, &SlotGrid::tick);
}

void SlotGrid::setStation(provisioning::Station *station)
{
    if (m_station)
        disconnect(m_station, nullptr, this, nullptr);
    qDeleteAll(m_tiles);
    m_tiles.clear();
    m_selected = -1;
    m_station = station;
    if (!station)
        return;
    connect(station, &provisioning::Station::slotAdded, this, &SlotGrid::addTile);
    connect(station, &provisioning::Station::slotChanged, this, &SlotGrid::updateTile);
    for (int i = 0; i < station->slotCount(); ++i)
        addTile(i);
}

void SlotGrid::setSizes(const ThemeSizes &sizes)
{
    m_sizes = sizes;
    m_tileSizes.resultPx = 0; // apply again
    resizeTiles();
}

void SlotGrid::resizeTiles()
{
    if (m_tiles.isEmpty() || m_columns < 1)
        return;
    const int rows = (int(m_tiles.size()) + m_columns - 1) / m_columns;
    const int tileH = (height() - m_layout->spacing() * (rows - 1)) / rows;
    const int tileW = (width() - m_layout->spacing() * (m_columns - 1)) / m_columns;
    const auto grow = [](int base, double want, int cap) { return qBound(base, int(want), qMax(base, cap)); };
    ThemeSizes s = m_sizes;
    s.resultPx = grow(m_sizes.resultPx, qMin(tileH * 0.20, tileW * 0.16), 120);
    s.serialPx = grow(m_sizes.serialPx, qMin(tileH * 0.11, tileW * 0.075), 60);
    s.bodyPx = grow(m_sizes.bodyPx, tileH * 0.075, 34);
    s.smallPx = grow(m_sizes.smallPx, tileH * 0.06, 26);
    // Many slots on a small screen: everything must still fit its tile (a cut-off word reads wrong), even
    // below the sizes meant for two metres — a bench of 24 wants a 1080p screen or larger.
    const auto fit = [](int px, double most) { return qMax(12, qMin(px, int(most))); };
    s.resultPx = fit(s.resultPx, tileH * 0.30);
    s.serialPx = fit(s.serialPx, tileH * 0.16);
    s.bodyPx = fit(s.bodyPx, tileH * 0.12);
    s.smallPx = fit(s.smallPx, tileH * 0.11);
    if (s.resultPx == m_tileSizes.resultPx && s.serialPx == m_tileSizes.serialPx && s.bodyPx == m_tileSizes.bodyPx &&
        s.smallPx == m_tileSizes.smallPx)
        return;
    m_tileSizes = s;
    for (SlotTile *t : std::as_const(m_tiles))
        t->setSizes(s);
}

void SlotGrid::addTile(int index)
{
    while (m_tiles.size() <= index) {
        auto *t = new SlotTile(int(m_tiles.size()), this);
        t->setSizes(m_tileSizes.resultPx > 0 ? m_tileSizes : m_sizes);
        m_tiles.append(t);
    }
    if (m_selected < 0)
        select(0);
    reflow();
    updateTile(index);
}

void SlotGrid::updateTile(int index)
{
    if (!m_station || index < 0)
        return;
    if (index >= m_tiles.size())
        addTile(index);
    m_tiles[index]->setSlot(m_station->slotInfo(index), m_clock());
    if (m_tiles[index]->isRunning() && !m_ticker.isActive())
        m_ticker.start();
}

void SlotGrid::tick()
{
    const qint64 now = m_clock();
    bool any = false;
    for (SlotTile *t : std::as_const(m_tiles)) {
        t->tick(now);
        any = any || t->isRunning();
    }
    if (!any)
        m_ticker.stop();
}

void SlotGrid::select(int index)
{
    if (index < 0 || index >= m_tiles.size())
        return;
    if (m_selected >= 0 && m_selected < m_tiles.size())
        m_tiles[m_selected]->setSelected(false);
    m_selected = index;
    m_tiles[index]->setSelected(true);
}

void SlotGrid::selectNext(int delta)
{
    const int n = int(m_tiles.size());
    if (n == 0)
        return;
    select(((m_selected < 0 ? 0 : m_selected) + delta % n + n) % n);
}

int SlotGrid::columnsFor(int count, int width, int height)
{
    if (count <= 1)
        return 1;
    // The column count whose tiles come closest to 4:3 while every tile fits.
    int best = 1;
    double bestScore = 1e9;
    for (int cols = 1; cols <= count; ++cols) {
        const int rows = (count + cols - 1) / cols;
        if ((cols - 1) * rows >= count)
            continue; // the same rows with fewer columns: no column stays empty
        const double w = double(width) / cols;
        const double h = double(height) / rows;
        const double score = std::abs(std::log((w / h) / (4.0 / 3.0))) + 0.08 * (cols * rows - count);
        if (score < bestScore) {
            bestScore = score;
            best = cols;
        }
    }
    return best;
}

void SlotGrid::reflow()
{
    const int cols = columnsFor(int(m_tiles.size()), qMax(1, width()), qMax(1, height()));
    if (cols == m_columns && m_layout->count() == m_tiles.size()) {
        resizeTiles();
        return;
    }
    m_columns = cols;
    for (SlotTile *t : std::as_const(m_tiles))
        m_layout->removeWidget(t);
    for (int c = 0; c < m_layout->columnCount(); ++c)
        m_layout->setColumnStretch(c, 0);
    for (int r = 0; r < m_layout->rowCount(); ++r)
        m_layout->setRowStretch(r, 0);
    for (int i = 0; i < m_tiles.size(); ++i) {
        m_layout->addWidget(m_tiles[i], i / cols, i % cols);
        m_layout->setColumnStretch(i % cols, 1);
        m_layout->setRowStretch(i / cols, 1);
    }
    m_tileSizes.resultPx = 0; // apply again
    resizeTiles();
}

void SlotGrid::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    reflow();
}

} // namespace station::ui
