"""Reads for the case library: the list at ``/cases/``, one case page, the digest section and the
author's own-data export.

Members read published cases only (live pages in the *published* state). The author of an
anonymous case is never part of what these functions hand to a template: the cards and the case
page carry an author line worked out here, so nothing identifying can leak through a template
lookup. Every list costs a fixed number of queries, whatever the number of cases.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from portal.accounts.gate import Access, member_access
from portal.taxonomy.forms import TaxonomyChoiceField
from portal.taxonomy.models import Field, Prefecture

from ..models import (
    AgeBand,
    Attribution,
    CaseState,
    CaseStudyPage,
    CaseType,
    Outcome,
    ResidenceStatus,
    StayBand,
)

PAGE_SIZE = 20
PARTNER_LIMIT = 6
RELATED_LIMIT = 4

# The text fields a case is written in (the own-data export carries them as written).
EXPORT_TEXT_FIELDS = (
    "summary",
    "situation",
    "issues",
    "actions",
    "partners_note",
    "outcome",
    "outcome_text",
    "lessons",
    "stakeholders",
    "measures",
    "government_feedback",
)


# Visibility -------------------------------------------------------------------------------


def published_cases():
    """Cases members may read: live pages the moderators published."""
    return CaseStudyPage.objects.live().filter(state=CaseState.PUBLISHED)


def visible_cases(user, access: Access | None = None):
    """Published cases for admitted members (valid coordinators and staff); nothing otherwise."""
    if access is None:
        access = member_access(user)
    if access is not Access.ADMIT:
        return CaseStudyPage.objects.none()
    return published_cases()


def with_card_data(cases):
    """Cases with what a card shows loaded up front: prefecture, fields and (for named cases)
    the author's name; no per-row query while rendering."""
    return cases.select_related("prefecture", "author").prefetch_related(
        Prefetch("fields", queryset=Field.objects.order_by("order", "slug"))
    )


# Author line --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorLine:
    """How a case names its author: ``name`` is empty for anonymous cases, ``url`` is the
    author's page in the members' directory when they are listed there today."""

    name: str = ""
    url: str = ""

    @property
    def anonymous(self) -> bool:
        return not self.name


def _author_name(case: CaseStudyPage) -> str:
    if case.attribution != Attribution.NAMED:
        return ""
    author = case.author
    return author.get_full_name().strip() or author.get_username()


def directory_urls(user_ids) -> dict[int, str]:
    """Directory pages of those of ``user_ids`` listed in the members' directory today."""
    from directory.models import Scope
    from directory.selectors import visible_profiles

    if not user_ids:
        return {}
    rows = (
        visible_profiles(Scope.DIRECTORY).filter(user_id__in=user_ids).values_list("user_id", "pk")
    )
    return {user_id: reverse("directory:detail", args=[pk]) for user_id, pk in rows}


def author_line(case: CaseStudyPage, with_link: bool = True) -> AuthorLine:
    name = _author_name(case)
    if not name:
        return AuthorLine()
    url = directory_urls({case.author_id}).get(case.author_id, "") if with_link else ""
    return AuthorLine(name=name, url=url)


# Listing ----------------------------------------------------------------------------------


def _choices_with_all(all_label, choices):
    return [("", all_label), *[(value, label) for value, label in choices if value]]


class CaseFilterForm(forms.Form):
    field = TaxonomyChoiceField(
        Field, label=_("Field of consultation"), empty_label=_("All fields")
    )
    case_type = forms.ChoiceField(
        label=_("Case type"),
        choices=_choices_with_all(_("All case types"), CaseType.choices),
        required=False,
    )
    prefecture = TaxonomyChoiceField(
        Prefecture, label=_("Prefecture"), empty_label=_("All prefectures")
    )
    client_status = forms.ChoiceField(
        label=_("Client's status of residence"),
        choices=_choices_with_all(_("All statuses of residence"), ResidenceStatus.choices),
        required=False,
    )


FILTER_NAMES = tuple(CaseFilterForm.base_fields)


def apply_case_filters(cases, data: dict):
    if data.get("field"):
        cases = cases.filter(
            Exists(
                CaseStudyPage.fields.through.objects.filter(
                    casestudypage_id=OuterRef("pk"), field_id=data["field"]
                )
            )
        )
    if data.get("case_type"):
        cases = cases.filter(case_type=data["case_type"])
    if data.get("prefecture"):
        cases = cases.filter(prefecture_id=data["prefecture"])
    if data.get("client_status"):
        cases = cases.filter(client_status=data["client_status"])
    return cases


@dataclass(frozen=True)
class CaseCard:
    """One case in a list: only what a card prints."""

    url: str
    title: str
    summary: str
    fields: list = field(default_factory=list)
    prefecture: str = ""
    case_type: str = ""
    outcome: str = ""
    published: datetime.datetime | None = None
    author: AuthorLine = AuthorLine()
    pk: int = 0


def case_cards(cases) -> list[CaseCard]:
    """Cards for ``cases`` (loaded through :func:`with_card_data`)."""
    case_types = {value: str(label) for value, label in CaseType.choices}
    outcomes = {value: str(label) for value, label in Outcome.choices}
    return [
        CaseCard(
            url=case.url,
            title=case.title,
            summary=case.summary,
            fields=[f.name for f in case.fields.all()],
            prefecture=case.prefecture.name if case.prefecture else "",
            case_type=case_types.get(case.case_type, ""),
            outcome=outcomes.get(case.outcome, ""),
            published=case.first_published_at,
            author=AuthorLine(name=_author_name(case)),
            pk=case.pk,
        )
        for case in cases
    ]


def _url_or_empty(name: str) -> str:
    """The path of a named URL, or "" while that view is not installed."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def case_library_context(page, request) -> dict:
    """Context of ``/cases/``: filters, the page of case cards (newest first) and the links to
    submitting a case and to one's own cases."""
    cases = visible_cases(request.user).descendant_of(page)
    form = CaseFilterForm(request.GET or None)
    filters_invalid = False
    if form.is_bound:
        if form.is_valid():
            cases = apply_case_filters(cases, form.cleaned_data)
        else:
            filters_invalid = True
    cases = with_card_data(cases).order_by("-first_published_at", "-pk")
    paginator = Paginator(cases, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = urlencode(
        [(name, value) for name in FILTER_NAMES for value in request.GET.getlist(name) if value]
    )
    return {
        "filter_form": form,
        "filters_invalid": filters_invalid,
        "cases": page_obj,
        "case_cards": case_cards(page_obj.object_list),
        "query": query,
        "submit_url": _url_or_empty("cases:submit"),
        "mine_url": _url_or_empty("cases:mine"),
    }


# One case ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    body: str  # rich text as stored (rendered with the ``richtext`` filter)


@dataclass(frozen=True)
class ClientFact:
    label: str
    value: str


@dataclass(frozen=True)
class PartnerLink:
    url: str
    name: str


def _label(choices, value) -> str:
    return str(dict(choices).get(value, "")) if value else ""


def case_sections(case: CaseStudyPage) -> tuple[list[Section], list[Section]]:
    """The written sections of a case in reading order, as those before the partners involved
    and those after them; empty ones are left out. The regional-problem sections appear for
    regional cases only."""
    before = [
        ("situation", _("Situation"), case.situation),
        ("issues", _("Issues identified"), case.issues),
        ("actions", _("Support plan and actions taken"), case.actions),
    ]
    if case.case_type == CaseType.REGIONAL:
        before += [
            ("stakeholders", _("Stakeholders"), case.stakeholders),
            ("measures", _("Measures taken"), case.measures),
        ]
    rows = [
        ("outcome_text", _("Outcome in detail"), case.outcome_text),
        ("lessons", _("Lessons and points for others"), case.lessons),
    ]
    if case.case_type == CaseType.REGIONAL:
        rows.append(
            (
                "government_feedback",
                _("What the national or local government should know"),
                case.government_feedback,
            )
        )
    return (
        [Section(key, str(heading), body) for key, heading, body in before if body],
        [Section(key, str(heading), body) for key, heading, body in rows if body],
    )


def client_facts(case: CaseStudyPage) -> list[ClientFact]:
    """The client in coarse terms, with the labels of the choices; unstated ones left out."""
    facts = [
        (_("Age band"), _label(AgeBand.choices, case.client_age_band)),
        (_("Status of residence"), _label(ResidenceStatus.choices, case.client_status)),
        (_("Length of stay in Japan"), _label(StayBand.choices, case.client_stay_band)),
        (_("Language used"), case.client_language.name if case.client_language_id else ""),
    ]
    return [ClientFact(str(label), value) for label, value in facts if value]


def partners_involved(case: CaseStudyPage) -> list[PartnerLink]:
    """Live partner organisations linked to the case."""
    if not case.pk:
        return []
    return [
        PartnerLink(partner.get_absolute_url(), partner.name)
        for partner in case.partners.filter(live=True).order_by("name_ja", "pk")
    ]


def partners_for_case(case: CaseStudyPage, field_ids) -> list[PartnerLink]:
    """Up to six live partners covering the case's prefecture (or nationwide) and one of its
    fields."""
    from directory.models import Partner
    from directory.selectors import live_partners

    if not field_ids:
        return []
    partners = live_partners(prefecture=case.prefecture_id) if case.prefecture_id else None
    if partners is None:
        partners = live_partners()
    covering = Partner.fields.through.objects.filter(
        partner_id=OuterRef("pk"), field_id__in=field_ids
    )
    rows = Partner.objects.filter(pk__in=partners.values("pk")).filter(Exists(covering))
    return [
        PartnerLink(partner.get_absolute_url(), partner.name)
        for partner in rows.order_by("name_ja", "pk")[:PARTNER_LIMIT]
    ]


def related_cases(case: CaseStudyPage, field_ids) -> list[CaseCard]:
    """Up to four other published cases sharing a field with ``case``, newest first."""
    if not field_ids:
        return []
    sharing = CaseStudyPage.fields.through.objects.filter(
        casestudypage_id=OuterRef("pk"), field_id__in=field_ids
    )
    cases = (
        published_cases()
        .exclude(pk=case.pk)
        .filter(Exists(sharing))
        .order_by("-first_published_at", "-pk")[:RELATED_LIMIT]
    )
    return case_cards(with_card_data(cases))


def case_page_context(page: CaseStudyPage, request) -> dict:
    """Context of a case page: its sections, the client in coarse terms, the partners, the
    author line (nothing identifying for anonymous cases) and related reading."""
    fields = list(page.fields.order_by("order", "slug")) if page.pk else []
    field_ids = [f.pk for f in fields]
    sections_before, sections_after = case_sections(page)
    return {
        "case_fields": [f.name for f in fields],
        "case_prefecture": page.prefecture.name if page.prefecture_id else "",
        "case_type_label": _label(CaseType.choices, page.case_type),
        "outcome_label": _label(Outcome.choices, page.outcome),
        "is_regional": page.case_type == CaseType.REGIONAL,
        "sections_before": sections_before,
        "sections_after": sections_after,
        "client_facts": client_facts(page),
        "partners_involved": partners_involved(page),
        "partners_note": page.partners_note,
        "author_line": author_line(page),
        "field_partners": partners_for_case(page, field_ids),
        "partners_url": _url_or_empty("partners:list"),
        "related_cases": related_cases(page, field_ids),
        "library_url": page.get_parent().url if page.pk else "",
    }


# Digest -----------------------------------------------------------------------------------


def _absolute(url: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + url


def digest_cases(user, start: datetime.date, end: datetime.date) -> list[tuple[str, str, str]]:
    """``(title, absolute url, summary)`` of the cases first published in the period that
    ``user`` may read, oldest first. Never the author."""
    cases = (
        visible_cases(user)
        .filter(first_published_at__date__gte=start, first_published_at__date__lte=end)
        .order_by("first_published_at", "pk")
    )
    return [(case.title, _absolute(case.url), case.summary) for case in cases]


# Own data ---------------------------------------------------------------------------------


def own_cases_data(user) -> list[dict]:
    """Every case ``user`` wrote, drafts included, as the own-data export shows them."""
    if not user.is_authenticated:
        return []
    rows = []
    for page in CaseStudyPage.objects.filter(author_id=user.pk).order_by("pk"):
        # A draft's latest text lives in its latest revision, not in the page row.
        case = page.get_latest_revision_as_object() if page.latest_revision_id else page
        row = {
            "title": case.title,
            "state": case.state,
            "submitted_at": case.submitted_at.isoformat() if case.submitted_at else None,
            "attribution": case.attribution,
        }
        row.update({name: str(getattr(case, name) or "") for name in EXPORT_TEXT_FIELDS})
        rows.append(row)
    return rows
