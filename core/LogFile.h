// The GUI's log file: every Qt message the logging rules let through (the station's warnings and errors,
// Qt's own warnings) appended to a file as one line with time, level and category, and still passed on to
// the handler that was installed before (stderr). The previous file is kept as `<path>.1` once the log
// passes its size limit at start. Owned by main() for the process's lifetime: installing it replaces Qt's
// message handler, destroying it puts the previous one back.
#pragma once

#include "Error.h"

#include <QFile>
#include <QMutex>
#include <QString>
#include <QtGlobal>

#include <memory>

namespace station {

class LogFile
{
public:
    static constexpr qint64 kDefaultRotateBytes = 8 * 1024 * 1024;

    /// Opens (creating its folder) and installs the log at `path`; fails with an Io error when the file
    /// cannot be written, and then nothing is installed.
    [[nodiscard]] static Result<std::unique_ptr<LogFile>> install(const QString &path,
                                                                  qint64 rotateAtBytes = kDefaultRotateBytes);
    ~LogFile();
    LogFile(const LogFile &) = delete;
    LogFile &operator=(const LogFile &) = delete;

    [[nodiscard]] const QString &path() const { return m_path; }

private:
    explicit LogFile(QString path);
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message);
    void write(QtMsgType type, const QMessageLogContext &context, const QString &message);

    QString m_path;
    QFile m_file;
    QMutex m_mutex;
    QtMessageHandler m_previous = nullptr;
};

} // namespace station
