"""Test-only URLs: the project's, plus a page that fails (to see the 500 page)."""

from django.urls import path

from vexora.urls import urlpatterns as project_urlpatterns


def page_boom(request):
    raise RuntimeError("secret detail that must never reach a browser")


urlpatterns = [path("boom/", page_boom), *project_urlpatterns]
