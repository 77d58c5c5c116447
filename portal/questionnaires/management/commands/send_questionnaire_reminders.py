from django.core.management.base import BaseCommand

from portal.questionnaires.services import questionnaire_send_reminders, reminder_days


class Command(BaseCommand):
    help = (
        "E-mail targeted coordinators who have not answered a questionnaire that closes within "
        "PORTAL_QUESTIONNAIRE_REMINDER_DAYS days, in their language. Each member gets at most "
        "one reminder per questionnaire, so it is safe to run daily."
    )

    def handle(self, *args, **options):
        sent = questionnaire_send_reminders()
        self.stdout.write(
            f"Questionnaire reminders sent: {sent} (questionnaires closing within "
            f"{reminder_days()} days)."
        )
