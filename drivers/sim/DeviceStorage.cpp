#include "DeviceStorage.h"

#include "FileUtil.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

namespace station::drivers {

DeviceStorage::DeviceStorage(QString directory) : m_directory(std::move(directory)) {}

QString DeviceStorage::pathOf(const QString &name) const
{
    return m_directory.isEmpty() ? QString() : QDir(m_directory).filePath(name);
}

Result<void> DeviceStorage::load()
{
    m_blobs.clear();
    if (m_directory.isEmpty())
        return {};
    if (!QDir().mkpath(m_directory))
        return fail(ErrorCode::Io, QStringLiteral("Cannot create the state directory %1").arg(m_directory));
    const QDir root(m_directory);
    QDirIterator it(m_directory, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return fail(ErrorCode::Io, QStringLiteral("Cannot read %1").arg(path), f.errorString());
        m_blobs.insert(root.relativeFilePath(path), f.readAll());
    }
    return {};
}

Result<void> DeviceStorage::write(const QString &name, const QByteArray &data)
{
    if (!m_directory.isEmpty()) {
        // Key files are created owner-only, like a device's protected storage. Atomic, so a simulator that
        // is killed keeps either the old or the new content, but not fsynced: the simulated flash outlives
        // the simulator process, not a power cut of the host (and sixteen units committing at once would
        // queue on the host's one disk journal, which real units, each with its own flash, do not).
        const bool secret = QFileInfo(name).fileName().contains(QLatin1String("key"));
        if (auto w = writeFileAtomically(pathOf(name), data, secret ? FileSecrecy::Secret : FileSecrecy::Public,
                                         FileDurability::Deferred);
            !w)
            return w;
    }
    m_blobs.insert(name, data);
    return {};
}

Result<void> DeviceStorage::remove(const QString &name)
{
    if (!m_directory.isEmpty()) {
        const QString path = pathOf(name);
        if (QFileInfo::exists(path) && !QFile::remove(path))
            return fail(ErrorCode::Io, QStringLiteral("Cannot remove %1").arg(path));
    }
    m_blobs.remove(name);
    return {};
}

QStringList DeviceStorage::names(const QString &prefix) const
{
    QStringList out;
    for (auto it = m_blobs.cbegin(); it != m_blobs.cend(); ++it)
        if (it.key().startsWith(prefix))
            out.append(it.key());
    return out;
}

} // namespace station::drivers
