"""PostgreSQL backend: modelsearch's, with the portal's analysis, the ``simple`` configuration and
one weighted ``ts_rank`` over the stored vector.

**Index.** modelsearch keeps one ``IndexEntry`` row per object with three ``tsvector`` columns
(GIN-indexed each). :class:`ObjectIndexer` builds them with ``to_tsvector('simple', …)`` from the
output of :func:`search.analysis.index_text` (the ``simple`` configuration only lower-cases, so
the stored lexemes are our terms; stemming and Japanese segmentation are done by the analysis):

- ``title``: the title fields, weight A;
- ``body``: the title fields (weight A) *and* every other ``SearchField`` (weight D, or B for a
  field boosted above 1), so that one GIN-indexed column answers a query whose words are spread
  over title and body, and one ``ts_rank`` call ranks a document;
- ``autocomplete``: the ``AutocompleteField`` values;
- ``title_text`` / ``body_text`` keep the raw text (used only by modelsearch's fuzzy search).

**Query.** The query tree of :mod:`search.backends.common` becomes a tsquery of quoted lexemes
(``('在留' & '留資' & '資格') | 'visa'``) passed as a bound parameter to
``to_tsquery('simple', %s)``; ``Not`` maps to ``!``. ``.search(fields=["title"])`` searches the
title column; any other ``fields`` value searches the body column (which also holds the title).

**Ranking.** ``ts_rank('{0.1, 0.2, 0.4, 1.0}', body, query)`` (weights for D, C, B, A): a title
match (A) counts ten times a body match (D). Normalisation 0 (document length ignored), so
documents matching equally often score the same and the recency field decides
(:func:`~search.backends.common.recency_field`), then the primary key. One statement filters
(GIN index on ``body`` when the term is selective), ranks, orders, counts all matches with a window
function and returns only the keys and scores of the requested slice; the objects of that slice
are then loaded by key. ``count()`` on its own ranks the first ``COUNT_WINDOW`` results, which the
page a paginator asks for next is usually served from. Nothing is capped, so counts and facets are
exact.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, Window
from modelsearch.backends.database.postgres import postgres as base
from modelsearch.query import Fuzzy
from modelsearch.utils import get_content_type_pk

from .common import (
    EMPTY,
    MATCH_ALL,
    NOTHING,
    IndexedValues,
    compile_query,
    recency_field,
    tsquery_expression,
)

IndexEntry = base.IndexEntry

#: The text search configuration: no stemming, no stop words (the analysis does both).
SEARCH_CONFIG = "simple"
#: ts_rank weights for D, C, B, A: the title (A) counts ten times an ordinary body field (D).
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]


class ObjectIndexer(IndexedValues, base.ObjectIndexer):
    def weight(self, field) -> str:
        if self.is_title(field):
            return "A"
        if field.boost is not None and field.boost > 1:
            return "B"
        return "D"

    def _vector(self, pairs) -> tuple[str, list[str]]:
        """SQL and parameters of the tsvector for ``(raw text, weight)`` pairs: the analysed text of
        each weight in one ``to_tsvector('simple', …)``, weighted, concatenated. (Plain SQL rather
        than Django expressions: building expressions cost more than the database's work.)"""
        by_weight: dict[str, list[str]] = {}
        for text, weight in pairs:
            analysed = self.prepare_value(text)
            if analysed:
                by_weight.setdefault(weight, []).append(analysed)
        if not by_weight:
            return "''::tsvector", []
        parts = [
            f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, %s), '{weight}')"
            for weight in by_weight
        ]
        return "(" + " || ".join(parts) + ")", [" ".join(texts) for texts in by_weight.values()]

    @cached_property
    def title(self):
        return self._vector((text, "A") for _, text in self.raw_texts(title=True))

    @cached_property
    def body(self):
        pairs = [(text, "A") for _, text in self.raw_texts(title=True)]
        pairs += [(text, self.weight(field)) for field, text in self.raw_texts(title=False)]
        return self._vector(pairs)

    @cached_property
    def autocomplete(self):
        return self._vector((text, "D") for _, text in self.raw_autocomplete_texts())

    @cached_property
    def title_text(self):
        return " ".join(text.strip() for _, text in self.raw_texts(title=True))

    @cached_property
    def body_text(self):
        return " ".join(text.strip() for _, text in self.raw_texts(title=False))


class PostgresIndex(base.PostgresIndex):
    def add_items(self, model, objs):
        # modelsearch's add_items (one INSERT … ON CONFLICT), with this module's ObjectIndexer.
        if not model.get_search_fields():
            return
        indexers = [ObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        rows_sql = []
        params = []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors_sql = []
            for vector_sql, vector_params in (indexer.title, indexer.autocomplete, indexer.body):
                vectors_sql.append(vector_sql)
                params.extend(vector_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows_sql.append(f"(%s, %s, {', '.join(vectors_sql)}, 1.0, %s, %s)")
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, title,
                    autocomplete, body, title_norm, title_text, body_text)
                VALUES {", ".join(rows_sql)}
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title,
                              title_norm = 1.0,
                              autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body,
                              title_text = EXCLUDED.title_text,
                              body_text = EXCLUDED.body_text
                """,  # noqa: S608
                params,
            )

    def _refresh_title_norms(self, full=False):
        # The title norm is not used by this backend's ranking; skipping it saves a full
        # aggregate over the index on every save.
        return


class PostgresSearchQueryCompiler(base.PostgresSearchQueryCompiler):
    AUTOCOMPLETE = False

    def vector_lookup(self) -> str:
        if self.AUTOCOMPLETE:
            return "index_entries__autocomplete"
        if self.fields and all(name == "title" for name in self.fields):
            return "index_entries__title"
        return "index_entries__body"

    def tsquery(self):
        """The ``to_tsquery('simple', …)`` expression, or ``MATCH_ALL`` / ``None`` (nothing)."""
        node = compile_query(self.query, autocomplete=self.AUTOCOMPLETE)
        if node is MATCH_ALL:
            return MATCH_ALL
        if node in (EMPTY, NOTHING):
            return None
        return SearchQuery(tsquery_expression(node), search_type="raw", config=SEARCH_CONFIG)

    def search(self, config, start, stop, score_field=None, backend=None):
        if isinstance(self.query, Fuzzy) and backend is not None and not self.AUTOCOMPLETE:
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        query = self.tsquery()
        if query is MATCH_ALL:
            queryset = self.queryset
            if not queryset.query.order_by:
                queryset = queryset.order_by("-pk")
            return queryset[start:stop]
        if query is None:
            return self.queryset.none()

        vector = F(self.vector_lookup())
        queryset = self.queryset.alias(_search_vector_=vector).filter(_search_vector_=query)
        rank = SearchRank(vector, query, weights=RANK_WEIGHTS)
        if self.order_by_relevance:
            ordering = [rank.desc()]
            recency = recency_field(self.queryset.model)
            if recency:
                ordering.append(F(recency).desc(nulls_last=True))
            queryset = queryset.order_by(*ordering, "-pk")
        elif not queryset.query.order_by:
            # A stable order across pages (see https://github.com/wagtail/wagtail/issues/3729).
            queryset = queryset.order_by("-pk")
        if score_field is not None:
            queryset = queryset.annotate(**{score_field: rank})
        return queryset[start:stop]

    def is_ranked(self) -> bool:
        return (
            self.order_by_relevance
            and not isinstance(self.query, Fuzzy)
            and isinstance(self.tsquery(), SearchQuery)
        )

    def ranked_window(self, start: int, stop: int | None):
        """``([(pk, score), ...], total)`` for ``[start:stop]`` of the ranked results, in one
        statement that selects only keys and scores (the objects are then loaded by key) and
        counts all matches with a window function. The last window is kept, so that a paginator's
        ``count()`` followed by its first page costs one ranked statement."""
        cached = self.__dict__.get("_window")
        if cached is not None:
            cached_start, rows, total = cached
            cached_end = cached_start + len(rows)
            wanted_end = total if stop is None else min(stop, total)
            if cached_start <= start and wanted_end <= cached_end:
                return rows[start - cached_start : max(wanted_end - cached_start, 0)], total
        queryset = self.search(None, start, stop, score_field="_search_score_")
        found = list(
            queryset.annotate(_search_total_=Window(Count("*"))).values_list(
                "pk", "_search_score_", "_search_total_"
            )
        )
        if found:
            total = found[0][2]
        elif start:
            total = self.search(None, None, None).count()
        else:
            total = 0
        rows = [(pk, score) for pk, score, _ in found]
        self.__dict__["_window"] = (start, rows, total)
        return rows, total


class PostgresAutocompleteQueryCompiler(PostgresSearchQueryCompiler):
    AUTOCOMPLETE = True
    LAST_TERM_IS_PREFIX = True
    TARGET_SEARCH_FIELD_TYPE = base.AutocompleteField

    def get_config(self, backend):
        return backend.autocomplete_config

    def get_search_fields_for_model(self):
        return self.queryset.model.get_autocomplete_search_fields()


class PostgresSearchResults(base.PostgresSearchResults):
    #: Results ranked when only the count is asked, for the page that usually follows.
    COUNT_WINDOW = 100
    FETCH_CHUNK = 500

    def _fetch(self, pks):
        queryset = self.query_compiler.queryset
        objects = {}
        for offset in range(0, len(pks), self.FETCH_CHUNK):
            chunk = pks[offset : offset + self.FETCH_CHUNK]
            objects.update((obj.pk, obj) for obj in queryset.filter(pk__in=chunk))
        return [objects[pk] for pk in pks if pk in objects]

    def _do_search(self):
        compiler = self.query_compiler
        if not compiler.is_ranked():
            return super()._do_search()
        rows, _ = compiler.ranked_window(self.start, self.stop)
        results = self._fetch([pk for pk, _ in rows])
        if self._score_field:
            scores = dict(rows)
            for obj in results:
                setattr(obj, self._score_field, scores.get(obj.pk))
        return results

    def _do_count(self):
        compiler = self.query_compiler
        if not compiler.is_ranked():
            return super()._do_count()
        _, total = compiler.ranked_window(0, self.COUNT_WINDOW)
        total = max(total - self.start, 0)
        if self.stop is not None:
            total = min(total, self.stop - self.start)
        return total


class PostgresSearchBackend(base.PostgresSearchBackend):
    query_compiler_class = PostgresSearchQueryCompiler
    autocomplete_query_compiler_class = PostgresAutocompleteQueryCompiler
    index_class = PostgresIndex
    results_class = PostgresSearchResults

    def __init__(self, params):
        super().__init__(params)
        self.config = SEARCH_CONFIG
        self.autocomplete_config = SEARCH_CONFIG


SearchBackend = PostgresSearchBackend
