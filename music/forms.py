"""Page forms for playlists and track search: shapes only; music.services and music.selectors
check names, ids and queries (their messages come back next to the fields)."""

from django import forms

from music.models import Playlist
from music.selectors import SEARCH_QUERY_MAX
from vexora.web import PageForm


class PlaylistForm(PageForm):
    name = forms.CharField(label="Name", max_length=Playlist.NAME_MAX_LENGTH)
    description = forms.CharField(label="Description (optional)", required=False,
                                  max_length=Playlist.DESCRIPTION_MAX_LENGTH)


class PlaylistRenameForm(PageForm):
    name = forms.CharField(label="New name", max_length=Playlist.NAME_MAX_LENGTH)


class TrackSearchForm(PageForm):
    q = forms.CharField(label="Find a song", max_length=SEARCH_QUERY_MAX, help_text="Title, artist or album.",
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))


class TrackForm(PageForm):
    track_id = forms.CharField(max_length=64, widget=forms.HiddenInput)
