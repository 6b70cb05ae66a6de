"""bench_search reports per-query timings with the conditions (figures are never asserted)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db


def test_json_report_has_one_row_per_query_with_its_result_count():
    TrackFactory(name="Serana", artist="For Revenge")
    TrackFactory(name="Love Song")
    TrackFactory(name="Other", artist="Someone")
    out = StringIO()

    call_command("bench_search", "--runs", "3", "--query", "serana", "--query", " love ", "--query", "xyzzy",
                 "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["database"] == connection.vendor and report["tracks"] == 3 and report["runs"] == 3
    assert [(r["query"], r["results"]) for r in report["queries"]] == [("serana", 1), ("love", 1), ("xyzzy", 0)]
    assert all(0 < r["median_ms"] <= r["p95_ms"] for r in report["queries"])
    expected_indexes = 3 if connection.vendor == "postgresql" else 0
    assert report["trigram_indexes"] == expected_indexes


def test_text_report_uses_the_built_in_queries_by_default():
    TrackFactory.create_batch(5)
    out = StringIO()
    call_command("bench_search", "--runs", "1", stdout=out)
    text = out.getvalue()
    assert f"database: {connection.vendor}" in text and "catalog tracks: 5" in text
    assert "bohemian rhapsody" in text and "median of the medians" in text


@pytest.mark.parametrize("args, message", [
    (["--runs", "0"], "--runs must be at least 1"),
    (["--query", "   "], "--query must not be blank"),
])
def test_bad_options_are_clear_errors(args, message):
    TrackFactory()
    with pytest.raises(CommandError, match=message):
        call_command("bench_search", *args, stdout=StringIO())


def test_an_empty_catalog_is_a_clear_error():
    with pytest.raises(CommandError, match="load_catalog"):
        call_command("bench_search", stdout=StringIO())
