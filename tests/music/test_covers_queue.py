"""Asking for covers never waits: with a broker the tracks go to the Celery task (in batches, each
track once while it is pending, retried after a fault); without one, to a background thread of
the process; a broker that is down costs nothing but the cover. The schedule asks for the covers
of tracks recommended lately."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from history.services import history_record
from music import covers
from music.models import Track
from music.tasks import covers_fill
from tests.music.factories import TrackFactory
from vexora.celery import app


def _reset_publishing():
    app._pool = None  # the connection pool and producers are bound to the broker they were made for
    app.amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    """Celery publishing to an in-memory broker (kombu's ``memory://`` transport), as it would to
    Redis: ``broker.messages()`` drains what was published."""
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "memory://", False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _reset_publishing()

    def messages() -> list[dict]:
        found = []
        with app.connection_for_read() as connection:
            queue = connection.SimpleQueue("celery")
            while queue.qsize():
                message = queue.get(timeout=1)
                found.append({"task": message.headers["task"], "kwargs": message.payload[1],
                              "retries": message.headers.get("retries", 0), "eta": message.headers.get("eta")})
                message.ack()
            queue.close()
        return found

    broker = type("Broker", (), {"messages": staticmethod(messages)})
    try:
        yield broker
    finally:
        messages()
        app.conf.broker_url, app.conf.task_always_eager = saved
        _reset_publishing()


def ids(tracks) -> list[str]:
    return [track.id for track in tracks]


# --- With a broker -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_uncovered_tracks_are_queued_in_batches_and_once(broker, oembed_stub):
    tracks = TrackFactory.create_batch(25)
    covered = TrackFactory(thumbnail="https://i.scdn.co/image/stored")

    queued = covers.covers_fill_later(track_ids=[*ids(tracks), covered.id, "not-a-track-id"])

    assert queued == ids(tracks)
    sent = broker.messages()
    assert [m["task"] for m in sent] == ["music.tasks.covers_fill"] * 2
    assert [m["kwargs"]["track_ids"] for m in sent] == [ids(tracks[:20]), ids(tracks[20:])]
    assert covers.covers_fill_later(track_ids=ids(tracks)) == []  # pending: not queued twice
    assert broker.messages() == []
    assert oembed_stub.requests == []  # nothing was asked while queueing


@pytest.mark.django_db
def test_a_track_known_to_have_no_cover_is_not_queued(broker, oembed_stub):
    track = TrackFactory()
    covers.covers_fill(track_ids=[track.id])  # the stub does not know it: 404

    assert covers.covers_fill_later(track_ids=[track.id]) == []
    assert broker.messages() == []


@pytest.mark.django_db
def test_nothing_is_queued_without_a_source_or_with_filling_off(broker, oembed_stub, settings):
    track = TrackFactory()
    settings.COVERS_FILL = False
    assert covers.covers_fill_later(track_ids=[track.id]) == []
    settings.COVERS_FILL, settings.SPOTIFY_OEMBED_URL = True, ""
    assert covers.covers_fill_later(track_ids=[track.id]) == []
    assert broker.messages() == []


@pytest.mark.django_db
def test_a_fault_schedules_a_retry_of_the_tracks_not_looked_up(broker, oembed_stub):
    tracks = TrackFactory.create_batch(3)
    oembed_stub.add_cover(tracks[0].id)
    covers.covers_fill(track_ids=[tracks[0].id])  # filled already
    oembed_stub.mode, oembed_stub.retry_after = "rate_limited", 90

    covers_fill.push_request(id="covers-task-1", retries=0, is_eager=False, called_directly=False)
    try:
        with pytest.raises(Exception) as raised:
            covers_fill.run(track_ids=ids(tracks))
    finally:
        covers_fill.pop_request()

    assert type(raised.value).__name__ == "Retry" and raised.value.when >= 90
    [retry] = broker.messages()
    assert retry["task"] == "music.tasks.covers_fill" and retry["retries"] == 1
    assert retry["kwargs"] == {"track_ids": ids(tracks[1:])} and retry["eta"]


@pytest.mark.django_db
def test_after_the_last_retry_the_tracks_may_be_asked_for_again(broker, oembed_stub):
    track = TrackFactory()
    oembed_stub.mode = "error"
    covers.covers_fill_later(track_ids=[track.id])
    broker.messages()

    covers_fill.push_request(id="covers-task-2", retries=covers_fill.max_retries, is_eager=False, called_directly=False)
    try:
        assert covers_fill.run(track_ids=[track.id]) == {"filled": 0, "missing": 0, "deferred": 1}
    finally:
        covers_fill.pop_request()

    assert broker.messages() == []  # no retry left
    assert Track.objects.get(pk=track.pk).thumbnail == ""
    assert covers.covers_fill_later(track_ids=[track.id]) == [track.id]  # no longer pending


@pytest.mark.django_db
def test_a_broker_that_is_down_costs_only_the_cover(oembed_stub, settings, caplog):
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:9/0", False  # nothing listens
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _reset_publishing()
    track = TrackFactory()
    try:
        assert covers.covers_fill_later(track_ids=[track.id]) == []
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        _reset_publishing()

    assert any(r.getMessage().startswith("covers not queued") for r in caplog.records)
    assert cache.get(f"music:covers:pending:{track.id}") is None  # released: asked for again later


# --- The schedule --------------------------------------------------------------------------------
def test_the_schedule_fills_recent_covers(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["fill-recent-covers"]
    assert entry["task"] == "music.tasks.covers_fill_recent" == app.tasks[entry["task"]].name
    assert 0 < entry["schedule"] <= 3600


@pytest.mark.django_db
def test_recently_recommended_tracks_without_a_cover_are_queued(broker, oembed_stub, user):
    recent, old, covered = TrackFactory(), TrackFactory(), TrackFactory(thumbnail="https://i.scdn.co/image/x")
    history_record(user=user, mood="happy", confidence=0.9, probabilities={"happy": 0.9, "sad": 0.05, "angry": 0.03,
                                                                          "neutral": 0.02},
                   strategy="match", tracks=[recent, covered])
    long_ago = history_record(user=user, mood="sad", confidence=0.9, strategy="match", tracks=[old],
                              probabilities={"happy": 0.05, "sad": 0.9, "angry": 0.03, "neutral": 0.02})
    type(long_ago).objects.filter(pk=long_ago.pk).update(created_at=timezone.now() - timedelta(days=3))

    from music.tasks import covers_fill_recent

    assert covers_fill_recent.run() == 1
    assert [m["kwargs"]["track_ids"] for m in broker.messages()] == [[recent.id]]


# --- Without a broker: a background thread ------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_background_thread_fills_them(oembed_stub):
    tracks = TrackFactory.create_batch(3)
    expected = [oembed_stub.add_cover(track.id) for track in tracks]
    oembed_stub.mode = "hold"  # Spotify does not answer until released

    assert covers.covers_fill_later(track_ids=ids(tracks)) == ids(tracks)  # returned at once

    assert oembed_stub.wait_for_requests(1)
    assert list(Track.objects.filter(pk__in=ids(tracks)).values_list("thumbnail", flat=True)) == ["", "", ""]
    oembed_stub.release()
    assert covers.covers_wait_idle(timeout=10)
    assert [Track.objects.get(pk=t.pk).thumbnail for t in tracks] == expected
