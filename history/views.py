"""History pages: home (greeting, most frequent mood, latest entry, random music, 30-day chart),
the history list with its filters, one entry (the result page after a scan), deleting an entry,
saving an entry's tracks as a playlist, new music for an entry ("match" / "lift my mood").
Thin: they call history's and music's selectors and services, as the API does."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from history import selectors, services
from history.forms import HistoryFilterForm, SaveAsPlaylistForm
from history.models import HistoryTrack
from music import selectors as music_selectors
from music import services as music_services
from music.recommender import tracks_widened
from music.taste import taste_page_context
from vexora.errors import DomainError
from vexora.moods import MOOD_LABELS, MOODS, STRATEGY_LABELS, UPLIFT_MOODS
from vexora.web import form_error, form_status, next_url, or_404, sentence

HOME_RANDOM_TRACKS = 6
HISTORY_PAGE_SIZE = 10
RECOMMENDED_AGAIN = {
    "match": "Here is music that matches your mood.",
    "uplift": "Here is music that lifts your mood.",
}
# The lists a result showed before new songs replaced them ("match"/"lift", a corrected mood), kept
# in this browser's session so that nothing the person saw is lost: per entry, newest first.
EARLIER_KEY = "history:earlier"
EARLIER_LISTS = 3
EARLIER_ENTRIES = 5


@login_required
@require_GET
def home(request):
    user = request.user
    latest = selectors.history_list(user=user).first()
    if latest is not None:
        latest = selectors.history_get(user=user, entry_uuid=latest.uuid)
    picks = music_services.tracks_attach_covers(tracks=music_selectors.tracks_random(limit=HOME_RANDOM_TRACKS))
    context = {
        "most_mood": selectors.history_most_mood(user=user),
        "latest": latest,
        "latest_tracks": [item.track for item in latest.items.all()] if latest else [],
        "picks": picks,
        "stats": selectors.history_stats(user=user, days=selectors.STATS_DEFAULT_DAYS),
    }
    return render(request, "history/home.html", context)


@login_required
@require_GET
def history_list(request):
    form = HistoryFilterForm(request.GET or None, months=selectors.history_months(user=request.user))
    entries = selectors.history_list(user=request.user).none()
    if not form.is_bound or form.is_valid():
        mood, month = (form.cleaned_data["mood"], form.cleaned_data["month"]) if form.is_bound else ("", "")
        try:
            entries = selectors.history_list(user=request.user, mood=mood, month=month)
        except DomainError as exc:
            form_error(form, exc)
    tracks = HistoryTrack.objects.select_related("track").order_by("position")
    page = Paginator(entries.prefetch_related(Prefetch("items", queryset=tracks)), HISTORY_PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "filtered": bool(form.is_bound and any(request.GET.get(k) for k in
                                                                                    ("mood", "month"))),
               "query": query.urlencode()}
    return render(request, "history/list.html", context, status=form_status(request, form))


@login_required
@require_POST
def history_delete(request, entry_uuid):
    entry = or_404(selectors.history_get, user=request.user, entry_uuid=entry_uuid)
    services.history_delete(entry=entry)
    when = timezone.localtime(entry.created_at)
    messages.success(request, f"The {entry.get_effective_mood_display().lower()} entry of {when:%d %b %Y, %H:%M} "
                              "was deleted.")
    return redirect(next_url(request, reverse("history:list")))


def _result_page(request, entry, *, save_form=None):
    tracks = [item.track for item in entry.items.all()]
    mood = entry.effective_mood
    context = {
        "entry": entry,
        "mood": mood,
        "tracks": tracks,
        "unsure": not entry.corrected_mood and entry.confidence < settings.MOOD_CONFIDENCE_THRESHOLD,
        "other_moods": [other for other in MOODS if other != mood],
        "can_lift": mood in UPLIFT_MOODS,
        "earlier": _earlier_lists(request, entry, current=[track.id for track in tracks]),
        "save_form": save_form or SaveAsPlaylistForm(),
        "default_playlist_name": services.history_default_playlist_name(entry=entry),
    }
    shown = tracks + [track for earlier in context["earlier"] for track in earlier["tracks"]]
    context.update(taste_page_context(user=request.user, tracks=shown))
    context["taste_widened"] = tracks_widened(taste=context["taste"], track_ids=[track.id for track in tracks])
    return render(request, "history/result.html", context, status=form_status(request, save_form))


@login_required
@require_GET
def result(request, entry_uuid):
    """One entry: the mood read from the photo, its probabilities and the tracks given with it."""
    return _result_page(request, or_404(selectors.history_get, user=request.user, entry_uuid=entry_uuid))


@login_required
@require_POST
def history_playlist(request, entry_uuid):
    """Save an entry's tracks as a new playlist (from the result page)."""
    entry = or_404(selectors.history_get, user=request.user, entry_uuid=entry_uuid)
    form = SaveAsPlaylistForm(request.POST)
    if form.is_valid():
        try:
            playlist = services.history_save_as_playlist(entry=entry, name=form.cleaned_data["name"] or None)
        except DomainError as exc:
            form_error(form, exc, field="name")
        else:
            messages.success(request, f"Saved as the playlist “{playlist.name}”.")
            return redirect("music:playlist", playlist_uuid=playlist.uuid)
    return _result_page(request, entry, save_form=form)


@login_required
@require_POST
def history_recommend(request, entry_uuid):
    """New music for the same entry, matching or lifting its mood (the result page's buttons)."""
    entry = or_404(selectors.history_get, user=request.user, entry_uuid=entry_uuid)
    _remember_list(request, entry)
    try:
        entry = services.history_recommend_again(entry=entry, strategy=request.POST.get("strategy", ""))
    except DomainError as exc:
        messages.error(request, sentence(exc.message))
    else:
        messages.success(request, RECOMMENDED_AGAIN[entry.strategy])
    return redirect("history:result", entry_uuid=entry.uuid)


@login_required
@require_POST
def history_correct(request, entry_uuid):
    """The person's answer to the reading ("Yes" / "Not right? I feel…", the result page's buttons)."""
    entry = or_404(selectors.history_get, user=request.user, entry_uuid=entry_uuid)
    before = entry.effective_mood
    _remember_list(request, entry)
    try:
        entry = services.history_correct_mood(entry=entry, mood=request.POST.get("mood", ""))
    except DomainError as exc:
        messages.error(request, sentence(exc.message))
    else:
        label = MOOD_LABELS[entry.effective_mood]
        messages.success(request, f"Thanks! This scan counts as {label}." if entry.effective_mood == before else
                         f"Got it: you feel {label}. Here are songs for that.")
    return redirect("history:result", entry_uuid=entry.uuid)


def _remember_list(request, entry) -> None:
    track_ids = [item.track_id for item in entry.items.all()]
    if not track_ids:
        return
    kept = request.session.get(EARLIER_KEY, {})
    key = str(entry.uuid)
    lists = [earlier for earlier in kept.pop(key, []) if earlier["track_ids"] != track_ids]
    lists.insert(0, {"mood": entry.effective_mood, "strategy": entry.strategy, "track_ids": track_ids})
    kept[key] = lists[:EARLIER_LISTS]
    for old in list(kept)[:-EARLIER_ENTRIES]:
        del kept[old]
    request.session[EARLIER_KEY] = kept


def _earlier_lists(request, entry, *, current: list[str]) -> list[dict]:
    earlier = []
    for kept in request.session.get(EARLIER_KEY, {}).get(str(entry.uuid), []):
        if kept["track_ids"] == current:
            continue
        tracks = selectors.history_tracks_by_ids(track_ids=kept["track_ids"])
        strategy = "uplift" if kept["mood"] in UPLIFT_MOODS and kept["strategy"] == "uplift" else "match"
        label = f"{MOOD_LABELS.get(kept['mood'], '')}: {STRATEGY_LABELS[strategy].lower()}"
        if tracks:
            earlier.append({"label": label, "tracks": tracks})
    return earlier
