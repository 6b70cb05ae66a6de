from django.apps import AppConfig


class VexoraConfig(AppConfig):
    name = "vexora"
    verbose_name = "Vexora"

    def ready(self):
        # The Celery app is configured when Django starts, so @shared_task binds to it. It is not
        # imported from vexora/__init__.py: vexora.moods must stay importable without Django.
        from vexora import celery  # noqa: F401
        from vexora.requestid import log_records_carry_request_id

        log_records_carry_request_id()
