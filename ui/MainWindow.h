// The operator screen: a thin shell that lays out the scan field, the slot grid, the shift panel, the
// message bar and the operator's F-key actions, and connects them to core's Station. It holds no
// provisioning logic: a scan goes to Station::scan, a cancel to Station::cancel, and everything shown
// comes from the station's signals.
#pragma once

#include "Theme.h"

#include <QMainWindow>
#include <QPointer>

#include <functional>

class QLabel;
class QSettings;
class QStackedWidget;

namespace station::provisioning {
class Station;
class SupervisorSession;
struct JobResult;
} // namespace station::provisioning

namespace station::ui {

class ManifestBrowser;
class MessageBar;
class ScanField;
class ShiftPanel;
class SlotGrid;
class SoundCue;
class SupervisorGate;
class SupervisorPanel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    /// `settings` (owned by the caller) keeps the window geometry and the sound setting.
    explicit MainWindow(QSettings *settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Shows and drives `station` (it must outlive this window or be destroyed after it).
    void setStation(provisioning::Station *station, const QString &manifestPath);

    /// Turns the PASS / FAIL cue on or off for this run (the setting stays as it is).
    void setSoundEnabled(bool enabled);

    /// The supervisor role (owned by the caller). Without one (the demo) every supervisor action is refused.
    void setSupervisorSession(provisioning::SupervisorSession *session);
    /// Where the supervisor page looks for profiles and keeps confirmed EST trust anchors.
    void setSetupFolders(const QStringList &profileDirs, const QString &trustDir);
    /// Runs `action` if the supervisor is in; otherwise says in the message bar that only a supervisor can
    /// `what` ("export the manifest") and how to get in. For every supervisor-only action.
    bool runAsSupervisor(const QString &what, const std::function<void()> &action);
    /// The supervisor's page (F9), if it was opened.
    [[nodiscard]] SupervisorPanel *supervisorPanel() const;
    [[nodiscard]] SupervisorGate *supervisorGate() const { return m_gate; }
    [[nodiscard]] SoundCue *soundCue() const { return m_sound; }
    [[nodiscard]] QLabel *roleLabel() const { return m_role; }

    [[nodiscard]] ScanField *scanField() const { return m_scan; }
    [[nodiscard]] SlotGrid *slotGrid() const { return m_grid; }
    [[nodiscard]] ShiftPanel *shiftPanel() const { return m_shift; }
    [[nodiscard]] MessageBar *messageBar() const { return m_messages; }
    [[nodiscard]] ManifestBrowser *manifestBrowser() const { return m_browser; }
    /// F9: the manifest browser instead of the production view, and back (the scan field takes the keyboard).
    void toggleBrowser();

signals:
    /// The supervisor chose a profile (or confirmed the EST trust again): the application restarts the
    /// station with it.
    void profileChangeRequested(const QString &path);

protected:
    void closeEvent(QCloseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildActions(QWidget *bar);
    void onScanned(const QString &text);
    void onJobFinished(int slot, const provisioning::JobResult &result);
    void toggleHelp();
    void cancelSelected();
    void confirmSelected();
    void toggleSound();
    void openSupervisorPanel();
    void applySizes();

    QSettings *m_settings;
    QPointer<provisioning::Station> m_station;
    QString m_manifestPath;
    QLabel *m_header;
    ScanField *m_scan;
    SlotGrid *m_grid;
    ShiftPanel *m_shift;
    MessageBar *m_messages;
    SoundCue *m_sound;
    SupervisorGate *m_gate;
    QLabel *m_role;
    QPointer<SupervisorPanel> m_panel;
    QStringList m_profileDirs;
    QString m_trustDir;
    QStackedWidget *m_pages;
    ManifestBrowser *m_browser;
    QList<QWidget *> m_buttons;
    int m_sizedForHeight = 0;
};

} // namespace station::ui
