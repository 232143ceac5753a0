// Helpers for the driver tests: start simulators on real pseudo-terminals in a temporary directory, open
// drivers on them through Qt Serial Port, wait for asynchronous operations, and make a small test CA.
#pragma once

#include "DevicePort.h"
#include "DriverFactory.h"
#include "TestSupport.h"
#include "crypto/Certificate.h"
#include "crypto/CertificateIssuer.h"
#include "crypto/CertificateRequest.h"
#include "crypto/PrivateKey.h"
#include "sim/SimulatorFactory.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>
#include <optional>

namespace station::test {

/// Runs an asynchronous driver operation and spins the event loop until it completes (tests only).
template <typename T>
Result<T> await(const std::function<void(drivers::DeviceDriver::Done<T>)> &start, int timeoutMs = 30000)
{
    // A real event loop, not QTest::qWait: that sleeps between its rounds and would add its naps to
    // every exchange with a simulator.
    QEventLoop loop;
    QPointer<QEventLoop> guard(&loop);
    auto result = std::make_shared<std::optional<Result<T>>>();
    start([result, guard](Result<T> r) {
        *result = std::move(r);
        if (guard)
            guard->quit();
    });
    if (!result->has_value()) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!result->has_value())
        return fail(ErrorCode::Timeout, QStringLiteral("test: the operation did not complete in %1 ms").arg(timeoutMs));
    return std::move(**result);
}

struct TestCa {
    crypto::PrivateKey key;
    crypto::Certificate cert;

    static TestCa make()
    {
        TestCa ca;
        ca.key = *crypto::PrivateKey::generate(crypto::KeyType::EcP256);
        crypto::CertificateProfile p;
        p.subject.append(QStringLiteral("CN"), QStringLiteral("Driver Test Root CA"));
        p.isCa = true;
        ca.cert = *crypto::CertificateIssuer::selfSigned(p, ca.key);
        return ca;
    }

    /// A device certificate for the public key of `csrDer`.
    [[nodiscard]] crypto::Certificate issue(const QByteArray &csrDer) const
    {
        auto csr = crypto::CertificateRequest::fromDer(csrDer);
        crypto::CertificateProfile p;
        p.subject = csr->subject();
        return *crypto::CertificateIssuer::issue(p, csr->publicKey(), cert, key);
    }
};

class SimulatorFixture
{
public:
    /// Where the simulators run: on the test's thread, or each on a thread of its own, like units that
    /// are hardware of their own (the benchmarks: the station's thread then does only the station's work,
    /// and sixteen units answering at once do not queue behind one another).
    enum class Threading { TestThread, OwnThreads };

    explicit SimulatorFixture(Threading threading = Threading::TestThread) : m_threading(threading)
    {
        m_dir.setAutoRemove(true);
    }

    ~SimulatorFixture() { stopAll(); }

    SimulatorFixture(const SimulatorFixture &) = delete;
    SimulatorFixture &operator=(const SimulatorFixture &) = delete;

    /// Starts a simulator whose link is <tmp>/<name> and whose state is <tmp>/<name>-state.
    drivers::SimulatedDevice *start(drivers::Protocol protocol, const QString &name,
                                    drivers::SimulatorOptions options = {})
    {
        options.linkPath = linkOf(name);
        if (options.stateDir.isEmpty())
            options.stateDir = stateOf(name);
        if (options.baudRate == 115200)
            options.baudRate = 4000000; // fast unless a test is about pacing
        Hosted h;
        if (m_threading == Threading::OwnThreads) {
            h.thread = std::make_unique<QThread>();
            h.thread->setObjectName(QStringLiteral("sim-") + name);
            h.context = new QObject;
            h.context->moveToThread(h.thread.get());
            QObject::connect(h.thread.get(), &QThread::finished, h.context, &QObject::deleteLater);
            h.thread->start();
        }
        bool ok = false;
        runOn(h, [&] {
            h.sim = drivers::SimulatorFactory::create(protocol, options);
            if (auto started = h.sim->start(); !started) {
                qWarning() << started.error().toString();
                h.sim.reset();
                return;
            }
            ok = true;
        });
        drivers::SimulatedDevice *out = h.sim.get();
        m_sims.push_back(std::move(h));
        if (!ok) {
            stop(m_sims.back());
            m_sims.pop_back();
        }
        return out;
    }

    /// Runs `f` for every simulator, on its own thread, and waits (reads of their counters, for instance).
    void forEachSimulator(const std::function<void(drivers::SimulatedDevice *)> &f)
    {
        for (Hosted &h : m_sims)
            runOn(h, [&] { f(h.sim.get()); });
    }

    void stopAll()
    {
        for (Hosted &h : m_sims)
            stop(h);
        m_sims.clear();
    }

    std::unique_ptr<drivers::DeviceDriver> driver(drivers::Protocol protocol, const QString &name,
                                                  drivers::DriverConfig config = fastConfig())
    {
        drivers::SerialConfig serial;
        serial.portName = linkOf(name);
        serial.baudRate = 4000000;
        return drivers::DriverFactory::create(protocol, serial, config);
    }

    static drivers::DriverConfig fastConfig()
    {
        drivers::DriverConfig c;
        c.exchangeTimeout = std::chrono::milliseconds(400);
        c.openTimeout = std::chrono::milliseconds(3000);
        c.keyGenTimeout = std::chrono::milliseconds(20000);
        return c;
    }

    [[nodiscard]] QString linkOf(const QString &name) const { return m_dir.filePath(name); }
    [[nodiscard]] QString stateOf(const QString &name) const { return m_dir.filePath(name + QStringLiteral("-state")); }

private:
    struct Hosted {
        std::unique_ptr<QThread> thread; ///< none: the test's thread
        QObject *context = nullptr;      ///< lives on `thread`
        std::unique_ptr<drivers::SimulatedDevice> sim;
    };

    static void runOn(Hosted &h, const std::function<void()> &f)
    {
        if (!h.thread)
            f();
        else
            QMetaObject::invokeMethod(h.context, f, Qt::BlockingQueuedConnection);
    }

    static void stop(Hosted &h)
    {
        runOn(h, [&] { h.sim.reset(); }); // destroyed where it lives
        if (h.thread) {
            h.thread->quit();
            h.thread->wait();
        }
    }

    Threading m_threading;
    QTemporaryDir m_dir;
    std::vector<Hosted> m_sims;
};

} // namespace station::test
