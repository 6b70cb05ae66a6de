"""History pages: home (greeting, most frequent mood, latest entry, random music, 30-day chart),
the history list with its filters, one entry (the result page after a scan) with its note and
tags, deleting an entry, saving an entry's tracks as a playlist, new music for an entry ("match" /
"lift my mood"), the calendar (month, year in pixels), the insights, the data export.
Thin: they call history's and music's selectors and services, as the API does."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from history import exports, selectors, services, summaries
from history.forms import EntryContextForm, HistoryFilterForm, SaveAsPlaylistForm
from history.models import HistoryTrack
from music import selectors as music_selectors
from music import services as music_services
from music.recommender import tracks_widened
from music.taste import taste_page_context
from vexora.errors import DomainError
from vexora.i18n import mood_label, mood_word, strategy_label
from vexora.moods import MOODS, UPLIFT_MOODS
from vexora.templatetags.ui import when
from vexora.web import form_error, form_status, next_url, or_404, sentence, throttle

HOME_RANDOM_TRACKS = 6
FILTERS = ("mood", "month", "day", "tag")
INSIGHTS_DAY_CHOICES = (30, 90, 365)
HISTORY_PAGE_SIZE = 10
RECOMMENDED_AGAIN = {
    "match": gettext_lazy("Here is music that matches your mood."),
    "uplift": gettext_lazy("Here is music that lifts your mood."),
}
# The insights' times of day (history.summaries.TIMES_OF_DAY) and weekdays (summaries.WEEKDAYS).
TIME_OF_DAY_NAMES = {"night": gettext_lazy("Night"), "morning": gettext_lazy("Morning"),
                     "afternoon": gettext_lazy("Afternoon"), "evening": gettext_lazy("Evening")}
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
        filters = {name: form.cleaned_data[name] if form.is_bound else "" for name in FILTERS}
        try:
            entries = selectors.history_list(user=request.user, **filters)
        except DomainError as exc:
            form_error(form, exc)
    tracks = HistoryTrack.objects.select_related("track").order_by("position")
    page = Paginator(entries.prefetch_related(Prefetch("items", queryset=tracks)), HISTORY_PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "filtered": bool(form.is_bound and any(request.GET.get(k) for k in FILTERS)),
               "query": query.urlencode()}
    return render(request, "history/list.html", context, status=form_status(request, form))


@login_required
@require_POST
def history_delete(request, entry_uuid):
    entry = or_404(selectors.history_get, user=request.user, entry_uuid=entry_uuid)
    services.history_delete(entry=entry)
    messages.success(request, _("The %(mood)s entry of %(when)s was deleted.")
                     % {"mood": mood_word(entry.effective_mood), "when": when(entry.created_at)})
    return redirect(next_url(request, reverse("history:list")))


def _context_form(request, entry, data=None):
    names = [tag["name"] for tag in selectors.history_tags(user=request.user)]
    initial = {"note": entry.note, "tags": [tag.name for tag in entry.tags.all()]}
    return EntryContextForm(data, initial=initial, tag_names=names)


def _result_page(request, entry, *, save_form=None, context_form=None):
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
        "context_form": context_form or _context_form(request, entry),
        "default_playlist_name": services.history_default_playlist_name(entry=entry),
    }
    shown = tracks + [track for earlier in context["earlier"] for track in earlier["tracks"]]
    context.update(taste_page_context(user=request.user, tracks=shown))
    context["taste_widened"] = tracks_widened(taste=context["taste"], track_ids=[track.id for track in tracks])
    return render(request, "history/result.html", context, status=form_status(request, save_form, context_form))


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
            messages.success(request, _("Saved as the playlist “%(name)s”.") % {"name": playlist.name})
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
        label = {"mood": mood_label(entry.effective_mood)}
        messages.success(request, _("Thanks! This scan counts as %(mood)s.") % label if entry.effective_mood == before
                         else _("Got it: you feel %(mood)s. Here are songs for that.") % label)
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
        label = _("%(mood)s: %(strategy)s") % {"mood": mood_label(kept["mood"]), "strategy": strategy_label(strategy).lower()}
        if tracks:
            earlier.append({"label": label, "tracks": tracks})
    return earlier


@login_required
@require_POST
def history_context(request, entry_uuid):
    """An entry's note and tags (the result page's form)."""
    entry = or_404(selectors.history_get, user=request.user, entry_uuid=entry_uuid)
    form = _context_form(request, entry, request.POST)
    if form.is_valid():
        try:
            services.history_entry_update(entry=entry, note=form.cleaned_data["note"], tags=form.tag_list())
        except DomainError as exc:
            form_error(form, exc, fields={"tags": "new_tags"})
        else:
            messages.success(request, _("Your note and tags were saved."))
            return redirect(reverse("history:result", args=[entry.uuid]) + "#context-title")
    return _result_page(request, entry, context_form=form)


def _month_title(period: str | None, format: str = "YEAR_MONTH_FORMAT") -> str:
    """"2026-12" -> "December 2026" ("Desember 2026"); ``format="M"``: "Dec" ("Des")."""
    return formats.date_format(dt.date(int(period[:4]), int(period[5:7]), 1), format) if period else ""


@login_required
@require_GET
def calendar_month(request):
    """One month, a day per cell, coloured by its mood (``?month=YYYY-MM``, default this month)."""
    status = 200
    try:
        calendar = summaries.history_calendar(user=request.user, month=request.GET.get("month"))
    except DomainError as exc:
        messages.error(request, sentence(exc.message))
        calendar, status = summaries.history_calendar(user=request.user), 400
    context = {"calendar": calendar, "title": _month_title(calendar["period"]),
               "previous_title": _month_title(calendar["previous"]), "next_title": _month_title(calendar["next"]),
               "previous_short": _month_title(calendar["previous"], "M"), "next_short": _month_title(calendar["next"], "M")}
    return render(request, "history/calendar.html", context, status=status)


@login_required
@require_GET
def calendar_year(request):
    """A year in pixels (``?year=YYYY``, default this year)."""
    year, status = request.GET.get("year") or f"{timezone.localdate():%Y}", 200
    try:
        calendar = summaries.history_calendar(user=request.user, year=year)
    except DomainError as exc:
        messages.error(request, sentence(exc.message))
        calendar, status = summaries.history_calendar(user=request.user, year=f"{timezone.localdate():%Y}"), 400
    return render(request, "history/calendar_year.html", {"calendar": calendar}, status=status)


@login_required
@require_GET
def insights(request):
    """This week and last, mood by weekday, time of day and tag (``?days=N``, default 90)."""
    status = 200
    try:
        found = summaries.history_insights(user=request.user, days=request.GET.get("days") or
                                           summaries.INSIGHTS_DEFAULT_DAYS)
    except DomainError as exc:
        messages.error(request, sentence(exc.message))
        found, status = summaries.history_insights(user=request.user), 400
    slot_parts = [
        {"id": "weekdays", "title": _("By weekday"), "column": _("Weekday"),
         "rows": [{**row, "name": WEEKDAYS[i], "short": WEEKDAYS_ABBR[i]} for i, row in enumerate(found["weekdays"])]},
        {"id": "times", "title": _("By time of day"), "column": _("Time of day"),
         "rows": [{**row, **_time_of_day_names(row)} for row in found["times_of_day"]]},
    ]
    context = {"insights": found, "slot_parts": slot_parts, "moods": MOODS, "day_choices": INSIGHTS_DAY_CHOICES,
               "tag_ready": [item for item in found["tags"] if item["enough"]],
               "tag_waiting": [item for item in found["tags"] if not item["enough"]]}
    return render(request, "history/insights.html", context, status=status)


def _time_of_day_names(row: dict) -> dict:
    values = {"name": TIME_OF_DAY_NAMES[row["time_of_day"]], "from": row["from_hour"], "to": row["to_hour"]}
    return {"name": _("%(name)s (%(from)s–%(to)s h)") % values, "short": _("%(name)s %(from)s–%(to)s") % values}


@login_required
@require_GET
def export(request):
    """Download everything about the signed-in person (the profile page's button)."""
    try:
        throttle(request, "data_export", per_user=True)
    except DomainError as exc:
        messages.error(request, sentence(exc.message))
        return redirect(reverse("accounts:profile") + "#data-title")
    filename, data = exports.user_data_export(user=request.user, request=request)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
