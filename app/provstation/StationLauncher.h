// provstation with a real profile: the station's setup and its restarts. At start it runs the station at
// once when the setup is complete — a supervisor password exists, a profile is known (--profile, or the
// last one in the settings) and its EST trust is settled — and opens the first-start window otherwise.
// Later the supervisor may choose another profile (or confirm the EST trust again): the station is then
// rebuilt with it, once no unit is in it. The last profile is kept in the settings ("profile/last").
#pragma once

#include "StationAssembly.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>

class QSettings;

namespace station::provisioning {
class SupervisorSession;
}
namespace station::ui {
class FirstStartWindow;
class MainWindow;
} // namespace station::ui

namespace station::app {

class StationLauncher : public QObject
{
    Q_OBJECT
public:
    struct Options {
        QString profilePath; ///< --profile; empty: the last one
        QString manifestPath;
        QString operatorName;
        QStringList explicitPorts;
        bool watchUsb = true;
        QStringList profileDirs; ///< defaultProfileDirs()
        QString trustDir;        ///< TrustSetup::defaultTrustDir()
    };
    static inline const QString kLastProfileKey = QStringLiteral("profile/last");

    StationLauncher(Options options, QSettings *settings, provisioning::SupervisorSession *session,
                    ui::MainWindow *window, QObject *parent = nullptr);
    ~StationLauncher() override;

    /// <AppConfigLocation>/profiles, then the installed samples (share/provisioning-station/profiles).
    [[nodiscard]] static QStringList defaultProfileDirs();

    /// Starts the station, or opens the first-start window when the setup is not complete.
    void begin();
    [[nodiscard]] ui::FirstStartWindow *firstStartWindow() const;
    [[nodiscard]] StationAssembly *assembly() const { return m_assembly.get(); }

signals:
    /// The station could not be built (the main window's message bar says why too).
    void startFailed(const QString &message);

private:
    [[nodiscard]] bool needsSetup(const QString &profilePath) const;
    void openFirstStart(const QString &profilePath);
    bool startWith(const QString &profilePath);
    void restartWith(const QString &profilePath);

    Options m_options;
    QSettings *m_settings;
    provisioning::SupervisorSession *m_session;
    ui::MainWindow *m_window;
    std::unique_ptr<StationAssembly> m_assembly;
    QPointer<ui::FirstStartWindow> m_firstStart;
};

} // namespace station::app
