"""Page forms for the history: the filter and "save as playlist". history.selectors and
music.services check the values; these only shape the inputs."""

import datetime as dt

from django import forms

from history.models import MOOD_CHOICES
from music.models import Playlist
from vexora.web import PageForm


class HistoryFilterForm(PageForm):
    """``months``: the months (``YYYY-MM``) that have entries, offered in the month list; a month
    asked for in the address stays selectable (history.selectors checks its form)."""

    mood = forms.ChoiceField(choices=[("", "All moods"), *MOOD_CHOICES], required=False)
    month = forms.CharField(required=False, max_length=7, widget=forms.Select)

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        asked = str(self.data.get("month", "") or "").strip() if self.is_bound else ""
        offered = list(months) + ([asked] if asked and asked not in months else [])
        self.fields["month"].widget.choices = [("", "All months"), *((m, _month_label(m)) for m in offered)]


def _month_label(month: str) -> str:
    """``2026-11`` -> ``November 2026`` (anything else as it is)."""
    try:
        return dt.date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")
    except (TypeError, ValueError):
        return month


class SaveAsPlaylistForm(PageForm):
    name = forms.CharField(label="Playlist name", required=False, max_length=Playlist.NAME_MAX_LENGTH,
                           help_text="Leave empty for a name like “Happy mix — 24 Nov 2026”.")
