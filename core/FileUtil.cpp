#include "FileUtil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSaveFile>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace station {

namespace {

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

/// Closes the descriptor on every path out.
struct Fd {
    int fd = -1;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

/// Temp file in the target's folder, written and closed, then renamed over the target; no fsync.
Result<void> writeDeferred(const QString &path, const QString &folder, QByteArrayView data, FileSecrecy secrecy)
{
    const QByteArray target = QFile::encodeName(path);
    const mode_t mode = secrecy == FileSecrecy::Secret ? 0600 : 0666; // the umask applies
    QByteArray temp;
    Fd out;
    for (int attempt = 0; attempt < 16 && out.fd < 0; ++attempt) {
        temp = QFile::encodeName(
            QStringLiteral("%1/.%2.%3.tmp")
                .arg(folder, QFileInfo(path).fileName(), QString::number(QRandomGenerator::global()->generate(), 16)));
        out.fd = ::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (out.fd < 0 && errno != EEXIST)
            break;
    }
    if (out.fd < 0)
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1").arg(path), errnoText(errno),
                    QStringLiteral("check the path, its permissions and the free disk space"));
    const auto failWrite = [&](int error) {
        ::unlink(temp.constData());
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1").arg(path), errnoText(error),
                    QStringLiteral("check the free disk space"));
    };
    const char *p = data.data();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(out.fd, p, size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return failWrite(n < 0 ? errno : ENOSPC);
        p += n;
        left -= n;
    }
    const int fd = std::exchange(out.fd, -1);
    if (::close(fd) != 0)
        return failWrite(errno);
    if (::rename(temp.constData(), target.constData()) != 0)
        return failWrite(errno);
    return {};
}

} // namespace

Result<void> writeFileAtomically(const QString &path, QByteArrayView data, FileSecrecy secrecy,
                                 FileDurability durability)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return fail(ErrorCode::Io, QStringLiteral("cannot create the folder %1").arg(info.absolutePath()), {},
                    QStringLiteral("check the path and its permissions"));
    if (durability == FileDurability::Deferred)
        return writeDeferred(path, info.absolutePath(), data, secrecy);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1").arg(path), file.errorString(),
                    QStringLiteral("check the path, its permissions and the free disk space"));
    if (secrecy == FileSecrecy::Secret)
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (file.write(data.data(), data.size()) != data.size() || !file.commit())
        return fail(ErrorCode::Io, QStringLiteral("cannot write %1").arg(path), file.errorString(),
                    QStringLiteral("check the free disk space"));
    if (secrecy == FileSecrecy::Secret)
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return {};
}

Result<void> syncFolder(const QString &folder)
{
    Fd dir;
    dir.fd = ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir.fd < 0)
        return fail(ErrorCode::Io, QStringLiteral("cannot open the folder %1 to sync it").arg(folder), errnoText(errno),
                    QStringLiteral("check the path and its permissions"));
#ifdef __linux__
    // The files' data and the folder entries of the renames, with one call.
    const int synced = ::syncfs(dir.fd);
#else
    ::sync();
    const int synced = ::fsync(dir.fd);
#endif
    if (synced != 0)
        return fail(ErrorCode::Io, QStringLiteral("cannot flush the files in %1 to disk").arg(folder), errnoText(errno),
                    QStringLiteral("check the disk (free space, I/O errors in the system log)"));
    return {};
}

Result<QByteArray> readFileBounded(const QString &path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.exists())
        return fail(ErrorCode::NotFound, QStringLiteral("file not found: %1").arg(path), {},
                    QStringLiteral("check the file name"));
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Io, QStringLiteral("cannot read %1").arg(path), file.errorString(),
                    QStringLiteral("check the file's permissions"));
    if (file.size() > maxBytes)
        return fail(ErrorCode::Io,
                    QStringLiteral("%1 is too large (%2 bytes, at most %3)").arg(path).arg(file.size()).arg(maxBytes));
    return file.readAll();
}

} // namespace station
