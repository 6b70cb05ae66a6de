"""The result page's "Match my mood" / "Lift my mood" buttons (sad and angry results): new music for
the same entry, without a new photo (history.services.history_recommend_again), through the Django
client; the outcome is checked in the database. The current choice shows as pressed (never as
disabled), and the songs shown before stay on the page."""

import re

import pytest
from django.test import Client

from history.models import HistoryEntry, HistoryTrack
from tests.history.factories import entry_with_tracks

pytestmark = pytest.mark.django_db
BUTTON = re.compile(r'<button type="submit" name="strategy" value="(match|uplift)"[^>]*>.*?</button>', re.S)


def _result(client, entry) -> str:
    return client.get(f"/result/{entry.uuid}/").content.decode()


def _stored(entry) -> list[str]:
    return list(HistoryTrack.objects.filter(entry=entry).order_by("position").values_list("track_id", flat=True))


def _buttons(content: str) -> dict[str, str]:
    return {match.group(1): match.group(0) for match in BUTTON.finditer(content)}


@pytest.mark.parametrize("mood, strategy", [("sad", "match"), ("angry", "match"), ("sad", "uplift"),
                                            ("angry", "uplift")])
def test_sad_and_angry_results_offer_both_buttons_the_current_one_pressed(signed_in, mood, strategy):
    shown = entry_with_tracks(user=signed_in.user, mood=mood, strategy=strategy)

    content = _result(signed_in, shown)

    form = re.search(r'<form method="post" action="/result/[^"]+/recommend/".*?</form>', content, re.S)
    assert form and f'action="/result/{shown.uuid}/recommend/"' in form.group(0)
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    buttons = _buttons(form.group(0))
    assert set(buttons) == {"match", "uplift"}
    assert "Match my mood" in buttons["match"] and "Lift my mood" in buttons["uplift"]
    other = "uplift" if strategy == "match" else "match"
    assert 'aria-pressed="true"' in buttons[strategy] and 'aria-pressed="false"' in buttons[other]
    assert "disabled" not in form.group(0)
    assert "?strategy=" not in content  # no more "scan again with the other strategy" link


@pytest.mark.parametrize("mood", ["happy", "neutral"])
def test_happy_and_neutral_results_have_no_buttons(signed_in, mood):
    content = _result(signed_in, entry_with_tracks(user=signed_in.user, mood=mood))
    assert not _buttons(content)
    assert "/recommend/" not in content and "?strategy=" not in content


@pytest.mark.parametrize("strategy, message", [("uplift", "Here is music that lifts your mood."),
                                               ("match", "Here is music that matches your mood.")])
def test_a_button_replaces_the_songs_and_comes_back_with_a_message(signed_in, catalog, strategy, message):
    current = "match" if strategy == "uplift" else "uplift"
    shown = entry_with_tracks(user=signed_in.user, mood="sad", strategy=current, tracks=catalog[:10])
    old = set(_stored(shown))

    response = signed_in.post(f"/result/{shown.uuid}/recommend/", {"strategy": strategy}, follow=True)

    assert response.redirect_chain == [(f"/result/{shown.uuid}/", 302)]
    assert message in [str(m) for m in response.context["messages"]]
    new = _stored(shown)
    assert len(new) == 10 and not old & set(new)
    assert [track.id for track in response.context["tracks"]] == new  # the page shows the new list
    shown.refresh_from_db()
    assert shown.strategy == strategy
    assert HistoryEntry.objects.filter(user=signed_in.user).count() == 1
    assert 'aria-pressed="true"' in _buttons(response.content.decode())[strategy]
    [earlier] = response.context["earlier"]  # the songs shown before are still on the page
    assert {track.id for track in earlier["tracks"]} == old


def test_switching_back_and_forth_keeps_every_list_seen(signed_in, catalog):
    shown = entry_with_tracks(user=signed_in.user, mood="angry", strategy="match", tracks=catalog[:10])
    seen = [_stored(shown)]
    for strategy in ("uplift", "match"):
        signed_in.post(f"/result/{shown.uuid}/recommend/", {"strategy": strategy})
        seen.append(_stored(shown))

    response = signed_in.get(f"/result/{shown.uuid}/")

    assert [track.id for track in response.context["tracks"]] == seen[-1]
    assert [[track.id for track in earlier["tracks"]] for earlier in response.context["earlier"]] == seen[-2::-1]
    content = response.content.decode()
    assert "Songs you saw before (2 lists)" in content
    assert "Angry: lift the mood" in content and "Angry: match the mood" in content


def test_an_unknown_strategy_is_explained_and_changes_nothing(signed_in, catalog):
    shown = entry_with_tracks(user=signed_in.user, mood="angry", tracks=catalog[:10])

    response = signed_in.post(f"/result/{shown.uuid}/recommend/", {"strategy": "louder"}, follow=True)

    assert response.redirect_chain == [(f"/result/{shown.uuid}/", 302)]
    assert "Unknown strategy: choose one of match, uplift." in [str(m) for m in response.context["messages"]]
    assert _stored(shown) == [track.id for track in catalog[:10]]


def test_another_persons_entry_is_a_404_and_stays_as_it_was(signed_in, other_user, catalog):
    theirs = entry_with_tracks(user=other_user, mood="sad", tracks=catalog[:10])

    response = signed_in.post(f"/result/{theirs.uuid}/recommend/", {"strategy": "uplift"})

    assert response.status_code == 404
    assert _stored(theirs) == [track.id for track in catalog[:10]]
    theirs.refresh_from_db()
    assert theirs.strategy == "match"


def test_it_takes_a_post_with_the_csrf_token_and_a_signed_in_person(signed_in, user, catalog):
    shown = entry_with_tracks(user=signed_in.user, mood="sad", tracks=catalog[:10])
    url = f"/result/{shown.uuid}/recommend/"

    assert signed_in.get(url).status_code == 405
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.post(url, {"strategy": "uplift"}).status_code == 403
    anonymous = Client().post(url, {"strategy": "uplift"})
    assert (anonymous.status_code, anonymous["Location"].split("?")[0]) == (302, "/login/")
    assert _stored(shown) == [track.id for track in catalog[:10]]


def test_the_scan_page_still_offers_the_strategy_choice(signed_in):
    assert signed_in.get("/scan/?strategy=uplift").context["form"]["strategy"].value() == "uplift"
    assert signed_in.get("/scan/").context["form"]["strategy"].value() == "match"
