#include "ProcessSetup.h"

#include <QTextStream>

#include <cstdio>

#ifdef Q_OS_WIN
#include <conio.h>
#else
#include <termios.h>
#include <unistd.h>
#endif

namespace station::cli {

provisioning::SecretPrompt terminalSecretPrompt()
{
    return [](const QString &what) -> Result<crypto::SecretBytes> {
#ifdef Q_OS_WIN
        QTextStream(stderr) << what << ": " << Qt::flush;
        QByteArray line;
        for (int c = _getch(); c != '\r' && c != '\n' && c != EOF; c = _getch())
            line.append(char(c));
        QTextStream(stderr) << '\n';
        return crypto::SecretBytes(std::move(line));
#else
        if (!isatty(STDIN_FILENO))
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("The %1 is needed and there is no terminal").arg(what), {},
                        QStringLiteral("Run in a terminal, or name an environment variable in the profile."));
        QTextStream(stderr) << what << ": " << Qt::flush;
        termios old{};
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        QByteArray line(1024, '\0');
        const bool ok = fgets(line.data(), int(line.size()), stdin) != nullptr;
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        QTextStream(stderr) << '\n';
        const qsizetype end = line.indexOf('\n') >= 0 ? line.indexOf('\n') : qsizetype(qstrlen(line.constData()));
        crypto::SecretBytes secret(line.left(end));
        crypto::wipe(line);
        if (!ok)
            return fail(ErrorCode::Cancelled, QStringLiteral("No %1 was entered").arg(what));
        return secret;
#endif
    };
}

} // namespace station::cli
