"""A track's reason in the reader's language: ``track_reason(..., translate=gettext)`` gives the
Indonesian phrase when Indonesian is active; without ``translate`` (the API's serializer, an API
answer listing tracks, even asked for in Indonesian) it stays the English phrase."""

from dataclasses import dataclass, field

import pytest
from django.utils import translation
from django.utils.translation import gettext

from music.reasons import track_reason
from music.serializers import TrackSerializer
from music.services import playlist_create
from tests.music.factories import TrackFactory


@dataclass
class Taste:
    liked_genres: set = field(default_factory=set)
    liked_artists: set = field(default_factory=set)


@pytest.mark.parametrize("features, english, indonesian", [
    ({"valence": 0.5, "energy": 0.15, "acousticness": 0.95}, "calm and acoustic", "tenang dan akustik"),
    ({"valence": 0.9, "energy": 0.6, "danceability": 0.92}, "bright and danceable", "cerah dan asyik untuk berdansa"),
    ({"valence": 0.1, "energy": 0.97}, "dark and intense", "gelap dan intens"),
    ({"valence": 0.08, "energy": 0.2}, "calm and melancholic", "tenang dan melankolis"),
    ({"valence": 0.5, "energy": 0.95}, "energetic", "energik"),
    ({"valence": 0.5, "energy": 0.5, "instrumentalness": 0.95, "tempo": 60}, "instrumental and slow",
     "instrumental dan lambat"),
    ({"valence": 0.5, "energy": 0.5, "tempo": 200}, "fast", "cepat"),
    ({"valence": 0.5, "energy": 0.5, "danceability": 0.5, "tempo": 118}, "balanced and mid-tempo",
     "seimbang dan bertempo sedang"),
    ({}, "", ""),
])
def test_known_features_read_in_indonesian_with_a_translate_function(features, english, indonesian):
    with translation.override("id"):
        assert track_reason(features, translate=gettext) == indonesian
        assert track_reason(features) == english  # no translate: English, whatever is active


def test_the_taste_leads_in_indonesian_too():
    track = {"valence": 0.5, "energy": 0.15, "acousticness": 0.95, "genres": "jazz", "artist": "Nina Simone"}
    with translation.override("id"):
        assert (track_reason(track, taste=Taste(liked_genres={"jazz"}), translate=gettext)
                == "salah satu genre kesukaanmu, tenang dan akustik")
        assert (track_reason(track, taste=Taste(liked_artists={"nina simone"}), translate=gettext)
                == "salah satu artis kesukaanmu, tenang dan akustik")
        assert track_reason(track, taste=Taste(liked_genres={"jazz"})) == "one of your genres, calm and acoustic"
        # A taste that shares nothing: no leading part (and no translation of an empty text).
        assert track_reason(track, taste=Taste(liked_genres={"metal"}), translate=gettext) == "tenang dan akustik"


@pytest.mark.django_db
def test_the_serializer_gives_the_english_reason_in_any_language():
    track = TrackFactory(valence=0.5, energy=0.1, acousticness=0.9)
    with translation.override("id"):
        assert TrackSerializer(track).data["reason"] == "calm and acoustic"


@pytest.mark.django_db
def test_an_api_answer_listing_tracks_keeps_the_english_reason(client_for, user):
    quiet = TrackFactory(valence=0.5, energy=0.1, acousticness=0.9)
    bright = TrackFactory(valence=0.9, energy=0.6, danceability=0.92)
    playlist = playlist_create(user=user, name="Sore", track_ids=[quiet.id, bright.id])

    answer = client_for(user).get(f"/api/v1/playlists/{playlist.uuid}", HTTP_ACCEPT_LANGUAGE="id")

    assert answer["Content-Language"] == "en"
    assert [track["reason"] for track in answer.json()["data"]["tracks"]] == ["calm and acoustic",
                                                                             "bright and danceable"]
