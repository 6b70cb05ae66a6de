"""Each entry stores how many tracks it lists: written with the tracks, rewritten when they are
re-picked, and filled in for the entries that existed before the column."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from history.models import HistoryEntry
from history.services import history_recommend_again, history_record
from tests.factories import UserFactory
from tests.history.factories import catalog_tracks, entry_with_tracks, probabilities_for
from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db


def test_recording_stores_the_number_of_tracks():
    tracks = catalog_tracks(12)[:7]
    entry = history_record(user=UserFactory(), mood="sad", confidence=0.8,
                           probabilities=probabilities_for("sad", 0.8), tracks=tracks)

    assert HistoryEntry.objects.get(pk=entry.pk).track_count == 7


def test_re_picking_rewrites_the_number():
    catalog_tracks(60)
    entry = entry_with_tracks(tracks=2, mood="happy")

    history_recommend_again(entry=entry, strategy="match")

    stored = HistoryEntry.objects.get(pk=entry.pk)
    assert stored.track_count == stored.items.count() > 2


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_tracks_of_existing_entries():
    executor = MigrationExecutor(connection)
    executor.migrate([("history", "0005_history_entry_user_mood_idx")])
    old = executor.loader.project_state([("history", "0005_history_entry_user_mood_idx")]).apps
    OldEntry, OldTrack = old.get_model("history", "HistoryEntry"), old.get_model("history", "HistoryTrack")
    user = UserFactory()  # accounts and music tables are not rolled back: today's models write them
    with_three = OldEntry.objects.create(user_id=user.pk, mood="happy", confidence=0.9, probabilities={})
    empty = OldEntry.objects.create(user_id=user.pk, mood="sad", confidence=0.9, probabilities={})
    for position, track in enumerate(TrackFactory.create_batch(3)):
        OldTrack.objects.create(entry=with_three, track_id=track.pk, position=position)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    counts = dict(HistoryEntry.objects.values_list("pk", "track_count"))
    assert counts == {with_three.pk: 3, empty.pk: 0}
