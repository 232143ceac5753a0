#include "MessageBar.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace station::ui {

namespace {

QString lookName(MessageBar::Kind kind)
{
    switch (kind) {
    case MessageBar::Kind::Error: return QStringLiteral("error");
    case MessageBar::Kind::Warning: return QStringLiteral("warning");
    case MessageBar::Kind::Positive: return QStringLiteral("positive");
    case MessageBar::Kind::Information: return QStringLiteral("information");
    }
    return {};
}

QString glyph(MessageBar::Kind kind)
{
    switch (kind) {
    case MessageBar::Kind::Error: return QStringLiteral("\u2715");
    case MessageBar::Kind::Warning: return QStringLiteral("\u26A0");
    case MessageBar::Kind::Positive: return QStringLiteral("\u2713");
    case MessageBar::Kind::Information: return QStringLiteral("\u2139");
    }
    return {};
}

} // namespace

MessageBar::MessageBar(QWidget *parent) : QWidget(parent), m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(4);
    setFocusPolicy(Qt::NoFocus);
}

void MessageBar::setCondition(const QString &key, Kind kind, const QString &text)
{
    auto it = m_conditions.find(key);
    if (it != m_conditions.end() && it->kind == kind && it->text == text)
        return;
    m_conditions.insert(key, Condition{kind, text, ++m_next});
    rebuild();
}

void MessageBar::clearCondition(const QString &key)
{
    if (m_conditions.remove(key) > 0)
        rebuild();
}

QString MessageBar::conditionText(const QString &key) const
{
    return m_conditions.value(key).text;
}

void MessageBar::setSizes(const ThemeSizes &sizes)
{
    m_sizes = sizes;
    rebuild();
}

void MessageBar::rebuild()
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    QList<Condition> list = m_conditions.values();
    std::stable_sort(list.begin(), list.end(), [](const Condition &a, const Condition &b) {
        return a.kind != b.kind ? int(a.kind) < int(b.kind) : a.order < b.order;
    });
    for (const Condition &c : std::as_const(list)) {
        auto *row = new QFrame(this);
        row->setProperty("messageLook", lookName(c.kind));
        auto *icon = new QLabel(glyph(c.kind), row);
        setPixelFont(icon, m_sizes.bodyPx, true);
        auto *text = new QLabel(c.text, row);
        text->setTextFormat(Qt::PlainText);
        text->setWordWrap(true);
        setPixelFont(text, m_sizes.bodyPx, c.kind == Kind::Error);
        auto *h = new QHBoxLayout(row);
        h->setContentsMargins(10, 4, 10, 4);
        h->addWidget(icon, 0, Qt::AlignTop);
        h->addWidget(text, 1);
        m_layout->addWidget(row);
    }
    setVisible(!list.isEmpty());
}

} // namespace station::ui
