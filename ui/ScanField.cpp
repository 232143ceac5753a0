#include "ScanField.h"

#include <QApplication>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>

namespace station::ui {

namespace {
constexpr int kMaxScanLength = 512; // BarcodeRule::kMaxLength: longer input is not a label
}

ScanField::ScanField(QWidget *parent)
    : QWidget(parent), m_prompt(new QLabel(tr("Scan a unit's label"), this)), m_edit(new QLineEdit(this)),
      m_answer(new QLabel(this))
{
    m_edit->setMaxLength(kMaxScanLength);
    m_edit->setPlaceholderText(tr("waiting for a scan \u2026"));
    m_edit->setAccessibleName(tr("Scan field"));
    m_answer->setTextFormat(Qt::PlainText);
    m_answer->setWordWrap(true);
    m_prompt->setBuddy(m_edit);
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setHorizontalSpacing(12);
    layout->addWidget(m_prompt, 0, 0);
    layout->addWidget(m_edit, 0, 1);
    layout->addWidget(m_answer, 1, 1);
    layout->setColumnStretch(1, 1);
    connect(m_edit, &QLineEdit::returnPressed, this, &ScanField::submit);
    connect(qApp, &QApplication::focusChanged, this, &ScanField::onFocusChanged);
    setFocusProxy(m_edit);
}

void ScanField::setSizes(const ThemeSizes &sizes)
{
    setPixelFont(m_prompt, sizes.bodyPx, true);
    setPixelFont(m_edit, sizes.serialPx);
    setPixelFont(m_answer, sizes.bodyPx);
}

void ScanField::takeFocus()
{
    m_edit->setFocus(Qt::OtherFocusReason);
}

void ScanField::submit()
{
    const QString text = m_edit->text().trimmed();
    m_edit->clear();
    if (!text.isEmpty())
        emit scanned(text);
}

void ScanField::showAnswer(bool accepted, const QString &message)
{
    m_answer->setText(accepted ? message : QStringLiteral("\u26A0 ") + message);
    QPalette p = m_answer->palette();
    p.setColor(QPalette::WindowText, accepted ? colors::text : colors::fail);
    m_answer->setPalette(p);
}

QString ScanField::answerText() const
{
    return m_answer->text();
}

void ScanField::onFocusChanged(QWidget *, QWidget *now)
{
    // A scanner types into whatever has the focus: when it wanders to another widget of this window (a
    // click on a tile, a button), it comes back. Dialogs and popups keep theirs until they close.
    if (now == m_edit || QApplication::activeModalWidget() || QApplication::activePopupWidget())
        return;
    if (now && now->window() != window())
        return;
    QTimer::singleShot(0, this, [this] {
        if (!QApplication::activeModalWidget() && !QApplication::activePopupWidget() && window()->isActiveWindow())
            takeFocus();
    });
}

} // namespace station::ui
