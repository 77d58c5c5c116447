"""Benchmark: import a generated register into the configured database and print figures."""

import gc
import resource
import time
import tracemalloc

from django.core import mail
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import override_settings

from portal.accounts.models import Certificate, User
from portal.accounts.register import import_register

HEADER = (
    "certificate_number,family_name,given_name,family_name_kana,given_name_kana,"
    "family_name_romaji,given_name_romaji,email,issued_on,workplace,workplace_prefecture,"
    "status,revoked_on,revocation_reason\r\n"
)
PREFECTURES = ("東京都", "愛知県", "大阪府", "静岡県", "群馬県", "福岡県", "北海道", "宮城県")


def generate(rows: int, run: str) -> bytes:
    lines = [HEADER]
    for i in range(rows):
        revoked = i % 97 == 0
        lines.append(
            f"B{run}-{i:06d},山田,太郎{i},やまだ,たろう,Yamada,Taro,bench{run.lower()}.{i}@example.jp,"
            f"2025/3/{1 + i % 28},相談センター{i % 50},{PREFECTURES[i % len(PREFECTURES)]},"
            + ("revoked,2025-09-01,benchmark\r\n" if revoked else "valid,,\r\n")
        )
    return "".join(lines).encode("cp932")


class Command(BaseCommand):
    help = "Import generated registers (default 2,000 and 10,000 rows) and print rows/s and memory."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, nargs="+", default=[2000, 10000])

    def handle(self, *args, rows, **options):
        self.stdout.write(f"database: {connection.vendor}")
        self.stdout.write(
            f"{'rows':>8} {'import s':>9} {'rows/s':>9} {'dry-run peak MiB':>17} {'maxrss MiB':>11}"
        )
        for count in rows:
            run = f"{count}N{int(time.time()) % 100000}"
            data = generate(count, run)
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", DEBUG=False
            ):
                # Peak Python memory of the whole code path, measured on a dry run.
                gc.collect()
                tracemalloc.start()
                report = import_register(data, filename="bench.csv", dry_run=True)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                assert report.ok, report.errors[:3]
                gc.collect()
                started = time.perf_counter()
                report = import_register(data, filename="bench.csv", dry_run=False)
                elapsed = time.perf_counter() - started
            assert report.ok, report.errors[:3]
            assert Certificate.objects.filter(number__startswith=f"B{run}-").count() == count
            maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(
                f"{count:>8} {elapsed:>9.2f} {count / elapsed:>9.0f} {peak / 2**20:>17.1f} "
                f"{maxrss:>11.0f}"
            )
            self.stdout.write(
                f"         invitations sent: {report.invited}; users now: {User.objects.count()}"
            )
            mail.outbox = []
