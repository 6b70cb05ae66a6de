"""The result page as a moment: the mood-coloured hero, then the songs, then keep/share and the
scores; "Not right? I feel…" (history.services.history_correct_mood) through the Django client,
checked in the database; an unsure reading asks the person to confirm or correct it."""

import re

import pytest

from history.models import HistoryTrack
from tests.history.factories import entry_with_tracks

pytestmark = pytest.mark.django_db


def _stored(entry) -> list[str]:
    return list(HistoryTrack.objects.filter(entry=entry).order_by("position").values_list("track_id", flat=True))


def _position(content: str, marker: str) -> int:
    found = content.find(marker)
    assert found != -1, marker
    return found


def test_the_hero_comes_first_then_the_songs_then_saving_and_the_scores(signed_in, catalog):
    shown = entry_with_tracks(user=signed_in.user, mood="happy", confidence=0.9, tracks=catalog[:10])

    content = signed_in.get(f"/result/{shown.uuid}/").content.decode()

    hero, songs = _position(content, 'class="result-hero mood-bg-happy"'), _position(content, 'id="tracks-title"')
    save, scores = _position(content, 'id="save-title"'), _position(content, 'id="probs-title"')
    assert hero < songs < save < scores
    assert "Not right? I feel…" in content and "not sure" not in content


def test_not_right_i_feel_sad_changes_the_entry_and_its_songs(signed_in, catalog):
    shown = entry_with_tracks(user=signed_in.user, mood="happy", confidence=0.9, tracks=catalog[:10])
    before = _stored(shown)

    response = signed_in.post(f"/result/{shown.uuid}/mood/", {"mood": "sad"}, follow=True)

    assert response.redirect_chain == [(f"/result/{shown.uuid}/", 302)]
    assert "Got it: you feel Sad. Here are songs for that." in [str(m) for m in response.context["messages"]]
    shown.refresh_from_db()
    assert (shown.mood, shown.corrected_mood) == ("happy", "sad")
    after = _stored(shown)
    assert len(after) == 10 and not set(after) & set(before)
    content = response.content.decode()
    assert 'You feel <span class="detected-mood">Sad</span>' in content
    assert "We had read Happy" in content
    assert 'class="result-hero mood-bg-sad"' in content
    assert [track.id for track in response.context["earlier"][0]["tracks"]] == before  # nothing seen is lost


def test_an_unsure_reading_asks_to_confirm_or_correct(signed_in, catalog, settings):
    settings.MOOD_CONFIDENCE_THRESHOLD = 0.5
    shown = entry_with_tracks(user=signed_in.user, mood="neutral", confidence=0.42, tracks=catalog[:10])

    content = signed_in.get(f"/result/{shown.uuid}/").content.decode()

    assert 'Maybe <span class="detected-mood">Neutral (calm)</span>?' in content
    assert "We are not sure about this one" in content
    assert re.search(r'<button type="submit" name="mood" value="neutral"[^>]*>Yes, I feel neutral \(calm\)</button>',
                     content)
    assert {"happy", "sad", "angry"} <= set(re.findall(r'name="mood" value="(\w+)" class="mood-chip', content))

    response = signed_in.post(f"/result/{shown.uuid}/mood/", {"mood": "neutral"}, follow=True)

    assert "Thanks! This scan counts as Neutral (calm)." in [str(m) for m in response.context["messages"]]
    shown.refresh_from_db()
    assert shown.corrected_mood == "neutral" and _stored(shown) == [t.id for t in catalog[:10]]
    assert "not sure" not in response.content.decode()


def test_a_sure_reading_does_not_ask(signed_in, catalog, settings):
    settings.MOOD_CONFIDENCE_THRESHOLD = 0.5
    shown = entry_with_tracks(user=signed_in.user, mood="neutral", confidence=0.5, tracks=catalog[:3])
    assert "not sure" not in signed_in.get(f"/result/{shown.uuid}/").content.decode()


def test_an_unknown_mood_is_explained_and_changes_nothing(signed_in, catalog):
    shown = entry_with_tracks(user=signed_in.user, mood="happy", tracks=catalog[:10])

    response = signed_in.post(f"/result/{shown.uuid}/mood/", {"mood": "bored"}, follow=True)

    assert "Unknown mood: choose one of happy, sad, angry, neutral." in [str(m) for m in response.context["messages"]]
    shown.refresh_from_db()
    assert shown.corrected_mood is None and _stored(shown) == [t.id for t in catalog[:10]]


def test_another_persons_entry_is_a_404_and_unchanged(signed_in, other_user, catalog):
    theirs = entry_with_tracks(user=other_user, mood="happy", tracks=catalog[:10])
    assert signed_in.post(f"/result/{theirs.uuid}/mood/", {"mood": "sad"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.corrected_mood is None


def test_the_history_shows_the_answer(signed_in, catalog):
    shown = entry_with_tracks(user=signed_in.user, mood="happy", tracks=catalog[:3])
    signed_in.post(f"/result/{shown.uuid}/mood/", {"mood": "angry"})

    response = signed_in.get("/history/?mood=angry")

    assert list(response.context["page"].object_list) == [shown]
    assert "you said so (we read Happy)" in response.content.decode()
