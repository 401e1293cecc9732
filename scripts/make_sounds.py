"""Generate the cue sounds in ``assets/sounds/``.

The cues are synthesised rather than recorded so their licence is unambiguous,
they can be regenerated after a tweak, and a reviewer can read exactly what
each one is. They are heard at night by someone in pain, often half asleep:
low-ish pitches, soft bell timbres, no hard edges (every note fades in and out,
so there are no clicks) and a modest -6 dBFS peak.

Only the standard library is used, so the script runs anywhere Python does, and
nothing random is involved, so the same bytes come out on every run.

Usage: ``python scripts/make_sounds.py [OUTPUT_DIR]``
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# 22.05 kHz is plenty for tones below 4 kHz and halves the size of the files.
RATE = 22050
PEAK_DBFS = -6.0
FULL_SCALE = 32767

# Equal-tempered pitches used below (Hz).
C5, E5, G5, A5, C6 = 523.25, 659.26, 783.99, 880.00, 1046.50

# Harmonic partials (multiple, relative level) giving a soft, rounded bell.
SOFT_BELL = ((1.0, 1.0), (2.0, 0.28), (3.0, 0.07))
# Inharmonic partials of a struck wooden bar: what makes a woodblock "knock".
WOODBLOCK = ((1.0, 1.0), (2.76, 0.35), (5.4, 0.08))


@dataclass(frozen=True)
class Note:
    freq: float
    start: float
    length: float
    decay: float  # seconds for the fundamental to fall to 1/e
    partials: tuple[tuple[float, float], ...] = SOFT_BELL
    attack: float = 0.006
    release: float = 0.03


CUES: dict[str, tuple[float, tuple[Note, ...]]] = {
    # name: (total seconds, notes)
    "start": (0.35, (Note(C5, 0.0, 0.16, 0.12), Note(G5, 0.12, 0.23, 0.14))),
    "end": (0.40, (Note(G5, 0.0, 0.18, 0.12), Note(C5, 0.15, 0.25, 0.16))),
    "tick": (0.08, (Note(C6, 0.0, 0.08, 0.018, ((1.0, 1.0), (2.0, 0.1)),
                         attack=0.002, release=0.02),)),
    "halfway": (0.30, (Note(E5, 0.0, 0.30, 0.13),)),
    "switch": (0.40, (Note(A5, 0.0, 0.18, 0.08), Note(A5, 0.20, 0.20, 0.08))),
    "rep": (0.10, (Note(G5, 0.0, 0.10, 0.025, WOODBLOCK, attack=0.002, release=0.02),)),
    "reminder": (0.90, (Note(C5, 0.0, 0.30, 0.20), Note(E5, 0.22, 0.30, 0.20),
                        Note(G5, 0.44, 0.46, 0.24))),
}


def _envelope(t: float, last: float, note: Note) -> float:
    """Raised-cosine fade in and out. The first and last samples of every note
    are exactly zero, which is what keeps the speaker from clicking."""
    if t < note.attack:
        return 0.5 - 0.5 * math.cos(math.pi * t / note.attack)
    left = last - t
    if left < note.release:
        return 0.5 - 0.5 * math.cos(math.pi * left / note.release)
    return 1.0


def _render(total: float, notes: Sequence[Note]) -> list[float]:
    samples = [0.0] * round(total * RATE)
    for note in notes:
        first = round(note.start * RATE)
        count = round((note.start + note.length) * RATE) - first
        if first + count > len(samples):
            raise ValueError(f"note at {note.start}s runs past the end of the cue")
        last = (count - 1) / RATE
        for i in range(count):
            t = i / RATE
            # Higher partials die away faster, as they do on a real bell.
            tone = sum(level * math.exp(-t * multiple / note.decay)
                       * math.sin(2 * math.pi * note.freq * multiple * t)
                       for multiple, level in note.partials)
            samples[first + i] += _envelope(t, last, note) * tone
    return samples


def cue_frames(name: str) -> bytes:
    """The cue as 16-bit little-endian PCM, normalised to the target peak."""
    total, notes = CUES[name]
    samples = _render(total, notes)
    loudest = max(abs(s) for s in samples)
    gain = 10 ** (PEAK_DBFS / 20) * FULL_SCALE / loudest
    return struct.pack(f"<{len(samples)}h", *(round(s * gain) for s in samples))


def write_cue(name: str, folder: Path) -> Path:
    path = folder / f"{name}.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(cue_frames(name))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    folder = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "assets" / "sounds"
    folder.mkdir(parents=True, exist_ok=True)
    for name in CUES:
        path = write_cue(name, folder)
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
