"""Mounted at /api/v1/: mood-detection."""

from rest_framework.routers import SimpleRouter

from moods.api import MoodDetectionViewSet

router = SimpleRouter(trailing_slash=False)
router.register("mood-detection", MoodDetectionViewSet, basename="mood-detection")

urlpatterns = router.urls
