"""The Celery app: tasks live in each app's tasks.py; settings are the CELERY_* names in
vexora/settings.py (broker unset: tasks run eagerly in the calling process)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vexora.settings")

app = Celery("vexora")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
