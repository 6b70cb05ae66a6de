"""What makes Vexora installable: the web app manifest, the service worker (served from the site's
root, so it may control every page) and the page it shows when the network is gone. All same-origin
and script-free in the pages themselves, as the Content-Security-Policy requires."""

import hashlib

from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOUR = "#5534c4"
BACKGROUND_COLOUR = "#f6f5fb"
# Cached by the service worker when it is installed: the offline page and what it needs.
OFFLINE_ASSETS = ("css/app.css", "img/logo.svg")


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": static("img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        {"src": static("img/logo.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    body = {
        "name": gettext("Vexora — music for your mood"), "short_name": "Vexora",
        "description": gettext("Vexora reads your mood from a selfie and answers with music that fits."),
        "lang": get_language(), "dir": "ltr",
        "id": "/", "start_url": reverse("history:home"), "scope": "/", "display": "standalone",
        "orientation": "portrait", "theme_color": THEME_COLOUR, "background_color": BACKGROUND_COLOUR,
        "icons": icons,
        "shortcuts": [{"name": gettext("Scan my mood"), "url": reverse("moods:scan"),
                       "icons": [{"src": static("img/icon-192.png"), "sizes": "192x192"}]}],
    }
    return JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"indent": 1})


@require_GET
@cache_control(no_cache=True)  # a browser checks for a new worker on every visit
def service_worker(request):
    assets = [static(name) for name in OFFLINE_ASSETS]
    version = hashlib.sha256("|".join(assets).encode()).hexdigest()[:12]  # hashed names: new release, new cache
    context = {"offline_url": reverse("offline"), "assets": assets, "version": version}
    return render(request, "pwa/sw.js", context, content_type="text/javascript; charset=utf-8")


@require_GET
def offline(request):
    """The page the service worker shows when a page cannot be loaded (no network)."""
    return render(request, "pwa/offline.html")
