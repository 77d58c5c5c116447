"""What the SQLite and PostgreSQL backends share: the text that is indexed, the query tree that is
compiled to each database's boolean syntax, and the tie-break by recency.

**Indexing.** Every value of a ``SearchField`` / ``AutocompleteField`` (also through
``RelatedFields``) is turned into plain text exactly as Wagtail does (lists and dicts joined), then
passed once through :func:`search.analysis.index_text`; what the database stores and tokenises is
that string of terms (CJK bigrams and run-final characters, English stems, separated by spaces).

**Querying.** A Wagtail query object is compiled into a small boolean tree (:class:`Term`,
:class:`All`, :class:`Any`, :class:`Not`):

- ``PlainText`` (what a plain string becomes) and ``Phrase``: :func:`search.analysis.parse_query`
  gives the plan; the tree is AND over its words (OR when the ``PlainText`` operator is ``"or"``),
  each word an OR over its alternatives (the word and its synonyms), each alternative an AND over
  its terms. A ``Phrase`` maps to the same plan (bigrams already keep the characters in order for
  Japanese; word order of English phrases is not enforced).
- ``And`` / ``Or`` / ``Not`` / ``Boost`` combine or wrap sub-queries (a boost is ignored); ``Fuzzy``
  is searched like ``PlainText`` unless the backend has its own fuzzy search; ``MATCH_ALL``
  matches everything.
- A query whose plan is empty (only punctuation, for example) matches nothing; inside ``And`` /
  ``Or`` it is left out.
- For autocomplete, Latin terms of the last word of each plain-text query match as prefixes; since
  the index holds stems, a longer typed prefix (``consultati``) also matches through its first
  letters (``consult*``), see :func:`_prefix_alternatives`.

The tree is rendered by each backend with every term quoted (:func:`fts5_expression`,
:func:`tsquery_expression`), and the result is passed to the database as a bound parameter, so
neither the SQL nor the full-text query syntax can be injected through the query string.

**Ties.** Results that are equally relevant are ordered newest first by the model's recency field
(:func:`recency_field`): ``search_recency_field`` on the model if set, else ``first_published_at``
when the model has it (pages), else none; then by primary key, highest first.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Manager
from django.utils.encoding import force_str
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.query import (
    And,
    Boost,
    Fuzzy,
    MatchAll,
    Not,
    Or,
    Phrase,
    PlainText,
)

from search import analysis

__all__ = [
    "EMPTY",
    "MATCH_ALL",
    "NOTHING",
    "All",
    "Any",
    "IndexedValues",
    "Negation",
    "Term",
    "analysed_in_steps",
    "compile_query",
    "fetch_in_order",
    "fts5_expression",
    "raw_text",
    "recency_field",
    "relevance_bucket",
    "tsquery_expression",
]


# --- indexing ---------------------------------------------------------------------------------


def raw_text(value) -> str:
    """A field value as plain text, as Wagtail's database backends prepare it (``None`` is empty)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(raw_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(raw_text(item) for item in value.values())
    return force_str(value)


@functools.cache
def _plain_column(model, name: str):
    """The model field ``name`` when it is a plain column, whose search value is simply its
    value (``SearchField.get_value`` gives the same after checks that cost more than the read
    itself on every object indexed); ``None`` for anything else (relations, tags, callables,
    fields with searchable content of their own)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not field.concrete or field.is_relation or hasattr(field, "get_searchable_content"):
        return None
    return field


class IndexedValues:
    """Mixin for modelsearch's ``ObjectIndexer``: reads each search field once (``values``) and
    offers the analysed text of the title, the other search fields and the autocomplete fields."""

    TITLE_FIELD = "title"

    def prepare_value(self, value):
        # The analysed form of one value; modelsearch's prepare_field() calls this.
        return analysis.index_text(raw_text(value))

    def _walk(self, obj, field):
        if isinstance(field, SearchField | AutocompleteField):
            column = _plain_column(type(obj), field.field_name)
            value = field.get_value(obj) if column is None else column.value_from_object(obj)
            yield field, raw_text(value)
        elif isinstance(field, RelatedFields):
            sub_obj = field.get_value(obj)
            if sub_obj is None:
                return
            if isinstance(sub_obj, Manager):
                sub_objs = sub_obj.all()
            else:
                if callable(sub_obj):
                    sub_obj = sub_obj()
                sub_objs = [sub_obj]
            for sub in sub_objs:
                for sub_field in field.fields:
                    yield from self._walk(sub, sub_field)

    @cached_property
    def values(self) -> list[tuple[object, str]]:
        """``(search field, raw text)`` for every search and autocomplete field of the object."""
        return [pair for field in self.search_fields for pair in self._walk(self.obj, field)]

    @cached_property
    def title_fields(self) -> tuple[str, ...]:
        """The fields that are the object's title: the model's ``search_title_fields``, else
        ``title``."""
        return tuple(getattr(type(self.obj), "search_title_fields", (self.TITLE_FIELD,)))

    def is_title(self, field) -> bool:
        return isinstance(field, SearchField) and field.field_name in self.title_fields

    def raw_texts(self, *, title: bool) -> list[tuple[object, str]]:
        return [
            (field, text)
            for field, text in self.values
            if isinstance(field, SearchField) and self.is_title(field) == title and text.strip()
        ]

    def raw_autocomplete_texts(self) -> list[tuple[object, str]]:
        return [
            (field, text)
            for field, text in self.values
            if isinstance(field, AutocompleteField) and text.strip()
        ]


#: Objects analysed and written per step of :func:`analysed_in_steps`.
INDEX_STEP = 250


def analysed_in_steps(indexers, analyse, step: int = INDEX_STEP):
    """Yield ``analyse(chunk)`` for consecutive chunks of ``indexers`` (``ObjectIndexer``
    objects), so that the caller writes one chunk while the next is analysed in a worker thread: analysis is
    Python work, writing waits on the database (which releases the interpreter lock), so on two
    cores the two overlap. Each indexer's field values (``values``, which may query related
    objects) are read here, in the caller's thread and its transaction; the worker only turns
    text into terms and never touches the database. One chunk needs no thread."""
    chunks = [indexers[at : at + step] for at in range(0, len(indexers), step)]
    for indexer in chunks[0] if chunks else ():
        indexer.values  # noqa: B018 - read in this thread (see above)
    if len(chunks) <= 1:
        for chunk in chunks:
            yield analyse(chunk)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-analysis") as worker:
        pending = worker.submit(analyse, chunks[0])
        for following in chunks[1:]:
            for indexer in following:
                indexer.values  # noqa: B018
            done = pending.result()
            pending = worker.submit(analyse, following)
            yield done
        yield pending.result()


#: Keys per ``pk IN (…)`` statement when the objects of a ranked page are loaded.
FETCH_CHUNK = 500


def fetch_in_order(queryset, pks) -> list:
    """The objects for ``pks`` from ``queryset`` (its annotations and ``select_related`` kept), in
    the order of ``pks``; keys the queryset no longer holds are left out."""
    objects = {}
    for offset in range(0, len(pks), FETCH_CHUNK):
        chunk = pks[offset : offset + FETCH_CHUNK]
        objects.update((obj.pk, obj) for obj in queryset.filter(pk__in=chunk))
    return [objects[pk] for pk in pks if pk in objects]


# --- query tree -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class All:
    children: tuple


@dataclass(frozen=True)
class Any:
    children: tuple


@dataclass(frozen=True)
class Negation:
    child: object


class _Sentinel:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


#: Matches every object (``MATCH_ALL``, or ``Not`` of something empty).
MATCH_ALL = _Sentinel("MATCH_ALL")
#: Nothing to search for (an empty plan): matches nothing on its own, neutral inside And/Or.
EMPTY = _Sentinel("EMPTY")
#: Matches no object (``Not(MATCH_ALL)``).
NOTHING = _Sentinel("NOTHING")


def _combine(cls, children):
    children = [child for child in children if child is not EMPTY]
    if not children:
        return EMPTY
    absorbing, neutral = (NOTHING, MATCH_ALL) if cls is All else (MATCH_ALL, NOTHING)
    if any(child is absorbing for child in children):
        return absorbing
    children = [child for child in children if child is not neutral]
    if not children:
        return neutral
    flat = []
    for child in children:
        flat.extend(child.children if isinstance(child, cls) else [child])
    unique = tuple(dict.fromkeys(flat))
    return unique[0] if len(unique) == 1 else cls(unique)


def _usable(term: str) -> bool:
    # A term without a letter or digit would be dropped by either tokenizer (and an empty FTS5
    # phrase matches nothing), so it is not searched for.
    return any(char.isalnum() for char in term)


def _is_latin(term: str) -> bool:
    # Kanji and kana are wide characters; the stems of Latin-script words are not.
    return not any(unicodedata.east_asian_width(char) in ("W", "F") for char in term)


def _term(term: str) -> Term:
    # A one-character CJK term matches the bigrams it begins (see analysis.index_terms).
    return Term(term, prefix=analysis.is_prefix_term(term))


def _prefix_alternatives(word: analysis.Word) -> list[tuple[Term, ...]]:
    """Alternatives of the last word of an autocomplete query: Latin single-term alternatives
    match as prefixes, and a typed Latin word of six or more letters also matches through its
    first ``len - 3`` (at least five) letters, so that a half-typed word meets the stem stored for
    the full one (``consultati`` → ``consult*``, ``residen`` → ``resid*``)."""
    alternatives = []
    for alternative in word.alternatives:
        terms = [term for term in alternative if _usable(term)]
        if len(terms) == 1 and _is_latin(terms[0]):
            alternatives.append((Term(terms[0], prefix=True),))
        else:
            alternatives.append(tuple(_term(term) for term in terms))
    typed = analysis.normalize(word.text)
    if len(typed) >= 6 and typed.isalnum() and _is_latin(typed):
        alternatives.append((Term(typed[: max(5, len(typed) - 3)], prefix=True),))
    return alternatives


def _plan_node(plan: analysis.QueryPlan, *, operator: str = "and", autocomplete=False):
    words = []
    for position, word in enumerate(plan.words):
        if autocomplete and position == len(plan.words) - 1:
            alternatives = _prefix_alternatives(word)
        else:
            alternatives = [
                tuple(_term(term) for term in alternative if _usable(term))
                for alternative in word.alternatives
            ]
        words.append(_combine(Any, [_combine(All, alt) for alt in alternatives if alt]))
    return _combine(Any if operator == "or" else All, words)


def compile_query(query, *, autocomplete: bool = False):
    """The boolean tree for a Wagtail (modelsearch) query object, or ``MATCH_ALL`` / ``EMPTY``."""
    if isinstance(query, str):
        query = PlainText(query)
    if isinstance(query, MatchAll):
        return MATCH_ALL
    if isinstance(query, PlainText):
        plan = analysis.parse_query(query.query_string)
        return _plan_node(plan, operator=query.operator, autocomplete=autocomplete)
    if isinstance(query, Phrase | Fuzzy):
        return _plan_node(analysis.parse_query(query.query_string))
    if isinstance(query, Boost):
        return compile_query(query.subquery, autocomplete=autocomplete)
    if isinstance(query, Not):
        child = compile_query(query.subquery, autocomplete=autocomplete)
        if child is EMPTY:
            return EMPTY
        if child is MATCH_ALL:
            return NOTHING
        if child is NOTHING:
            return MATCH_ALL
        if isinstance(child, Negation):
            return child.child
        return Negation(child)
    if isinstance(query, And | Or):
        children = [compile_query(sub, autocomplete=autocomplete) for sub in query.subqueries]
        return _combine(All if isinstance(query, And) else Any, children)
    raise NotImplementedError(f"`{query.__class__.__name__}` is not supported by this backend.")


# --- rendering --------------------------------------------------------------------------------


def _fts5_term(term: Term) -> str:
    quoted = '"' + term.text.replace('"', '""') + '"'
    return quoted + "*" if term.prefix else quoted


def fts5_expression(node) -> str:
    """The SQLite FTS5 query for a tree without negations (every term a quoted string)."""
    if isinstance(node, Term):
        return _fts5_term(node)
    if isinstance(node, All | Any):
        joiner = " AND " if isinstance(node, All) else " OR "
        return "(" + joiner.join(fts5_expression(child) for child in node.children) + ")"
    raise ValueError(f"cannot render {node!r} for FTS5")


def split_negations(node):
    """``(positive, negative)`` for FTS5, which has only a binary ``NOT``: the tree matches what
    ``positive`` matches and ``negative`` does not. ``positive`` is a tree, ``MATCH_ALL`` or
    ``NOTHING``; ``negative`` a tree, ``MATCH_ALL`` or ``EMPTY`` (no exclusion). Negations nested
    inside an OR are not expressible and are left out of that OR."""
    if isinstance(node, Negation):
        return MATCH_ALL, strip_negations(node.child)
    if isinstance(node, All):
        positive = _combine(
            All, [strip_negations(c) for c in node.children if not isinstance(c, Negation)]
        )
        negative = _combine(
            Any, [strip_negations(c.child) for c in node.children if isinstance(c, Negation)]
        )
        return (MATCH_ALL if positive is EMPTY else positive), negative
    positive = strip_negations(node)
    return (NOTHING if positive is EMPTY else positive), EMPTY


def strip_negations(node):
    if isinstance(node, Negation):
        return EMPTY
    if isinstance(node, All | Any):
        return _combine(type(node), [strip_negations(child) for child in node.children])
    return node


def _tsquery_term(term: Term) -> str:
    quoted = "'" + term.text.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if term.prefix else quoted


def tsquery_expression(node) -> str:
    """The PostgreSQL ``to_tsquery`` text for a tree (every lexeme a quoted string)."""
    if isinstance(node, Term):
        return _tsquery_term(node)
    if isinstance(node, Negation):
        return "!(" + tsquery_expression(node.child) + ")"
    if isinstance(node, All | Any):
        joiner = " & " if isinstance(node, All) else " | "
        return "(" + joiner.join(tsquery_expression(child) for child in node.children) + ")"
    raise ValueError(f"cannot render {node!r} as a tsquery")


# --- ordering ---------------------------------------------------------------------------------


def recency_field(model) -> str | None:
    """The field whose newest value wins among equally relevant results (see module docstring)."""
    name = getattr(model, "search_recency_field", None)
    if name is not None:
        return name or None
    try:
        model._meta.get_field("first_published_at")
    except FieldDoesNotExist:
        return None
    return "first_published_at"


def relevance_bucket(score: float | None) -> float:
    """A relevance score rounded to two significant digits: scores that differ by less than that
    (document length effects in BM25) count as a tie, so that the newer item comes first."""
    if not score or not math.isfinite(score):
        return 0.0
    return float(f"{score:.2g}")
