// Where a keyboard-wedge scanner types: a line that holds the keyboard focus whenever no dialog or popup
// is open (and takes it back after one), submits on Enter, and shows the station's answer to the last
// scan underneath — accepted quietly, refused with what to do.
#pragma once

#include "Theme.h"

#include <QWidget>

class QLabel;
class QLineEdit;

namespace station::ui {

class ScanField : public QWidget
{
    Q_OBJECT
public:
    explicit ScanField(QWidget *parent = nullptr);

    /// The station's answer to the last scan.
    void showAnswer(bool accepted, const QString &message);
    void setSizes(const ThemeSizes &sizes);
    /// Gives the keyboard focus to the line (what the window does when it is shown or activated).
    void takeFocus();

    [[nodiscard]] QLineEdit *lineEdit() const { return m_edit; }
    [[nodiscard]] QString answerText() const;

signals:
    /// A complete scan (the text before Enter), trimmed and not empty.
    void scanned(const QString &text);

private:
    void submit();
    void onFocusChanged(QWidget *old, QWidget *now);

    QLabel *m_prompt;
    QLineEdit *m_edit;
    QLabel *m_answer;
};

} // namespace station::ui
