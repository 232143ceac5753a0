// The bench as a grid of slot tiles, bound to the station's per-slot signals. Slot N keeps its place
// (row-major by slot number); the column count follows the slot count and the space (1 to 24 slots), so
// the layout moves only when a port is added or the window is resized. One timer refreshes the elapsed
// time of working units, and only while any unit works.
#pragma once

#include "SlotTile.h"

#include <QList>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>

class QGridLayout;

namespace station::ui {

class SlotGrid : public QWidget
{
    Q_OBJECT
public:
    /// `clock` returns milliseconds since the epoch (tests inject one).
    explicit SlotGrid(std::function<qint64()> clock = {}, QWidget *parent = nullptr);

    /// Shows `station`'s slots and follows its signals.
    void setStation(provisioning::Station *station);
    void setSizes(const ThemeSizes &sizes);

    [[nodiscard]] int tileCount() const { return int(m_tiles.size()); }
    [[nodiscard]] SlotTile *tile(int index) const { return m_tiles.value(index); }
    /// The slot the operator's keys act on (F5 cancel), -1 when there is none.
    [[nodiscard]] int selected() const { return m_selected; }
    void select(int index);
    /// Moves the selection by `delta` slots, wrapping around.
    void selectNext(int delta);
    /// Columns for `count` tiles in a `width` x `height` area (tiles about 4:3).
    [[nodiscard]] static int columnsFor(int count, int width, int height);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void addTile(int index);
    void updateTile(int index);
    void reflow();
    /// The window's sizes, grown with the tiles when there are few of them (never below the window's).
    void resizeTiles();
    void tick();

    std::function<qint64()> m_clock;
    QPointer<provisioning::Station> m_station;
    QGridLayout *m_layout;
    QList<SlotTile *> m_tiles;
    ThemeSizes m_sizes;
    ThemeSizes m_tileSizes;
    QTimer m_ticker;
    int m_columns = 0;
    int m_selected = -1;
};

} // namespace station::ui
