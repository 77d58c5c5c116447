"""Benchmark: seed many profiles and partners, then time /directory/ and /partners/ against a
bare Django view in the same run. Prints figures; it is not a test."""

import cProfile
import datetime
import io
import pstats
import statistics
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import path
from django.utils import timezone

from directory.models import Consent, CoordinatorProfile, Partner, ProfileField, ProfileLanguage
from directory.selectors import current_policy_version, partners_changed
from directory.services import listings_changed
from portal.accounts.certification import fiscal_year_of, valid_until_for
from portal.accounts.models import Certificate, User, today
from portal.taxonomy.models import Field, Language, Prefecture


def bare(request):
    return HttpResponse("ok")


def _urlpatterns():
    from portal.urls import urlpatterns

    return [path("bench/bare/", bare), *urlpatterns]


urlpatterns = []  # filled in handle(): this module serves as the URLconf while measuring


class Command(BaseCommand):
    help = "Seed profiles and partners and print median/p95 latency of the directory and partners."

    def add_arguments(self, parser):
        parser.add_argument("--profiles", type=int, default=10_000)
        parser.add_argument("--partners", type=int, default=2_000)
        parser.add_argument("--requests", type=int, default=100)
        parser.add_argument(
            "--profile",
            action="store_true",
            help="Also print the functions that take the most time per view (cProfile).",
        )

    def handle(self, *args, profiles, partners, requests, **options):
        self.stdout.write(f"database: {connection.vendor}")
        started = time.perf_counter()
        viewer = self.seed(profiles, partners)
        self.stdout.write(
            f"seeded {profiles} profiles and {partners} partners in {time.perf_counter() - started:.1f} s"
        )
        urlpatterns[:] = _urlpatterns()
        with override_settings(ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=["*"]):
            client = Client()
            client.force_login(viewer)
            field = Field.objects.get(slug="housing")
            tokyo = Prefecture.objects.get(code="JP-13")
            english = Language.objects.get(code="en")
            directory_url = (
                f"/directory/?prefecture={tokyo.pk}&field={field.pk}&language={english.pk}"
            )
            # (label, url, what to do before each request): the cold rows bump the listing and
            # partner versions first, as any consent, profile or partner change does.
            targets = [
                ("bare view", "/bench/bare/", None),
                ("/directory/ (3 filters)", directory_url, None),
                ("/directory/ (3f, cold)", directory_url, listings_changed),
                ("/directory/ page 3", "/directory/?page=3", None),
                ("/partners/", "/partners/", None),
                ("/partners/ (cold)", "/partners/", partners_changed),
            ]
            self.stdout.write(
                f"{'view':<26} {'median ms':>10} {'p95 ms':>8} {'req/s':>8} {'queries':>8}"
            )
            results = {}
            for label, url, before in targets:
                assert client.get(url).status_code == 200, url
                queries = []

                def timed(execute, sql, params, many, context, log=queries):
                    t0 = time.perf_counter()
                    try:
                        return execute(sql, params, many, context)
                    finally:
                        log.append(((time.perf_counter() - t0) * 1000, sql))

                if before:
                    before()
                with connection.execute_wrapper(timed):
                    client.get(url)
                if options["verbosity"] > 1:
                    for ms, sql in sorted(queries, reverse=True)[:4]:
                        self.stdout.write(f"    {ms:7.1f} ms  {sql[:160]}")
                timings = []
                for _ in range(requests):
                    if before:
                        before()
                    t0 = time.perf_counter()
                    client.get(url)
                    timings.append((time.perf_counter() - t0) * 1000)
                median = statistics.median(timings)
                p95 = statistics.quantiles(timings, n=20)[18]
                results[label] = median
                if options["profile"]:
                    self.profile(client, url)
                self.stdout.write(
                    f"{label:<26} {median:>10.2f} {p95:>8.2f} {1000 / median:>8.0f} {len(queries):>8}"
                )
            bare_median = results["bare view"]
            for label in (
                "/directory/ (3 filters)",
                "/directory/ (3f, cold)",
                "/partners/",
                "/partners/ (cold)",
            ):
                self.stdout.write(
                    f"{label} throughput = {100 * bare_median / results[label]:.1f} % of the bare view"
                )

    def profile(self, client, url, runs=20):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(runs):
            client.get(url)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        self.stdout.write(out.getvalue())

    @transaction.atomic
    def seed(self, profiles: int, partners: int) -> User:
        stamp = int(time.time()) % 100000
        prefectures = list(Prefecture.objects.all())
        fields = list(Field.objects.counted())
        languages = list(Language.objects.all())
        issued = today() - datetime.timedelta(days=30)
        unusable = make_password(None)
        users = [
            User(
                username=f"bench{stamp}-{i}",
                email=f"bench{stamp}.{i}@example.jp",
                last_name="山田",
                first_name=f"太郎{i}",
                family_name_kana="やまだ",
                given_name_kana="たろう",
                family_name_romaji="Yamada",
                given_name_romaji="Taro",
                password=unusable,
            )
            for i in range(profiles)
        ]
        User.objects.bulk_create(users, batch_size=2000)
        Certificate.objects.bulk_create(
            [
                Certificate(
                    number=f"BD{stamp}-{i}",
                    holder=u,
                    issued_on=issued,
                    fiscal_year=fiscal_year_of(issued),
                    valid_until=valid_until_for(issued),
                )
                for i, u in enumerate(users)
            ],
            batch_size=2000,
        )
        rows = [
            CoordinatorProfile(
                user=u,
                workplace_name="相談センター",
                workplace_type="one-stop",
                search_name=f"山田太郎{i} やまだたろう yamada taro",
            )
            for i, u in enumerate(users)
        ]
        CoordinatorProfile.objects.bulk_create(rows, batch_size=2000)
        through = CoordinatorProfile.prefectures.through
        through.objects.bulk_create(
            [
                through(
                    coordinatorprofile_id=p.pk, prefecture_id=prefectures[i % len(prefectures)].pk
                )
                for i, p in enumerate(rows)
            ],
            batch_size=5000,
        )
        ProfileField.objects.bulk_create(
            [
                ProfileField(profile=p, field=fields[(i + k) % len(fields)], is_main=k == 0)
                for i, p in enumerate(rows)
                for k in range(3)
            ],
            batch_size=5000,
        )
        ProfileLanguage.objects.bulk_create(
            [
                ProfileLanguage(
                    profile=p, language=languages[(i + k) % len(languages)], level="daily"
                )
                for i, p in enumerate(rows)
                for k in range(2)
            ],
            batch_size=5000,
        )

        now = timezone.now()
        version = current_policy_version()
        Consent.objects.bulk_create(
            [
                Consent(
                    user=u,
                    scope="directory",
                    policy_version=version,
                    granted_at=now,
                    show_workplace=True,
                )
                for i, u in enumerate(users)
                if i % 10 != 0
            ],
            batch_size=5000,
        )
        partner_rows = [
            Partner(
                name_ja=f"連携先{i}",
                name_en=f"Partner {i}",
                slug=f"bench-{stamp}-{i}",
                kind="npo-support-group",
                level="private",
                nationwide=i % 5 == 0,
                live=True,
            )
            for i in range(partners)
        ]
        Partner.objects.bulk_create(partner_rows, batch_size=2000)
        Partner.fields.through.objects.bulk_create(
            [
                Partner.fields.through(partner_id=p.pk, field_id=fields[i % len(fields)].pk)
                for i, p in enumerate(partner_rows)
            ],
            batch_size=5000,
        )
        Partner.prefectures.through.objects.bulk_create(
            [
                Partner.prefectures.through(
                    partner_id=p.pk, prefecture_id=prefectures[i % len(prefectures)].pk
                )
                for i, p in enumerate(partner_rows)
            ],
            batch_size=5000,
        )
        return users[1]
