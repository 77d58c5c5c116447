"""The site search: one selector over every content type, each as this viewer may see it.

:func:`site_search` asks each type for the viewer's visible queryset (the apps' own selectors:
``visible_notices``, ``visible_cases``, ``live_partners``, ``visible_profiles`` …), searches
inside it, and merges the results. Nothing here knows which search backend answers.

Who sees what
-------------
- notices: public notices for everyone; members-only ones for admitted members (valid
  coordinators and staff); never drafts, expired or privacy-restricted pages;
- newsletter issues, workshops, partners and published cases: admitted members only (live pages,
  live partners, cases in the *published* state); a case never names its author here;
- coordinators: admitted members search the members' directory, everyone else the public list;
  only profiles listed in that scope today (consent for the current policy version, valid
  certificate), shown through the directory card (only the parts consented for that scope).

Expired and revoked coordinators are not admitted, so they see what anonymous visitors see.

Ranking and merging
-------------------
Each type is searched on its own and comes back in the backend's relevance order. Scores of
different queries are not comparable across backends (SQLite's bm25 is lower-is-better,
PostgreSQL's ts_rank higher-is-better, Elasticsearch's unbounded), so the lists are interleaved by
rank: the best hit of every type first (types in :data:`TYPE_ORDER`), then the second ones, and
so on. At most :data:`MAX_CANDIDATES` hits per type are considered.

Facets
------
Counts are worked out in Python over the visible hits only. Each facet counts the hits that match
the other two filters (so a chosen value can be changed without clearing it first); ``total`` is
the number of hits matching all three. A nationwide notice or partner counts for every
prefecture, as on the notice and partner lists.

Queries
-------
A fixed number per type whatever the number of hits: one search, the facet links, and the page's
items loaded again through the visible queryset (an item withdrawn in between drops out).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import unescape
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from portal.accounts.gate import Access, member_access
from portal.taxonomy.models import Field, Prefecture
from portal.taxonomy.selectors import choices

from .highlight import Highlighter, highlighter

PER_PAGE = 20
MAX_QUERY_LENGTH = 200
MAX_CANDIDATES = 500  # per content type
MAX_SUGGESTIONS = 3

TYPE_ORDER = ("notice", "case", "newsletter", "workshop", "partner", "coordinator")
TYPE_LABELS = {
    "notice": _("Notices"),
    "case": _("Case studies"),
    "newsletter": _("Newsletters"),
    "workshop": _("Workshops"),
    "partner": _("Partners"),
    "coordinator": _("Coordinators"),
}


# Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One result as it is shown: ``title`` is plain text, ``title_html`` and ``snippet_html``
    are escaped text with the matched words in ``<mark>``."""

    type: str
    title: str
    url: str
    snippet_html: SafeString
    title_html: SafeString

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS[self.type])


class FacetValue(NamedTuple):
    value: Any
    label: str
    count: int


@dataclass(frozen=True)
class Suggestion:
    """Another search worth trying: ``query`` and its parameters (``params``, for a link)."""

    query: str
    params: str
    total: int = 0


@dataclass(frozen=True)
class Hint:
    """Help for a search: synonyms that were searched too, and on zero results other searches
    that give results (without the filters, with fewer or shorter words)."""

    synonyms: tuple[str, ...] = ()
    without_filters: int = 0
    without_filters_params: str = ""
    suggestions: tuple[Suggestion, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.synonyms or self.without_filters or self.suggestions)


@dataclass
class SearchPage:
    query: str = ""
    types: tuple[str, ...] = ()
    field: int | None = None
    prefecture: int | None = None
    results: list[Hit] = dataclasses.field(default_factory=list)
    facets: dict[str, list[FacetValue]] = dataclasses.field(default_factory=dict)
    total: int = 0
    paginator: Paginator | None = None
    page: Page | None = None
    notice: str = ""
    hint: Hint = dataclasses.field(default_factory=Hint)

    @property
    def searched(self) -> bool:
        return bool(self.query)

    @property
    def filtered(self) -> bool:
        return bool(self.types or self.field or self.prefecture)


# The one place a search runs --------------------------------------------------------------


def run_search(queryset, query: str, limit: int) -> tuple[list, str]:
    """``(results, notice)``: at most ``limit`` objects of ``queryset`` matching ``query`` in
    relevance order, and a notice for the reader when the search server was unreachable and the
    database answered instead (empty otherwise)."""
    from .backends.fallback import search_with_fallback

    results, notice = search_with_fallback(queryset, query, limit=limit)
    return results, str(notice or "")


# Content types ----------------------------------------------------------------------------


@dataclass
class _Candidate:
    type: str
    pk: int
    rank: int
    fields: frozenset = frozenset()
    prefectures: frozenset = frozenset()
    everywhere: bool = False  # nationwide: matches any prefecture


@dataclass(frozen=True)
class _Type:
    key: str
    model: Callable[[], type]
    visible: Callable[[Any, Access], Any]
    columns: tuple[str, ...]
    facets: Callable[[list[int], dict[int, Any]], dict[int, tuple]]
    hits: Callable[[Any, Access, list[int], Highlighter], dict[int, Hit]]


def _text(value) -> str:
    """Plain text of rich text or a plain field."""
    return unescape(strip_tags(value or ""))


_NOT_TEXT = {"id", "type", "url", "external_url", "level", "tone", "captions_language", "className"}


def _stream_text(stream) -> str:
    """The words of a StreamField value, from its stored data (no query for chosen documents,
    images or pages, which a snippet does not show anyway)."""
    parts: list[str] = []

    def walk(value, key=None):
        if isinstance(value, str):
            if key not in _NOT_TEXT and not value.startswith(("http://", "https://", "/")):
                parts.append(_text(value))
        elif isinstance(value, dict):
            for name, item in value.items():
                walk(item, name)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item, key)

    raw = getattr(stream, "raw_data", stream)
    walk(list(raw) if raw is not None else [])
    return " ".join(p for p in parts if p)


def _links(through, owner: str, target: str, ids: list[int]) -> dict[int, set[int]]:
    rows: dict[int, set[int]] = {}
    for owner_id, target_id in through.objects.filter(**{f"{owner}__in": ids}).values_list(
        owner, target
    ):
        rows.setdefault(owner_id, set()).add(target_id)
    return rows


def _english() -> bool:
    return translation.get_language() == "en"


# Notices


def _notice_model():
    from newsletters.models import NoticePage

    return NoticePage


def _notice_visible(user, access):
    from newsletters.selectors.notices import visible_notices

    return visible_notices(user, access)


def _notice_facets(ids, rows):
    model = _notice_model()
    fields = _links(model.fields.through, "noticepage_id", "field_id", ids)
    prefectures = _links(model.prefectures.through, "noticepage_id", "prefecture_id", ids)
    return {
        pk: (fields.get(pk, ()), prefectures.get(pk, ()), rows[pk].nationwide)
        for pk in ids
        if pk in rows
    }


def _page_url(page) -> str:
    return page.get_url() or ""


def _notice_hits(user, access, ids, marker):
    notices = _notice_visible(user, access).filter(pk__in=ids)
    hits = {}
    for notice in notices:
        own, other = (
            (notice.summary_en, notice.summary)
            if _english()
            else (notice.summary, notice.summary_en)
        )
        texts = [own, other, _stream_text(notice.body)]
        hits[notice.pk] = _hit("notice", notice.title, _page_url(notice), texts, marker)
    return hits


# Case studies


def _case_model():
    from cases.models import CaseStudyPage

    return CaseStudyPage


def _case_visible(user, access):
    from cases.selectors.library import visible_cases

    return visible_cases(user, access)


def _case_facets(ids, rows):
    fields = _links(_case_model().fields.through, "casestudypage_id", "field_id", ids)
    return {
        pk: (fields.get(pk, ()), {rows[pk].prefecture_id} - {None}, False)
        for pk in ids
        if pk in rows
    }


# The texts a case is searched by (the author is not one of them: see cases.models).
CASE_TEXT_FIELDS = (
    "summary",
    "situation",
    "issues",
    "actions",
    "outcome_text",
    "lessons",
    "stakeholders",
    "measures",
)


def _case_hits(user, access, ids, marker):
    hits = {}
    for case in _case_visible(user, access).filter(pk__in=ids):
        texts = [_text(getattr(case, name)) for name in CASE_TEXT_FIELDS]
        hits[case.pk] = _hit("case", case.title, _page_url(case), texts, marker)
    return hits


# Newsletter issues (members only)


def _newsletter_model():
    from newsletters.models import NewsletterIssuePage

    return NewsletterIssuePage


def _newsletter_visible(user, access):
    model = _newsletter_model()
    if access is not Access.ADMIT:
        return model.objects.none()
    return model.objects.live().public()


def _newsletter_facets(ids, rows):
    from newsletters.models import Interview

    regions = _links(Interview, "issue_id", "region_id", ids)
    return {pk: ((), regions.get(pk, ()), False) for pk in ids if pk in rows}


def _newsletter_hits(user, access, ids, marker):
    issues = _newsletter_visible(user, access).filter(pk__in=ids).prefetch_related("interviews")
    hits = {}
    for issue in issues:
        own, other = (issue.lead_en, issue.lead) if _english() else (issue.lead, issue.lead_en)
        texts = [own, other]
        for interview in issue.interviews.all():
            texts += [interview.title, _stream_text(interview.body)]
        hits[issue.pk] = _hit("newsletter", issue.title, _page_url(issue), texts, marker)
    return hits


# Workshops (members only)


def _workshop_model():
    from workshops.models import WorkshopPage

    return WorkshopPage


def _workshop_visible(user, access):
    model = _workshop_model()
    if access is not Access.ADMIT:
        return model.objects.none()
    return model.objects.live().public()


def _workshop_facets(ids, rows):
    themes = _links(_workshop_model().themes.through, "workshoppage_id", "field_id", ids)
    return {pk: (themes.get(pk, ()), (), False) for pk in ids if pk in rows}


def _workshop_hits(user, access, ids, marker):
    hits = {}
    for workshop in _workshop_visible(user, access).filter(pk__in=ids):
        texts = [_stream_text(workshop.description), workshop.venue]
        hits[workshop.pk] = _hit("workshop", workshop.title, _page_url(workshop), texts, marker)
    return hits


# Partners (members only)


def _partner_model():
    from directory.models import Partner

    return Partner


def _partner_visible(user, access):
    from directory.selectors import live_partners

    if access is not Access.ADMIT:
        return _partner_model().objects.none()
    return live_partners()


def _partner_facets(ids, rows):
    model = _partner_model()
    fields = _links(model.fields.through, "partner_id", "field_id", ids)
    prefectures = _links(model.prefectures.through, "partner_id", "prefecture_id", ids)
    return {
        pk: (fields.get(pk, ()), prefectures.get(pk, ()), rows[pk].nationwide)
        for pk in ids
        if pk in rows
    }


def _partner_hits(user, access, ids, marker):
    hits = {}
    for partner in _partner_visible(user, access).filter(pk__in=ids):
        other = partner.name_ja if partner.name != partner.name_ja else partner.name_en
        texts = [other, partner.get_kind_display(), partner.address, partner.notes]
        hits[partner.pk] = _hit("partner", partner.name, partner.get_absolute_url(), texts, marker)
    return hits


# Coordinators: the members' directory for admitted members, the public list for everyone else


def _coordinator_model():
    from directory.models import CoordinatorProfile

    return CoordinatorProfile


def _coordinator_scope(access) -> str:
    from directory.models import Scope

    # The rule of directory.selectors.scope_for, from the access already worked out.
    return Scope.DIRECTORY if access is Access.ADMIT else Scope.PUBLIC


def _coordinator_visible(user, access):
    from directory.selectors import visible_profiles

    return visible_profiles(_coordinator_scope(access))


def _coordinator_facets(ids, rows):
    from directory.models import ProfileField

    model = _coordinator_model()
    fields = _links(ProfileField, "profile_id", "field_id", ids)
    prefectures = _links(model.prefectures.through, "coordinatorprofile_id", "prefecture_id", ids)
    return {pk: (fields.get(pk, ()), prefectures.get(pk, ()), False) for pk in ids if pk in rows}


def _coordinator_hits(user, access, ids, marker):
    """What the directory card of this scope shows, and nothing else: the name as listed, areas,
    fields and languages, and the workplace and biography only where consented."""
    from directory.models import Scope
    from directory.selectors import card, shown_fields, with_card_data

    scope = _coordinator_scope(access)
    hits = {}
    for profile in with_card_data(_coordinator_visible(user, access).filter(pk__in=ids)):
        shown = card(profile, shown_fields(profile))
        areas = "、".join(shown.prefectures)
        if shown.municipalities:
            areas += f"（{shown.municipalities}）"
        texts = [
            areas,
            "、".join(name for name, _main in shown.fields),
            "、".join(name for name, _level in shown.languages),
            shown.workplace["name"] if shown.workplace else "",
            shown.bio,
        ]
        if scope == Scope.DIRECTORY:
            url = reverse("directory:detail", args=[profile.pk])
        else:
            url = reverse("public_list") + "?" + urlencode({"q": shown.name})
        snippet = marker.snippet([" · ".join(t for t in texts if t)])
        hits[profile.pk] = Hit(
            type="coordinator",
            title=shown.name,
            url=url,
            snippet_html=snippet,
            title_html=marker.mark(shown.name),
        )
    return hits


def _hit(kind: str, title: str, url: str, texts: Iterable[str], marker: Highlighter) -> Hit:
    return Hit(
        type=kind,
        title=title,
        url=url,
        snippet_html=marker.snippet(texts),
        title_html=marker.mark(title),
    )


TYPES = {
    t.key: t
    for t in (
        _Type(
            "notice",
            _notice_model,
            _notice_visible,
            ("nationwide",),
            _notice_facets,
            _notice_hits,
        ),
        _Type("case", _case_model, _case_visible, ("prefecture",), _case_facets, _case_hits),
        _Type(
            "newsletter",
            _newsletter_model,
            _newsletter_visible,
            (),
            _newsletter_facets,
            _newsletter_hits,
        ),
        _Type("workshop", _workshop_model, _workshop_visible, (), _workshop_facets, _workshop_hits),
        _Type(
            "partner",
            _partner_model,
            _partner_visible,
            ("nationwide",),
            _partner_facets,
            _partner_hits,
        ),
        _Type(
            "coordinator",
            _coordinator_model,
            _coordinator_visible,
            (),
            _coordinator_facets,
            _coordinator_hits,
        ),
    )
}


# Searching --------------------------------------------------------------------------------


def _plan(query: str):
    try:
        from .analysis import parse_query
    except ImportError:  # pragma: no cover - only while the pipeline is not installed
        return None
    return parse_query(query)


def _candidates(user, access, query: str) -> tuple[list[_Candidate], str]:
    """Every visible hit of every type (at most MAX_CANDIDATES each), with what the facets need."""
    found: list[_Candidate] = []
    notices: list[str] = []
    for key in TYPE_ORDER:
        kind = TYPES[key]
        model = kind.model()
        visible = kind.visible(user, access)
        # Filtering on the id (a filter field of every indexed type) keeps the apps' own rules in
        # the database query whatever they filter on.
        queryset = model.objects.filter(id__in=visible.values("id")).only("id", *kind.columns)
        results, notice = run_search(queryset, query, MAX_CANDIDATES)
        if notice:
            notices.append(notice)
        rows: dict[int, Any] = {}
        for row in results:
            rows.setdefault(row.pk, row)
        if not rows:
            continue
        ids = list(rows)
        facets = kind.facets(ids, rows)
        for rank, pk in enumerate(ids):
            fields, prefectures, everywhere = facets.get(pk, ((), (), False))
            found.append(
                _Candidate(key, pk, rank, frozenset(fields), frozenset(prefectures), everywhere)
            )
    return found, " ".join(dict.fromkeys(notices))


def _matches(c: _Candidate, types, field_id, prefecture) -> bool:
    if types and c.type not in types:
        return False
    if field_id and field_id not in c.fields:
        return False
    return not prefecture or c.everywhere or prefecture in c.prefectures


def _facets(candidates: list[_Candidate], types, field_id, prefecture) -> dict:
    type_counts: dict[str, int] = {}
    field_counts: dict[int, int] = {}
    prefecture_counts: dict[int, int] = {}
    specific: set[int] = set()
    everywhere = 0
    for c in candidates:
        if _matches(c, (), field_id, prefecture):
            type_counts[c.type] = type_counts.get(c.type, 0) + 1
        if _matches(c, types, None, prefecture):
            for f in c.fields:
                field_counts[f] = field_counts.get(f, 0) + 1
        if _matches(c, types, field_id, None):
            specific |= c.prefectures
            if c.everywhere:
                everywhere += 1
            for p in c.prefectures:
                prefecture_counts[p] = prefecture_counts.get(p, 0) + 1
    type_values = [
        FacetValue(key, str(TYPE_LABELS[key]), type_counts.get(key, 0))
        for key in TYPE_ORDER
        if type_counts.get(key) or key in types
    ]
    field_values = [
        FacetValue(pk, name, field_counts.get(pk, 0))
        for pk, name in choices(Field)
        if field_counts.get(pk) or pk == field_id
    ]
    prefecture_values = [
        FacetValue(pk, name, prefecture_counts.get(pk, 0) + everywhere)
        for pk, name in choices(Prefecture)
        if pk in specific or pk == prefecture
    ]
    return {"type": type_values, "field": field_values, "prefecture": prefecture_values}


def _interleave(candidates: list[_Candidate]) -> list[_Candidate]:
    order = {key: position for position, key in enumerate(TYPE_ORDER)}
    return sorted(candidates, key=lambda c: (c.rank, order[c.type]))


def _load_hits(user, access, chosen: list[_Candidate], marker: Highlighter) -> list[Hit]:
    by_type: dict[str, list[int]] = {}
    for c in chosen:
        by_type.setdefault(c.type, []).append(c.pk)
    loaded = {
        key: TYPES[key].hits(user, access, ids, marker) for key, ids in by_type.items() if ids
    }
    return [loaded[c.type][c.pk] for c in chosen if c.pk in loaded[c.type]]


def clean_query(query: str | None) -> str:
    return " ".join((query or "").split())[:MAX_QUERY_LENGTH]


def _params(query: str, types=(), field_id=None, prefecture=None) -> str:
    pairs = [("q", query)] + [("type", t) for t in types]
    if field_id:
        pairs.append(("field", field_id))
    if prefecture:
        pairs.append(("prefecture", prefecture))
    return urlencode(pairs)


def _alternatives(query: str, plan) -> list[str]:
    """Shorter searches to propose: each word of a query of several words, the first and last
    two characters of a long Japanese word."""
    words = [w.text for w in plan.words] if plan is not None else query.split()
    proposals: list[str] = []
    if len(words) > 1:
        proposals += words
    elif words and len(words[0]) > 2 and not words[0].isascii():
        proposals += [words[0][:2], words[0][-2:]]
    return [p for p in dict.fromkeys(proposals) if p and p != query][:MAX_SUGGESTIONS]


def _count_hits(user, access, query: str) -> int:
    return len(_candidates(user, access, query)[0])


def site_search(
    user,
    query: str,
    *,
    types: Iterable[str] = (),
    field: int | None = None,
    prefecture: int | None = None,
    page: int | str = 1,
    per_page: int = PER_PAGE,
    access: Access | None = None,
) -> SearchPage:
    """Search everything ``user`` may see for ``query``; see the module docstring.

    ``types`` keeps only some content types (keys of :data:`TYPE_ORDER`; unknown ones are
    ignored), ``field`` and ``prefecture`` are taxonomy ids. ``access`` is the user's
    :func:`~portal.accounts.gate.member_access` when the caller knows it already."""
    query = clean_query(query)
    types = tuple(t for t in TYPE_ORDER if t in set(types or ()))
    result = SearchPage(query=query, types=types, field=field, prefecture=prefecture)
    if not query:
        return result
    if access is None:
        access = member_access(user)
    plan = _plan(query)
    if plan is not None and plan.is_empty:
        return result
    candidates, result.notice = _candidates(user, access, query)
    result.facets = _facets(candidates, types, field, prefecture)
    matching = _interleave([c for c in candidates if _matches(c, types, field, prefecture)])
    result.total = len(matching)
    result.paginator = Paginator(matching, per_page)
    result.page = result.paginator.get_page(page)
    marker = highlighter(query, plan)
    result.results = _load_hits(user, access, list(result.page.object_list), marker)
    result.hint = _hint(user, access, query, plan, candidates, result)
    return result


def _hint(user, access, query, plan, candidates, result: SearchPage) -> Hint:
    synonyms = ()
    if plan is not None:
        synonyms = tuple(dict.fromkeys(s for word in plan.words for s in word.synonyms_used))
    if result.total:
        return Hint(synonyms=synonyms)
    if candidates:  # the filters left nothing out of what the words found
        return Hint(
            synonyms=synonyms,
            without_filters=len(candidates),
            without_filters_params=_params(query),
        )
    suggestions = []
    for proposal in _alternatives(query, plan):
        total = _count_hits(user, access, proposal)
        if total:
            suggestions.append(Suggestion(proposal, _params(proposal), total))
    return Hint(synonyms=synonyms, suggestions=tuple(suggestions))
