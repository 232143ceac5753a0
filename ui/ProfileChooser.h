// Choosing the product profile: the profiles found in the station's profile folders (each shown by its
// name and file, checked on a worker thread), or any file through a file dialog. A profile that does not
// load says why, inline. Used by the first start and by the supervisor's settings.
#pragma once

#include "provisioning/ProductProfile.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace station::ui {

class ProfileChooser : public QWidget
{
    Q_OBJECT
public:
    explicit ProfileChooser(QStringList searchDirs, QWidget *parent = nullptr);

    /// Looks for *.json in the folders again (off the GUI thread); the list fills when done.
    void refresh();
    /// Loads and selects `path` (a file the user picked, or the one given on the command line).
    void choose(const QString &path);
    [[nodiscard]] QListWidget *list() const { return m_list; }
    [[nodiscard]] QString problemText() const;
    /// The profile chosen and loaded, if any.
    [[nodiscard]] std::optional<provisioning::ProductProfile> chosen() const { return m_chosen; }

signals:
    /// A valid profile is selected (or none: `path` empty).
    void chosenChanged(const QString &path);
    /// The scan of the folders finished.
    void refreshed();

private:
    void onSelection();
    void showProblem(const QString &text);

    QStringList m_dirs;
    QListWidget *m_list;
    QLabel *m_problem;
    QPushButton *m_file;
    std::optional<provisioning::ProductProfile> m_chosen;
    QString m_pending; ///< chosen before the list was filled
    bool m_scanning = false;
};

} // namespace station::ui
