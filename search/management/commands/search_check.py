"""Compare what each search index holds with what it should hold; exit non-zero on drift."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from elasticsearch import NotFoundError
from elasticsearch.helpers import scan
from modelsearch.backends import get_search_backend
from modelsearch.backends.elasticsearchbase import ElasticsearchBaseSearchBackend
from modelsearch.conf import get_app_config
from modelsearch.index import get_indexed_models

from search.backends.elasticsearch import REMOTE_ERRORS

SHOWN_IDS = 10


@dataclass
class Row:
    backend: str
    model: type
    expected: set[str]
    held: set[str]
    missing: set[str] = field(init=False)
    stale: set[str] = field(init=False)

    def __post_init__(self):
        self.missing = self.expected - self.held
        self.stale = self.held - self.expected

    @property
    def label(self) -> str:
        return f"{self.model._meta.app_label}.{self.model.__name__}"

    @property
    def drift(self) -> bool:
        return bool(self.missing or self.stale)


class Unreachable(Exception):
    pass


def expected_ids(model) -> set[str]:
    """The primary keys the index should hold for ``model`` (Wagtail's pages: exactly that type)."""
    return {str(pk) for pk in model.get_indexed_objects().values_list("pk", flat=True)}


def database_held_ids(index, model) -> set[str]:
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(model)
    return set(index.entries.filter(content_type=content_type).values_list("object_id", flat=True))


class ElasticsearchReader:
    """Every document id of an index with its most specific content type, read once per index."""

    def __init__(self, backend):
        self.backend = backend
        self.documents: dict[str, dict[str, str]] = {}

    def held_ids(self, model) -> set[str]:
        index = self.backend.get_index_for_model(model)
        if index.name not in self.documents:
            self.documents[index.name] = self._read(index.name)
        content_type = self.backend.mapping_class(model).get_content_type()
        return {
            doc_id
            for doc_id, doc_type in self.documents[index.name].items()
            if doc_type == content_type
        }

    def _read(self, index_name: str) -> dict[str, str]:
        documents = {}
        try:
            for hit in scan(
                self.backend.es,
                index=index_name,
                query={"query": {"match_all": {}}},
                _source=["_django_content_type"],
                size=1000,
            ):
                types = hit.get("_source", {}).get("_django_content_type") or [""]
                documents[hit["_id"]] = types[0] if isinstance(types, list) else types
        except NotFoundError:
            return {}  # no index yet: everything is missing
        except REMOTE_ERRORS as error:
            raise Unreachable(f"{type(error).__name__}: {error}") from error
        return documents


class Command(BaseCommand):
    help = (
        "For every indexed model and every configured search backend, compare the index with "
        "what it should hold (get_indexed_objects): counts, missing and stale entries (for "
        "example withdrawn directory profiles still indexed). Exits non-zero on drift or when a "
        "backend cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend", action="append", dest="backends", help="Only this backend (repeatable)."
        )
        parser.add_argument(
            "--model",
            action="append",
            dest="models",
            help="Only this model, as app_label.ModelName (repeatable).",
        )

    def handle(self, *args, **options):
        names = options["backends"] or list(get_app_config().get_search_backend_config())
        models = get_indexed_models()
        if options["models"]:
            wanted = {label.lower() for label in options["models"]}
            models = [m for m in models if f"{m._meta.app_label}.{m.__name__}".lower() in wanted]
        expected = {model: expected_ids(model) for model in models}
        rows: list[Row] = []
        problems: list[str] = []
        for name in names:
            backend = get_search_backend(name)
            if isinstance(backend, ElasticsearchBaseSearchBackend):
                reader = ElasticsearchReader(backend)
                try:
                    rows.extend(Row(name, m, expected[m], reader.held_ids(m)) for m in models)
                except Unreachable as error:
                    problems.append(f"{name}: Elasticsearch is unreachable ({error})")
                continue
            indexes = [backend.get_index_for_model(m) for m in models]
            if models and not all(hasattr(index, "entries") for index in indexes):
                self.stdout.write(f"{name}: {type(backend).__name__} keeps no index to compare.")
                continue
            rows.extend(
                Row(name, m, expected[m], database_held_ids(index, m))
                for m, index in zip(models, indexes, strict=True)
            )
        self._print(rows)
        drifting = [row for row in rows if row.drift]
        for message in problems:
            self.stderr.write(message)
        if drifting or problems:
            parts = []
            if drifting:
                parts.append(f"{len(drifting)} model/backend pairs differ")
            if problems:
                parts.append(f"{len(problems)} backends could not be read")
            raise CommandError(
                "Search index drift: "
                + ", ".join(parts)
                + " (run update_index, directory_sync_index or search_reindex_pending)."
            )
        self.stdout.write("Search indexes are consistent.")

    def _print(self, rows: list[Row]) -> None:
        if not rows:
            return
        width = max(len(row.label) for row in rows)
        backend_width = max(7, *(len(row.backend) for row in rows))
        header = f"{'backend':<{backend_width}}  {'model':<{width}}  {'expected':>8}  {'indexed':>8}  {'missing':>8}  {'stale':>8}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in rows:
            mark = "  DRIFT" if row.drift else ""
            self.stdout.write(
                f"{row.backend:<{backend_width}}  {row.label:<{width}}  {len(row.expected):>8}  "
                f"{len(row.held):>8}  {len(row.missing):>8}  {len(row.stale):>8}{mark}"
            )
        for row in rows:
            if row.missing:
                self.stdout.write(f"{row.backend} {row.label} missing: {_ids(row.missing)}")
            if row.stale:
                self.stdout.write(f"{row.backend} {row.label} stale: {_ids(row.stale)}")


def _ids(ids: set[str]) -> str:
    ordered = sorted(ids, key=lambda value: (len(value), value))
    shown = ", ".join(ordered[:SHOWN_IDS])
    return shown + (f" … (+{len(ordered) - SHOWN_IDS})" if len(ordered) > SHOWN_IDS else "")
