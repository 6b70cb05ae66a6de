"""Page forms for the history: the filter and "save as playlist". history.selectors and
music.services check the values; these only shape the inputs."""

from django import forms

from history.models import MOOD_CHOICES, NOTE_MAX_LENGTH
from music.models import Playlist
from vexora.web import PageForm


class HistoryFilterForm(PageForm):
    mood = forms.ChoiceField(choices=[("", "All moods"), *MOOD_CHOICES], required=False)
    month = forms.CharField(required=False, max_length=7, help_text="Year and month, e.g. 2026-11.",
                            widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}))
    # Set by the calendar's day links and the tags shown on entries (kept as hidden inputs).
    day = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    tag = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)


class EntryContextForm(PageForm):
    """An entry's note and tags (history.services.history_entry_update checks and stores them)."""

    note = forms.CharField(label="Note", required=False, max_length=NOTE_MAX_LENGTH, strip=False,
                           help_text=f"A few words about the moment, up to {NOTE_MAX_LENGTH} characters.",
                           widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.MultipleChoiceField(label="Tags", required=False, widget=forms.CheckboxSelectMultiple)
    new_tags = forms.CharField(label="Other tags", required=False, max_length=200,
                               help_text="Your own words, separated by commas, e.g. rain, exam.")

    def __init__(self, *args, tag_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = [(name, name) for name in tag_names]

    def tag_list(self) -> list[str]:
        extra = [part for part in self.cleaned_data.get("new_tags", "").split(",") if part.strip()]
        return [*self.cleaned_data.get("tags", []), *extra]


class SaveAsPlaylistForm(PageForm):
    name = forms.CharField(label="Playlist name", required=False, max_length=Playlist.NAME_MAX_LENGTH,
                           help_text="Leave empty for a name like “Happy mix — 24 Nov 2026”.")
