#include "ManifestModel.h"

#include "Theme.h"

#include "provisioning/JobMachine.h"

#include <algorithm>

namespace station::ui {

using manifest::Outcome;

ManifestModel::ManifestModel(ManifestReader *reader, QObject *parent) : QAbstractTableModel(parent), m_reader(reader)
{
    connect(m_reader, &ManifestReader::rowsFetched, this, &ManifestModel::onRows);
    connect(m_reader, &ManifestReader::recordFetched, this, &ManifestModel::onRecord);
    connect(m_reader, &ManifestReader::failed, this, &ManifestModel::onFailed);
}

void ManifestModel::setPageSize(int rows)
{
    m_pageSize = std::max(1, rows);
    m_maxRows = std::max(m_maxRows, 2 * m_pageSize);
}

void ManifestModel::setMaxRows(int rows)
{
    m_maxRows = std::max(rows, 2 * m_pageSize);
}

void ManifestModel::setFilter(const manifest::ManifestQuery &filter)
{
    m_filter = manifest::ManifestQuery{};
    m_filter.since = filter.since;
    m_filter.outcome = filter.outcome;
    m_filter.serial = filter.serial;
    startWindow(false);
}

void ManifestModel::showNewest()
{
    startWindow(false);
}

void ManifestModel::showOldest()
{
    startWindow(true);
}

manifest::ManifestQuery ManifestModel::query() const
{
    manifest::ManifestQuery q = m_filter;
    q.limit = m_pageSize + 1; // one more than shown: whether there is more is known without a second query
    return q;
}

bool ManifestModel::hasPending(Request kind) const
{
    return std::any_of(m_pending.cbegin(), m_pending.cend(), [kind](const Pending &p) { return p.kind == kind; });
}

void ManifestModel::startWindow(bool oldestEnd)
{
    // What was asked before is of no use any more: the worker skips it, and late answers are ignored.
    ++m_generation;
    m_pending.clear();
    m_rereading.clear();
    m_reader->dropPending();
    manifest::ManifestQuery q = query();
    q.newestFirst = !oldestEnd;
    const quint64 ticket = m_reader->fetchRows(q);
    m_pending.insert(ticket, Pending{Request::Window, m_generation, 0, oldestEnd, false});
}

bool ManifestModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_loaded && m_moreOlder && !m_rows.isEmpty() && !hasPending(Request::Older) &&
           !hasPending(Request::Window);
}

void ManifestModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    manifest::ManifestQuery q = query();
    q.newestFirst = true;
    q.beforeId = m_rows.last().id;
    const quint64 ticket = m_reader->fetchRows(q);
    m_pending.insert(ticket, Pending{Request::Older, m_generation, q.beforeId, false, false});
}

bool ManifestModel::canFetchNewer() const
{
    return m_loaded && m_moreNewer && !hasPending(Request::Newer) && !hasPending(Request::Window);
}

void ManifestModel::fetchNewer()
{
    if (canFetchNewer())
        requestNewer(false);
}

void ManifestModel::requestNewer(bool live)
{
    manifest::ManifestQuery q = query();
    q.newestFirst = false;
    q.afterId = m_rows.isEmpty() ? 0 : m_rows.first().id;
    const quint64 ticket = m_reader->fetchRows(q);
    m_pending.insert(ticket, Pending{Request::Newer, m_generation, q.afterId, false, live});
}

void ManifestModel::refresh()
{
    if (!m_loaded)
        return; // the window being loaded will have it
    if (!m_moreNewer && !hasPending(Request::Newer) && !hasPending(Request::Window))
        requestNewer(true);
    // Rows of jobs that were running when they were read: one of them has just finished.
    for (const ManifestRow &row : std::as_const(m_rows)) {
        if (row.finished || m_rereading.contains(row.id))
            continue;
        const quint64 ticket = m_reader->fetchRecord(row.id);
        m_pending.insert(ticket, Pending{Request::Reread, m_generation, row.id, false, false});
        m_rereading.insert(row.id, ticket);
    }
}

void ManifestModel::onRows(quint64 ticket, const QList<ManifestRow> &rows)
{
    const auto it = m_pending.constFind(ticket);
    if (it == m_pending.cend())
        return;
    const Pending p = *it;
    m_pending.erase(it);
    if (p.generation != m_generation)
        return;
    const bool more = rows.size() > m_pageSize;
    QList<ManifestRow> page = rows.mid(0, m_pageSize);
    switch (p.kind) {
    case Request::Window:
        if (p.oldestEnd)
            std::reverse(page.begin(), page.end());
        beginResetModel();
        m_rows = page;
        m_loaded = true;
        m_moreOlder = !p.oldestEnd && more;
        m_moreNewer = p.oldestEnd && more;
        endResetModel();
        emit windowLoaded(p.oldestEnd);
        break;
    case Request::Older:
        if (m_rows.isEmpty() || m_rows.last().id != p.anchorId)
            return; // the window moved meanwhile
        m_moreOlder = more;
        appendBelow(page);
        break;
    case Request::Newer:
        if (p.anchorId != (m_rows.isEmpty() ? 0 : m_rows.first().id))
            return;
        m_moreNewer = more;
        std::reverse(page.begin(), page.end());
        insertAbove(page, p.live);
        break;
    case Request::Reread: break;
    }
}

void ManifestModel::insertAbove(QList<ManifestRow> rows, bool live)
{
    if (rows.isEmpty())
        return;
    const int n = int(rows.size());
    beginInsertRows({}, 0, n - 1);
    rows.append(m_rows);
    m_rows = std::move(rows);
    endInsertRows();
    emit rowsShiftedAbove(n, live);
    if (m_rows.size() > m_maxRows) {
        const int from = m_maxRows;
        emit rowsAboutToBeDropped();
        beginRemoveRows({}, from, int(m_rows.size()) - 1);
        m_rows.resize(from);
        m_moreOlder = true;
        endRemoveRows();
    }
}

void ManifestModel::appendBelow(const QList<ManifestRow> &rows)
{
    if (rows.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    m_rows.append(rows);
    endInsertRows();
    if (m_rows.size() > m_maxRows) {
        const int drop = int(m_rows.size()) - m_maxRows;
        emit rowsAboutToBeDropped();
        beginRemoveRows({}, 0, drop - 1);
        m_rows.remove(0, drop);
        m_moreNewer = true;
        endRemoveRows();
    }
}

void ManifestModel::onRecord(quint64 ticket, const std::optional<manifest::ManifestRecord> &record)
{
    const auto it = m_pending.constFind(ticket);
    if (it == m_pending.cend())
        return;
    const Pending p = *it;
    m_pending.erase(it);
    m_rereading.remove(p.anchorId);
    if (p.generation != m_generation || !record)
        return;
    const int row = rowOfId(p.anchorId);
    if (row < 0)
        return;
    const ManifestRow updated = ManifestRow::of(*record);
    if (!matches(m_filter, updated)) {
        // An attempt that ran under an INCOMPLETE filter and has ended as PASS.
        emit rowsAboutToBeDropped();
        beginRemoveRows({}, row, row);
        m_rows.remove(row);
        endRemoveRows();
        return;
    }
    m_rows[row] = updated;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ManifestModel::onFailed(quint64 ticket, const Error &error)
{
    const auto it = m_pending.constFind(ticket);
    if (it == m_pending.cend())
        return;
    const Pending p = *it;
    m_pending.erase(it);
    if (p.kind == Request::Reread)
        m_rereading.remove(p.anchorId);
    if (p.generation == m_generation)
        emit loadFailed(error);
}

bool ManifestModel::matches(const manifest::ManifestQuery &filter, const ManifestRow &row)
{
    if (filter.outcome && row.outcome != *filter.outcome)
        return false;
    if (!filter.serial.isEmpty() && row.serial != filter.serial)
        return false;
    return !filter.since.isValid() || row.startedAt >= filter.since;
}

qint64 ManifestModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].id : 0;
}

int ManifestModel::rowOfId(qint64 id) const
{
    // Newest first: ids descend, so a binary search finds it.
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), id,
                                     [](const ManifestRow &r, qint64 wanted) { return r.id > wanted; });
    return it != m_rows.cend() && it->id == id ? int(it - m_rows.cbegin()) : -1;
}

const ManifestRow *ManifestModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

int ManifestModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ManifestModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ManifestModel::resultText(const ManifestRow &row)
{
    if (!row.finished)
        return tr("\u22EF in progress");
    switch (row.outcome) {
    case Outcome::Pass: return tr("\u2713 PASS");
    case Outcome::Fail: return tr("\u2715 FAIL");
    case Outcome::Incomplete: return tr("\u26A0 INCOMPLETE");
    }
    return {};
}

QString ManifestModel::stepLabel(const QString &stepName)
{
    for (int i = 0; i < provisioning::kJobStateCount; ++i) {
        const auto state = provisioning::JobState(i);
        if (provisioning::jobStateName(state) == stepName)
            return provisioning::jobStateLabel(state);
    }
    return stepName;
}

QVariant ManifestModel::data(const QModelIndex &index, int role) const
{
    const ManifestRow *r = rowAt(index.row());
    if (!r || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    const bool problem = r->finished && r->outcome != Outcome::Pass;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (Column(index.column())) {
        case TimeColumn: return r->startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case SerialColumn: return r->serial;
        case ResultColumn: return resultText(*r);
        case StepColumn:
            // Report by exception: a PASS needs no words here; a failure says what happened.
            if (!r->finished)
                return stepLabel(r->step);
            if (!problem)
                return QString();
            return r->errorMessage.isEmpty() ? stepLabel(r->step) : r->errorMessage;
        case CertSerialColumn: return r->certSerial;
        case DurationColumn: return r->finished ? tr("%1 s").arg(double(r->durationMs) / 1000.0, 0, 'f', 1) : QString();
        case WhoColumn:
            return r->stationId.isEmpty() ? r->operatorName : tr("%1 @ %2").arg(r->operatorName, r->stationId);
        case ColumnCount: break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == StepColumn && problem)
            return tr("%1 at \"%2\": %3").arg(r->errorCode, stepLabel(r->step), r->errorMessage);
        return {};
    case Qt::ForegroundRole:
        if (index.column() != ResultColumn || !r->finished)
            return {};
        return r->outcome == Outcome::Pass   ? colors::pass
               : r->outcome == Outcome::Fail ? colors::fail
                                             : colors::warning;
    case Qt::TextAlignmentRole:
        if (index.column() == DurationColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IdRole: return r->id;
    default: return {};
    }
}

QVariant ManifestModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TimeColumn: return tr("Started");
    case SerialColumn: return tr("Serial");
    case ResultColumn: return tr("Result");
    case StepColumn: return tr("Step / error");
    case CertSerialColumn: return tr("Certificate serial");
    case DurationColumn: return tr("Duration");
    case WhoColumn: return tr("Operator @ station");
    case ColumnCount: break;
    }
    return {};
}

} // namespace station::ui
