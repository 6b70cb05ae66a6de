"""Mounted at /api/v1/: spotify/random-playlist, spotify/search, spotify/{id}, playlists..."""

from rest_framework.routers import SimpleRouter

from music.api import PlaylistViewSet, TrackViewSet

router = SimpleRouter(trailing_slash=False)
router.register("spotify", TrackViewSet, basename="track")
router.register("playlists", PlaylistViewSet, basename="playlist")

urlpatterns = router.urls
