#include "LogFile.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QMutexLocker>

#include <atomic>

namespace station {

namespace {
// Qt's message handler is a plain function pointer: it finds the installed log through this.
std::atomic<LogFile *> g_installed{nullptr};

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "critical";
    case QtFatalMsg: return "fatal";
    }
    return "?";
}
} // namespace

LogFile::LogFile(QString path) : m_path(std::move(path)), m_file(m_path) {}

Result<std::unique_ptr<LogFile>> LogFile::install(const QString &path, qint64 rotateAtBytes)
{
    const QString remedy = QStringLiteral("Check that the folder exists, is writable and the disk is not full");
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return fail(ErrorCode::Io,
                    QStringLiteral("Cannot create the log folder %1").arg(QFileInfo(path).absolutePath()), {}, remedy);
    if (QFileInfo(path).size() > rotateAtBytes) {
        const QString old = path + QStringLiteral(".1");
        QFile::remove(old);
        QFile::rename(path, old);
    }
    std::unique_ptr<LogFile> log(new LogFile(path));
    if (!log->m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text))
        return fail(ErrorCode::Io, QStringLiteral("Cannot write the log file %1").arg(path), log->m_file.errorString(),
                    remedy);
    LogFile *expected = nullptr;
    if (!g_installed.compare_exchange_strong(expected, log.get()))
        return fail(ErrorCode::Internal, QStringLiteral("A log file is already installed (%1)").arg(expected->path()));
    log->m_previous = qInstallMessageHandler(&LogFile::handle);
    return log;
}

LogFile::~LogFile()
{
    if (g_installed.load() != this)
        return;
    qInstallMessageHandler(m_previous);
    g_installed.store(nullptr);
    QMutexLocker lock(&m_mutex); // a message being written on another thread finishes first
}

void LogFile::handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (LogFile *log = g_installed.load())
        log->write(type, context, message);
}

void LogFile::write(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&m_mutex);
        const QByteArray line = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() + ' ' +
                                levelName(type) + ' ' + (context.category ? context.category : "default") + ": " +
                                message.toUtf8() + '\n';
        m_file.write(line);
        m_file.flush(); // a crash right after must not lose the line that explains it
    }
    if (m_previous) // Qt's default handler too: stderr, or the journal
        m_previous(type, context, message);
}

} // namespace station
