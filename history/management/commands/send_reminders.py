"""Send the daily reminders that are due, for a scheduler other than Celery beat (cron, systemd
timers, Kubernetes CronJobs): run it every few minutes.

    python manage.py send_reminders

Safe to run as often and as many times in parallel as wanted: every reminder is claimed in the
database before it is sent (history.reminders), so none goes out twice.
"""

from django.core.management.base import BaseCommand

from history.reminders import reminders_send_due


class Command(BaseCommand):
    help = "Send the opt-in daily reminders that are due (run every few minutes)."

    def handle(self, *args, **options):
        outcomes = reminders_send_due()
        self.stdout.write(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in outcomes.items()))
