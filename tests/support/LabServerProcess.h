// Runs `provctl lab-server` as a real child process for integration tests: a fresh lab folder (or a
// given one), any free port, the EST base URL read from its stdout, and a clean SIGTERM stop.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace station::test {

class LabServerProcess
{
public:
    LabServerProcess();
    ~LabServerProcess();

    /// Starts the server with `extraArgs` (e.g. {"--auth", "basic", ...}) in `labDir` (a temporary folder
    /// when empty) and waits until it prints its URL. Returns false and fills errorText() on failure.
    bool start(const QStringList &extraArgs = {}, const QString &labDir = {}, int timeoutMs = 30000);
    /// SIGTERM, then wait; returns the exit code (-1 if it had to be killed).
    int stop(int timeoutMs = 10000);

    [[nodiscard]] QUrl baseUrl() const { return m_url; }
    [[nodiscard]] QString url(const QString &operation, const QString &label = {}) const;
    [[nodiscard]] QString labDir() const { return m_labDir; }
    [[nodiscard]] QString file(const QString &name) const;
    [[nodiscard]] QString errorText() const { return m_error; }
    [[nodiscard]] QByteArray standardError();
    [[nodiscard]] QProcess &process() { return m_process; }

private:
    QProcess m_process;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_labDir;
    QUrl m_url;
    QString m_error;
    QByteArray m_stderr;
};

} // namespace station::test
