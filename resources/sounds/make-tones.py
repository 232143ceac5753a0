#!/usr/bin/env python3
"""Writes the station's two cues (16-bit mono PCM WAV, 22050 Hz), checked in next to this script.

pass.wav: one short rising tone, 660 Hz gliding to 990 Hz, 0.25 s.
fail.wav: a distinct, lower double tone: two 300 Hz beeps of 0.18 s, 0.10 s apart.
Soft attack and release (10 ms) so that neither clicks. Run it again after changing the shapes.
"""
import math
import struct
import sys
import wave
from pathlib import Path

RATE = 22050
AMPLITUDE = 0.6


def envelope(i, n, edge=int(0.010 * RATE)):
    return min(1.0, i / edge, (n - 1 - i) / edge)


def glide(f0, f1, seconds):
    n = int(seconds * RATE)
    phase = 0.0
    out = []
    for i in range(n):
        f = f0 + (f1 - f0) * i / n
        phase += 2 * math.pi * f / RATE
        out.append(AMPLITUDE * envelope(i, n) * math.sin(phase))
    return out


def silence(seconds):
    return [0.0] * int(seconds * RATE)


def write(path, samples):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))


def main():
    here = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    write(here / "pass.wav", glide(660, 990, 0.25))
    write(here / "fail.wav", glide(300, 300, 0.18) + silence(0.10) + glide(300, 300, 0.18))


if __name__ == "__main__":
    main()
