"""SQLite FTS5 backend: modelsearch's, with the portal's analysis and a one-pass BM25 ranking.

**Index.** modelsearch keeps one ``IndexEntry`` row per object (``title``, ``body``,
``autocomplete``) indexed by triggers in an FTS5 table (``…_indexentry_fts``, ``unicode61``
tokenizer), which reads its text from the entries rather than keeping a copy (external content,
migration ``search.0003``). :class:`ObjectIndexer` stores the output of
:func:`search.analysis.index_text` in those columns, so the tokenizer only ever splits on the spaces
between our terms (CJK bigrams and run-final characters, English stems): ``title`` holds the title
fields, ``body`` every other ``SearchField``, ``autocomplete`` the ``AutocompleteField`` values.
Objects are written in steps (one upsert each) while the next step is analysed in a worker
thread (:func:`~search.backends.common.analysed_in_steps`).

**Query.** The query tree of :mod:`search.backends.common` becomes an FTS5 expression of quoted
strings (``{title body} : (("在留" AND "留資" AND "資格") OR "visa")``, a one-character word as a
prefix: ``"税"*``), bound as a parameter.
``.search(fields=[...])`` narrows the columns: ``title`` to the title column, any other field to
the body column (the index does not keep fields apart).

**Ranking.** Wagtail's ranking computes the score in a correlated subquery per result row, which
re-runs the ``MATCH`` for every row (quadratic: ~14 s at 5,000 documents that all contain the
term). Here one statement runs the ``MATCH`` once, with the FTS table as the outer loop
(``CROSS JOIN``), joins the index entries and then the caller's queryset (permissions, live, ...)
by primary key, and returns for every visible match its key, its recency value and ``bm25()``,
weighted so that a title hit counts ``TITLE_WEIGHT`` times a body hit. The rows are sorted in
Python by relevance (rounded to two significant digits, see
:func:`~search.backends.common.relevance_bucket`), then recency, then primary key, and only the
requested page of objects is loaded. The ranking is kept on the query compiler, so a paginator's
``count()`` and its page share it. Nothing is capped, so counts and facets are exact; the cost is
linear in the number of matches (``manage.py bench_search`` measures it).
Scores given by ``annotate_score()`` are ``-bm25`` (higher is better).
"""

from __future__ import annotations

from collections import OrderedDict
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, F, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from modelsearch.backends.database.sqlite import sqlite as base
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from .common import (
    EMPTY,
    MATCH_ALL,
    NOTHING,
    IndexedValues,
    analysed_in_steps,
    compile_query,
    fetch_in_order,
    fts5_expression,
    recency_field,
    relevance_bucket,
    split_negations,
)

IndexEntry = base.IndexEntry
SQLiteFTSIndexEntry = base.SQLiteFTSIndexEntry

#: How much a match in the title counts against the same match in the body.
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0


class ObjectIndexer(IndexedValues, base.ObjectIndexer):
    @cached_property
    def title(self):
        return " ".join(self.prepare_value(text) for _, text in self.raw_texts(title=True))

    @cached_property
    def body(self):
        return " ".join(self.prepare_value(text) for _, text in self.raw_texts(title=False))

    @cached_property
    def autocomplete(self):
        return " ".join(self.prepare_value(text) for _, text in self.raw_autocomplete_texts())


class SQLiteIndex(base.SQLiteIndex):
    def add_items(self, model, objs):
        # modelsearch's add_items, with this module's ObjectIndexer and one upsert statement per
        # batch instead of an UPDATE per object that is already indexed (the FTS table follows
        # through modelsearch's insert and update triggers).
        if not model.get_search_fields():
            return
        content_type_pk = get_content_type_pk(model)

        def analyse(indexers):
            return [
                IndexEntry(
                    content_type_id=content_type_pk,
                    object_id=indexer.id,
                    title=indexer.title,
                    autocomplete=indexer.autocomplete,
                    body=indexer.body,
                )
                for indexer in indexers
            ]

        indexers = [ObjectIndexer(obj, self.backend) for obj in objs]
        for entries in analysed_in_steps(indexers, analyse):
            self.entries.bulk_create(
                entries,
                update_conflicts=True,
                unique_fields=["content_type", "object_id"],
                update_fields=["title", "autocomplete", "body"],
            )

    def _refresh_title_norms(self, full=False):
        # The title norm (a per-entry title length factor) is not used by this backend's ranking;
        # skipping it saves a full aggregate over the index on every save.
        return


class SQLiteSearchQueryCompiler(base.SQLiteSearchQueryCompiler):
    AUTOCOMPLETE = False

    # --- what to match ------------------------------------------------------------------------

    def columns(self) -> list[str]:
        if self.AUTOCOMPLETE:
            return ["autocomplete"]
        if not self.fields:
            return ["title", "body"]
        columns = {"title" if name == "title" else "body" for name in self.fields}
        return [column for column in ("title", "body") if column in columns]

    def column_weights(self) -> tuple[float, float, float]:
        # bm25() weights follow the FTS5 table's column order: autocomplete, body, title.
        if self.AUTOCOMPLETE:
            return (1.0, 0.0, 0.0)
        return (0.0, BODY_WEIGHT, TITLE_WEIGHT)

    @cached_property
    def plan(self):
        """``(mode, expression)``: mode is ``"all"`` (the queryset as it is), ``"none"``,
        ``"match"`` (objects whose entry matches) or ``"exclude"`` (objects whose entry does not)."""
        node = compile_query(self.query, autocomplete=self.AUTOCOMPLETE)
        if node is MATCH_ALL:
            return "all", None
        if node in (EMPTY, NOTHING):
            return "none", None
        positive, negative = split_negations(node)
        if positive is NOTHING or negative is MATCH_ALL:
            return "none", None
        if negative in (EMPTY, NOTHING):
            negative = None
        if positive is MATCH_ALL:
            if negative is None:
                return "all", None
            return "exclude", self._match_string(fts5_expression(negative))
        expression = fts5_expression(positive)
        if negative is not None:
            expression = f"{expression} NOT {fts5_expression(negative)}"
        return "match", self._match_string(expression)

    def _match_string(self, expression: str) -> str:
        return "{" + " ".join(self.columns()) + "} : (" + expression + ")"

    def content_type_ids(self) -> list[int]:
        return list(get_descendants_content_types_pks(self.queryset.model))

    def _match_sql(self, select: str, match: str, join: str = "") -> tuple[str, list]:
        """``SELECT <select>`` over the entries that match, for this model's content types.

        ``CROSS JOIN`` keeps the FTS table as the outer loop, so the MATCH is evaluated once; with
        a plain join SQLite may drive from the entries and re-run the MATCH for each of them.
        """
        types = self.content_type_ids() or [0]
        entries = IndexEntry._meta.db_table
        fts = SQLiteFTSIndexEntry._meta.db_table
        sql = (
            f"SELECT {select} FROM {fts} CROSS JOIN {entries} e ON e.id = {fts}.rowid {join} "  # noqa: S608
            f"WHERE {fts} MATCH %s AND e.content_type_id IN ({', '.join(['%s'] * len(types))})"
        )
        return sql, [match, *types]

    def matching_object_ids(self, match: str):
        """A subquery of the ``object_id`` of every entry that matches (no ranking)."""
        # Only table names from the models go into the SQL; the match string is a bound parameter.
        return RawSQL(*self._match_sql("e.object_id", match))  # noqa: S611

    def scores(self, match: str, object_ids=None) -> dict[str, float]:
        """``object_id`` → relevance (``-bm25``) of every matching entry (or of those among
        ``object_ids``), the MATCH evaluated once per statement."""
        fts = SQLiteFTSIndexEntry._meta.db_table
        weights = ", ".join(str(float(weight)) for weight in self.column_weights())
        sql, params = self._match_sql(f"e.object_id, bm25({fts}, {weights})", match)
        if object_ids is None:
            batches = [(sql, params)]
        else:
            object_ids = [str(pk) for pk in object_ids]
            batches = [
                (sql + f" AND e.object_id IN ({', '.join(['%s'] * len(chunk))})", params + chunk)
                for chunk in (
                    object_ids[offset : offset + 500] for offset in range(0, len(object_ids), 500)
                )
            ]
        scores = {}
        with connections[self.queryset.db].cursor() as cursor:
            for batch_sql, batch_params in batches:
                cursor.execute(batch_sql, batch_params)
                scores.update((object_id, -score) for object_id, score in cursor.fetchall())
        return scores

    # --- querysets ----------------------------------------------------------------------------

    def matching_queryset(self):
        """The caller's queryset narrowed to the matching objects (its own ordering kept)."""
        mode, match = self.plan
        if mode == "all":
            return self.queryset
        if mode == "none":
            return self.queryset.none()
        subquery = self.matching_object_ids(match)
        if mode == "exclude":
            return self.queryset.exclude(pk__in=subquery)
        return self.queryset.filter(pk__in=subquery)

    @cached_property
    def ranking(self) -> list[tuple[object, float]]:
        """``(pk, score)`` of every visible matching object, best first."""
        rows = self._ranked_rows()
        rows.sort(
            key=lambda row: (relevance_bucket(row[2]), row[1] is not None, row[1] or "", row[0]),
            reverse=True,
        )
        return [(pk, score) for pk, _, score in rows]

    def _ranked_rows(self) -> list[tuple[object, str | None, float]]:
        """``(pk, recency as text, score)`` of every visible matching object, in one statement:
        FTS table → index entries → the caller's queryset (joined by primary key), so that the
        MATCH and ``bm25()`` run once. SQLite stores dates and datetimes as ISO text (datetimes in
        UTC), which sorts like the values, so the recency is read as text without conversion."""
        _, match = self.plan
        recency = recency_field(self.queryset.model)
        visible = self.queryset.order_by().annotate(
            _search_pk_=F("pk"),
            _search_recency_=Cast(recency, TextField()) if recency else Value(None, TextField()),
        )
        try:
            visible_query = visible.values_list("_search_pk_", "_search_recency_").query
            visible_sql, visible_params = visible_query.get_compiler(self.queryset.db).as_sql()
        except EmptyResultSet:
            return []
        fts = SQLiteFTSIndexEntry._meta.db_table
        weights = ", ".join(str(float(weight)) for weight in self.column_weights())
        sql, params = self._match_sql(
            f"v._search_pk_, v._search_recency_, -bm25({fts}, {weights})",
            match,
            join=f"CROSS JOIN ({visible_sql}) v ON v._search_pk_ = e.object_id",
        )
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, [*visible_params, *params])
            return cursor.fetchall()

    def is_ranked(self) -> bool:
        return self.plan[0] == "match" and self.order_by_relevance

    def ordered_queryset(self):
        """The matching queryset in the order used when results are not ranked by relevance."""
        queryset = self.matching_queryset()
        if not queryset.query.order_by:
            # A stable order across pages (see https://github.com/wagtail/wagtail/issues/3729).
            queryset = queryset.order_by("-pk")
        return queryset

    def search(self, config, start, stop, score_field=None):
        # Kept for callers of modelsearch's API: the matching objects, unranked.
        return self.ordered_queryset()[start:stop]


class SQLiteAutocompleteQueryCompiler(SQLiteSearchQueryCompiler):
    AUTOCOMPLETE = True
    LAST_TERM_IS_PREFIX = True
    TARGET_SEARCH_FIELD_TYPE = base.AutocompleteField
    FTS_TABLE_FIELDS = ["autocomplete"]

    def get_config(self, backend):
        return backend.autocomplete_config

    def get_search_fields_for_model(self):
        return self.queryset.model.get_autocomplete_search_fields()


class SQLiteSearchResults(base.SQLiteSearchResults):
    def _do_search(self):
        compiler = self.query_compiler
        if compiler.is_ranked():
            page = compiler.ranking[self.start : self.stop]
            results = fetch_in_order(compiler.queryset, [pk for pk, _ in page])
            if self._score_field:
                scores = dict(page)
                for obj in results:
                    setattr(obj, self._score_field, scores.get(obj.pk))
            return results
        results = list(compiler.ordered_queryset()[self.start : self.stop])
        if self._score_field:
            mode, match = compiler.plan
            scores = compiler.scores(match, [obj.pk for obj in results]) if mode == "match" else {}
            for obj in results:
                setattr(obj, self._score_field, scores.get(str(obj.pk)))
        return results

    def _do_count(self):
        compiler = self.query_compiler
        if compiler.is_ranked():
            # The ranking is needed for the page anyway (a paginator asks for the count first).
            total = len(compiler.ranking)
        else:
            total = compiler.matching_queryset().count()
        total -= self.start
        if self.stop is not None:
            total = min(total, self.stop - self.start)
        return max(total, 0)

    def facet(self, field_name):
        field = self.query_compiler._get_filterable_field(field_name)
        if field is None:
            return super().facet(field_name)  # raises FilterFieldError
        results = (
            self.query_compiler.matching_queryset()
            .values(field_name)
            .annotate(count=Count("pk"))
            .order_by("-count")
        )
        return OrderedDict((result[field_name], result["count"]) for result in results)


class SQLiteSearchBackend(base.SQLiteSearchBackend):
    query_compiler_class = SQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
    index_class = SQLiteIndex
    results_class = SQLiteSearchResults


SearchBackend = SQLiteSearchBackend
