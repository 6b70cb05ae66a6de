"""A note and tags on the result page, shown in the history list (the same service as PATCH
history/{uuid})."""

import pytest

from history.models import Tag
from history.services import history_entry_update
from tests.history.factories import entry_with_tracks

pytestmark = pytest.mark.django_db


def test_the_result_page_offers_the_default_tags_and_saves_a_note_and_tags(signed_in):
    entry = entry_with_tracks(user=signed_in.user, tracks=1)
    page = signed_in.get(f"/result/{entry.uuid}/")
    form = page.context["context_form"]
    assert [value for value, _ in form.fields["tags"].choices] == ["sleep", "work", "family", "friends", "exercise",
                                                                    "weather"]

    response = signed_in.post(f"/result/{entry.uuid}/context/", {"note": "Slept badly", "tags": ["sleep", "work"],
                                                                 "new_tags": "Exam week, rain"})

    assert response.status_code == 302 and response["Location"] == f"/result/{entry.uuid}/#context-title"
    entry.refresh_from_db()
    assert entry.note == "Slept badly"
    assert sorted(tag.name for tag in entry.tags.all()) == ["Exam week", "rain", "sleep", "work"]
    page = signed_in.get(f"/result/{entry.uuid}/").content.decode()
    assert "Your note and tags were saved." in page and "Slept badly" in page
    assert 'href="/history/?tag=Exam%20week"' in page
    # The person's own tags are offered next time.
    choices = [value for value, _ in signed_in.get(f"/result/{entry.uuid}/").context["context_form"].fields["tags"].choices]
    assert choices[-2:] == ["Exam week", "rain"]


def test_a_bad_tag_shows_its_error_next_to_the_field_and_changes_nothing(signed_in):
    entry = entry_with_tracks(user=signed_in.user, tracks=0)

    response = signed_in.post(f"/result/{entry.uuid}/context/", {"note": "kept?", "new_tags": "ok, -bad"})

    assert response.status_code == 400
    assert response.context["context_form"].errors["new_tags"][0].startswith("A tag is 1 to 30 characters")
    entry.refresh_from_db()
    assert entry.note == "" and not Tag.objects.exists()


def test_the_history_list_shows_tags_and_notes_and_filters_by_tag(signed_in):
    tagged = entry_with_tracks(user=signed_in.user, tracks=1)
    history_entry_update(entry=tagged, note="Ran 5 km", tags=["exercise"])
    entry_with_tracks(user=signed_in.user, tracks=1)

    page = signed_in.get("/history/").content.decode()
    assert '<span class="tag">exercise</span>' in page and "Ran 5 km" in page

    response = signed_in.get("/history/", {"tag": "Exercise"})
    assert [entry.uuid for entry in response.context["page"].object_list] == [tagged.uuid]


def test_another_persons_entry_cannot_be_changed(signed_in, other_user):
    theirs = entry_with_tracks(user=other_user, tracks=0)
    assert signed_in.post(f"/result/{theirs.uuid}/context/", {"note": "mine"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.note == ""
