"""Recall evaluation of the portal's search over a throwaway set of documents.

``manage.py search_eval`` reads documents (``{"id", "title", "body", "lang"}``) and queries
(``{"q", "expected": [ids]}``, optionally ``"category"``) from JSON Lines files, indexes the documents
with the project's database search backend and measures recall@k for each query.

The throwaway index never touches real data: each document becomes a ``StandardPage`` created inside a
transaction that is always rolled back, indexed explicitly with the chosen backend's ``add_bulk`` (the
automatic post-save indexing is switched off for the duration, so no other backend sees the pages) and
searched with ``backend.search(query, queryset)`` restricted to those pages. SQLite (FTS5 included) and
PostgreSQL both roll the index rows back with the pages.

``compile_elasticsearch_queries`` builds the Elasticsearch backend offline (it makes no request) and returns
the query JSON its compiler would send for each query.
"""

from __future__ import annotations

import json
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_save
from wagtail.search.backends import InvalidSearchBackendError, get_search_backend

DATABASE_BACKEND = "search.backends.database"
ELASTICSEARCH_BACKEND = "search.backends.elasticsearch"
# A loopback port nothing listens on: the offline Elasticsearch backend is never meant to connect, and if
# it ever tried, the attempt would fail at once instead of reaching a real cluster.
OFFLINE_ELASTICSEARCH_URL = "http://127.0.0.1:9"
SLUG_PREFIX = "search-eval-"


class EvaluationError(ValueError):
    """The documents or queries are not usable (bad JSON, missing keys, unknown ids)."""


@dataclass(frozen=True)
class EvalDocument:
    id: str
    title: str
    body: str
    lang: str


@dataclass(frozen=True)
class EvalQuery:
    q: str
    expected: tuple[str, ...]
    category: str = ""
    line: int = 0


@dataclass(frozen=True)
class QueryResult:
    query: EvalQuery
    hits: tuple[str, ...]  # document ids, best first, at most k
    recall: float
    seconds: float

    @property
    def missing(self) -> tuple[str, ...]:
        found = set(self.hits)
        return tuple(doc_id for doc_id in self.query.expected if doc_id not in found)


@dataclass
class EvalReport:
    backend: str
    database: str
    k: int
    documents: int
    index_seconds: float
    results: list[QueryResult] = field(default_factory=list)

    @property
    def overall(self) -> float:
        if not self.results:
            return 0.0
        return sum(result.recall for result in self.results) / len(self.results)

    def by_category(self) -> dict[str, tuple[int, float]]:
        groups: dict[str, list[float]] = defaultdict(list)
        for result in self.results:
            groups[result.query.category or "uncategorised"].append(result.recall)
        return {name: (len(values), sum(values) / len(values)) for name, values in groups.items()}


def _read_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise EvaluationError(f"cannot read {path}: {error}") from error
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as error:
            raise EvaluationError(f"{path}:{number}: invalid JSON: {error}") from error
        if not isinstance(record, dict):
            raise EvaluationError(f"{path}:{number}: expected a JSON object")
        yield number, record


def load_documents(path: str | Path) -> list[EvalDocument]:
    documents: list[EvalDocument] = []
    seen: set[str] = set()
    for number, record in _read_jsonl(path):
        missing = [key for key in ("id", "title", "body") if not isinstance(record.get(key), str)]
        if missing:
            raise EvaluationError(f"{path}:{number}: missing or non-string {', '.join(missing)}")
        doc_id = record["id"]
        if doc_id in seen:
            raise EvaluationError(f"{path}:{number}: duplicate id {doc_id!r}")
        seen.add(doc_id)
        documents.append(
            EvalDocument(doc_id, record["title"], record["body"], str(record.get("lang", "")))
        )
    if not documents:
        raise EvaluationError(f"{path}: no documents")
    return documents


def load_queries(path: str | Path, known_ids: Iterable[str] | None = None) -> list[EvalQuery]:
    known = set(known_ids) if known_ids is not None else None
    queries: list[EvalQuery] = []
    for number, record in _read_jsonl(path):
        q = record.get("q")
        expected = record.get("expected")
        if not isinstance(q, str) or not q.strip():
            raise EvaluationError(f"{path}:{number}: missing query text 'q'")
        if not isinstance(expected, list) or not all(isinstance(x, str) for x in expected):
            raise EvaluationError(f"{path}:{number}: 'expected' must be a list of document ids")
        if known is not None:
            unknown = [doc_id for doc_id in expected if doc_id not in known]
            if unknown:
                raise EvaluationError(f"{path}:{number}: unknown document ids {unknown}")
        queries.append(
            EvalQuery(q, tuple(dict.fromkeys(expected)), str(record.get("category", "")), number)
        )
    if not queries:
        raise EvaluationError(f"{path}: no queries")
    return queries


def recall_at_k(expected: Sequence[str], hits: Sequence[str], k: int) -> float:
    """Share of the relevant documents found in the first ``k`` hits.

    The denominator is ``min(len(expected), k)``, so a query can reach 1.0 even when more than ``k``
    documents are relevant; a query with nothing expected scores 1.0.
    """
    if not expected:
        return 1.0
    top = set(hits[:k])
    found = sum(1 for doc_id in expected if doc_id in top)
    return found / min(len(expected), k)


def format_score(value: float) -> str:
    """Two decimals, rounded down, so that ``1.00`` only ever means every expected document was found."""
    return f"{math.floor(value * 100 + 1e-9) / 100:.2f}"


def describe_database() -> str:
    name = connection.settings_dict.get("NAME")
    return f"{connection.vendor} ({name})"


def _describe_backend(backend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _configured(prefix: str) -> tuple[str, dict] | None:
    """The first ``WAGTAILSEARCH_BACKENDS`` entry whose ``BACKEND`` starts with ``prefix``."""
    for name, params in getattr(settings, "WAGTAILSEARCH_BACKENDS", {}).items():
        if str(params.get("BACKEND", "")).startswith(prefix):
            return name, params
    return None


def get_database_backend(path: str = DATABASE_BACKEND):
    """The project's database search backend (as configured, when a settings entry names it)."""
    configured = _configured(DATABASE_BACKEND) if path == DATABASE_BACKEND else None
    try:
        return get_search_backend(configured[0] if configured else path)
    except (InvalidSearchBackendError, ImportError) as error:
        raise EvaluationError(f"cannot load search backend {path!r}: {error}") from error


def get_offline_elasticsearch_backend(path: str = ELASTICSEARCH_BACKEND):
    """The Elasticsearch backend, built without contacting any server.

    The configured options are kept (index name, kuromoji …) but the URL always points at a closed
    loopback port: compiling a query needs no server, and nothing here may reach a real cluster.
    """
    configured = _configured(ELASTICSEARCH_BACKEND)
    params = dict(configured[1]) if configured else {}
    params.pop("BACKEND", None)
    params.update({"URLS": [OFFLINE_ELASTICSEARCH_URL], "TIMEOUT": 1})
    params.setdefault("INDEX", "portal-eval")
    try:
        return get_search_backend(path, **params)
    except (InvalidSearchBackendError, ImportError) as error:
        raise EvaluationError(f"cannot load search backend {path!r}: {error}") from error


class _auto_indexing_off:
    """Disconnect the automatic post-save indexing for one model while the throwaway pages are saved."""

    def __init__(self, model):
        self.model = model
        self.disconnected = False

    def __enter__(self):
        from modelsearch.signal_handlers import post_save_signal_handler

        self.handler = post_save_signal_handler
        self.disconnected = post_save.disconnect(self.handler, sender=self.model)
        return self

    def __exit__(self, *exc_info):
        if self.disconnected:
            post_save.connect(self.handler, sender=self.model)
        return False


def _eval_model():
    from portal.home.models import StandardPage

    return StandardPage


def _create_pages(documents: Sequence[EvalDocument]) -> dict[int, str]:
    """One live ``StandardPage`` per document (title → title, body → lead); returns pk → document id."""
    from wagtail.models import Page

    model = _eval_model()
    root = Page.get_first_root_node()
    if root is None:
        raise EvaluationError("the database has no page tree; run migrate first")
    page_ids: dict[int, str] = {}
    for number, document in enumerate(documents, start=1):
        page = model(
            title=document.title[:255] or document.id,
            slug=f"{SLUG_PREFIX}{number}",
            lead=document.body,
            live=True,
        )
        root.add_child(instance=page)
        page_ids[page.pk] = document.id
    return page_ids


def run_database_evaluation(
    documents: Sequence[EvalDocument],
    queries: Sequence[EvalQuery],
    *,
    k: int = 10,
    backend_path: str = DATABASE_BACKEND,
) -> EvalReport:
    """Index ``documents`` into a throwaway index on the current database, run ``queries``, roll back."""
    backend = get_database_backend(backend_path)
    model = _eval_model()
    report = EvalReport(
        backend=_describe_backend(backend),
        database=describe_database(),
        k=k,
        documents=len(documents),
        index_seconds=0.0,
    )
    with transaction.atomic():
        try:
            with _auto_indexing_off(model):
                page_ids = _create_pages(documents)
            pages = list(model.objects.filter(pk__in=page_ids))
            started = time.perf_counter()
            backend.add_bulk(model, pages)
            if hasattr(backend, "refresh_indexes"):
                backend.refresh_indexes()
            report.index_seconds = time.perf_counter() - started
            queryset = model.objects.filter(pk__in=page_ids)
            for query in queries:
                started = time.perf_counter()
                found = list(backend.search(query.q, queryset)[:k])
                seconds = time.perf_counter() - started
                hits = tuple(page_ids[page.pk] for page in found)
                report.results.append(
                    QueryResult(query, hits, recall_at_k(query.expected, hits, k), seconds)
                )
        finally:
            transaction.set_rollback(True)
    return report


def compile_elasticsearch_queries(
    queries: Sequence[EvalQuery], *, backend_path: str = ELASTICSEARCH_BACKEND
) -> tuple[str, list[tuple[EvalQuery, dict]]]:
    """The query JSON the Elasticsearch backend would send for each query (no request is made)."""
    backend = get_offline_elasticsearch_backend(backend_path)
    model = _eval_model()
    compiled = []
    for query in queries:
        results = backend.search(query.q, model)
        compiler = getattr(results, "query_compiler", None)
        body = compiler.get_query() if compiler is not None else {}
        compiled.append((query, body))
    return _describe_backend(backend), compiled
