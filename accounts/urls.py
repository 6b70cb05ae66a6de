"""Account pages (HTML). The API lives in accounts/api_urls.py."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("register/", views.register, name="register"),
    path("verify-email/", views.verify_email, name="verify_email"),
    path("verify-email/resend/", views.verify_email_resend, name="verify_email_resend"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.language_switch, name="language"),
    path("forgot-password/", views.forgot_password, name="forgot_password"),
    path("reset-password/", views.reset_password, name="reset_password"),
    path("profile/", views.profile, name="profile"),
    path("profile/picture/", views.profile_picture, name="profile_picture"),
    path("profile/password/", views.password_change, name="password_change"),
    path("profile/preferences/", views.preferences, name="preferences"),
    path("profile/delete/", views.account_delete, name="delete"),
    path("reminders/unsubscribe/<str:token>/", views.reminders_unsubscribe, name="reminders_unsubscribe"),
]
