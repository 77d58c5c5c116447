"""Benchmark: coordinators answer a 30-question questionnaire at the same time, through a real
HTTP server on loopback. Prints figures; it is not a test.

The command prepares its own data (users, questionnaire: all named ``bench-…``, reused when it is
run again, their earlier responses deleted first), starts the site in a separate process with a
threaded WSGI server on a free 127.0.0.1 port, signs the coordinators in by creating sessions
directly, and runs one asyncio client per coordinator (raw HTTP/1.1 with keep-alive): GET the
form, POST a valid random response (``action=submit``), and again until ``--seconds`` have
passed. In anonymous mode (``--anonymous``), where a member responds once, the clients save
drafts (``action=draft``) for the whole time and then submit once.

Every reply is checked: 200 for a GET (with the form), 302 back to the questionnaire for a POST,
and no error message on the page that follows. The database is checked afterwards: one
response sheet per coordinator, holding the answers of their last submission.
"""

from __future__ import annotations

import asyncio

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from portal.questionnaires.bench.answers import POOL_SIZE, answer_pool, percentile
from portal.questionnaires.bench.data import (
    ensure_coordinators,
    ensure_index,
    ensure_questionnaire,
    login_session,
    logout_session,
    page_path,
    reset_responses,
)
from portal.questionnaires.bench.load import Stats, run_load, serve, start_server, stop_server
from portal.questionnaires.models import (
    Answer,
    IdentifiedResponse,
    ResponseDraft,
    ResponseSheet,
    RosterEntry,
)
from portal.questionnaires.questions import (
    Vocabulary,
)

# Command --------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Concurrent coordinators answer a 30-question questionnaire through a real HTTP server "
        "on loopback; prints responses/s and p50/p95 latency, then checks the stored responses."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=20)
        parser.add_argument("--seconds", type=float, default=60.0)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--anonymous",
            action="store_true",
            help="Anonymous questionnaire: drafts for the whole run, then one submission each.",
        )
        parser.add_argument("--serve", action="store_true", help="(internal) run the server")

    def handle(self, *args, clients, seconds, seed, anonymous, **options):
        if options["serve"]:
            serve()
            return
        if clients < 1 or seconds <= 0:
            raise CommandError("--clients and --seconds must be positive")
        conn_max_age = connection.settings_dict.get("CONN_MAX_AGE", 0)
        self.stdout.write(
            f"database: {connection.vendor} (CONN_MAX_AGE {conn_max_age}); "
            f"server: threaded WSGI, DEBUG off"
        )
        coordinators = ensure_coordinators(clients)
        page = ensure_questionnaire(ensure_index(), coordinators, anonymous=anonymous)
        path = page_path(page)
        vocabulary = Vocabulary.get()
        questions = page.question_set
        pool = answer_pool(questions, vocabulary, POOL_SIZE, seed)
        mode = "anonymous" if anonymous else "identified"
        self.stdout.write(
            f"questionnaire: {path} ({len(questions)} questions, {mode}); "
            f"{len(pool)} random responses of {min(r for _, r in pool)}–"
            f"{max(r for _, r in pool)} answers"
        )
        reset_responses(page)
        queries = self.count_queries(page, path, coordinators[0], pool[0][0], anonymous)
        reset_responses(page)
        sessions = [login_session(user) for user in coordinators]
        process = None
        try:
            process, port = start_server()
            stats, elapsed = asyncio.run(
                run_load(
                    "127.0.0.1",
                    port,
                    path,
                    sessions,
                    pool,
                    seconds,
                    anonymous=anonymous,
                    seed=seed,
                )
            )
        finally:
            if process is not None:
                stop_server(process)
            for key in sessions:
                logout_session(key)
        ok = self.report(page, stats, elapsed, clients, queries, anonymous)
        if stats.error_count or not ok:
            raise CommandError(
                f"{stats.error_count} request errors"
                + ("" if ok else "; the stored responses do not match")
            )

    def count_queries(self, page, path, user, fields, anonymous) -> dict[str, int]:
        """Database queries of each kind of request in steady state (in this process, with the
        test client; not timed)."""
        if anonymous:
            steps = [("GET", "get", None), ("POST draft", "post", "draft")] * 2
            steps.append(("POST submit", "post", "submit"))
        else:
            steps = [("GET", "get", None), ("POST submit", "post", "submit")] * 2
        counts = {}
        data: dict[str, list[str]] = {}
        for name, value in fields:
            data.setdefault(name, []).append(value)
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["*"]):
            client = Client()
            client.force_login(user)
            for label, method, action in steps:
                with CaptureQueriesContext(connection) as captured:
                    if method == "get":
                        reply = client.get(path)
                    else:
                        reply = client.post(path, {**data, "action": action})
                expected = 200 if method == "get" else 302
                if reply.status_code != expected:
                    raise CommandError(f"{label} {path}: {reply.status_code}, expected {expected}")
                counts[label] = len(captured)  # the last one of each kind
            client.logout()
        return counts

    def report(self, page, stats: Stats, elapsed, clients, queries, anonymous) -> bool:
        requests = sum(len(t) for t in stats.timings.values())
        self.stdout.write(
            f"clients {clients}, duration {elapsed:.1f} s, requests {requests}, "
            f"responses submitted {stats.submitted}, errors {stats.error_count}"
        )
        posts = sum(len(stats.timings.get(f"POST {a}", ())) for a in ("draft", "submit"))
        self.stdout.write(
            f"responses/s {stats.submitted / elapsed:.1f}"
            + (f", saves/s {posts / elapsed:.1f}" if anonymous else "")
            + f", requests/s {requests / elapsed:.1f}"
        )
        self.stdout.write(
            f"{'request':<12} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}"
        )
        for label in ("GET", "POST draft", "POST submit"):
            timings = stats.timings.get(label)
            if not timings:
                continue
            self.stdout.write(
                f"{label:<12} {len(timings):>7} {percentile(timings, 50):>8.1f} "
                f"{percentile(timings, 95):>8.1f} {max(timings):>8.1f} "
                f"{queries.get(label, 0):>8}"
            )
        for message in stats.errors:
            self.stderr.write(f"  {message}")
        sheets = ResponseSheet.objects.filter(questionnaire_id=page.pk).count()
        answers = Answer.objects.filter(sheet__questionnaire_id=page.pk).count()
        expected_answers = sum(stats.expected_rows.values())
        responded = RosterEntry.objects.filter(questionnaire_id=page.pk, has_responded=True).count()
        drafts = ResponseDraft.objects.filter(questionnaire_id=page.pk).count()
        checks = [
            ("sheets", sheets, clients),
            ("responded", responded, clients),
            ("answers", answers, expected_answers),
            ("drafts", drafts, 0),
        ]
        if not anonymous:
            links = IdentifiedResponse.objects.filter(questionnaire_id=page.pk).count()
            checks.insert(1, ("identified", links, clients))
        ok = all(found == expected for _, found, expected in checks)
        self.stdout.write(
            "database check: "
            + ", ".join(f"{name} {found} (expected {expected})" for name, found, expected in checks)
            + (": ok" if ok else ": MISMATCH")
        )
        return ok
