"""What the database still holds about an account: every row of every table that points at it or
names it. An account deletion must leave this empty."""

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models


def rows_about(*, pk, uuid, username: str, email: str) -> list[str]:
    """``model.field: n rows`` for each column that refers to the account (a foreign key to it) or
    holds its uuid, username or email; admin log lines about it; sessions signed in as it."""
    User = get_user_model()
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            lookups = []
            if field.is_relation and field.related_model is User:
                lookups.append({field.attname: pk})
            elif isinstance(field, models.UUIDField):
                lookups.append({field.attname: uuid})
            elif isinstance(field, (models.CharField, models.TextField)) and not field.choices:
                lookups += [{f"{field.attname}__icontains": email}, {f"{field.attname}__iexact": username},
                            {f"{field.attname}__icontains": str(uuid)}, {f"{field.attname}__icontains": uuid.hex}]
            for lookup in lookups:
                count = model._default_manager.filter(**lookup).count()
                if count:
                    found.append(f"{model._meta.label}.{field.attname} ({lookup}): {count}")
    about = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(pk)).count()
    if about:
        found.append(f"admin.LogEntry about the account: {about}")
    signed_in = [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(pk)]
    if signed_in:
        found.append(f"sessions.Session signed in as the account: {len(signed_in)}")
    return found


def rows_about_user(user) -> list[str]:
    return rows_about(pk=user.pk, uuid=user.uuid, username=user.username, email=user.email)
