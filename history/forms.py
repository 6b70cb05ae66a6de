"""Page forms for the history: the filter, an entry's note and tags, and "save as playlist".
history.selectors, history.services and music.services check the values; these only shape the
inputs."""

import datetime as dt

from django import forms
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from history.models import NOTE_MAX_LENGTH, tag_label
from music.models import Playlist
from vexora.i18n import mood_label
from vexora.moods import MOODS
from vexora.web import PageForm


def _mood_choices() -> list[tuple[str, str]]:
    return [("", _("All moods")), *((mood, mood_label(mood)) for mood in MOODS)]


class HistoryFilterForm(PageForm):
    """``months``: the months (``YYYY-MM``) that have entries, offered in the month list; a month
    asked for in the address stays selectable (history.selectors checks its form)."""

    mood = forms.ChoiceField(label=_("Mood"), choices=_mood_choices, required=False)
    month = forms.CharField(label=_("Month"), required=False, max_length=7, widget=forms.Select)
    # Set by the calendar's day links and the tags shown on entries (kept as hidden inputs).
    day = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    tag = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        asked = str(self.data.get("month", "") or "").strip() if self.is_bound else ""
        offered = list(months) + ([asked] if asked and asked not in months else [])
        self.fields["month"].widget.choices = [("", _("All months")), *((m, _month_label(m)) for m in offered)]


def _month_label(month: str) -> str:
    """``2026-11`` -> ``November 2026`` (``Desember 2026`` for 2026-12 in Indonesian) (anything else as it is)."""
    try:
        return formats.date_format(dt.date(int(month[:4]), int(month[5:7]), 1), "YEAR_MONTH_FORMAT")
    except (TypeError, ValueError):
        return month


class EntryContextForm(PageForm):
    """An entry's note and tags (history.services.history_entry_update checks and stores them)."""

    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, strip=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.MultipleChoiceField(label=_("Tags"), required=False, widget=forms.CheckboxSelectMultiple)
    new_tags = forms.CharField(label=_("Other tags"), required=False, max_length=200,
                               help_text=_("Your own words, separated by commas, e.g. rain, exam."))

    def __init__(self, *args, tag_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = gettext("A few words about the moment, up to %(limit)s characters.") % {
            "limit": NOTE_MAX_LENGTH}
        self.fields["tags"].choices = [(name, tag_label(name)) for name in tag_names]

    def tag_list(self) -> list[str]:
        extra = [part for part in self.cleaned_data.get("new_tags", "").split(",") if part.strip()]
        return [*self.cleaned_data.get("tags", []), *extra]


class SaveAsPlaylistForm(PageForm):
    name = forms.CharField(label=_("Playlist name"), required=False, max_length=Playlist.NAME_MAX_LENGTH,
                           help_text=_("Leave empty for a name like “Happy mix — 24 Nov 2026”."))
