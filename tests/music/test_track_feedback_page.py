"""Like / skip buttons on the result and playlist pages: a plain form (no JS) that comes back to
the page, or JSON for static/js/feedback.js; the reasons say what a song shares with the taste."""

import pytest

from music.models import GenrePreference, TrackFeedback
from tests.history.factories import entry_with_tracks
from tests.music.factories import PlaylistFactory, PlaylistTrackFactory, TrackFactory

pytestmark = pytest.mark.django_db


def _url(track):
    return f"/tracks/{track.id}/feedback/"


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_result_page_has_buttons_and_the_form_comes_back_to_it(signed_in, user):
    entry = entry_with_tracks(user=user, tracks=2)
    track = entry.items.first().track
    page_url = f"/result/{entry.uuid}/"
    page = signed_in.get(page_url).content.decode()
    assert _url(track) in page and 'data-rating="skip"' in page

    response = signed_in.post(_url(track), {"rating": "skip", "next": page_url})

    assert response.status_code == 302 and response["Location"] == page_url
    assert TrackFeedback.objects.get(user=user, track=track).rating == "skip"
    page = signed_in.get(page_url).content.decode()
    assert "will not be recommended to you again" in page
    assert 'value="clear" data-rating="skip" class="button button-small button-quiet" aria-pressed="true"' in page


def test_the_playlist_page_has_buttons_and_fetch_gets_json(signed_in, user):
    item = PlaylistTrackFactory(playlist=PlaylistFactory(user=user))
    assert _url(item.track) in signed_in.get(f"/playlists/{item.playlist.uuid}/").content.decode()

    liked = signed_in.post(_url(item.track), {"rating": "like"}, HTTP_X_REQUESTED_WITH="fetch")
    cleared = signed_in.post(_url(item.track), {"rating": "clear"}, HTTP_X_REQUESTED_WITH="fetch")
    bad = signed_in.post(_url(item.track), {"rating": "love"}, HTTP_X_REQUESTED_WITH="fetch")

    assert liked.json() == {"rating": "like"} and cleared.json() == {"rating": ""}
    assert bad.status_code == 400 and "like" in bad.json()["error"]
    assert not TrackFeedback.objects.exists()


def test_the_result_page_says_one_of_your_genres_and_when_the_net_was_widened(signed_in, user):
    jazz = TrackFactory(genre="jazz", genres="jazz")
    entry = entry_with_tracks(user=user, tracks=[jazz, *TrackFactory.create_batch(3, genre="pop", genres="pop")])
    GenrePreference.objects.create(user=user, genre="jazz", kind="like")

    page = signed_in.get(f"/result/{entry.uuid}/").content.decode()

    assert "One of your genres" in page  # the jazz song's reason
    assert "Few songs of your genres fit this mood" in page  # one in four is jazz


def test_someone_signed_out_cannot_rate(client):
    track = TrackFactory()
    assert client.post(_url(track), {"rating": "like"}).status_code == 302
    assert not TrackFeedback.objects.exists()
