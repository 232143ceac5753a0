// Fuzz target: the lab EST server's HTTP/1.1 request parser, fed whole and byte by byte. Besides "never
// crashes" it checks the memory bound: while a request is incomplete the parser holds no more than its header
// and body limits plus a small constant, whatever the size fields in the input say.
#include "FuzzCheck.h"
#include "est/HttpRequestParser.h"

#include <cstddef>
#include <cstdint>

int fuzzHttpRequest(const uint8_t *data, size_t size)
{
    using station::est::HttpRequestParser;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    HttpRequestParser::Limits limits;
    limits.maxBodyBytes = 4096;
    limits.maxHeaderBytes = 2048;
    // Independent of the parser's own maxHeldBytes(): a chunk-size line (1 KiB) and line ends, rounded up.
    constexpr qsizetype kFramingSlack = 4096;
    const qsizetype bound = limits.maxHeaderBytes + limits.maxBodyBytes + kFramingSlack;
    auto checkBound = [bound](const HttpRequestParser &parser, const char *where) {
        if (parser.state() == HttpRequestParser::State::NeedMore && parser.heldBytes() > bound)
            station::fuzz::fuzzFailure(where);
    };

    // Whole buffer at once, taking every pipelined request.
    HttpRequestParser whole(limits);
    auto state = whole.feed(bytes);
    int requests = 0;
    while (state == HttpRequestParser::State::Complete && requests < 1000) {
        const auto request = whole.takeRequest();
        if (request.method.isEmpty() || (!request.target.startsWith('/') && request.target != "*"))
            __builtin_trap(); // a "complete" request must have a method and a valid target
        if (request.body.size() > limits.maxBodyBytes)
            __builtin_trap();
        ++requests;
        state = whole.parse();
    }
    checkBound(whole, "whole input: incomplete request holds more than the limits");
    if (state == HttpRequestParser::State::Error && (whole.errorStatus() < 400 || whole.errorMessage().isEmpty()))
        __builtin_trap();

    // The same bytes one at a time must give the same first outcome.
    HttpRequestParser bytewise(limits);
    auto first = HttpRequestParser::State::NeedMore;
    for (qsizetype i = 0; i < bytes.size() && first == HttpRequestParser::State::NeedMore; ++i) {
        first = bytewise.feed(bytes.sliced(i, 1));
        checkBound(bytewise, "byte by byte: incomplete request holds more than the limits");
    }
    HttpRequestParser again(limits);
    const auto firstWhole = again.feed(bytes);
    if (first != firstWhole)
        __builtin_trap();
    return 0;
}
