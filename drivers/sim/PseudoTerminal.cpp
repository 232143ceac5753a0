#include "PseudoTerminal.h"

#include <QFile>
#include <QFileInfo>
#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

namespace station::drivers {

namespace {

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

PseudoTerminal::PseudoTerminal(QObject *parent) : QObject(parent) {}

PseudoTerminal::~PseudoTerminal()
{
    close();
}

Result<void> PseudoTerminal::open(const QString &linkPath)
{
    close();
    m_master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (m_master < 0)
        return fail(ErrorCode::Io, QStringLiteral("Cannot create a pseudo-terminal"), errnoText(),
                    QStringLiteral("Check that /dev/ptmx exists and is accessible (devpts mounted)."));
    if (::grantpt(m_master) != 0 || ::unlockpt(m_master) != 0) {
        const QString why = errnoText();
        close();
        return fail(ErrorCode::Io, QStringLiteral("Cannot unlock the pseudo-terminal"), why);
    }
    char name[128] = {};
    if (::ptsname_r(m_master, name, sizeof name) != 0) {
        const QString why = errnoText();
        close();
        return fail(ErrorCode::Io, QStringLiteral("Cannot name the pseudo-terminal"), why);
    }
    m_slavePath = QString::fromLocal8Bit(name);
    m_slave = ::open(name, O_RDWR | O_NOCTTY);
    if (m_slave < 0) {
        const QString why = errnoText();
        close();
        return fail(ErrorCode::Io, QStringLiteral("Cannot open %1").arg(m_slavePath), why);
    }
    // Raw mode: no echo, no CR/LF translation, no line buffering — a UART, not a terminal.
    termios tio{};
    if (::tcgetattr(m_slave, &tio) == 0) {
        ::cfmakeraw(&tio);
        ::tcsetattr(m_slave, TCSANOW, &tio);
    }
    ::fcntl(m_master, F_SETFL, ::fcntl(m_master, F_GETFL) | O_NONBLOCK);

    if (!linkPath.isEmpty()) {
        const QByteArray link = QFile::encodeName(linkPath);
        const QFileInfo existing(linkPath);
        if (existing.isSymLink() || existing.exists()) {
            if (!existing.isSymLink()) {
                close();
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("%1 exists and is not a symlink; refusing to replace it").arg(linkPath), {},
                            QStringLiteral("Choose another --link path."));
            }
            ::unlink(link.constData());
        }
        if (::symlink(name, link.constData()) != 0) {
            const QString why = errnoText();
            close();
            return fail(ErrorCode::Io, QStringLiteral("Cannot create the link %1").arg(linkPath), why);
        }
        m_linkPath = linkPath;
    }
    m_readNotifier = new QSocketNotifier(m_master, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &PseudoTerminal::onReadable);
    m_writeNotifier = new QSocketNotifier(m_master, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, [this] {
        m_writeNotifier->setEnabled(false);
        emit writable();
    });
    return {};
}

void PseudoTerminal::close()
{
    // deleteLater: close() may run inside the notifier's own activated() (a simulated unplug).
    for (QSocketNotifier *n : {m_readNotifier, m_writeNotifier}) {
        if (n) {
            n->setEnabled(false);
            n->deleteLater();
        }
    }
    m_readNotifier = nullptr;
    m_writeNotifier = nullptr;
    if (!m_linkPath.isEmpty()) {
        // Only remove the link if it still points at our slave (another simulator may have taken it).
        if (QFileInfo(m_linkPath).symLinkTarget() == m_slavePath)
            ::unlink(QFile::encodeName(m_linkPath).constData());
        m_linkPath.clear();
    }
    if (m_slave >= 0)
        ::close(m_slave);
    if (m_master >= 0)
        ::close(m_master);
    m_slave = m_master = -1;
}

qint64 PseudoTerminal::write(QByteArrayView bytes)
{
    if (m_master < 0 || bytes.isEmpty())
        return 0;
    const ssize_t n = ::write(m_master, bytes.data(), static_cast<size_t>(bytes.size()));
    if (n < 0) {
        if ((errno == EAGAIN || errno == EWOULDBLOCK) && m_writeNotifier)
            m_writeNotifier->setEnabled(true);
        return 0;
    }
    if (n < bytes.size() && m_writeNotifier)
        m_writeNotifier->setEnabled(true);
    return n;
}

void PseudoTerminal::onReadable()
{
    char buffer[4096];
    while (m_master >= 0) {
        const ssize_t n = ::read(m_master, buffer, sizeof buffer);
        if (n > 0) {
            emit received(QByteArray(buffer, static_cast<qsizetype>(n)));
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        // EIO: no slave open — cannot happen while we hold m_slave, but do not spin if it does.
        if (m_readNotifier)
            m_readNotifier->setEnabled(false);
        return;
    }
}

} // namespace station::drivers
