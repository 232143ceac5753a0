#include "DemoSetup.h"

#include <QThread>

namespace station::app {

DemoSetup::DemoSetup(Options options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    qRegisterMetaType<DemoWorld>();
    if (m_options.directory.isEmpty()) {
        m_tempDir.emplace(QDir::tempPath() + QStringLiteral("/provstation-demo-XXXXXX"));
        m_options.directory = m_tempDir->path();
    }
}

DemoSetup::~DemoSetup()
{
    // The station and its jobs go first, then the bench they talk to.
    m_assembly.reset();
    if (m_thread) {
        QMetaObject::invokeMethod(m_bench, &DemoBench::stop, Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait(5000);
    }
}

void DemoSetup::start()
{
    if (m_thread)
        return;
    if (m_tempDir && !m_tempDir->isValid()) {
        emit failed(tr("Cannot create a temporary folder for the demo."));
        return;
    }
    DemoBench::Options bo;
    bo.directory = m_options.directory;
    bo.unitCount = m_options.unitCount;
    bo.baudRate = m_options.baudRate;
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("demo-bench"));
    m_bench = new DemoBench(bo);
    m_bench->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_bench, &QObject::deleteLater);
    connect(m_bench, &DemoBench::started, this, &DemoSetup::onBenchStarted);
    connect(m_bench, &DemoBench::failed, this, &DemoSetup::failed);
    m_thread->start();
    QMetaObject::invokeMethod(m_bench, &DemoBench::start, Qt::QueuedConnection);
}

void DemoSetup::startStation()
{
    if (m_assembly)
        m_assembly->start();
}

void DemoSetup::onBenchStarted(const DemoWorld &world)
{
    m_world = world;
    StationAssembly::Options so;
    so.profilePath = world.profilePath;
    so.manifestPath = world.manifestPath;
    so.operatorName = m_options.operatorName;
    so.stationId = QStringLiteral("demo-station");
    so.watchUsb = false;
    so.settleDelay = std::chrono::milliseconds(100);
    for (const DemoUnit &u : world.units) {
        so.explicitPorts << u.link;
        if (u.protocol != drivers::Protocol::Station)
            so.protocolByPort.insert(u.link, u.protocol);
    }
    auto assembly = StationAssembly::create(so);
    if (!assembly) {
        emit failed(assembly.error().toString());
        return;
    }
    m_assembly = std::move(*assembly);
    emit ready();
}

} // namespace station::app
