"""Playlist pages (HTML) and tracks' generated artwork. The API lives in music/api_urls.py."""

from django.urls import path

from music import views

app_name = "music"

urlpatterns = [
    path("playlists/", views.playlists, name="playlists"),
    path("playlists/<uuid:playlist_uuid>/", views.playlist, name="playlist"),
    path("playlists/<uuid:playlist_uuid>/rename/", views.playlist_rename, name="playlist_rename"),
    path("playlists/<uuid:playlist_uuid>/delete/", views.playlist_delete, name="playlist_delete"),
    path("playlists/<uuid:playlist_uuid>/tracks/add/", views.playlist_add_track, name="playlist_add_track"),
    path("playlists/<uuid:playlist_uuid>/tracks/remove/", views.playlist_remove_track, name="playlist_remove_track"),
    path("taste/", views.taste, name="taste"),
    path("tracks/<str:track_id>/feedback/", views.track_feedback, name="track_feedback"),
    path("covers/<str:track_id>.svg", views.track_cover, name="cover"),
]
