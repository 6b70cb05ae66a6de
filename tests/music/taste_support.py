"""A small catalog in three genres (jazz, rock, pop) for the taste and feedback tests."""

from tests.music.factories import TrackFactory

GENRES = ("jazz", "rock", "pop")


def taste_catalog(per_genre: int = 40, *, explicit_every: int = 3) -> list:
    """``per_genre`` tracks of each genre, each by its own artist, spread over the mood space;
    every ``explicit_every``-th track is explicit."""
    tracks = []
    for g, genre in enumerate(GENRES):
        for i in range(per_genre):
            n = g * per_genre + i
            tracks.append(TrackFactory(genre=genre, genres=genre, artist=f"{genre} artist {i}",
                                       valence=(i % 10) / 10 + 0.05, energy=((i * 7) % 10) / 10 + 0.05,
                                       acousticness=0.5, explicit=(n % explicit_every == 0)))
    return tracks
