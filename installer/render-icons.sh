#!/usr/bin/env bash
# Renders resources/icons/provstation.svg into the committed PNG sizes (resources/icons/hicolor/NxN/apps/,
# installed into the freedesktop hicolor theme) and the Windows icon (installer/windows/provstation.ico,
# PNG-compressed entries). Run after changing the SVG; needs rsvg-convert (Debian: librsvg2-bin) and
# python3. The build does not run it, so building the package needs neither.
set -euo pipefail
cd "$(dirname "$0")/.."

svg=resources/icons/provstation.svg
sizes=(16 22 24 32 48 64 128 256 512)
for s in "${sizes[@]}"; do
    out="resources/icons/hicolor/${s}x${s}/apps/provstation.png"
    mkdir -p "$(dirname "$out")"
    rsvg-convert -w "$s" -h "$s" "$svg" -o "$out"
done

python3 - resources/icons/hicolor installer/windows/provstation.ico <<'PY'
import struct, sys
root, out = sys.argv[1], sys.argv[2]
sizes = [16, 24, 32, 48, 64, 128, 256]
images = [open(f"{root}/{s}x{s}/apps/provstation.png", "rb").read() for s in sizes]
header = struct.pack("<HHH", 0, 1, len(images))
offset = 6 + 16 * len(images)
entries, data = b"", b""
for s, png in zip(sizes, images):
    entries += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(png), offset + len(data))
    data += png
open(out, "wb").write(header + entries + data)
PY
echo "render-icons: ${#sizes[@]} PNG sizes and installer/windows/provstation.ico written"
