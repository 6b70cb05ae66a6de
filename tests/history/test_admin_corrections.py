"""The admin's corrections page: how often people corrected each mood the model read, and to what
(a confusion matrix from real use, across all users)."""

import re

import pytest
from django.urls import reverse

from history.selectors import history_corrections
from history.services import history_correct_mood
from tests.factories import UserFactory
from tests.history.factories import catalog_tracks, entry_with_tracks

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    catalog_tracks(48)
    for read, felt in [("happy", "sad"), ("happy", "sad"), ("happy", "happy"), ("happy", None),
                       ("angry", "neutral"), ("sad", None)]:
        entry = entry_with_tracks(mood=read, tracks=0)
        if felt:
            history_correct_mood(entry=entry, mood=felt)


def test_the_matrix_counts_answers_per_reading(answered):
    matrix = history_corrections()

    assert (matrix["total"], matrix["answered"], matrix["corrected"]) == (6, 4, 3)
    happy = matrix["rows"][0]
    assert happy == {"mood": "happy", "total": 4, "unanswered": 1, "corrected": 2,
                     "answers": {"happy": 1, "sad": 2, "angry": 0, "neutral": 0}}
    angry = next(row for row in matrix["rows"] if row["mood"] == "angry")
    assert angry["answers"]["neutral"] == 1 and angry["corrected"] == 1


def test_staff_see_the_matrix_from_the_entries_list(client, answered):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:history_historyentry_corrections")

    assert url in client.get(reverse("admin:history_historyentry_changelist")).content.decode()
    page = client.get(url).content.decode()

    assert "<strong>6</strong> entries, <strong>4</strong> answered" in page
    happy_row = re.search(r'<th scope="row">Happy</th>(.*?)</tr>', page, re.DOTALL).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", happy_row) == ["1", "2", "0", "0", "1", "2 (67%)"]


def test_people_who_are_not_staff_are_sent_to_the_login(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:history_historyentry_corrections"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
