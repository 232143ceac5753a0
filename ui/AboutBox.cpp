#include "AboutBox.h"

#include "StationPaths.h"
#include "StationVersion.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QIcon>
#include <QMessageBox>

namespace station::ui {

QString aboutText(const QString &manifestPath, const QString &settingsPath)
{
    const auto html = [](const QString &path) { return QDir::toNativeSeparators(path).toHtmlEscaped(); };
    const QString manifest = manifestPath.isEmpty() ? paths::manifestFile() : manifestPath;
    return QCoreApplication::translate("station::ui::AboutBox",
                                       "<h3>%1</h3><p>Version %2<br>Qt %3 (built with %4)</p>"
                                       "<p>Factory provisioning of device identities over EST (RFC 7030).</p>"
                                       "<p>Manifest: %5<br>Settings: %6<br>Log: %7</p>")
        .arg(QString::fromLatin1(kProductName).toHtmlEscaped(), QString::fromLatin1(kVersion).toHtmlEscaped(),
             QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR), html(manifest),
             settingsPath.isEmpty() ? QCoreApplication::translate("station::ui::AboutBox", "not kept")
                                    : html(settingsPath),
             html(paths::logDirectory() + QStringLiteral("/provstation.log")));
}

QMessageBox *showAboutBox(QWidget *parent, const QString &manifestPath, const QString &settingsPath)
{
    auto *box = new QMessageBox(parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(
        QCoreApplication::translate("station::ui::AboutBox", "About %1").arg(QString::fromLatin1(kProductName)));
    box->setTextFormat(Qt::RichText);
    box->setText(aboutText(manifestPath, settingsPath));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse); // paths can be copied into a ticket
    const QIcon icon = QApplication::windowIcon();
    if (!icon.isNull())
        box->setIconPixmap(icon.pixmap(64, 64));
    box->setStandardButtons(QMessageBox::Close);
    box->open();
    return box;
}

} // namespace station::ui
