"""Mounted at /api/v1/: history, history/most-mood, history/stats, history/{uuid} (GET, PATCH, DELETE),
history/{uuid}/playlist, history/{uuid}/recommend, music/{history_uuid}."""

from rest_framework.routers import SimpleRouter

from history.api import HistoryMusicViewSet, HistoryViewSet

router = SimpleRouter(trailing_slash=False)
router.register("history", HistoryViewSet, basename="history")
router.register("music", HistoryMusicViewSet, basename="history-music")

urlpatterns = router.urls
