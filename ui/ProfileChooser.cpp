#include "ProfileChooser.h"

#include "Theme.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFuture>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace station::ui {

using provisioning::ProductProfile;

namespace {

struct Found {
    QString path;
    QString name;    ///< empty when it does not load
    QString problem; ///< why not
};

QList<Found> scan(const QStringList &dirs)
{
    QList<Found> out;
    QStringList seen;
    for (const QString &dir : dirs) {
        const QFileInfoList files = QDir(dir).entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
        for (const QFileInfo &fi : files) {
            const QString path = fi.canonicalFilePath();
            if (seen.contains(path))
                continue;
            seen << path;
            auto p = ProductProfile::load(path);
            out.append(Found{path, p ? p->name : QString(), p ? QString() : p.error().message});
        }
    }
    return out;
}

Result<ProductProfile> loadOne(const QString &path)
{
    return ProductProfile::load(path);
}

} // namespace

ProfileChooser::ProfileChooser(QStringList searchDirs, QWidget *parent)
    : QWidget(parent), m_dirs(std::move(searchDirs)), m_list(new QListWidget), m_problem(new QLabel),
      m_file(new QPushButton(tr("Choose a profile file \u2026")))
{
    m_list->setObjectName(QStringLiteral("profileList"));
    m_problem->setObjectName(QStringLiteral("profileProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->hide();
    auto *where = new QLabel(tr("Profiles found in: %1").arg(m_dirs.join(QStringLiteral(", "))));
    where->setWordWrap(true);
    setPixelFont(where, 15);
    auto *row = new QHBoxLayout;
    row->addWidget(m_file);
    row->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_list, 1);
    layout->addWidget(where);
    layout->addLayout(row);
    layout->addWidget(m_problem);

    connect(m_list, &QListWidget::currentRowChanged, this, &ProfileChooser::onSelection);
    connect(m_file, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Product profile"), m_dirs.value(0), tr("Profiles (*.json)"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::ExistingFile);
        dialog->setOption(QFileDialog::DontUseNativeDialog); // the same dialog on a kiosk session
        connect(dialog, &QFileDialog::fileSelected, this, &ProfileChooser::choose);
        dialog->open();
    });
    refresh();
}

void ProfileChooser::refresh()
{
    m_scanning = true;
    QtConcurrent::run(scan, m_dirs).then(this, [this](const QList<Found> &found) {
        m_scanning = false;
        const QSignalBlocker block(m_list);
        m_list->clear();
        for (const Found &f : found) {
            auto *item = new QListWidgetItem(
                f.name.isEmpty() ? tr("\u2715 %1 \u2014 does not load: %2").arg(QFileInfo(f.path).fileName(), f.problem)
                                 : QStringLiteral("%1\n    %2").arg(f.name, f.path));
            item->setData(Qt::UserRole, f.path);
            if (f.name.isEmpty())
                item->setFlags(item->flags() & ~Qt::ItemIsSelectable);
            m_list->addItem(item);
        }
        if (found.isEmpty())
            m_list->addItem(tr("(no profile in these folders: choose a file)"));
        const QString pending = std::exchange(m_pending, {});
        if (!pending.isEmpty())
            choose(pending);
        emit refreshed();
    });
}

void ProfileChooser::choose(const QString &path)
{
    if (path.isEmpty())
        return;
    if (m_scanning) {
        m_pending = path;
        return;
    }
    const QString canonical = QFileInfo(path).canonicalFilePath();
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(Qt::UserRole).toString() == canonical) {
            m_list->setCurrentRow(i);
            return;
        }
    }
    // Not in the folders: add it as an entry of its own once it loads.
    QtConcurrent::run(loadOne, path).then(this, [this, path](const Result<ProductProfile> &p) {
        if (!p) {
            m_chosen.reset();
            showProblem(tr("%1 does not load: %2").arg(path, p.error().message));
            emit chosenChanged(QString());
            return;
        }
        auto *item = new QListWidgetItem(QStringLiteral("%1\n    %2").arg(p->name, p->sourcePath));
        item->setData(Qt::UserRole, QFileInfo(p->sourcePath).canonicalFilePath());
        m_list->addItem(item);
        m_list->setCurrentItem(item);
    });
}

void ProfileChooser::onSelection()
{
    QListWidgetItem *item = m_list->currentItem();
    const QString path = item ? item->data(Qt::UserRole).toString() : QString();
    if (path.isEmpty()) {
        m_chosen.reset();
        emit chosenChanged(QString());
        return;
    }
    QtConcurrent::run(loadOne, path).then(this, [this, path](const Result<ProductProfile> &p) {
        QListWidgetItem *now = m_list->currentItem();
        if (!now || now->data(Qt::UserRole).toString() != path)
            return; // the selection moved on meanwhile
        if (!p) {
            m_chosen.reset();
            showProblem(tr("This profile does not load: %1 %2").arg(p.error().message, p.error().remedy));
            emit chosenChanged(QString());
            return;
        }
        m_chosen = *p;
        m_problem->hide();
        emit chosenChanged(path);
    });
}

void ProfileChooser::showProblem(const QString &text)
{
    m_problem->setText(QStringLiteral("\u2715 ") + text);
    m_problem->show();
}

QString ProfileChooser::problemText() const
{
    return m_problem->isVisible() ? m_problem->text() : QString();
}

} // namespace station::ui
