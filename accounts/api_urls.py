"""/api/v1/ routes of accounts, without trailing slashes (API v1's paths)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import AuthViewSet, UserViewSet

router = SimpleRouter(trailing_slash=False)
router.register("", AuthViewSet, basename="auth")  # register, login, logout, refresh, send-otp...

urlpatterns = [
    path("user", UserViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}), name="user"),
    path("user/change-password", UserViewSet.as_view({"put": "change_password"}), name="user-change-password"),
    path("user/profile-picture", UserViewSet.as_view({"put": "profile_picture"}), name="user-profile-picture"),
    *router.urls,
]
