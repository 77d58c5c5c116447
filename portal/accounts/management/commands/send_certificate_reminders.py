import datetime

from django.core.management.base import BaseCommand

from portal.accounts.reminders import send_certificate_reminders


class Command(BaseCommand):
    help = (
        "E-mail certificate holders 180, 90 and 30 days before their certificate's last day and "
        "on expiry, in their language. Safe to run more than once a day; run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Pretend today is this date (YYYY-MM-DD), for catching up or checking.",
        )

    def handle(self, *args, date=None, **options):
        run = send_certificate_reminders(on=date)
        self.stdout.write(f"Reminders sent: {run.sent}; already sent: {run.skipped}.")
