from django.core.management.base import BaseCommand

from newsletters.services.notices import notice_send_reminders, reminder_days


class Command(BaseCommand):
    help = (
        "E-mail coordinators who have not confirmed an important notice published more than "
        "PORTAL_NOTICE_REMINDER_DAYS days ago, in their language. Each member gets at most one "
        "reminder per notice, so it is safe to run daily."
    )

    def handle(self, *args, **options):
        sent = notice_send_reminders()
        self.stdout.write(f"Notice reminders sent: {sent} (after {reminder_days()} days).")
