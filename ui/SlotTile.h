// One slot of the bench: slot number and port, the unit's serial, the current step with a progress bar
// and the elapsed time, and the large result — "✓ PASS" / "✕ FAIL" with the one-line cause and remedy.
// Every state has a word and a shape as well as a colour; a free slot is an outline, "plug in a unit".
#pragma once

#include "SlotLook.h"
#include "Theme.h"

#include <QFrame>

class QLabel;
class QProgressBar;

namespace station::ui {

class SlotTile : public QFrame
{
    Q_OBJECT
public:
    explicit SlotTile(int index, QWidget *parent = nullptr);

    /// Shows the slot as the station reports it.
    void setSlot(const provisioning::SlotInfo &slot, qint64 nowMs);
    /// Refreshes the elapsed time of a working unit.
    void tick(qint64 nowMs);
    void setSelected(bool selected);
    void setSizes(const ThemeSizes &sizes);

    [[nodiscard]] int index() const { return m_index; }
    [[nodiscard]] bool isRunning() const { return m_look.running; }
    [[nodiscard]] const SlotLook &look() const { return m_look; }
    /// Everything the tile says, for tests and accessibility ("1 ttyACM0 SN-1 ✓ PASS ...").
    [[nodiscard]] QString text() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void render();
    /// The serial is never elided: a long one (a 15-digit IMEI) gets a smaller font to fit the tile.
    void fitSerial();
    /// The result word likewise (a cut-off "PAS" reads wrong).
    void fitResult();
    void showIcon();

    int m_index;
    provisioning::SlotInfo m_slot;
    SlotLook m_look;
    bool m_selected = false;
    int m_serialPx = 28;
    int m_resultPx = 48;
    bool m_compact = false;
    QLabel *m_number;
    QLabel *m_port;
    QLabel *m_elapsed;
    QLabel *m_serial;
    QLabel *m_result;
    QLabel *m_icon; ///< the state's shape (check, cross, ...), drawn from SVG
    QString m_iconKey;
    QLabel *m_step;
    QProgressBar *m_progress;
    QLabel *m_cause;
    QLabel *m_remedy;
};

} // namespace station::ui
