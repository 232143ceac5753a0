#include "LabServerProcess.h"

#include "TestSupport.h"

#include <QDeadlineTimer>
#include <QDir>

namespace station::test {

LabServerProcess::LabServerProcess() = default;

LabServerProcess::~LabServerProcess()
{
    stop(5000);
}

bool LabServerProcess::start(const QStringList &extraArgs, const QString &labDir, int timeoutMs)
{
    if (labDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        m_labDir = m_tempDir->path() + QStringLiteral("/lab");
    } else {
        m_labDir = labDir;
    }
    QStringList args = {QStringLiteral("lab-server"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                        QStringLiteral("--dir"), m_labDir};
    args += extraArgs;
    m_process.setProgram(provctlPath());
    m_process.setArguments(args);
    m_process.start();
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(provctlPath(), m_process.errorString());
        return false;
    }
    QDeadlineTimer deadline(timeoutMs);
    QByteArray out;
    while (!out.contains('\n')) {
        if (deadline.hasExpired() || m_process.state() != QProcess::Running) {
            m_stderr += m_process.readAllStandardError();
            m_error = QStringLiteral("lab server did not print its URL: %1").arg(QString::fromUtf8(m_stderr));
            return false;
        }
        m_process.waitForReadyRead(100);
        out += m_process.readAllStandardOutput();
    }
    m_url = QUrl(QString::fromUtf8(out.left(out.indexOf('\n')).trimmed()));
    return m_url.isValid() && m_url.port() > 0;
}

int LabServerProcess::stop(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    m_process.terminate();
    if (!m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(timeoutMs);
        return -1;
    }
    m_stderr += m_process.readAllStandardError();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QString LabServerProcess::url(const QString &operation, const QString &label) const
{
    QString base = m_url.toString();
    if (!label.isEmpty())
        base += QLatin1Char('/') + label;
    return base + QLatin1Char('/') + operation;
}

QString LabServerProcess::file(const QString &name) const
{
    return QDir(m_labDir).filePath(name);
}

QByteArray LabServerProcess::standardError()
{
    m_stderr += m_process.readAllStandardError();
    return m_stderr;
}

} // namespace station::test
