import csv
import gzip

import pytest
from django.db import connection

from music.models import Track
from music.services import catalog_load
from tests.factories import UserFactory
from tests.stubs.spotify import CLIENT_ID, CLIENT_SECRET, SpotifyStub

CSV_HEADER = ["id", "name", "artist", "album", "album_id", "release_date", "genres", "subgenre", "popularity",
              "explicit", "valence", "energy", "danceability", "tempo", "acousticness", "instrumentalness",
              "loudness", "speechiness", "liveness", "mode", "key", "duration_ms", "duplicate_of"]


def write_catalog(path, rows, *, header=CSV_HEADER, compress=False):
    """Writes a catalog CSV: ``rows`` are dicts (missing keys -> empty cells) or raw lists."""
    opener = gzip.open if compress else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row if isinstance(row, list) else [row.get(name, "") for name in header])
    return path


def catalog_row(track_id, name="A Song", artist="An Artist", **fields):
    row = {"id": track_id, "name": name, "artist": artist, "album": "An Album", "album_id": "B" * 22,
           "release_date": "2019-06-14", "genres": "pop", "subgenre": "dance pop", "popularity": "60",
           "explicit": "false", "valence": "0.5", "energy": "0.5", "danceability": "0.7", "tempo": "120.5",
           "acousticness": "0.1", "instrumentalness": "0.0", "loudness": "-6.5", "speechiness": "0.05",
           "liveness": "0.1", "mode": "1", "key": "5", "duration_ms": "200000", "duplicate_of": ""}
    row.update({key: str(value) for key, value in fields.items()})
    return row


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def client_for(api_client):
    """``client_for(user)``: the API client authenticated as ``user``."""

    def authenticate(person):
        api_client.force_authenticate(user=person)
        return api_client

    return authenticate


@pytest.fixture(scope="module")
def shipped_catalog(django_db_setup, django_db_blocker):
    """The real shipped catalog (~116k tracks), loaded once for a module and removed after it."""
    with django_db_blocker.unblock():
        result = catalog_load()
    yield result
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Track._meta.db_table}")


@pytest.fixture
def spotify_stub(settings):
    """A running Spotify stub, with settings pointing spotipy at it (short timeout, no retries)."""
    stub = SpotifyStub().start()
    settings.SPOTIFY_CLIENT_ID = CLIENT_ID
    settings.SPOTIFY_CLIENT_SECRET = CLIENT_SECRET
    settings.SPOTIFY_API_PREFIX = stub.api_prefix
    settings.SPOTIFY_TOKEN_URL = stub.token_url
    settings.SPOTIFY_TIMEOUT = 0.5
    settings.SPOTIFY_CACHE_SECONDS = 600
    settings.SPOTIFY_FAILURE_COOLDOWN = 30
    try:
        yield stub
    finally:
        stub.close()
