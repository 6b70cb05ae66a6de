"""bench_recommend reports timings with the conditions (figures are never asserted)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db


def test_json_report_names_the_database_and_catalog_size():
    for i in range(40):
        TrackFactory(valence=(i % 10) / 10, energy=(i // 4) / 10)
    out = StringIO()

    call_command("bench_recommend", "--calls", "16", "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["database"] == connection.vendor and report["tracks"] == 40 and report["calls"] == 16
    assert 0 < report["median_ms"] <= report["p95_ms"] <= report["max_ms"]


def test_text_report():
    TrackFactory.create_batch(12)
    out = StringIO()
    call_command("bench_recommend", "--calls", "8", stdout=out)
    assert f"database: {connection.vendor}" in out.getvalue() and "catalog tracks: 12" in out.getvalue()
    assert "median" in out.getvalue() and "p95" in out.getvalue()


def test_an_empty_catalog_is_a_clear_error():
    with pytest.raises(CommandError, match="load_catalog"):
        call_command("bench_recommend", "--calls", "3", stdout=StringIO())
