#include "Icons.h"

#include <QPainter>
#include <QSvgRenderer>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initUiQrc()
{
    Q_INIT_RESOURCE(ui);
}

namespace station::ui {

void initUiResources()
{
    static const bool done = [] {
        initUiQrc();
        return true;
    }();
    Q_UNUSED(done);
}

QString iconPath(const QString &name)
{
    return QStringLiteral(":/icons/ui/%1.svg").arg(name);
}

QIcon uiIcon(const QString &name)
{
    initUiResources();
    return QIcon(iconPath(name)); // the SVG icon engine renders each requested size
}

QPixmap uiPixmap(const QString &name, int px, qreal devicePixelRatio)
{
    initUiResources();
    const qreal dpr = devicePixelRatio > 0 ? devicePixelRatio : 1.0;
    QPixmap pixmap(QSize(px, px) * dpr);
    pixmap.fill(Qt::transparent);
    QSvgRenderer renderer(iconPath(name));
    if (renderer.isValid()) {
        QPainter painter(&pixmap);
        renderer.render(&painter);
    }
    pixmap.setDevicePixelRatio(dpr);
    return pixmap;
}

} // namespace station::ui
