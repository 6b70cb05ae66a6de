"""Django admin for accounts: Django's UserAdmin adapted to Vexora's User (one ``name`` field,
``uuid`` public id, email verification, ended sessions)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models

from accounts.models import User

URL_FIELD_OPTIONS = {"assume_scheme": "https"}  # Django 6's default, chosen now (no warning)


def _formfield(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs = URL_FIELD_OPTIONS | kwargs
    return db_field.formfield(**kwargs)


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email", "name")


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        formfield_callback = _formfield


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    formfield_overrides = {models.URLField: URL_FIELD_OPTIONS}
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("uuid", "username", "password")}),
        ("Profile", {"fields": ("name", "email", "email_verified", "profile_picture", "file_id")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates and sessions", {"fields": ("created_at", "last_login", "date_joined", "sessions_revoked_at",
                                           "sessions_kept_sid")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "name", "usable_password", "password1",
                                                 "password2")}),
    )
    readonly_fields = ("uuid", "created_at", "last_login", "date_joined", "sessions_revoked_at", "sessions_kept_sid")
    list_display = ("username", "email", "name", "email_verified", "is_active", "is_staff", "created_at")
    list_filter = ("email_verified", "is_staff", "is_active")
    search_fields = ("username", "email", "name")
    ordering = ("username",)
