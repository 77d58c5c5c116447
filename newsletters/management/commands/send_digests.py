from django.core.management.base import BaseCommand

from newsletters.services.digests import digests_send


class Command(BaseCommand):
    help = (
        "Send the weekly e-mail digest of the previous week (Monday to Sunday) to members who "
        "chose it. Safe to run more than once: each week is sent once."
    )

    def handle(self, *args, **options):
        counts = digests_send()
        self.stdout.write(
            "sent {sent}, already sent {already_sent}, nothing new {nothing_new}, "
            "failed {failed}".format(**counts)
        )
