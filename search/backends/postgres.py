"""PostgreSQL backend: modelsearch's, with the portal's analysis, the ``simple`` configuration, a
GIN index the planner uses for frequent terms too, and ranking capped to the best candidates.

**Index.** modelsearch keeps one ``IndexEntry`` row per object with three ``tsvector`` columns
(GIN-indexed each). :class:`ObjectIndexer` writes them as ``tsvector`` literals built in Python
from :func:`search.analysis.index_terms` (:func:`tsvector_literal`): each lexeme once with up to
:data:`MAX_POSITIONS` positions (enough for term frequency to count in ``ts_rank``), so the
database only parses the literal and the vectors stay small (no ``to_tsvector``, no position per
occurrence):

- ``title``: the title fields (``search_title_fields`` of the model, else ``title``), weight A;
- ``body``: the title fields (weight A) *and* every other ``SearchField`` (weight D, or B for a
  field boosted above 1), so that one GIN-indexed column answers a query whose words are spread
  over title and body;
- ``autocomplete``: the ``AutocompleteField`` values;
- ``title_text`` / ``body_text`` keep the raw text (used only by modelsearch's fuzzy search).

A lexeme found once in the body has no position at all (``ts_rank`` counts it exactly as one
occurrence of weight D). Objects are written in steps of
:data:`~search.backends.common.INDEX_STEP` (one ``INSERT … ON CONFLICT`` each), the next step
being analysed in a worker thread meanwhile (:func:`~search.backends.common.analysed_in_steps`).
A bulk load (more than one step) lets the GIN entries gather in a larger pending list
(:data:`BULK_PENDING_LIST_KB`) for its transaction: they are then merged into the index in
fewer, larger batches, which costs less per entry than PostgreSQL's default of 4 MB.

**Matching.** The query tree of :mod:`search.backends.common` becomes a tsquery of quoted lexemes
(``('在留' & '留資' & '資格') | 'visa'``, a one-character word as a prefix: ``'税':*``) passed as
a bound parameter to ``to_tsquery('simple', %s)``; ``Not`` maps to ``!``. ``.search(fields=["title"])`` searches the
title column; any other ``fields`` value searches the body column. The body is matched as
``portal_search_match(body) @@ query``: the function returns its argument, its GIN index replaces
modelsearch's index on ``body`` (migration ``search.0002``), and it is declared expensive. Without
it the planner answers a term found in one document in ten or more with a sequential scan, which
reads every body vector back from TOAST storage (~0.5 s at 100,000 documents) where the GIN index
needs none. The caller's queryset is joined by primary key to the matching entries'
``object_id`` (cast to the key's type), so that its primary-key index serves the join.

**Ranking.** In one statement: a first pass orders every visible match by (whole query found in
the title, recency field (:func:`~search.backends.common.recency_field`), primary key) and counts
them exactly; its first :data:`~PostgresSearchQueryCompiler.RANK_CANDIDATES` rows are ranked by
``ts_rank('{0.1, 0.2, 0.4, 1.0}', body, any term)`` (weights for D, C, B, A: a title match
counts ten times a body match; normalisation 0), then recency, then key. Only those candidates'
body vectors are read. Matches beyond the candidates (a term found in most documents) follow in
first-pass order, so the order stays stable across pages. Counts and facets are exact. The
statement returns keys and scores of the requested slice only; the objects are then loaded by
key. ``count()`` on its own ranks the first ``COUNT_WINDOW`` results, which the page a paginator
asks for next is usually served from.
"""

from __future__ import annotations

import functools
from collections import Counter
from contextlib import nullcontext
from functools import cached_property

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Case, DateTimeField, F, Func, Value, When
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres import postgres as base
from modelsearch.query import Fuzzy
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from search import analysis

from .common import (
    EMPTY,
    INDEX_STEP,
    MATCH_ALL,
    NOTHING,
    All,
    Any,
    IndexedValues,
    Term,
    analysed_in_steps,
    compile_query,
    fetch_in_order,
    recency_field,
    tsquery_expression,
)

IndexEntry = base.IndexEntry

#: The text search configuration: no stemming, no stop words (the analysis does both).
SEARCH_CONFIG = "simple"
#: ts_rank weights for D, C, B, A: the title (A) counts ten times an ordinary body field (D).
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
#: The identity function the body's GIN index is built on (migration ``search.0002``).
MATCH_FUNCTION = "portal_search_match"


#: A bulk load (more objects than one step) lets GIN entries gather in the pending list up to
#: this size (kB; PostgreSQL's default is 4 MB) before they are merged into the index, and gives
#: the merge this much memory: fewer, larger merges cost less per entry. What is left pending is
#: merged by autovacuum (or ``gin_clean_pending_list``) and searched meanwhile.
BULK_PENDING_LIST_KB = 128 * 1024
BULK_WORK_MEM_KB = 256 * 1024

#: Positions kept per lexeme: enough for term frequency to count in ``ts_rank`` (each further
#: occurrence adds less, 1/n²), while the stored vectors stay small.
MAX_POSITIONS = 3
#: PostgreSQL refuses lexemes longer than this (bytes); ``to_tsvector`` drops them, so do we.
MAX_LEXEME_BYTES = 2046


def _too_long(term: str) -> bool:
    return len(term.encode()) > MAX_LEXEME_BYTES


def _layout(groups) -> list[tuple[tuple[str, ...], list[str]]]:
    """The lexemes of a ``tsvector`` for ``[(weight, terms), ...]`` given from the strongest
    weight (``"A"``) to the weakest (``""``, i.e. D), as ``[(weights of the positions, lexemes),
    ...]``: each lexeme once, with up to :data:`MAX_POSITIONS` positions (one per occurrence,
    the strongest weights first). A lexeme found once with weight D has no position at all:
    ``ts_rank`` counts a lexeme without positions as one occurrence of weight D, exactly as
    ``:1``, and it is stored in 4 bytes less (a body holds hundreds of them). Lexemes that share
    their positions are kept together, so that each group is rendered at once (this runs for
    every indexed object)."""
    counted = [(weight, Counter(terms)) for weight, terms in groups if terms]
    layout: list[tuple[tuple[str, ...], list[str]]] = []
    # Lexemes found under more than one weight (a title word repeated in the body).
    merged: set[str] = set()
    for at, (_, stronger) in enumerate(counted[:-1]):
        for _, weaker in counted[at + 1 :]:
            for term in (stronger.keys() & weaker.keys()) - merged:
                merged.add(term)
                weights = [weight for weight, counts in counted for _ in range(counts[term])]
                layout.append((tuple(weights[:MAX_POSITIONS]), [term]))
    for weight, counts in counted:
        by_count: dict[int, list[str]] = {1: [], 2: [], 3: []}
        for term, n in counts.items():
            by_count[n if n < MAX_POSITIONS else MAX_POSITIONS].append(term)
        for n, terms in by_count.items():
            if merged:
                terms = [term for term in terms if term not in merged]
            if terms:
                layout.append(((weight,) * n if weight or n > 1 else (), terms))
    kept = []
    for positions, terms in layout:
        if max(map(len, terms)) * 4 > MAX_LEXEME_BYTES:  # perhaps too long: look closer
            terms = [term for term in terms if not _too_long(term)]
        if terms:
            kept.append((positions, terms))
    return kept


@functools.cache
def _text_suffix(positions: tuple[str, ...]) -> str:
    if not positions:
        return ""
    return ":" + ",".join(f"{at}{weight}" for at, weight in enumerate(positions, 1))


def tsvector_literal(groups) -> str:
    """The text form of a ``tsvector`` (see :func:`_layout`), such as
    ``'資格':1A,2,3 '相談'``, as the INSERT passes it. Built here rather than by
    ``to_tsvector`` in the database: the analysis has already split the text, and the database
    then only parses the literal."""
    parts = []
    for positions, terms in _layout(groups):
        joined = "\x00".join(terms)
        if "'" in joined:  # an apostrophe ("coordinator's") is doubled
            joined = joined.replace("'", "''")
        suffix = _text_suffix(positions)
        parts.append("'" + joined.replace("\x00", f"'{suffix} '") + "'" + suffix)
    return " ".join(parts)


class ObjectIndexer(IndexedValues, base.ObjectIndexer):
    def weight(self, field) -> str:
        if self.is_title(field):
            return "A"
        if field.boost is not None and field.boost > 1:
            return "B"
        return ""

    @staticmethod
    def _terms(pairs) -> list[tuple[str, list[str]]]:
        by_weight: dict[str, list[str]] = {"A": [], "B": [], "": []}
        for text, weight in pairs:
            by_weight[weight].extend(analysis.index_terms(text))
        return [(weight, terms) for weight, terms in by_weight.items() if terms]

    @cached_property
    def title(self) -> str:
        return tsvector_literal(self._terms((text, "A") for _, text in self.raw_texts(title=True)))

    @cached_property
    def body(self) -> str:
        pairs = [(text, "A") for _, text in self.raw_texts(title=True)]
        pairs += [(text, self.weight(field)) for field, text in self.raw_texts(title=False)]
        return tsvector_literal(self._terms(pairs))

    @cached_property
    def autocomplete(self) -> str:
        return tsvector_literal(
            self._terms((text, "") for _, text in self.raw_autocomplete_texts())
        )

    @cached_property
    def title_text(self):
        return " ".join(text.strip() for _, text in self.raw_texts(title=True))

    @cached_property
    def body_text(self):
        return " ".join(text.strip() for _, text in self.raw_texts(title=False))


class PostgresIndex(base.PostgresIndex):
    def add_items(self, model, objs):
        # modelsearch's add_items (INSERT … ON CONFLICT), with this module's ObjectIndexer, one
        # statement per step; the next step is analysed while one is written
        # (analysed_in_steps).
        if not model.get_search_fields():
            return
        indexers = [ObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)

        def analyse(chunk):
            params = []
            for indexer in chunk:
                params += (
                    content_type_pk,
                    indexer.id,
                    indexer.title,
                    indexer.autocomplete,
                    indexer.body,
                    indexer.title_text,
                    indexer.body_text,
                )
            return len(chunk), params

        connection = self.write_connection
        bulk = len(indexers) > INDEX_STEP
        # One statement is atomic on its own; several steps form one transaction.
        in_steps = transaction.atomic(using=connection.alias) if bulk else nullcontext()
        with in_steps, connection.cursor() as cursor:
            if bulk:
                # A bulk load: GIN entries gather in a larger pending list and are merged into
                # the index in fewer, cheaper batches (settings for this transaction only).
                cursor.execute(
                    "SELECT set_config('gin_pending_list_limit', %s, true), "
                    "set_config('work_mem', %s, true)",
                    [str(BULK_PENDING_LIST_KB), f"{BULK_WORK_MEM_KB}kB"],
                )
            for count, params in analysed_in_steps(indexers, analyse):
                rows = ", ".join(
                    ["(%s, %s, %s::tsvector, %s::tsvector, %s::tsvector, 1.0, %s, %s)"] * count
                )
                cursor.execute(
                    f"""
                    INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, title,
                        autocomplete, body, title_norm, title_text, body_text)
                    VALUES {rows}
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
    #: Matches ranked by ``ts_rank``; the rest follow in the order of the first pass.
    RANK_CANDIDATES = 1000

    def vector_column(self) -> str:
        """The index column the query is matched against."""
        if self.AUTOCOMPLETE:
            return "autocomplete"
        if self.fields and all(name == "title" for name in self.fields):
            return "title"
        return "body"

    def match_vector(self):
        """The matched column as an expression on ``IndexEntry``; the body through
        ``portal_search_match`` so that its GIN index answers (see the module docstring)."""
        column = self.vector_column()
        if column == "body":
            return Func(F(column), function=MATCH_FUNCTION, output_field=SearchVectorField())
        return F(column)

    def content_type_pks(self) -> list[int]:
        return get_descendants_content_types_pks(self.queryset.model)

    def pk_field(self):
        field = self.queryset.model._meta.pk
        while field.is_relation:
            field = field.target_field
        return field

    def tree(self):
        return compile_query(self.query, autocomplete=self.AUTOCOMPLETE)

    def tsquery(self):
        """The ``to_tsquery('simple', …)`` expression, or ``MATCH_ALL`` / ``None`` (nothing)."""
        node = self.tree()
        if node is MATCH_ALL:
            return MATCH_ALL
        if node in (EMPTY, NOTHING):
            return None
        return SearchQuery(tsquery_expression(node), search_type="raw", config=SEARCH_CONFIG)

    def rank_tsquery(self) -> str | None:
        """The ``to_tsquery`` text the ranking uses: every term that is searched for (not the
        negated ones), OR-ed, so that ``ts_rank`` weighs each by its weight and frequency;
        ``None`` when there is none (a query that only excludes)."""
        terms = list(dict.fromkeys(_positive_terms(self.tree())))
        if not terms:
            return None
        return tsquery_expression(terms[0] if len(terms) == 1 else Any(tuple(terms)))

    def matches(self):
        """The caller's queryset narrowed to the matches (no ordering): its primary key among the
        ``object_id`` of the matching index entries, so that the planner can join either way
        (modelsearch's relation joins on ``id::varchar``, which no index serves)."""
        query = self.tsquery()
        if query is MATCH_ALL:
            return self.queryset
        if query is None:
            return self.queryset.none()
        entries = (
            IndexEntry.objects.filter(content_type_id__in=self.content_type_pks())
            .alias(_search_vector_=self.match_vector())
            .filter(_search_vector_=query)
            .annotate(_search_object_=Cast("object_id", output_field=self.pk_field().__class__()))
            .values("_search_object_")
        )
        return self.queryset.filter(pk__in=entries)

    def search(self, config, start, stop, score_field=None, backend=None):
        if isinstance(self.query, Fuzzy) and backend is not None and not self.AUTOCOMPLETE:
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        query = self.tsquery()
        queryset = self.matches()
        if query is None:
            return queryset
        if query is MATCH_ALL or not self.order_by_relevance or stop is None:
            # Unranked: also every match at once (facets, counts), which ranking would not change.
            if not queryset.query.order_by:
                # A stable order across pages (see https://github.com/wagtail/wagtail/issues/3729).
                queryset = queryset.order_by("-pk")
            if score_field is not None and query is not MATCH_ALL:
                vector = F(f"index_entries__{self.vector_column()}")
                rank = SearchRank(vector, query, weights=RANK_WEIGHTS)
                queryset = queryset.annotate(**{score_field: rank})
            return queryset[start:stop]
        # Ordered by relevance: the ranked results, in the order of ranked_window().
        rows, _ = self.ranked_window(start or 0, stop)
        pks = [pk for pk, _ in rows]
        queryset = self.queryset.filter(pk__in=pks)
        if score_field is not None:
            queryset = queryset.annotate(
                **{score_field: Case(*(When(pk=pk, then=Value(score)) for pk, score in rows))}
            )
        return queryset.order_by(
            Case(*(When(pk=pk, then=Value(at)) for at, pk in enumerate(pks)), default=Value(0))
        )

    def is_ranked(self) -> bool:
        return (
            self.order_by_relevance
            and not isinstance(self.query, Fuzzy)
            and isinstance(self.tsquery(), SearchQuery)
        )

    # --- ranking ------------------------------------------------------------------------------

    def _first_pass(self) -> tuple[str, list]:
        """SQL and parameters of the first pass: every visible match as ``(pk, entry, recency,
        total)``, ordered by (whole query in the title, recency, key)."""
        recency = recency_field(self.queryset.model)
        visible = (
            self.queryset.order_by()
            .annotate(
                _search_recency_=F(recency)
                if recency
                else Value(None, output_field=DateTimeField())
            )
            .values_list("pk", "_search_recency_")
        )
        visible_sql, visible_params = visible.query.sql_with_params()
        connection = connections[self.queryset.db]
        pk_type = self.pk_field().cast_db_type(connection)
        column = self.vector_column()
        matched = f"{MATCH_FUNCTION}(e.body)" if column == "body" else f"e.{column}"
        types = self.content_type_pks()
        query = tsquery_expression(self.tree())
        # The matches are a subquery kept apart (OFFSET 0), so that only their key, entry and
        # title flag travel through the join and the sort, not the title vector they are read
        # from (a query matching half of the documents otherwise sorts and counts ~20 MB).
        sql = f"""
            SELECT m.pk, e.id AS entry, m.recency, count(*) OVER () AS total, e.in_title
            FROM (
                SELECT e.id, e.object_id::{pk_type} AS object_pk,
                       e.title @@ to_tsquery('{SEARCH_CONFIG}', %s) AS in_title
                FROM {IndexEntry._meta.db_table} e
                WHERE e.content_type_id IN ({", ".join(["%s"] * len(types))})
                  AND {matched} @@ to_tsquery('{SEARCH_CONFIG}', %s)
                OFFSET 0
            ) AS e
            JOIN ({visible_sql}) AS m (pk, recency) ON m.pk = e.object_pk
            ORDER BY e.in_title DESC, m.recency DESC NULLS LAST, m.pk DESC
        """  # noqa: S608 - names from the models; values bound as parameters
        return sql, [query, *types, query, *visible_params]

    def _ranked_rows(self, start: int, stop: int | None):
        """``[(pk, score, total), ...]`` for ``[start:stop]`` of the ranked results; ``stop`` at
        most :attr:`RANK_CANDIDATES` (or ``start`` at least that, then unranked)."""
        try:
            first_pass, params = self._first_pass()
        except EmptyResultSet:  # the caller's queryset can match nothing
            return []
        if start >= self.RANK_CANDIDATES:
            statement = f"SELECT c.pk, NULL, c.total FROM ({first_pass}) AS c OFFSET %s"  # noqa: S608
            params.append(start)
            if stop is not None:
                statement += " LIMIT %s"
                params.append(stop - start)
        else:
            limit = self.RANK_CANDIDATES if stop is None else min(stop, self.RANK_CANDIDATES)
            params.append(self.RANK_CANDIDATES)
            rank_query = self.rank_tsquery()
            if rank_query is None:
                score = "0::float4"
            else:
                score = f"ts_rank(%s::float4[], e.body, to_tsquery('{SEARCH_CONFIG}', %s))"
                params += [RANK_WEIGHTS, rank_query]
            statement = f"""
                WITH c AS ({first_pass} LIMIT %s)
                SELECT c.pk, {score} AS score, c.total
                FROM c JOIN {IndexEntry._meta.db_table} e ON e.id = c.entry
                ORDER BY score DESC, c.recency DESC NULLS LAST, c.pk DESC
                OFFSET %s LIMIT %s
            """  # noqa: S608
            params.append(start)
            params.append(limit - start)
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()

    def ranked_window(self, start: int, stop: int | None):
        """``([(pk, score), ...], total)`` for ``[start:stop]`` of the ranked results.

        One statement: the first pass orders every match by (whole query in the title, recency,
        key) and counts them; its first :attr:`RANK_CANDIDATES` rows are ranked by ``ts_rank``
        (reading only their body vectors) and form the top of the results; the others follow in
        first-pass order (a window that spans both parts takes two statements). The last window
        is kept, so that a paginator's ``count()`` followed by its first page costs one
        statement."""
        cached = self.__dict__.get("_window")
        if cached is not None:
            cached_start, rows, total = cached
            cached_end = cached_start + len(rows)
            wanted_end = total if stop is None else min(stop, total)
            if cached_start <= start and wanted_end <= cached_end:
                return rows[start - cached_start : max(wanted_end - cached_start, 0)], total
        cap = self.RANK_CANDIDATES
        if start < cap and (stop is None or stop > cap):
            found = self._ranked_rows(start, cap) + self._ranked_rows(cap, stop)
        else:
            found = self._ranked_rows(start, stop)
        if found:
            total = found[0][2]
        elif start:
            total = self.matches().count()
        else:
            total = 0
        rows = [(pk, score) for pk, score, _ in found]
        self.__dict__["_window"] = (start, rows, total)
        return rows, total


def _positive_terms(node):
    if isinstance(node, Term):
        yield node
    elif isinstance(node, All | Any):
        for child in node.children:
            yield from _positive_terms(child)


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

    def _do_search(self):
        compiler = self.query_compiler
        if not compiler.is_ranked():
            return super()._do_search()
        rows, _ = compiler.ranked_window(self.start, self.stop)
        results = fetch_in_order(compiler.queryset, [pk for pk, _ in rows])
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
