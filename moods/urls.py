"""The scan page (HTML). The API lives in moods/api_urls.py."""

from django.urls import path

from moods import views

app_name = "moods"

urlpatterns = [
    path("scan/", views.scan, name="scan"),
]
