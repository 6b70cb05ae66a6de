"""Mounted at /api/v1/: spotify/random-playlist, spotify/search, spotify/{id}, spotify/{id}/feedback, user/taste,
playlists..."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from music.api import PlaylistViewSet, TasteViewSet, TrackViewSet

router = SimpleRouter(trailing_slash=False)
router.register("spotify", TrackViewSet, basename="track")
router.register("playlists", PlaylistViewSet, basename="playlist")

urlpatterns = [
    path("user/taste", TasteViewSet.as_view({"get": "retrieve", "put": "update"}), name="user-taste"),
    *router.urls,
]
