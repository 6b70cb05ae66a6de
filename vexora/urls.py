from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from vexora import pwa
from vexora.i18n import javascript_catalog
from vexora.api import api_not_found
from vexora.metrics import metrics_view
from vexora.views import healthz, readyz

api_patterns = [
    path("", include("accounts.api_urls")),
    path("", include("music.api_urls")),
    path("", include("history.api_urls")),
    path("", include("moods.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
    path("readyz", readyz, name="readyz"),
    # The scripts' texts (djangojs catalogue) in the page's language.
    path("jsi18n/", javascript_catalog, name="javascript-catalog"),
    path("metrics", metrics_view, name="metrics"),
    path("api/v1/", include(api_patterns)),
    re_path(r"^api/", api_not_found),
    # Locally stored uploads (profile pictures without ImageKit); a real deployment may put a
    # web server in front, but the app must work on its own.
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    # Pages (HTML, session authentication).
    path("", include("history.urls")),
    path("", include("moods.urls")),
    path("", include("music.urls")),
    path("", include("accounts.urls")),
]
