// Station-wide conditions in one place under the tiles, in the manner of KeePassXC's MessageWidget: one
// line per condition (EST setup, device source, manifest, help), each with a shape and a word as well as
// a colour — ✕ error, ⚠ warning, ✓ positive, ℹ information — ordered by severity. A condition is set and
// cleared by its key, so a repeated notice replaces itself instead of piling up.
#pragma once

#include "Theme.h"

#include <QMap>
#include <QWidget>

class QVBoxLayout;
class QFrame;
class QLabel;

namespace station::ui {

class MessageBar : public QWidget
{
    Q_OBJECT
public:
    enum class Kind { Error, Warning, Positive, Information };

    explicit MessageBar(QWidget *parent = nullptr);

    void setCondition(const QString &key, Kind kind, const QString &text);
    void clearCondition(const QString &key);
    [[nodiscard]] bool hasCondition(const QString &key) const { return m_conditions.contains(key); }
    [[nodiscard]] QString conditionText(const QString &key) const;
    void setSizes(const ThemeSizes &sizes);

private:
    struct Condition {
        Kind kind = Kind::Information;
        QString text;
        quint64 order = 0;
    };
    void rebuild();

    QMap<QString, Condition> m_conditions;
    quint64 m_next = 0;
    QVBoxLayout *m_layout;
    ThemeSizes m_sizes;
};

} // namespace station::ui
