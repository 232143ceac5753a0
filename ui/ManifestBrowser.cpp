#include "ManifestBrowser.h"

#include "ManifestFilterBar.h"
#include "ManifestModel.h"
#include "ManifestReader.h"
#include "UnitDetails.h"

#include <QAction>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace station::ui {

ManifestBrowser::ManifestBrowser(QWidget *parent)
    : QWidget(parent), m_pages(new ManifestReader(this)), m_lookup(new ManifestReader(this)),
      m_counter(new ManifestReader(this)), m_model(new ManifestModel(m_pages, this)),
      m_title(new QLabel(tr("Manifest \u2014 every attempt, newest at the top"), this)), m_back(new QLabel(this)),
      m_keys(new QLabel(this)), m_filters(new ManifestFilterBar({}, this)), m_split(new QSplitter(Qt::Vertical, this)),
      m_table(new QTableView(this)), m_details(new UnitDetails(this)), m_status(new QLabel(this))
{
    m_back->setText(tr("Esc or F10: back to production"));
    m_back->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_keys->setWordWrap(true);
    m_keys->setText(tr("\u2191 \u2193 PgUp PgDn: move   \u00B7   Ctrl+Home: newest   \u00B7   Ctrl+End: oldest   "
                       "\u00B7   Ctrl+C: copy the certificate   \u00B7   Alt+W / Alt+R / Alt+S: filters   \u00B7   "
                       "Tab: details"));
    m_status->setObjectName(QStringLiteral("browserStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setAlternatingRowColors(true);
    m_table->setTabKeyNavigation(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(ManifestModel::StepColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setMinimumSectionSize(40);
    m_table->setAccessibleName(tr("Manifest attempts"));
    m_table->installEventFilter(this);

    m_split->addWidget(m_table);
    m_split->addWidget(m_details);
    // The table above the details: at 1280 px there is no room for seven columns beside a certificate.
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 1);
    m_split->setChildrenCollapsible(false);
    m_split->setSizes({400, 500});

    auto *head = new QHBoxLayout;
    head->addWidget(m_title, 1);
    head->addWidget(m_back);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addLayout(head);
    layout->addWidget(m_filters);
    layout->addWidget(m_split, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_keys);

    // Esc from anywhere on the page (a popup open on a filter closes first: it has the keyboard then).
    auto *back = new QAction(tr("Back to production"), this);
    back->setShortcut(Qt::Key_Escape);
    back->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(back, &QAction::triggered, this, &ManifestBrowser::closeRequested);
    addAction(back);

    auto *copy = new QAction(tr("Copy the certificate"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, m_details, &UnitDetails::copyPem);
    addAction(copy);
    connect(m_details, &UnitDetails::copied, this, [this](const QString &message) {
        m_notice = message;
        updateStatus();
    });

    connect(m_filters, &ManifestFilterBar::submitted, this, &ManifestBrowser::focusTable);
    connect(m_filters, &ManifestFilterBar::filterChanged, this, [this](const manifest::ManifestQuery &filter) {
        m_select = Select::First;
        m_model->setFilter(filter);
        requestCount();
        updateStatus();
    });
    connect(m_model, &ManifestModel::windowLoaded, this, &ManifestBrowser::onWindowLoaded);
    connect(m_model, &ManifestModel::rowsShiftedAbove, this, &ManifestBrowser::onShifted);
    connect(m_model, &ManifestModel::rowsInserted, this, &ManifestBrowser::updateStatus);
    connect(m_model, &ManifestModel::rowsRemoved, this, &ManifestBrowser::updateStatus);
    // The window drops pages at its far end; a dropped row may be the current one, and the view scrolls
    // to whichever row becomes current. Put back what the operator was looking at.
    connect(m_model, &ManifestModel::rowsAboutToBeDropped, this, [this] {
        m_scrollBeforeRemoval = m_table->verticalScrollBar()->value();
        m_removing = true; // the view's own scrolling meanwhile is not the operator's
    });
    connect(m_model, &ManifestModel::rowsRemoved, this, [this](const QModelIndex &, int first, int last) {
        const int above = std::clamp(m_scrollBeforeRemoval - first, 0, last - first + 1);
        m_table->doItemsLayout();
        m_removing = false;
        m_table->verticalScrollBar()->setValue(m_scrollBeforeRemoval - above);
    });
    connect(m_model, &ManifestModel::loadFailed, this,
            [this](const Error &e) { showError(tr("The manifest cannot be read: %1").arg(e.toString())); });
    connect(m_model, &ManifestModel::dataChanged, this, [this](const QModelIndex &from, const QModelIndex &to) {
        const int current = m_table->currentIndex().row();
        if (current >= from.row() && current <= to.row())
            onCurrentChanged(); // a running attempt has ended: show its result
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ManifestBrowser::onCurrentChanged);
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, &ManifestBrowser::maybeFetchNewer);

    m_recount.setSingleShot(true);
    m_recount.setInterval(2000);
    connect(&m_recount, &QTimer::timeout, this, [this] {
        if (m_countStale && isVisible())
            requestCount();
    });

    for (ManifestReader *reader : {m_pages, m_lookup, m_counter})
        connect(reader, &ManifestReader::failed, this, [this](quint64 ticket, const Error &e) {
            if (ticket == 0)
                showError(tr("The manifest cannot be opened: %1").arg(e.toString()));
        });
    connect(m_lookup, &ManifestReader::recordFetched, this,
            [this](quint64 ticket, const std::optional<manifest::ManifestRecord> &record) {
                if (ticket == m_detailTicket)
                    m_details->showRecord(record);
            });
    connect(m_counter, &ManifestReader::counted, this, [this](quint64 ticket, qint64 count) {
        if (ticket != m_countTicket)
            return;
        m_matching = count;
        updateStatus();
    });
    updateStatus();
}

ManifestBrowser::~ManifestBrowser() = default;

void ManifestBrowser::setManifestPath(const QString &path)
{
    m_error.clear();
    m_pages->open(path);
    m_lookup->open(path);
    m_counter->open(path);
    m_select = Select::First;
    m_model->setFilter(m_filters->filter());
    requestCount();
    updateStatus();
}

void ManifestBrowser::attemptFinished(qint64 manifestId)
{
    Q_UNUSED(manifestId) // the open rows are read again, whichever of them it was
    m_model->refresh();
    // A count under a result filter reads the whole file (a second or more at a million rows): not for
    // every unit of a 16-slot bench, and not while nobody looks at the page.
    m_countStale = true;
    if (isVisible() && !m_recount.isActive())
        m_recount.start();
}

void ManifestBrowser::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_countStale)
        requestCount();
}

void ManifestBrowser::requestCount()
{
    m_countStale = false;
    m_matching = -1;
    m_counter->dropPending(); // only the count for the filter shown now matters
    m_countTicket = m_counter->count(m_model->filter());
}

void ManifestBrowser::focusTable()
{
    m_table->setFocus(Qt::OtherFocusReason);
    if (!m_table->currentIndex().isValid() && m_model->rowCount() > 0)
        m_table->setCurrentIndex(m_model->index(0, 0));
}

qint64 ManifestBrowser::shownId() const
{
    return m_details->record() ? m_details->record()->id : 0;
}

void ManifestBrowser::onWindowLoaded(bool oldestEnd)
{
    m_error.clear();
    const int rows = m_model->rowCount();
    if (rows > 0) {
        const int row = oldestEnd || m_select == Select::Last ? rows - 1 : 0;
        m_table->setCurrentIndex(m_model->index(row, 0));
        m_table->scrollTo(m_model->index(row, 0),
                          oldestEnd ? QAbstractItemView::PositionAtBottom : QAbstractItemView::PositionAtTop);
    } else {
        m_detailId = 0;
        m_details->showRecord(std::nullopt);
    }
    m_select = Select::Keep;
    updateStatus();
}

void ManifestBrowser::onShifted(int rows, bool live)
{
    QScrollBar *bar = m_table->verticalScrollBar();
    const int value = bar->value();
    if (live && value == 0)
        return; // at the top the newest attempts come into view
    // Keep the rows the operator was looking at where they were.
    m_table->doItemsLayout();
    bar->setValue(value + rows);
    if (!live) // still at the top after a page came in above (a short page, a tall window)
        QTimer::singleShot(0, this, &ManifestBrowser::maybeFetchNewer);
}

void ManifestBrowser::maybeFetchNewer()
{
    if (m_removing || !m_model->canFetchNewer() || m_model->rowCount() == 0)
        return;
    const QRect first = m_table->visualRect(m_model->index(0, 0));
    if (m_table->verticalScrollBar()->value() == 0 || m_table->viewport()->rect().intersects(first))
        m_model->fetchNewer();
}

void ManifestBrowser::onCurrentChanged()
{
    const qint64 id = m_model->idAt(m_table->currentIndex().row());
    if (id == 0)
        return;
    m_detailId = id;
    m_detailTicket = m_lookup->fetchRecord(id);
    m_notice.clear();
    updateStatus();
}

void ManifestBrowser::showError(const QString &text)
{
    if (!m_error.isEmpty())
        return; // the first error says what went wrong; what failed after it only follows from it
    m_error = text;
    updateStatus();
}

QString ManifestBrowser::statusText() const
{
    return m_status->text();
}

void ManifestBrowser::updateStatus()
{
    if (!m_error.isEmpty()) {
        m_status->setText(QStringLiteral("\u2715 ") + m_error);
        setLook(m_status, "statusLook", QStringLiteral("error"));
        return;
    }
    setLook(m_status, "statusLook", QStringLiteral("normal"));
    const QLocale locale;
    QStringList parts;
    if (!m_model->isLoaded() || m_model->isLoadingWindow()) {
        parts << tr("\u22EF Searching the manifest \u2026");
    } else {
        const int shown = m_model->rowCount();
        if (m_matching >= 0)
            parts << tr("%1 of %2 attempts in this list, newest at the top")
                         .arg(locale.toString(shown), locale.toString(m_matching));
        else
            parts << tr("%1 attempts in this list, newest at the top").arg(locale.toString(shown));
        const manifest::ManifestQuery &f = m_model->filter();
        const bool filtered = f.since.isValid() || f.outcome || !f.serial.isEmpty();
        if (shown == 0)
            parts = QStringList{filtered ? tr("No attempt matches these filters.")
                                         : tr("No attempts in the manifest yet: they appear here as units finish.")};
        if (!m_model->atOldest())
            parts << tr("older below (scroll down, or Ctrl+End for the oldest)");
        if (!m_model->atNewest())
            parts << tr("newer above (scroll up, or Ctrl+Home for the newest)");
    }
    if (!m_notice.isEmpty())
        parts << m_notice;
    m_status->setText(parts.join(QStringLiteral("   \u00B7   ")));
}

bool ManifestBrowser::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool ctrl = key->modifiers() & Qt::ControlModifier;
        if (ctrl && key->key() == Qt::Key_End && !m_model->atOldest()) {
            m_select = Select::Last;
            m_model->showOldest();
            return true;
        }
        if (ctrl && key->key() == Qt::Key_Home && !m_model->atNewest()) {
            m_select = Select::First;
            m_model->showNewest();
            return true;
        }
        if ((key->key() == Qt::Key_Up || key->key() == Qt::Key_PageUp) && m_table->currentIndex().row() <= 0)
            maybeFetchNewer();
    }
    return QWidget::eventFilter(watched, event);
}

void ManifestBrowser::setSizes(const ThemeSizes &sizes)
{
    setPixelFont(m_title, sizes.bodyPx + 4, true);
    setPixelFont(m_back, sizes.bodyPx, true);
    setPixelFont(m_keys, sizes.smallPx);
    setPixelFont(m_status, sizes.smallPx);
    m_filters->setPixelSize(sizes.smallPx);
    setPixelFont(m_table, sizes.smallPx);
    setPixelFont(m_table->horizontalHeader(), sizes.smallPx, true);
    const QFontMetrics fm(m_table->font());
    m_table->verticalHeader()->setDefaultSectionSize(fm.height() + 10);
    // Widths from what the columns hold (and their bold titles), not from the rows loaded: a page of a
    // million rows says little about the next one.
    const QFontMetrics head(m_table->horizontalHeader()->font());
    const int pad = fm.horizontalAdvance(QLatin1Char('M'));
    const auto fit = [&](int column, const QString &sample) {
        const QString title = m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
        m_table->setColumnWidth(column, std::max(fm.horizontalAdvance(sample), head.horizontalAdvance(title)) + pad);
    };
    fit(ManifestModel::TimeColumn, QStringLiteral("2026-12-31 23:59:59"));
    fit(ManifestModel::SerialColumn, QStringLiteral("357179926429805"));
    fit(ManifestModel::ResultColumn, ManifestModel::tr("\u26A0 INCOMPLETE"));
    fit(ManifestModel::StepColumn, QStringLiteral("Writing the certificate"));
    fit(ManifestModel::CertSerialColumn, QStringLiteral("7EE230EDE3F7"));
    fit(ManifestModel::DurationColumn, QStringLiteral("999.9 s"));
    fit(ManifestModel::WhoColumn, QStringLiteral("operator @ station-01"));
    m_details->setSizes(sizes);
}

} // namespace station::ui
