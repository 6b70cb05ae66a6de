"""Generated cover artwork for a track without a cover: a small deterministic SVG.

- The background is a gradient in the colours of the track's two most likely moods (its mood
  probabilities from the track mood model); the more certain the first mood, the more of the
  square it fills.
- A pattern drawn over it comes from the track's genre family (``music.genres.genre_family``):
  rings for quiet and classical music, stripes for rock, bars for hip-hop, a grid for electronic
  music, and so on. Positions and sizes within the pattern come from a hash of the track id.
- The initials of the title sit in the lower left corner; no words are drawn. Its accessible
  name is the track's title, whatever the page's language (the file is public and cached).

The same inputs always give the same bytes (a SHA-256 stream, never Python's ``hash()`` or
``random``). Plain Python (no Django).
"""

from __future__ import annotations

import colorsys
import hashlib
import math
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from music.genres import genre_family
from vexora.moods import MOODS

ARTWORK_VERSION = 1  # part of every artwork URL: bump it when the drawing changes
# Also part of every artwork URL: bump it when the SVG's text changes but the drawing does not
# (2: the accessible name is the title alone, no English genre family).
DOCUMENT_VERSION = 2
SIZE = 120
# (hue 0-360, saturation 0-1, lightness 0-1) of each mood.
MOOD_COLOURS: dict[str, tuple[float, float, float]] = {
    "happy": (42, 0.92, 0.56),    # amber
    "sad": (218, 0.68, 0.46),     # blue
    "angry": (2, 0.74, 0.48),     # red
    "neutral": (168, 0.36, 0.42),  # sage
}
assert set(MOOD_COLOURS) == set(MOODS), "one colour per mood of vexora.moods"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"


class _Stream:
    """Deterministic numbers in [0, 1) from a seed: successive SHA-256 blocks, 4 bytes a number."""

    def __init__(self, seed: str):
        self._seed = seed.encode("utf-8")
        self._numbers = self._generate()

    def _generate(self) -> Iterator[float]:
        counter = 0
        while True:
            block = hashlib.sha256(self._seed + counter.to_bytes(4, "big")).digest()
            for start in range(0, len(block), 4):
                yield int.from_bytes(block[start:start + 4], "big") / 2**32
            counter += 1

    def next(self, low: float = 0.0, high: float = 1.0) -> float:
        return low + (high - low) * next(self._numbers)


def _hex(hue: float, saturation: float, lightness: float) -> str:
    r, g, b = colorsys.hls_to_rgb((hue % 360) / 360, min(max(lightness, 0), 1), min(max(saturation, 0), 1))
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _palette(moods: Mapping[str, float] | None, stream: _Stream) -> tuple[str, str, float]:
    """(first colour, second colour, where the first colour ends 0..1)."""
    if not moods or not any(moods.get(mood) for mood in MOODS):
        hue = stream.next(0, 360)  # no mood known: a quiet colour of its own
        return _hex(hue, 0.25, 0.5), _hex(hue + 40, 0.3, 0.32), 0.35
    ranked = sorted(MOODS, key=lambda mood: (-float(moods.get(mood) or 0.0), MOODS.index(mood)))
    first, second = ranked[0], ranked[1]
    p1, p2 = float(moods.get(first) or 0.0), float(moods.get(second) or 0.0)
    h1, s1, l1 = MOOD_COLOURS[first]
    h2, s2, l2 = MOOD_COLOURS[second]
    certainty = max(0.0, min(1.0, p1 - p2))
    colour1 = _hex(h1, s1 * (0.6 + 0.4 * certainty), l1)
    colour2 = _hex(h2, s2 * 0.9, l2 * 0.7)
    return colour1, colour2, round(0.1 + 0.6 * certainty, 3)


def _initials(title: str) -> str:
    letters = []
    for word in title.split():
        for char in unicodedata.normalize("NFC", word):
            if char.isalnum():
                letters.append(char.upper())
                break
        if len(letters) == 2:
            break
    return "".join(letters) or "♪"


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# --- Patterns, one per genre family: white shapes at low opacity ---------------------------------
def _rings(s: _Stream) -> list[str]:
    cx, cy = s.next(20, 100), s.next(10, 70)
    return [f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(r)}" fill="none" stroke="#fff" stroke-width="1.5" '
            f'opacity="{_f(0.5 - i * 0.06)}"/>' for i, r in enumerate(range(10, 130, 14))]


def _waves(s: _Stream) -> list[str]:
    shapes = []
    phase, amplitude = s.next(0, math.tau), s.next(3, 8)
    for row in range(6):
        y = 12 + row * 17
        points = " ".join(f"{x},{_f(y + amplitude * math.sin(phase + x / 12 + row))}" for x in range(0, 121, 6))
        shapes.append(f'<polyline points="{points}" fill="none" stroke="#fff" stroke-width="2" opacity=".35"/>')
    return shapes


def _dots(s: _Stream) -> list[str]:
    step, offset = 14, s.next(0, 14)
    return [f'<circle cx="{_f(x + offset * (row % 2))}" cy="{_f(y)}" r="{_f(s.next(1.5, 4))}" fill="#fff" '
            f'opacity=".4"/>'
            for row, y in enumerate(range(7, 120, step)) for x in range(0, 121, step)]


def _bubbles(s: _Stream) -> list[str]:
    return [f'<circle cx="{_f(s.next(0, 120))}" cy="{_f(s.next(0, 90))}" r="{_f(s.next(10, 34))}" fill="#fff" '
            f'opacity="{_f(s.next(0.12, 0.28))}"/>' for _ in range(5)]


def _diamonds(s: _Stream) -> list[str]:
    shapes = []
    for _ in range(9):
        x, y, r = s.next(5, 115), s.next(5, 85), s.next(3, 9)
        shapes.append(f'<path d="M{_f(x)} {_f(y - r)}L{_f(x + r)} {_f(y)}L{_f(x)} {_f(y + r)}L{_f(x - r)} {_f(y)}Z" '
                      f'fill="#fff" opacity=".4"/>')
    return shapes


def _stripes(s: _Stream) -> list[str]:
    angle, width = s.next(20, 70), s.next(5, 10)
    return [f'<g transform="rotate({_f(angle)} 60 60)" opacity=".28">'
            + "".join(f'<rect x="{x}" y="-60" width="{_f(width)}" height="240" fill="#fff"/>'
                      for x in range(-60, 180, 22))
            + "</g>"]


def _zigzag(s: _Stream) -> list[str]:
    shapes = []
    depth = s.next(6, 12)
    for row in range(5):
        y = 14 + row * 22
        points = " ".join(f"{x},{_f(y + (depth if (x // 10) % 2 else 0))}" for x in range(0, 121, 10))
        shapes.append(f'<polyline points="{points}" fill="none" stroke="#fff" stroke-width="3" '
                      f'stroke-linejoin="miter" opacity=".33"/>')
    return shapes


def _grid(s: _Stream) -> list[str]:
    return [f'<rect x="{x + 2}" y="{y + 2}" width="11" height="11" rx="2" fill="#fff" '
            f'opacity="{_f(s.next(0.05, 0.45))}"/>' for y in range(0, 105, 15) for x in range(0, 120, 15)]


def _bars(s: _Stream) -> list[str]:
    shapes = []
    for i in range(10):
        height = s.next(15, 85)
        shapes.append(f'<rect x="{4 + i * 12}" y="{_f(100 - height)}" width="8" height="{_f(height)}" rx="2" '
                      f'fill="#fff" opacity=".32"/>')
    return shapes


def _triangles(s: _Stream) -> list[str]:
    shapes = []
    for _ in range(7):
        x, y, r = s.next(0, 120), s.next(0, 90), s.next(8, 20)
        shapes.append(f'<path d="M{_f(x)} {_f(y - r)}L{_f(x + r)} {_f(y + r * 0.8)}L{_f(x - r)} {_f(y + r * 0.8)}Z" '
                      f'fill="#fff" opacity="{_f(s.next(0.15, 0.35))}"/>')
    return shapes


def _arc(s: _Stream) -> list[str]:
    cx, cy, r = s.next(40, 100), s.next(20, 60), s.next(30, 50)
    return [f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(r)}" fill="none" stroke="#fff" stroke-width="9" '
            f'opacity=".3"/>',
            f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(r / 3)}" fill="#fff" opacity=".3"/>']


PATTERNS = {
    "quiet and classical": _rings,
    "folk and country": _waves,
    "jazz, blues and soul": _dots,
    "pop": _bubbles,
    "east asian pop": _diamonds,
    "rock": _stripes,
    "metal and hardcore": _zigzag,
    "electronic": _grid,
    "hip-hop": _bars,
    "latin and world": _triangles,
    "other": _arc,
}


def artwork_svg(*, track_id: str, title: str = "", genres: Sequence[str] = (),
                moods: Mapping[str, float] | None = None) -> str:
    """The SVG document (``SIZE`` x ``SIZE`` user units, scalable) for a track: ``genres`` as the
    catalog names them (the first decides the pattern; none: "other"), ``moods`` the track's
    mood probabilities (None: a muted colour from the id)."""
    stream = _Stream(f"{ARTWORK_VERSION}:{track_id}")
    colour1, colour2, stop = _palette(moods, stream)
    family = genre_family(genres[0] if genres else "")
    shapes = PATTERNS[family](stream)
    angle = round(stream.next(0, 360))
    initials = _initials(title)
    # Named by the title alone (data, in no page's language); without a title it is decoration.
    name = f'role="img" aria-label={quoteattr(title)}' if title else 'aria-hidden="true"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" '
        f'{name}>'
        f'<defs><linearGradient id="g" gradientTransform="rotate({angle} .5 .5)">'
        f'<stop offset="0" stop-color="{colour1}"/><stop offset="{stop}" stop-color="{colour1}"/>'
        f'<stop offset="1" stop-color="{colour2}"/></linearGradient></defs>'
        f'<rect width="{SIZE}" height="{SIZE}" fill="url(#g)"/>'
        + "".join(shapes)
        + f'<text x="10" y="108" font-family="{FONT}" font-size="38" font-weight="800" fill="#fff" '
        f'stroke="#000" stroke-opacity=".22" stroke-width="2" paint-order="stroke">{escape(initials)}</text>'
        "</svg>"
    )


def artwork_version(*, track_id: str, title: str = "", genres: Sequence[str] = (),
                    moods: Mapping[str, float] | None = None) -> str:
    """A short digest of what the artwork is drawn from (for cache-busting URLs): it changes when
    the track's title, genre or moods change, or the drawing does (``ARTWORK_VERSION``)."""
    mood_part = ",".join(f"{float(moods.get(mood) or 0):.3f}" for mood in MOODS) if moods else ""
    source = f"{ARTWORK_VERSION}.{DOCUMENT_VERSION}\n{track_id}\n{title}\n{genres[0] if genres else ''}\n{mood_part}"
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:10]
