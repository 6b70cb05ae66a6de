"""bench_lists seeds users of the given history sizes, reports time and queries per endpoint
(the same number of queries at every size), and leaves nothing behind."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from history.models import HistoryEntry
from music.models import Track

pytestmark = pytest.mark.django_db(transaction=True)


def test_reports_every_list_endpoint_at_every_size_and_cleans_up():
    out = io.StringIO()
    call_command("bench_lists", "--sizes", "3,45", "--runs", "2", "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["sizes"] == [3, 45]
    assert {"GET history", "GET history?page=last (<= 50)", "GET history?mood=happy", "GET playlists",
            "GET history/{uuid}", "GET music/{history_uuid}"} <= set(report["endpoints"])
    for name, row in report["endpoints"].items():
        assert row["3"]["ms"] > 0 and row["45"]["ms"] > 0, name
        assert row["3"]["queries"] == row["45"]["queries"], name
    assert not get_user_model().objects.filter(username__startswith="bench-lists-").exists()
    assert not HistoryEntry.objects.exists() and not Track.objects.filter(id__startswith="benchtrack").exists()
