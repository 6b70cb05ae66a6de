"""The music pages in Bahasa Indonesia: with a browser asking for Indonesian (Accept-Language:
id) the playlists, playlist and taste pages and a result listing songs speak Indonesian, the
songs' reasons too; a browser asking for nothing in particular still gets English."""

import pytest

from history.services import history_record
from music.services import playlist_create
from music.taste import taste_update
from tests.history.factories import probabilities_for
from tests.music.factories import TrackFactory
from tests.music.taste_support import taste_catalog

pytestmark = pytest.mark.django_db
INDONESIAN = {"HTTP_ACCEPT_LANGUAGE": "id"}


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def quiet_jazz(user):
    """A calm, acoustic jazz song, in a playlist, and jazz among the listener's genres."""
    taste_catalog(per_genre=2)
    track = TrackFactory(name="Blue Room", artist="The Oakley Trio", genre="jazz", genres="jazz",
                         valence=0.5, energy=0.1, acousticness=0.9)
    taste_update(user=user, liked_genres=["jazz"])
    return track


def test_the_playlists_page_in_indonesian(signed_in, user):
    playlist_create(user=user, name="Sore", track_ids=[TrackFactory().id, TrackFactory().id])

    page = signed_in.get("/playlists/", **INDONESIAN)
    text = page.content.decode()

    assert page.status_code == 200 and page["Content-Language"] == "id"
    assert '<html lang="id">' in text
    for indonesian in ("Playlist kamu", "Playlist baru", "Buat playlist", "2 lagu", "Deskripsi (opsional)"):
        assert indonesian in text
    for english in ("Your playlists", "New playlist", "Create playlist", "2 songs", "Description (optional)"):
        assert english not in text


def test_the_playlist_page_and_its_songs_in_indonesian(signed_in, user, quiet_jazz):
    playlist = playlist_create(user=user, name="Sore", track_ids=[quiet_jazz.id])

    text = signed_in.get(f"/playlists/{playlist.uuid}/?q=Blue", **INDONESIAN).content.decode()

    for indonesian in ("Semua playlist", "Tambah lagu", "Ganti nama", "Hapus playlist ini", "sudah di playlist",
                       "Putar Blue Room oleh The Oakley Trio", "Sampul ", "Buka di ", "Suka", "Lewati",
                       "Salah satu genre kesukaanmu, tenang dan akustik", "Hasil pencarian", "Cari lagu"):
        assert indonesian in text, indonesian
    for english in ("All playlists", "Add a song", "Delete this playlist", "in the playlist", "Play Blue Room",
                    "Cover of", "Open in", "one of your genres", "calm and acoustic", "Search results"):
        assert english not in text, english


def test_the_taste_page_in_indonesian(signed_in):
    taste_catalog(per_genre=2)

    text = signed_in.get("/taste/", **INDONESIAN).content.decode()

    for indonesian in ("Selera musikmu", "Genre yang kamu suka", "Genre yang tidak mau kamu dengar",
                       "Rekomendasikan lagu dengan lirik eksplisit", "Simpan"):
        assert indonesian in text
    assert "Your taste" not in text and "Genres you like" not in text
    assert 'value="jazz"' in text  # genres stay as the catalog names them


def test_a_result_lists_its_songs_in_indonesian(signed_in, user, quiet_jazz):
    bright = TrackFactory(name="Calle Ocho", artist="Sonia Vela", valence=0.9, energy=0.6, danceability=0.92)
    entry = history_record(user=user, mood="happy", confidence=0.8, probabilities=probabilities_for("happy", 0.8),
                           tracks=[quiet_jazz, bright])

    text = signed_in.get(f"/result/{entry.uuid}/", **INDONESIAN).content.decode()

    assert "Cerah dan asyik untuk berdansa" in text
    assert "Putar Calle Ocho oleh Sonia Vela" in text
    assert "bright and danceable" not in text.lower() and "Play Calle Ocho" not in text


def test_the_playlist_messages_in_indonesian(signed_in, user):
    response = signed_in.post("/playlists/", {"name": "Malam", "description": ""}, follow=True, **INDONESIAN)

    assert "Playlist “Malam” sudah dibuat. Tambahkan lagu di bawah." in response.content.decode()


def test_english_stays_the_default(signed_in, user, quiet_jazz):
    playlist = playlist_create(user=user, name="Evening", track_ids=[quiet_jazz.id])

    text = signed_in.get(f"/playlists/{playlist.uuid}/").content.decode()

    assert '<html lang="en">' in text
    for english in ("All playlists", "Add a song", "Play Blue Room by The Oakley Trio",
                    "One of your genres, calm and acoustic", "Open in "):
        assert english in text, english
    assert "Tambah lagu" not in text and "tenang" not in text
