"""Names -> comparison keys: which catalog ids are the same song, and which catalog song a labelled
song from a mood dataset is. Plain Python (no Django), shared by ``build_catalog`` and
``fit_track_moods``.

Rules (those of ``shared/datasets/music_moods``): accents folded, lower case, ``&`` -> "and",
punctuation dropped, "feat."/"with" parts removed, a leading "the" dropped from artists. A title's
bracketed parts and `` - ...`` tails are read as *version notes*:

- notes that keep the recording (remasters, "2011 Mix", mono/stereo, single/album/radio edits,
  "bonus track", "from <film>", "feat. X") are dropped: "Bohemian Rhapsody - Remastered 2011" is
  the song "bohemian rhapsody";
- notes that make another recording (remix, live, acoustic, instrumental, demo, ...) stay in the
  key: "Hurt - Live" is not "Hurt".
- anything else (a subtitle, "Pt. 2") stays too: two ids are folded only when sure.
"""

from __future__ import annotations

import re
import unicodedata

# A note naming another recording of the song (kept in the key, and an "alternative version").
_OTHER_RECORDING = re.compile(
    r"remix|\bmix\b(?<!\d{4} mix)(?<!original mix)(?<!radio mix)(?<!single mix)(?<!album mix)|live|vivo|acoustic|ac[uú]stic|instrumental|\bdemo\b|reprise|unplugged|"
    r"slowed|sped up|reverb|lo-?fi|karaoke|\bcover\b|piano|orchestra|medley|a ?cappella|acapella|rework|"
    r"\bvip\b|\bflip\b|bootleg|session|extended|\bdub\b|\bclub\b|version(?<!single version)(?<!album version)"
    r"(?<!radio version)(?<!original version)(?<!remastered version)(?<!mono version)(?<!stereo version)"
)
# A note that leaves the recording as it is (dropped from the key).
_SAME_RECORDING = re.compile(
    r"remaster|^\d{4}( mix| version| stereo mix| mono mix)?$|^version \d{4}$|\d{4} mix$|\bmono\b|\bstereo\b|"
    r"single|album version|radio edit|radio version|radio mix|original mix|album mix|\bedit\b|bonus|original version|"
    r"^from |^feat\b|^ft\b|^featuring\b|^with |explicit|\bclean\b|deluxe|digital"
)
_FEAT = re.compile(r"\s+(?:feat\.?|ft\.|featuring)\s.*$")
_BRACKETS = re.compile(r"\s*[(\[]([^)\]]*)[)\]]")
_TAIL = re.compile(r"\s+-\s+(.*)$")
_NOT_WORD = re.compile(r"[^\w]+")
_CREDITS = re.compile(r";|, | / ")


def fold(text: str) -> str:
    """Accents folded, lower case, ``&`` -> "and", punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = text.replace("&", " and ").replace("'", "").replace("’", "")
    return " ".join(_NOT_WORD.sub(" ", text).replace("_", " ").split())


def artist_key(artist: str) -> str:
    """The first credited artist ("Queen, David Bowie" and "Queen" are both "queen"; "The Beatles"
    is "beatles"). Names are split on ", ", ";" and " / " (a name with a comma, "Tyler, The
    Creator", keeps its first part on every track, so it still compares equal)."""
    return _artist(_CREDITS.split(artist or "", maxsplit=1)[0])


def artist_keys(artist: str) -> set[str]:
    """The keys a credit may be known by: its first artist and the whole credit ("Crosby, Stills,
    Nash & Young" is both "crosby" and "crosby stills nash and young"). A labelled song matches
    a catalog song when a key is shared."""
    return {key for key in (artist_key(artist), _artist(artist or "")) if key}


def _artist(name: str) -> str:
    key = fold(_FEAT.sub("", name.strip()))
    return key[4:] if key.startswith("the ") and len(key) > 4 else key


def _notes(title: str) -> tuple[str, list[str]]:
    """The title without its version notes, and the notes (bracketed parts and " - " tails)."""
    notes = []
    title = title or ""
    for note in _BRACKETS.findall(title):
        notes.append(note)
    title = _BRACKETS.sub("", title)
    while True:
        match = _TAIL.search(title)
        if not match:
            break
        notes.extend(part for part in re.split(r"\s+-\s+|\s*/\s*", match.group(1)))
        title = title[:match.start()]
    title = _FEAT.sub("", title)
    return title, notes


def base_title(title: str) -> str:
    """The title with every version note removed: "Hurt - Live" and "Hurt (2002 Remaster)" are "hurt"."""
    return fold(_notes(title)[0])


def is_other_recording(title: str) -> bool:
    """Whether a version note names another recording (remix, live, acoustic, ...)."""
    return any(_kept(note) for note in _notes(title)[1])


def title_key(title: str) -> str:
    """The title as a song: notes that keep the recording removed, the others kept."""
    plain, notes = _notes(title)
    kept = [fold(note) for note in notes if _kept(note)]
    return " | ".join([fold(plain), *[note for note in kept if note]])


def song_key(artist: str, title: str) -> tuple[str, str]:
    """Two catalog ids with the same key are the same song (one is shown, the others are folded)."""
    return artist_key(artist), title_key(title)


def _kept(note: str) -> bool:
    folded = fold(note)
    if not folded:
        return False
    if _OTHER_RECORDING.search(folded):
        return True
    return not _SAME_RECORDING.search(folded)
