"""Recommendations follow the listener's taste: blocked genres, skipped tracks and (when refused)
explicit tracks never appear; liked genres and liked artists weigh more; a new user gets exactly
the lists of a user without taste."""

import pytest

from music.models import Track, TrackFeedback
from music.recommender import recommend_tracks, recommendation_make
from music.taste import taste_get, taste_update
from tests.factories import UserFactory
from tests.music.factories import TrackFactory
from tests.music.taste_support import taste_catalog
from vexora.moods import MOODS, STRATEGIES

pytestmark = pytest.mark.django_db


def _lists(taste, *, calls=8, limit=10):
    return [track for mood in MOODS for strategy in STRATEGIES for seed in range(calls)
            for track in recommend_tracks(mood=mood, strategy=strategy, rng=seed, limit=limit, taste=taste)]


@pytest.mark.parametrize("mood", MOODS)
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_new_user_gets_the_same_lists_as_no_taste_for_the_same_seed(catalog, mood, strategy):
    taste = taste_get(user=UserFactory())

    for seed in range(5):
        plain = recommend_tracks(mood=mood, strategy=strategy, rng=seed)
        mine = recommendation_make(mood=mood, strategy=strategy, rng=seed, taste=taste)
        assert [t.id for t in mine.tracks] == [t.id for t in plain]
        assert mine.widened is False


def test_a_blocked_genre_never_appears(catalog, user):
    taste = taste_update(user=user, blocked_genres=["rock"])

    tracks = _lists(taste)

    assert tracks and "rock" not in {track.genre for track in tracks}


def test_a_skipped_track_is_never_recommended_again(catalog, user):
    seen = {track.id for track in _lists(taste_get(user=user), calls=2)}
    for track_id in seen:
        TrackFeedback.objects.create(user=user, track_id=track_id, rating="skip")

    again = {track.id for track in _lists(taste_get(user=user), calls=2)}

    assert again and not again & seen


def test_explicit_tracks_are_left_out_when_the_listener_refuses_them(catalog, user):
    assert any(track.explicit for track in _lists(taste_get(user=user), calls=2))

    taste = taste_update(user=user, explicit=False)

    assert not any(track.explicit for track in _lists(taste, calls=2))


def test_liked_genres_weigh_more(catalog, user):
    plain = [track.genre for track in _lists(taste_get(user=user), calls=3)]
    taste = taste_update(user=user, liked_genres=["jazz"])

    liked = [track.genre for track in _lists(taste, calls=3)]

    assert liked.count("jazz") / len(liked) > plain.count("jazz") / len(plain) + 0.2


def test_the_artist_of_a_liked_track_weighs_more(catalog, user):
    artist_tracks = [Track.objects.create(id=f"LikedArtistTrack{i:06d}", name=f"Tune {i}", artist="Loved One",
                                          genre="pop", genres="pop", valence=0.9, energy=0.2 + i * 0.1,
                                          in_catalog=True) for i in range(3)]
    plain = sum(track.artist == "Loved One" for track in _lists(taste_get(user=user), calls=3))
    TrackFeedback.objects.create(user=user, track=artist_tracks[0], rating="like")

    liked = sum(track.artist == "Loved One" for track in _lists(taste_get(user=user), calls=3))

    assert liked > plain


def test_the_answer_says_when_liked_genres_could_not_fill_the_list(catalog, user):
    taste = taste_update(user=user, liked_genres=["jazz"], blocked_genres=["rock"])
    full = recommendation_make(mood="happy", rng=1, taste=taste)
    assert full.widened is False  # forty jazz songs: enough

    taste = taste_update(user=user, liked_genres=["folk"], blocked_genres=["rock"])
    narrow = recommendation_make(mood="happy", rng=1, taste=taste)

    assert narrow.widened is True
    assert len(narrow.tracks) == 10
    assert sum(track.genre == "folk" for track in narrow.tracks) == 2  # every folk song, then others
    assert all(track.genre != "rock" for track in narrow.tracks)  # blocked genres stay out


@pytest.fixture
def catalog(db):
    return taste_catalog() + [TrackFactory(genre="folk", genres="folk", artist=f"folk artist {i}", valence=0.5,
                                           energy=0.5) for i in range(2)]
