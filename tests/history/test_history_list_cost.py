"""A page of GET history costs the same whatever the size of the history: a fixed number of
queries, a COUNT that reads history entries only, and track counts for the page's rows only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.history.conftest import API
from tests.history.factories import entry_with_tracks
from tests.music.factories import PlaylistFactory

pytestmark = pytest.mark.django_db


def _queries(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("path", ["history", "history?mood=happy", "history?page=2&page_size=5"])
def test_a_page_costs_four_queries_at_any_size(auth_client, path):
    for _ in range(12):
        entry_with_tracks(user=auth_client.user, mood="happy", tracks=3)
    small = _queries(auth_client, API + path)
    for _ in range(40):
        entry_with_tracks(user=auth_client.user, mood="happy", tracks=3)

    large = _queries(auth_client, API + path)

    # the user with the token's revocation, the count, the page, the page's tags
    assert len(small) == len(large) == 4


def test_the_count_reads_the_entries_only_and_track_counts_come_with_the_page(auth_client):
    for tracks in (1, 2, 3, 4, 5, 6):
        entry_with_tracks(user=auth_client.user, tracks=tracks)

    sql = _queries(auth_client, API + "history?page=2&page_size=2")
    count = next(query for query in sql if "COUNT(*)" in query and "historyentry" in query)

    assert "historytrack" not in count.lower()
    body = auth_client.get(API + "history?page=2&page_size=2").json()
    assert [item["track_count"] for item in body["data"]] == [4, 3]  # newest first: 6, 5 | 4, 3 | 2, 1


def test_the_playlists_page_counts_tracks_per_playlist_without_grouping_them_all(auth_client):
    from music.models import PlaylistTrack
    from tests.history.factories import catalog_tracks

    tracks = catalog_tracks(4)
    for size in (0, 2, 4):
        playlist = PlaylistFactory(user=auth_client.user)
        PlaylistTrack.objects.bulk_create([PlaylistTrack(playlist=playlist, track=track, position=i)
                                           for i, track in enumerate(tracks[:size])])

    sql = _queries(auth_client, API + "playlists")
    count = next(query for query in sql if "COUNT(*)" in query and "playlist" in query)

    assert "playlisttrack" not in count.lower()
    assert [item["track_count"] for item in auth_client.get(API + "playlists").json()["data"]] == [4, 2, 0]
