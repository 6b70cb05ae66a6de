"""History pages (HTML). The API lives in history/api_urls.py."""

from django.urls import path

from history import views

app_name = "history"

urlpatterns = [
    path("home/", views.home, name="home"),
    path("history/", views.history_list, name="list"),
    path("history/<uuid:entry_uuid>/delete/", views.history_delete, name="delete"),
    path("history/<uuid:entry_uuid>/playlist/", views.history_playlist, name="playlist"),
    path("result/<uuid:entry_uuid>/", views.result, name="result"),
    path("result/<uuid:entry_uuid>/recommend/", views.history_recommend, name="recommend"),
    path("result/<uuid:entry_uuid>/mood/", views.history_correct, name="correct"),
    path("result/<uuid:entry_uuid>/context/", views.history_context, name="context"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("calendar/year/", views.calendar_year, name="calendar_year"),
    path("insights/", views.insights, name="insights"),
    path("profile/export/", views.export, name="export"),
]
