"""Benchmark: the dashboard's pages over a large register. Prints figures; it is not a test.

Writes ``--coordinators`` holders (with profiles, consent, partners, opinions, notices and their
confirmations), ``--cases`` case studies and a questionnaire with ``--answers`` answer rows into
the current database (see ``portal.dashboard.bench``) and refreshes the planner's statistics
(``ANALYZE``), unless ``--no-data``; then requests each
part of the dashboard ``--runs`` times as an administrator through Django's test client, in
this process, and prints the median and 95th percentile of the server time (the whole request:
middleware, queries, rendering) and the number of queries. The first request of each page is a
warm-up and is not counted.
"""

from __future__ import annotations

import statistics
import time

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts import roles
from portal.accounts.models import Certificate, User

from ... import bench, sources

ADMIN = "bench-dash-admin"
PAGES = (
    ("overview", "dashboard_overview"),
    ("case studies", "dashboard_cases"),
    ("knowledge sharing", "dashboard_knowledge"),
)


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


class Command(BaseCommand):
    help = (
        "Fill the current database with a large register, case studies and questionnaire "
        "answers, then time the dashboard's pages (median and p95 server time, queries)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--coordinators", type=int, default=10_000)
        parser.add_argument("--cases", type=int, default=5_000)
        parser.add_argument("--answers", type=int, default=50_000)
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-data", action="store_true", help="Time the pages on the data already there."
        )
        parser.add_argument(
            "--prefecture", default="", help="Also time the overview filtered by this code."
        )

    def handle(self, *args, **options):
        if options["runs"] < 1:
            raise CommandError("--runs must be at least 1")
        if not options["no_data"]:
            started = time.perf_counter()
            bench.generate(
                coordinators=options["coordinators"],
                cases=options["cases"],
                answers=options["answers"],
                seed=options["seed"],
            )
            self.stdout.write(f"data written in {time.perf_counter() - started:.1f} s")
        self._sizes()
        client = Client(HTTP_HOST=self._host())
        client.force_login(self._admin())
        targets = [(label, reverse(name)) for label, name in PAGES]
        if options["prefecture"]:
            targets.append((f"overview, {options['prefecture']}", reverse("dashboard_overview")))
        for label, url in targets:
            query = f"?prefecture={options['prefecture']}" if "," in label else ""
            self._time(client, label, url + query, options["runs"])

    def _host(self) -> str:
        hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*", "") and not h.startswith(".")]
        return hosts[0] if hosts else "localhost"

    def _admin(self) -> User:
        user, _created = User.objects.get_or_create(
            username=ADMIN, defaults={"email": f"{ADMIN}@example.jp", "preferred_language": "ja"}
        )
        user.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
        return user

    def _sizes(self) -> None:
        from portal.questionnaires.models import Answer

        holders = User.objects.filter(certificates__isnull=False).distinct().count()
        self.stdout.write(
            f"database: {connection.vendor}; holders {holders:,}, "
            f"certificates {Certificate.objects.count():,}, "
            f"profiles {sources.profile().objects.count():,}, "
            f"case studies {sources.case_study().objects.count():,}, "
            f"questionnaire answers {Answer.objects.count():,}"
        )

    def _time(self, client: Client, label: str, url: str, runs: int) -> None:
        response = client.get(url)  # warm-up (caches, connection)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        times, queries = [], set()
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            times.append(elapsed)
            queries.add(len(captured))
        self.stdout.write(
            f"{label:<26} median {statistics.median(times):7.1f} ms   "
            f"p95 {percentile(times, 0.95):7.1f} ms   queries {'/'.join(map(str, sorted(queries)))}"
            f"   ({runs} runs)"
        )
