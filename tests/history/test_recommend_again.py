"""POST history/{uuid}/recommend: a fresh list of tracks for the same entry ("match my mood" /
"lift my mood" without a new photo). One detection stays one entry: its tracks are replaced."""

import statistics

import pytest

from history.models import HistoryEntry, HistoryTrack
from history.services import RECOMMENDATION_SIZE, history_recommend_again
from music.models import Track
from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import catalog_tracks, entry_with_tracks
from vexora.errors import InvalidInput, ServiceUnavailable

pytestmark = pytest.mark.django_db
DETAIL_FIELDS = {"uuid", "user_id", "mood", "detected_mood", "corrected_mood", "confidence", "created_at", "track_count",
                 "probabilities", "strategy", "tracks", "note", "tags"}


def _url(entry):
    return f"{API}history/{entry.uuid}/recommend"


def _stored(entry) -> list[str]:
    return list(HistoryTrack.objects.filter(entry=entry).order_by("position").values_list("track_id", flat=True))


def _valence(track_ids) -> list[float]:
    by_id = dict(Track.objects.filter(id__in=track_ids).values_list("id", "valence"))
    return [by_id[track_id] for track_id in track_ids]


def test_the_entry_gets_ten_new_tracks_and_the_strategy(auth_client):
    catalog = catalog_tracks(48)
    entry = entry_with_tracks(user=auth_client.user, mood="sad", tracks=catalog[:10])
    old = set(_stored(entry))
    entries_before = HistoryEntry.objects.count()

    response = auth_client.post(_url(entry), {"strategy": "uplift"}, format="json")

    body = assert_envelope(response, 200, "recommendation updated!", notify=True)
    data = body["data"]
    assert set(data) == DETAIL_FIELDS  # the same shape as GET history/{uuid}
    assert (data["uuid"], data["mood"], data["strategy"]) == (str(entry.uuid), "sad", "uplift")
    new = _stored(entry)
    assert [track["id"] for track in data["tracks"]] == new  # the stored order
    assert len(new) == RECOMMENDATION_SIZE == data["track_count"]
    assert not old & set(new)  # none of the old ones again
    artists = [track["artist"].casefold() for track in data["tracks"]]
    assert len(set(artists)) == len(artists)
    assert list(HistoryTrack.objects.filter(entry=entry).order_by("position").values_list("position", flat=True)) \
        == list(range(RECOMMENDATION_SIZE))
    entry.refresh_from_db()
    assert entry.strategy == "uplift"
    assert HistoryEntry.objects.count() == entries_before  # no new detection in the stats
    assert assert_envelope(auth_client.get(f"{API}history/{entry.uuid}"), 200)["data"] == data


def test_tracks_of_the_last_entries_are_not_offered_again(auth_client):
    catalog = catalog_tracks(48)
    older = entry_with_tracks(user=auth_client.user, mood="happy", tracks=catalog[10:20])
    entry = entry_with_tracks(user=auth_client.user, mood="sad", tracks=catalog[:10])

    assert_envelope(auth_client.post(_url(entry), {"strategy": "match"}, format="json"), 200)

    assert not set(_stored(entry)) & set(_stored(older))
    assert len(_stored(entry)) == 10


def test_lifting_a_sad_mood_rises_in_valence_where_matching_stays_low(auth_client):
    catalog_tracks(400)  # a 20 x 20 grid over valence/energy
    entry = entry_with_tracks(user=auth_client.user, mood="sad", tracks=0)
    matched_ends, lifted_starts, lifted_ends = [], [], []

    for _ in range(6):  # lists are sampled: judge the average of several, not one draw
        assert_envelope(auth_client.post(_url(entry), {"strategy": "match"}, format="json"), 200)
        matched = _valence(_stored(entry))
        assert_envelope(auth_client.post(_url(entry), {"strategy": "uplift"}, format="json"), 200)
        lifted = _valence(_stored(entry))

        assert len(matched) == len(lifted) == 10
        assert statistics.fmean(matched) < 0.4, matched  # stays with the sad mood
        assert statistics.fmean(lifted[5:]) > statistics.fmean(lifted[:5]), lifted  # rises along the list
        matched_ends.append(statistics.fmean(matched[5:]))
        lifted_starts.append(statistics.fmean(lifted[:5]))
        lifted_ends.append(statistics.fmean(lifted[5:]))

    assert statistics.fmean(lifted_ends) > statistics.fmean(lifted_starts) + 0.1, (lifted_starts, lifted_ends)
    assert statistics.fmean(lifted_ends) > statistics.fmean(matched_ends) + 0.15, (lifted_ends, matched_ends)


def test_another_users_entry_is_a_404_and_stays_as_it_was(auth_client, other_user):
    catalog = catalog_tracks(40)
    theirs = entry_with_tracks(user=other_user, mood="sad", tracks=catalog[:10])

    for uuid in (theirs.uuid, "8f14e45f-ceea-467f-a0e6-3c1b8b7a2f10", "not-a-uuid"):
        response = auth_client.post(f"{API}history/{uuid}/recommend", {"strategy": "uplift"}, format="json")
        assert_envelope(response, 404, "history entry not found")

    assert _stored(theirs) == [track.id for track in catalog[:10]]
    theirs.refresh_from_db()
    assert theirs.strategy == "match"


@pytest.mark.parametrize("body, message", [
    ({"strategy": "shuffle"}, "unknown strategy: choose one of match, uplift"),
    ({"strategy": "Uplift"}, "unknown strategy: choose one of match, uplift"),
    ({"strategy": ""}, "strategy: this field is required"),
    ({}, "strategy: this field is required"),
    ({"strategy": None}, "strategy: must be a string"),
])
def test_a_bad_strategy_is_a_400_and_changes_nothing(auth_client, body, message):
    catalog = catalog_tracks(40)
    entry = entry_with_tracks(user=auth_client.user, mood="angry", tracks=catalog[:10])

    response = auth_client.post(_url(entry), body, format="json")

    assert list(assert_envelope(response, 400, message)["errors"]) == ["strategy"]
    assert _stored(entry) == [track.id for track in catalog[:10]]
    entry.refresh_from_db()
    assert entry.strategy == "match"


def test_the_service_refuses_an_unknown_strategy_before_changing_anything():
    catalog = catalog_tracks(20)
    entry = entry_with_tracks(mood="sad", tracks=catalog[:10])

    with pytest.raises(InvalidInput) as error:
        history_recommend_again(entry=entry, strategy="louder")

    assert list(error.value.errors) == ["strategy"]
    assert _stored(entry) == [track.id for track in catalog[:10]]


def test_when_the_catalog_has_nothing_new_the_list_is_kept():
    catalog = catalog_tracks(10)
    entry = entry_with_tracks(mood="sad", tracks=catalog)

    with pytest.raises(ServiceUnavailable):
        history_recommend_again(entry=entry, strategy="uplift")

    assert _stored(entry) == [track.id for track in catalog]
    entry.refresh_from_db()
    assert entry.strategy == "match"


def test_without_a_token_it_is_a_401(api_client, user):
    catalog = catalog_tracks(20)
    entry = entry_with_tracks(user=user, mood="sad", tracks=catalog[:10])

    assert_envelope(api_client.post(_url(entry), {"strategy": "uplift"}, format="json"), 401,
                    "authentication required")
    assert _stored(entry) == [track.id for track in catalog[:10]]


def test_only_post_is_allowed(auth_client):
    entry = entry_with_tracks(user=auth_client.user, mood="sad", tracks=0)
    assert_envelope(auth_client.get(_url(entry)), 405)
