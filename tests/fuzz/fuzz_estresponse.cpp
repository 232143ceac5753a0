// Fuzz target: what an EST server can put in an answer besides multipart: certificate bodies (base64,
// PEM, DER, PKCS#7), csrattrs bodies, Retry-After values and error bodies (JSON, text, HTML).
#include "FuzzCheck.h"
#include "est/EstErrorClassifier.h"
#include "est/EstResponseDecoder.h"
#include "est/RetryAfter.h"

#include <QTimeZone>

#include <cstddef>
#include <cstdint>

int fuzzEstResponse(const uint8_t *data, size_t size)
{
    using namespace station;
    using namespace station::est;
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));

    auto certs = EstResponseDecoder::decodeCertificates(bytes);
    if (!certs)
        fuzz::checkError(certs.error(), "decodeCertificates: empty error");
    else if (certs->isEmpty())
        fuzz::fuzzFailure("decodeCertificates: success without certificates");

    auto attrs = EstResponseDecoder::decodeCsrAttributes(bytes);
    if (!attrs)
        fuzz::checkError(attrs.error(), "decodeCsrAttributes: empty error");
    else
        (void)attrs->requirements();

    static const QDateTime now(QDate(2026, 1, 1), QTime(12, 0), QTimeZone::utc());
    const auto delay = RetryAfter::parse(bytes.left(64), now);
    if (delay && delay->count() < 0)
        fuzz::fuzzFailure("RetryAfter: negative delay");

    const QString text = EstErrorClassifier::serverText(bytes, size % 2 ? "text/html" : "application/json");
    if (text.size() > 300)
        fuzz::fuzzFailure("serverText: longer than the cap");
    EstFailureContext context;
    context.url = QUrl(QStringLiteral("https://h/.well-known/est/simpleenroll"));
    const Error e = EstErrorClassifier::classifyHttp(400 + int(size % 200), bytes, "application/json", context);
    if (e.message.isEmpty() || e.remedy.isEmpty())
        fuzz::fuzzFailure("classifyHttp: error without message or remedy");
    return 0;
}
