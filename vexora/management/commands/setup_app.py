"""Loads what the running app needs beyond migrations (idempotent, fast the second time)."""

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prepare the app after migrate: load the music catalog and other shipped data (idempotent)."

    steps = ("load_catalog",)

    def handle(self, *args, **options):
        available = get_commands()
        for step in self.steps:
            if step in available:
                call_command(step, stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(self.style.SUCCESS("app ready"))
