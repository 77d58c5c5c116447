from django.core.management.base import BaseCommand, CommandError

from search.models import PendingIndexOperation
from search.pending import remote_backends, retry_pending


class Command(BaseCommand):
    help = (
        "Retry the search-index updates that Elasticsearch could not take (it was unreachable or "
        "refused them): objects are re-added or removed as they are now, rows that succeed are "
        "deleted. Exits non-zero while some still fail."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--discard",
            action="store_true",
            help="Delete the queue without retrying (after a full update_index, for example).",
        )

    def handle(self, *args, **options):
        pending = PendingIndexOperation.objects.count()
        if options["discard"]:
            PendingIndexOperation.objects.all().delete()
            self.stdout.write(f"Discarded {pending} pending operations.")
            return
        if not pending:
            self.stdout.write("No pending index operations.")
            return
        backends = remote_backends()
        if not backends:
            raise CommandError(
                f"{pending} pending operations, but no Elasticsearch backend is configured "
                "(use --discard to drop them)."
            )
        names = ", ".join(name for name, _backend in backends)
        self.stdout.write(f"Retrying {pending} pending operations on: {names}")
        report = retry_pending(backends)
        self.stdout.write(
            f"Re-indexed: {report.added}; removed from the index: {report.deleted}; "
            f"dropped (model no longer indexed): {report.dropped}; "
            f"still failing: {report.failed}; not tried (server unreachable): {report.not_tried}"
        )
        if report.remaining:
            raise CommandError(f"{report.remaining} operations still pending.")
