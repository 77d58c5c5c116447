from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from portal.accounts.register import import_register


class Command(BaseCommand):
    help = (
        "Import the register of certified coordinators from a CSV (UTF-8 or Shift_JIS) or XLSX "
        "file. With --dry-run nothing is written. Exits non-zero when the file has errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report only; write nothing.")
        parser.add_argument("--quiet-rows", action="store_true", help="Do not list every row.")

    def handle(self, *args, file: Path, dry_run: bool, quiet_rows: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        bar = tqdm(total=0, unit="row", disable=None, file=self.stderr._out)

        def on_total(total):
            bar.total = total
            bar.refresh()

        report = import_register(
            file.read_bytes(),
            filename=file.name,
            dry_run=dry_run,
            progress=bar.update,
            on_total=on_total,
        )
        bar.close()
        if not quiet_rows:
            for outcome in report.outcomes:
                if outcome.action != "error":
                    self.stdout.write(
                        f"row {outcome.row:>6}  {outcome.number:<20} {outcome.action}"
                    )
        for error in report.errors:
            self.stderr.write(f"row {error.row:>6}  {error.message}")
        counts = report.counts
        summary = (
            f"{report.rows} rows: {counts['certificates_created']} certificates created, "
            f"{counts['certificates_updated']} updated, {counts['unchanged']} unchanged; "
            f"{counts['users_created']} users created, {counts['users_updated']} updated"
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} error(s); nothing was imported. {summary}")
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run, nothing written. Would do: {summary}"))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Imported. {summary}; {report.invited} invitation(s) sent.")
            )
