// The manifest browser page: the filter bar, the attempts (newest first, fetched a page at a time by
// ManifestModel) above the details pane of the selected one (UnitDetails), the match count below. Read-only: it opens
// the manifest with its own read-only connections on worker threads — one for the table's pages, one for the details
// pane, one for the match count (a count under a result filter reads the whole file) — so none waits for
// another and the GUI thread never waits for SQLite.
// Keyboard: arrows / PgUp / PgDn move, Ctrl+Home the newest, Ctrl+End the oldest (one query from the
// other end of the file), Ctrl+C copies the selected unit's certificate, Alt+W / Alt+R / Alt+S reach the
// filters (Enter in the serial field goes on to the results), Esc anywhere asks to go back to production
// (closeRequested()).
#pragma once

#include "Theme.h"
#include "manifest/ManifestRecord.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QSplitter;
class QTableView;

namespace station::ui {

class ManifestFilterBar;
class ManifestModel;
class ManifestReader;
class UnitDetails;

class ManifestBrowser : public QWidget
{
    Q_OBJECT
public:
    explicit ManifestBrowser(QWidget *parent = nullptr);
    ~ManifestBrowser() override;

    /// Opens `path` read-only and shows its newest attempts.
    void setManifestPath(const QString &path);
    /// The station finished a job (its manifest row id): the row comes in or is updated.
    void attemptFinished(qint64 manifestId);
    void setSizes(const ThemeSizes &sizes);
    /// Gives the keyboard to the table (when the page is shown).
    void focusTable();

    [[nodiscard]] ManifestModel *model() const { return m_model; }
    [[nodiscard]] QTableView *table() const { return m_table; }
    [[nodiscard]] UnitDetails *details() const { return m_details; }
    [[nodiscard]] ManifestFilterBar *filterBar() const { return m_filters; }
    [[nodiscard]] QString statusText() const;
    /// The manifest row the details pane shows (0: none).
    [[nodiscard]] qint64 shownId() const;

signals:
    /// Esc: the operator wants the production view back.
    void closeRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    enum class Select { Keep, First, Last };

    void onWindowLoaded(bool oldestEnd);
    void onShifted(int rows, bool live);
    void onCurrentChanged();
    void maybeFetchNewer();
    void requestCount();
    void updateStatus();
    void showError(const QString &text);

    ManifestReader *m_pages;
    ManifestReader *m_lookup;
    ManifestReader *m_counter;
    ManifestModel *m_model;
    QLabel *m_title;
    QLabel *m_back;
    QLabel *m_keys;
    ManifestFilterBar *m_filters;
    QSplitter *m_split;
    QTableView *m_table;
    UnitDetails *m_details;
    QLabel *m_status;
    quint64 m_detailTicket = 0;
    qint64 m_detailId = 0;
    quint64 m_countTicket = 0;
    int m_scrollBeforeRemoval = 0;
    bool m_removing = false;
    qint64 m_matching = -1; ///< rows matching the filter (-1: not counted yet)
    bool m_countStale = false;
    QTimer m_recount;
    QString m_error;
    QString m_notice;
    Select m_select = Select::First;
};

} // namespace station::ui
