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
