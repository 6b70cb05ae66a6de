"""Page forms for playlists and track search: shapes only; music.services and music.selectors
check names, ids and queries (their messages come back next to the fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from music.models import Playlist
from music.selectors import SEARCH_QUERY_MAX
from vexora.web import PageForm


class PlaylistForm(PageForm):
    name = forms.CharField(label=_("Name"), max_length=Playlist.NAME_MAX_LENGTH)
    description = forms.CharField(label=_("Description (optional)"), required=False,
                                  max_length=Playlist.DESCRIPTION_MAX_LENGTH)


class PlaylistRenameForm(PageForm):
    name = forms.CharField(label=_("New name"), max_length=Playlist.NAME_MAX_LENGTH)


class TrackSearchForm(PageForm):
    q = forms.CharField(label=_("Find a song"), max_length=SEARCH_QUERY_MAX, help_text=_("Title, artist or album."),
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))


class TrackForm(PageForm):
    track_id = forms.CharField(max_length=64, widget=forms.HiddenInput)


class TasteForm(PageForm):
    """The taste page: genres as the catalog names them (choices set by the view)."""

    liked_genres = forms.MultipleChoiceField(label=_("Genres you like"), required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text=_("Songs of these genres come first when they fit your mood."))
    blocked_genres = forms.MultipleChoiceField(label=_("Genres you never want"), required=False,
                                               widget=forms.CheckboxSelectMultiple,
                                               help_text=_("Songs of these genres are never recommended to you."))
    explicit = forms.BooleanField(label=_("Recommend songs with explicit lyrics"), required=False)

    def __init__(self, *args, genres=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(genre, genre) for genre in genres]
        self.fields["liked_genres"].choices = choices
        self.fields["blocked_genres"].choices = choices
