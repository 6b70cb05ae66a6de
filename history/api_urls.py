"""Mounted at /api/v1/: history, history/most-mood, history/stats, history/tags,
history/calendar, history/insights, history/{uuid} (GET, PATCH, DELETE), history/{uuid}/playlist,
history/{uuid}/recommend, music/{history_uuid}, user/export."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from history.api import HistoryMusicViewSet, HistoryViewSet, UserDataViewSet

router = SimpleRouter(trailing_slash=False)
router.register("history", HistoryViewSet, basename="history")
router.register("music", HistoryMusicViewSet, basename="history-music")

urlpatterns = [
    path("user/export", UserDataViewSet.as_view({"get": "export"}), name="user-export"),
    *router.urls,
]
