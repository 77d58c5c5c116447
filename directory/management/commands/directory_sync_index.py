from django.core.management.base import BaseCommand

from directory.models import CoordinatorProfile
from directory.services import profile_reindex


class Command(BaseCommand):
    help = (
        "Bring the search index in line with the directory: add listed profiles, remove every "
        "other one (certificates that lapsed by date send no event). Run daily after midnight."
    )

    def handle(self, *args, **options):
        removed = added = 0
        for profile in CoordinatorProfile.objects.select_related("user").iterator(chunk_size=500):
            listed = CoordinatorProfile.get_indexed_objects().filter(pk=profile.pk).exists()
            profile_reindex(profile.user)
            added += listed
            removed += not listed
        self.stdout.write(f"Profiles in the index: {added}; kept out: {removed}.")
