"""GET /api/v1/spotify/search?search=q over the local catalog (Spotify off)."""

import pytest

from tests.music.factories import TrackFactory

URL = "/api/v1/spotify/search"
pytestmark = pytest.mark.django_db


def _search(client, query):
    return client.get(URL, {"search": query})


def _ids(response):
    return [track["id"] for track in response.json()["data"]["music"]]


@pytest.mark.parametrize("params", [{}, {"search": ""}, {"search": "   "}])
def test_a_query_is_required(client_for, user, params):
    response = client_for(user).get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "search query is required" and body["success"] is False
    assert body["errors"] == {"search": ["this field is required"]}


def test_a_too_long_query_is_refused(client_for, user):
    response = _search(client_for(user), "x" * 101)
    assert response.status_code == 400 and response.json()["message"] == "search query is too long"


def test_title_artist_and_album_match_case_insensitively(client_for, user):
    by_title = TrackFactory(name="Midnight City", artist="M83", album="Hurry Up")
    by_artist = TrackFactory(name="Song", artist="The Midnight", album="Days")
    by_album = TrackFactory(name="Other", artist="Someone", album="Midnight Memories")
    TrackFactory(name="Noon", artist="Day", album="Light")
    client = client_for(user)

    response = _search(client, "MIDNIGHT")

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "success" and body["success"] is True
    assert set(_ids(response)) == {by_title.id, by_artist.id, by_album.id}
    assert _ids(_search(client, "m83")) == [by_title.id]


def test_results_are_ranked_by_relevance_then_popularity(client_for, user):
    prefix_popular = TrackFactory(name="Love Story", popularity=90)
    prefix_unpopular = TrackFactory(name="Lovely", popularity=10)
    exact = TrackFactory(name="Love", popularity=5)
    by_artist = TrackFactory(name="Other", artist="Love", popularity=99)
    popular_contains = TrackFactory(name="Crazy in Love", popularity=95)

    ids = _ids(_search(client_for(user), "love"))

    assert ids == [exact.id, by_artist.id, prefix_popular.id, prefix_unpopular.id, popular_contains.id]


def test_every_word_must_match_somewhere(client_for, user):
    wanted = TrackFactory(name="Shape of You", artist="Ed Sheeran")
    TrackFactory(name="Shape of My Heart", artist="Sting")
    assert _ids(_search(client_for(user), "sheeran shape")) == [wanted.id]


def test_wildcards_are_literal_and_no_match_is_an_empty_list(client_for, user):
    TrackFactory(name="Anything")
    client = client_for(user)
    for query in ("%", "_", "zzzz"):
        response = _search(client, query)
        assert response.status_code == 200 and _ids(response) == []


def test_at_most_twenty_results(client_for, user):
    TrackFactory.create_batch(25, name="Echo")
    assert len(_ids(_search(client_for(user), "echo"))) == 20


def test_a_token_is_required(api_client):
    assert api_client.get(URL, {"search": "love"}).status_code == 401
