// Fuzz target: the station protocol's frame parser, fed whole and in pieces, with its invariants checked.
#include "station/Frame.h"
#include "station/FrameParser.h"
#include "station/Tlv.h"

#include <cstddef>
#include <cstdint>

int fuzzFrameParser(const uint8_t *data, size_t size)
{
    using namespace station::drivers;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    constexpr int kLimit = 512;

    FrameParser whole(kLimit);
    const FrameParser::Output all = whole.feed(bytes);
    for (const Frame &f : all.frames) {
        if (f.payload.size() > kLimit)
            __builtin_trap();
        // A frame the parser accepts re-encodes to bytes the parser accepts again, unchanged.
        FrameParser again(kLimit);
        const auto round = again.feed(f.encode());
        if (round.frames.size() != 1 || !(round.frames.first() == f))
            __builtin_trap();
        (void)Tlv::parse(f.payload); // must not crash on any payload
    }
    if (whole.buffered() > proto::kHeaderSize + kLimit + proto::kTrailerSize)
        __builtin_trap();

    // The same bytes in pieces of varying size find the same frames.
    FrameParser pieces(kLimit);
    qsizetype found = 0;
    size_t pos = 0;
    size_t step = 1;
    while (pos < size) {
        const size_t n = std::min(step, size - pos);
        found += pieces.feed(bytes.sliced(qsizetype(pos), qsizetype(n))).frames.size();
        pos += n;
        step = step % 7 + 1;
    }
    if (found != all.frames.size())
        __builtin_trap();
    return 0;
}
