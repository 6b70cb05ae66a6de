"""Every list's filter and order has an index: history by user newest first, by user and mood
newest first; playlists by user newest first (read from the database itself)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _indexes(table: str) -> list[tuple[list[str], list[str]]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return [(info["columns"], info.get("orders") or []) for info in found.values()
            if info["index"] or info["unique"]]


@pytest.mark.parametrize(("table", "columns"), [
    ("history_historyentry", ["user_id", "created_at"]),
    ("history_historyentry", ["user_id", "mood", "created_at"]),
    ("history_historytrack", ["entry_id", "position"]),
    ("music_playlist", ["user_id", "created_at"]),
])
def test_each_list_has_an_index_for_its_filter_and_order(table, columns):
    assert any(found[:len(columns)] == columns for found, _ in _indexes(table)), _indexes(table)
