"""Page forms for the history: the filter and "save as playlist". history.selectors and
music.services check the values; these only shape the inputs."""

from django import forms

from history.models import MOOD_CHOICES
from music.models import Playlist
from vexora.web import PageForm


class HistoryFilterForm(PageForm):
    mood = forms.ChoiceField(choices=[("", "All moods"), *MOOD_CHOICES], required=False)
    month = forms.CharField(required=False, max_length=7, help_text="Year and month, e.g. 2026-11.",
                            widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}))


class SaveAsPlaylistForm(PageForm):
    name = forms.CharField(label="Playlist name", required=False, max_length=Playlist.NAME_MAX_LENGTH,
                           help_text="Leave empty for a name like “Happy mix — 24 Nov 2026”.")
