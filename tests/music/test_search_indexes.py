"""Catalog search on PostgreSQL is served by trigram GIN indexes (migration music 0002); on other
databases the migration does nothing."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from music.models import Track
from music.selectors import track_search
from tests.music.factories import TrackFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"),
]
migration = importlib.import_module("music.migrations.0002_track_search_trigram_indexes")
INDEXES = {f"music_track_{column}_trgm_idx" for column in ("name", "artist", "album")}


def _trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                       [Track._meta.db_table, "%gin_trgm_ops%"])
        return dict(cursor.fetchall())


def _plan(sql):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table would be scanned anyway
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_migration_created_one_index_per_searched_column():
    assert set(_trigram_indexes()) == INDEXES


def test_the_search_query_django_sends_can_use_all_three_indexes():
    TrackFactory(name="Serana")
    with connection.cursor() as cursor:
        # On a tiny table the planner would rather read the "not a duplicate" index, which on the
        # shipped catalog selects nearly every row; without it (rolled back with the test) the plan
        # shows what the text filter itself can use.
        cursor.execute("DROP INDEX IF EXISTS music_track_duplicate_of_idx")
    with CaptureQueriesContext(connection) as queries:
        assert [t.name for t in track_search(query="serana")] == ["Serana"]

    plan = _plan(queries.captured_queries[-1]["sql"])

    assert "BitmapOr" in plan and all(name in plan for name in INDEXES), plan


def test_the_migration_can_be_reversed_and_reapplied():
    with connection.schema_editor() as editor:
        migration.drop_indexes(apps, editor)
    assert _trigram_indexes() == {}

    with connection.schema_editor() as editor:
        migration.create_indexes(apps, editor)
    assert set(_trigram_indexes()) == INDEXES


def test_without_the_right_to_create_pg_trgm_search_stays_unindexed(capsys):
    with connection.cursor() as cursor:
        cursor.execute("DROP EXTENSION pg_trgm CASCADE")  # rolled back with the test's transaction
        cursor.execute("CREATE ROLE vexora_no_create_test")
        cursor.execute(f"GRANT ALL ON {Track._meta.db_table} TO vexora_no_create_test")
        cursor.execute("SET ROLE vexora_no_create_test")
    try:
        with connection.schema_editor() as editor:
            migration.create_indexes(apps, editor)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")

    assert _trigram_indexes() == {}
    assert "pg_trgm is not available" in capsys.readouterr().err
    TrackFactory(name="Serana")
    assert [t.name for t in track_search(query="serana")] == ["Serana"]
