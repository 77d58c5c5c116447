"""Benchmark of the site search over a generated corpus; prints figures, it is not a test."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from search import bench


class Command(BaseCommand):
    help = (
        "Index a generated corpus of Japanese and English documents (default 100,000) through the "
        "project's search backend and time typical queries, the same terms as one raw full-text "
        "statement (the floor), and the worst case (a term in at least half of the documents)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--keep", action="store_true", help="keep the corpus afterwards")

    def handle(self, *args, documents, repeat, keep, **options):
        out = self.stdout.write
        out(f"database: {connection.vendor}; documents: {documents:,}")
        bench.clear()
        began = time.perf_counter()
        rate = bench.build(documents)
        out(
            f"index build: {rate:,.0f} documents/s (indexing only); "
            f"{documents / (time.perf_counter() - began):,.0f} documents/s with the rows created"
        )
        worst_hits = bench.hits(bench.WORST)
        out(f"worst-case term {bench.WORST!r}: {worst_hits:,} hits ({worst_hits / documents:.0%})")
        rows = [
            (
                "project search, typical",
                bench.time_queries(bench.project_search, bench.QUERIES, repeat),
            ),
            (
                "raw full-text (floor)",
                bench.time_queries(bench.floor_search, bench.QUERIES, repeat),
            ),
            (
                "project search, worst case",
                bench.time_queries(bench.project_search, [bench.WORST], repeat),
            ),
            (
                "raw full-text, worst case",
                bench.time_queries(bench.floor_search, [bench.WORST], repeat),
            ),
        ]
        out(f"{'':30} {'median ms':>10} {'p95 ms':>10}")
        for label, timing in rows:
            out(f"{label:30} {timing.median:10.1f} {timing.p95:10.1f}")
        typical, floor = rows[0][1], rows[1][1]
        if floor.p95:
            out(f"typical p95 / floor p95: {typical.p95 / floor.p95:.1f}x")
        out("per query (share of documents matched; median ms, project / floor):")
        project = rows[0][1]
        shares = {query: bench.hits(query) / documents for query in bench.QUERIES}
        for query in bench.QUERIES:
            out(
                f"  {query:24} {shares[query]:6.1%} {project.median_of(query):8.1f} "
                f"{floor.median_of(query):8.1f}"
            )
        # Queries matching at least half of the documents are of the worst-case kind.
        below = [query for query in bench.QUERIES if shares[query] < 0.5]
        if below and len(below) < len(bench.QUERIES):
            narrower = bench.Timing(
                "typical", [v for query in below for v in project.by_query[query]]
            )
            out(
                f"typical queries matching < 50 % of the documents ({len(below)} of "
                f"{len(bench.QUERIES)}): median {narrower.median:.1f} ms, p95 {narrower.p95:.1f} ms"
            )
        if not keep:
            bench.clear()
