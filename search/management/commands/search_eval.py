"""``manage.py search_eval``: recall@k of the portal's search over a given evaluation set."""

import json

from django.core.management.base import BaseCommand, CommandError

from search import evaluation


class Command(BaseCommand):
    help = (
        "Index the documents of DOCS.jsonl into a throwaway index on the current database (rolled "
        "back afterwards), run the queries of QUERIES.jsonl and print recall@k per query; the last "
        "line is 'overall recall@k: 0.NN'. With --backend elasticsearch-offline, print the compiled "
        "Elasticsearch query JSON for each query instead (no request is made)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--docs", required=True, help="JSON Lines: {id, title, body, lang}")
        parser.add_argument("--queries", required=True, help="JSON Lines: {q, expected: [ids]}")
        parser.add_argument(
            "--backend",
            choices=["default", "elasticsearch-offline"],
            default="default",
            help="'default': the project's database backend on the current database; "
            "'elasticsearch-offline': compile the Elasticsearch queries without a server.",
        )
        parser.add_argument("-k", "--k", type=int, default=10, dest="k", help="cut-off (10)")
        parser.add_argument(
            "--search-backend",
            default=None,
            help="dotted path of another backend to evaluate (e.g. modelsearch.backends.database "
            "for the stock one, as a baseline)",
        )
        parser.add_argument(
            "--show-hits",
            action="store_true",
            help="print the hits of every query, not only misses",
        )

    def handle(self, *args, **options):
        k = options["k"]
        if k < 1:
            raise CommandError("-k must be at least 1")
        try:
            documents = evaluation.load_documents(options["docs"])
            queries = evaluation.load_queries(options["queries"], (d.id for d in documents))
        except evaluation.EvaluationError as error:
            raise CommandError(str(error)) from error
        try:
            if options["backend"] == "elasticsearch-offline":
                self._compile_elasticsearch(queries, options["search_backend"])
            else:
                self._evaluate(documents, queries, k, options)
        except evaluation.EvaluationError as error:
            raise CommandError(str(error)) from error

    def _evaluate(self, documents, queries, k, options):
        report = evaluation.run_database_evaluation(
            documents,
            queries,
            k=k,
            backend_path=options["search_backend"] or evaluation.DATABASE_BACKEND,
        )
        write = self.stdout.write
        write(f"backend: {report.backend}")
        write(f"database: {report.database}")
        write(
            f"indexed {report.documents} documents in {report.index_seconds:.2f} s "
            "(throwaway pages, rolled back); "
            f"{len(queries)} queries"
        )
        fmt = evaluation.format_score
        for number, result in enumerate(report.results, start=1):
            query = result.query
            found = len(query.expected) - len(result.missing)
            status = "ok  " if not result.missing else "MISS"
            category = f" [{query.category}]" if query.category else ""
            write(
                f"{number:3d} {status} recall@{k} {fmt(result.recall)}  {query.q!r}{category}  "
                f"({found}/{len(query.expected)}, {len(result.hits)} hits, "
                f"{result.seconds * 1000:.0f} ms)"
            )
            if result.missing:
                write(f"         missing: {', '.join(result.missing)}")
            if result.missing or options["show_hits"]:
                write(f"         hits:    {', '.join(result.hits) or '(none)'}")
        categories = report.by_category()
        if len(categories) > 1:
            write(f"recall@{k} by category:")
            for name, (count, value) in sorted(categories.items()):
                write(f"  {name}: {fmt(value)} ({count} queries)")
        misses = sum(1 for result in report.results if result.missing)
        write(f"queries with a miss: {misses} of {len(report.results)}")
        write(f"overall recall@{k}: {fmt(report.overall)}")

    def _compile_elasticsearch(self, queries, backend_path):
        backend, compiled = evaluation.compile_elasticsearch_queries(
            queries, backend_path=backend_path or evaluation.ELASTICSEARCH_BACKEND
        )
        write = self.stdout.write
        write(f"backend: {backend} (offline: the queries are compiled, not sent)")
        for number, (query, body) in enumerate(compiled, start=1):
            write(f"{number:3d} {query.q!r}")
            write(json.dumps(body, ensure_ascii=False, sort_keys=True))
        write(f"compiled {len(compiled)} queries; no request was made")
