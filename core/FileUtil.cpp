#include "FileUtil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace station {

Result<void> writeFileAtomically(const QString &path, QByteArrayView data, FileSecrecy secrecy)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return fail(ErrorCode::Io, QStringLiteral("cannot create the folder %1").arg(info.absolutePath()), {},
                    QStringLiteral("check the path and its permissions"));
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
