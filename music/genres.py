"""Genre families: the catalog's ~115 Spotify genres grouped for people (docs, counts, taste).
Plain Python (no Django)."""

from __future__ import annotations

GENRE_FAMILIES: dict[str, tuple[str, ...]] = {
    "quiet and classical": ("acoustic", "ambient", "chill", "classical", "guitar", "new-age", "opera", "piano",
                            "sleep", "study"),
    "folk and country": ("bluegrass", "country", "folk", "honky-tonk", "singer-songwriter", "songwriter"),
    "jazz, blues and soul": ("blues", "disco", "funk", "gospel", "groove", "jazz", "r-n-b", "soul"),
    "pop": ("anime", "children", "comedy", "dance", "disney", "indie-pop", "kids", "party", "pop", "pop-film",
            "power-pop", "romance", "sad", "show-tunes", "synth-pop"),
    "east asian pop": ("cantopop", "j-dance", "j-idol", "j-pop", "j-rock", "k-pop", "mandopop"),
    "rock": ("alt-rock", "alternative", "british", "emo", "goth", "grunge", "hard-rock", "indie", "psych-rock",
             "punk", "punk-rock", "rock", "rock-n-roll", "rockabilly", "ska"),
    "metal and hardcore": ("black-metal", "death-metal", "grindcore", "hardcore", "heavy-metal", "industrial",
                           "metal", "metalcore"),
    "electronic": ("breakbeat", "chicago-house", "club", "deep-house", "detroit-techno", "drum-and-bass", "dub",
                   "dubstep", "edm", "electro", "electronic", "garage", "happy", "hardstyle", "house", "idm",
                   "minimal-techno", "progressive-house", "techno", "trance", "trip-hop"),
    "hip-hop": ("hip-hop",),
    "latin and world": ("afrobeat", "brazil", "dancehall", "forro", "french", "german", "indian", "iranian",
                        "latin", "latino", "malay", "mpb", "pagode", "reggae", "reggaeton", "salsa", "samba",
                        "sertanejo", "spanish", "swedish", "tango", "turkish", "world-music"),
}
OTHER_FAMILY = "other"
_FAMILY_OF = {genre: family for family, genres in GENRE_FAMILIES.items() for genre in genres}


def genre_family(genre: str) -> str:
    """The family of a catalog genre ("piano" -> "quiet and classical"); unknown genres: "other"."""
    return _FAMILY_OF.get((genre or "").strip().lower(), OTHER_FAMILY)


# How a catalog genre is written for people where hyphens and capitals do not do it.
GENRE_LABELS = {"r-n-b": "R&B", "edm": "EDM", "idm": "IDM", "mpb": "MPB", "j-pop": "J-pop", "k-pop": "K-pop",
                "j-rock": "J-rock", "j-dance": "J-dance", "j-idol": "J-idol", "hip-hop": "Hip-hop",
                "rock-n-roll": "Rock 'n' roll", "drum-and-bass": "Drum and bass", "pop-film": "Pop film",
                "show-tunes": "Show tunes", "world-music": "World music", "singer-songwriter": "Singer-songwriter"}


def genre_label(genre: str) -> str:
    """A catalog genre as people write it ("r-n-b" -> "R&B", "deep-house" -> "Deep house")."""
    genre = (genre or "").strip().lower()
    if genre in GENRE_LABELS:
        return GENRE_LABELS[genre]
    words = genre.replace("-", " ")
    return words[:1].upper() + words[1:]
