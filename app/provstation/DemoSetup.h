// `provstation --demo`: the DemoBench (lab EST server + simulated units) on its own thread, and the
// station assembled for the profile it wrote. Used by provstation's main() and by the GUI tests.
#pragma once

#include "DemoBench.h"
#include "StationAssembly.h"

#include <QObject>
#include <QTemporaryDir>

#include <memory>
#include <optional>

class QThread;

namespace station::app {

class DemoSetup : public QObject
{
    Q_OBJECT
public:
    struct Options {
        QString directory; ///< kept after the demo; empty: a temporary folder removed at the end
        int unitCount = 6;
        qint32 baudRate = 115200;
        QString operatorName = QStringLiteral("demo");
    };

    explicit DemoSetup(Options options, QObject *parent = nullptr);
    ~DemoSetup() override;

    /// Starts the bench; ready() once the station is assembled (not started yet), or failed().
    void start();
    /// Starts the assembled station (after the window follows it, so that it sees every slot).
    void startStation();

    [[nodiscard]] provisioning::Station *station() const { return m_assembly ? m_assembly->station() : nullptr; }
    [[nodiscard]] const DemoWorld &world() const { return m_world; }
    [[nodiscard]] QString manifestPath() const { return m_assembly ? m_assembly->manifestPath() : QString(); }

signals:
    void ready();
    void failed(const QString &message);

private:
    void onBenchStarted(const DemoWorld &world);

    Options m_options;
    std::optional<QTemporaryDir> m_tempDir;
    QThread *m_thread = nullptr;
    DemoBench *m_bench = nullptr;
    DemoWorld m_world;
    std::unique_ptr<StationAssembly> m_assembly;
};

} // namespace station::app
