// The manifest browser's table: the manifest's attempts, newest first, as a window of a few pages
// that moves over the file by keyset pagination (ids, never OFFSET, never SELECT * into memory).
// Scrolling down fetches older pages through canFetchMore()/fetchMore(); scrolling up after a jump
// fetches newer ones (fetchNewer()); the window holds at most maxRows() rows and drops pages at the
// other end, so even a million rows scrolled through cost a few pages of memory. "The end" (the oldest
// attempt) is one keyset query from the other side (showOldest()), as fast as the start.
// Every query runs on the ManifestReader's thread: the model only asks and inserts the answers.
#pragma once

#include "ManifestReader.h"

#include <QAbstractTableModel>
#include <QHash>

namespace station::ui {

class ManifestModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        SerialColumn,
        ResultColumn,
        StepColumn,
        CertSerialColumn,
        DurationColumn,
        WhoColumn,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole + 1 };

    /// `reader` (not owned) must outlive the model.
    explicit ManifestModel(ManifestReader *reader, QObject *parent = nullptr);

    void setPageSize(int rows);
    [[nodiscard]] int pageSize() const { return m_pageSize; }
    void setMaxRows(int rows);
    [[nodiscard]] int maxRows() const { return m_maxRows; }

    /// The since / outcome / serial of `filter` (its paging fields are ignored); shows the newest matches.
    void setFilter(const manifest::ManifestQuery &filter);
    [[nodiscard]] const manifest::ManifestQuery &filter() const { return m_filter; }

    /// Reloads the newest page (Ctrl+Home).
    void showNewest();
    /// Loads the oldest page, shown at the bottom (Ctrl+End).
    void showOldest();
    /// Newer rows exist above the window (after showOldest(), or after the window dropped its top).
    [[nodiscard]] bool canFetchNewer() const;
    void fetchNewer();
    /// The manifest changed (a job finished): newer rows come in at the top when the newest are shown,
    /// and rows still open (jobs running) are read again.
    void refresh();

    /// A page is being fetched.
    [[nodiscard]] bool isLoading() const { return !m_pending.isEmpty(); }
    /// A new window (filter, jump) is being fetched; the rows shown are the previous ones until it comes.
    [[nodiscard]] bool isLoadingWindow() const { return hasPending(Request::Window); }
    /// The window starts at the newest matching row / ends at the oldest one.
    [[nodiscard]] bool atNewest() const { return m_loaded && !m_moreNewer; }
    [[nodiscard]] bool atOldest() const { return m_loaded && !m_moreOlder; }
    [[nodiscard]] bool isLoaded() const { return m_loaded; }
    [[nodiscard]] qint64 idAt(int row) const;
    [[nodiscard]] int rowOfId(qint64 id) const;
    [[nodiscard]] const ManifestRow *rowAt(int row) const;
    [[nodiscard]] static bool matches(const manifest::ManifestQuery &filter, const ManifestRow &row);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    [[nodiscard]] bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    /// The text of the result column ("✓ PASS", "✕ FAIL", ...).
    [[nodiscard]] static QString resultText(const ManifestRow &row);
    /// What the operator reads for a step the manifest names ("generating-key" -> "Generating the key").
    [[nodiscard]] static QString stepLabel(const QString &stepName);

signals:
    /// A new window arrived (after setFilter, showNewest or showOldest): `oldestEnd` when it is the oldest page.
    void windowLoaded(bool oldestEnd);
    /// `rows` rows were put above the rows shown before (after rowsInserted); `live` when they are new
    /// attempts (refresh) rather than a page scrolled to. A view keeps its place by moving down as many.
    void rowsShiftedAbove(int rows, bool live);
    /// Emitted before the window drops rows (a page at its far end, a row that left the filter): a view
    /// notes its scroll position here, before the selection model moves a removed current row.
    void rowsAboutToBeDropped();
    void loadFailed(const station::Error &error);

private:
    enum class Request { Window, Older, Newer, Reread };
    struct Pending {
        Request kind = Request::Window;
        quint64 generation = 0;
        qint64 anchorId = 0; ///< the edge row the request continues from
        bool oldestEnd = false;
        bool live = false;
    };

    [[nodiscard]] manifest::ManifestQuery query() const;
    void startWindow(bool oldestEnd);
    void requestNewer(bool live);
    void onRows(quint64 ticket, const QList<ManifestRow> &rows);
    void onRecord(quint64 ticket, const std::optional<manifest::ManifestRecord> &record);
    void onFailed(quint64 ticket, const Error &error);
    void insertAbove(QList<ManifestRow> rows, bool live);
    void appendBelow(const QList<ManifestRow> &rows);
    [[nodiscard]] bool hasPending(Request kind) const;

    ManifestReader *m_reader;
    manifest::ManifestQuery m_filter;
    QList<ManifestRow> m_rows; ///< newest first
    bool m_loaded = false;
    bool m_moreOlder = false;
    bool m_moreNewer = false;
    int m_pageSize = 200;
    int m_maxRows = 4000;
    quint64 m_generation = 0;
    QHash<quint64, Pending> m_pending;
    QHash<qint64, quint64> m_rereading; ///< row id -> ticket
};

} // namespace station::ui
