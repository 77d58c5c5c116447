"""Knowledge sharing besides case studies: acknowledgement of important notices, questionnaire
response rates, the opinion box, and partners by field with the gaps in sources of assistance.

Each table costs a few queries whatever the number of rows: everything is counted in the
database (``GROUP BY``, conditional counts, correlated subqueries), never row by row in Python.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Count, Exists, F, Func, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts import roles
from portal.accounts.models import Certificate
from portal.questionnaires.models import Opinion, QuestionnairePage, RosterEntry

from .. import sources
from ..filters import Filters
from ..tables import COUNTS, RATES, SHARES, Row, Table
from .common import Reading

NOT_STATED = "not-stated"


def count_in_subquery(queryset, column: str = "pk", distinct: bool = False):
    """``SELECT COUNT(column) FROM (queryset)`` as a scalar subquery (0 when empty)."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = (
        queryset.order_by()
        .annotate(_n=Func(F(column), function="COUNT", template=template))
        .values("_n")
    )
    return Subquery(counted, output_field=models.IntegerField())


# Notices --------------------------------------------------------------------------------------


def _targeted_certificates(filters: Filters):
    """Certificates of the coordinators important notices ask, as
    ``newsletters.selectors.notices.targeted_coordinators`` does: active members of the
    Coordinator group with a certificate valid on the day; with a prefecture filter, only those
    whose valid certificate's workplace is there."""
    certificates = Certificate.objects.valid_on(filters.as_of).filter(
        holder__is_active=True, holder__groups__name=roles.COORDINATOR
    )
    if filters.prefecture_id is not None:
        certificates = certificates.filter(workplace_prefecture_id=filters.prefecture_id)
    return certificates


def _notice_rows(filters: Filters) -> list[dict]:
    """Live important notices of the period (concerning the prefecture), newest first, each with
    the ids of its prefectures (empty when nationwide): two queries."""
    Notice = sources.notice()
    links = Notice.prefectures.through.objects
    notices = Notice.objects.live().filter(importance="important")
    if filters.date_from:
        notices = notices.filter(first_published_at__date__gte=filters.date_from)
    if filters.date_to:
        notices = notices.filter(first_published_at__date__lte=filters.date_to)
    if filters.prefecture_id is not None:
        notices = notices.filter(
            Q(nationwide=True)
            | Exists(
                links.filter(noticepage_id=OuterRef("pk"), prefecture_id=filters.prefecture_id)
            )
        )
    rows = list(
        notices.order_by("-first_published_at", "-pk").values(
            "pk", "title", "first_published_at", "nationwide"
        )
    )
    regional = [row["pk"] for row in rows if not row["nationwide"]]
    prefectures: dict[int, list[int]] = {}
    if regional:
        for notice_id, prefecture_id in links.filter(noticepage_id__in=regional).values_list(
            "noticepage_id", "prefecture_id"
        ):
            prefectures.setdefault(notice_id, []).append(prefecture_id)
    for row in rows:
        row["prefectures"] = [] if row["nationwide"] else prefectures.get(row["pk"], [])
    return rows


def _targeted_counts(certificates, rows: list[dict]) -> dict[int, int]:
    """{notice id: coordinators it asks}, in one pass over the certificates: everyone for a
    nationwide notice, those working in one of its prefectures for the others (each holder
    counted once, whatever the number of certificates)."""
    aggregates = {"everyone": Count("holder_id", distinct=True)}
    for row in rows:
        if not row["nationwide"]:
            aggregates[f"n{row['pk']}"] = Count(
                "holder_id",
                distinct=True,
                filter=Q(workplace_prefecture_id__in=row["prefectures"] or [0]),
            )
    totals = certificates.aggregate(**aggregates)
    return {
        row["pk"]: totals["everyone"] if row["nationwide"] else totals[f"n{row['pk']}"] or 0
        for row in rows
    }


def _acknowledged_counts(certificates, rows: list[dict], end) -> dict[int, int]:
    """{notice id: confirmations by coordinators it asks, made before ``end``}: one query for
    the nationwide notices, one for the others."""
    Acknowledgement = sources.acknowledgement()
    links = sources.notice().prefectures.through.objects
    made = Acknowledgement.objects.filter(acknowledged_at__lt=end)
    counts: dict[int, int] = {}
    nationwide = [row["pk"] for row in rows if row["nationwide"]]
    if nationwide:
        counts.update(
            made.filter(notice_id__in=nationwide, user_id__in=certificates.values("holder_id"))
            .values("notice_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("notice_id", "n")
        )
    regional = [row["pk"] for row in rows if not row["nationwide"]]
    if regional:
        asked = certificates.filter(
            holder_id=OuterRef("user_id"),
            workplace_prefecture_id__in=links.filter(
                noticepage_id=OuterRef(OuterRef("notice_id"))
            ).values("prefecture_id"),
        )
        counts.update(
            made.filter(notice_id__in=regional)
            .filter(Exists(asked))
            .values("notice_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("notice_id", "n")
        )
    return counts


def notice_table(filters: Filters, reading: Reading) -> Table:
    end = timezone.make_aware(
        datetime.datetime.combine(filters.as_of + datetime.timedelta(days=1), datetime.time())
    )
    notices = _notice_rows(filters)
    certificates = _targeted_certificates(filters)
    targeted = _targeted_counts(certificates, notices) if notices else {}
    acknowledged = _acknowledged_counts(certificates, notices, end) if notices else {}
    rows = [
        {
            **row,
            "targeted": targeted.get(row["pk"], 0),
            "acknowledged": acknowledged.get(row["pk"], 0),
        }
        for row in notices
    ]
    nationwide, regional_label = _("Nationwide"), _("Some prefectures")
    return Table(
        key="notice-acknowledgements",
        title=_("Important notices: confirmations of reading"),
        label_headers=[_("Notice"), _("Published"), _("Concerns")],
        count_headers=[_("Coordinators asked"), _("Confirmed")],
        rows=[
            Row(
                [
                    row["title"],
                    timezone.localtime(row["first_published_at"]).date().isoformat()
                    if row["first_published_at"]
                    else "",
                    nationwide if row["nationwide"] else regional_label,
                ],
                [row["targeted"], row["acknowledged"]],
                key=str(row["pk"]),
                url=reverse("notice_acknowledgements", args=[row["pk"]]),
            )
            for row in rows
        ],
        rule=RATES,
        note=_(
            "Coordinators with a valid certificate on %(day)s whom the notice asks to confirm "
            "(in its prefectures, by the workplace on the register), and how many of them had "
            "confirmed by then."
        )
        % {"day": filters.as_of.isoformat()},
        empty=_("No important notice in this period."),
    )


# Questionnaires -------------------------------------------------------------------------------


def questionnaire_table(filters: Filters, reading: Reading) -> Table:
    pages = QuestionnairePage.objects.filter(roster__isnull=False)
    if filters.date_from:
        pages = pages.filter(opens_at__date__gte=filters.date_from)
    if filters.date_to:
        pages = pages.filter(opens_at__date__lte=filters.date_to)
    entries = RosterEntry.objects.filter(questionnaire_id=OuterRef("pk"))
    if filters.prefecture_id is not None:
        entries = entries.filter(
            Exists(
                RosterEntry.prefectures.through.objects.filter(
                    rosterentry_id=OuterRef("pk"), prefecture_id=filters.prefecture_id
                )
            )
        )
    now = timezone.now()
    rows = (
        pages.annotate(
            targeted=count_in_subquery(entries),
            responded=count_in_subquery(entries.filter(has_responded=True)),
        )
        .order_by("-opens_at", "-pk")
        .values("pk", "title", "title_en", "opens_at", "closes_at", "targeted", "responded")
    )
    english = translation.get_language() == "en"
    return Table(
        key="questionnaire-responses",
        title=_("Questionnaires: response rates"),
        label_headers=[_("Questionnaire"), _("Period"), _("State")],
        count_headers=[_("Coordinators asked"), _("Responded")],
        rows=[
            Row(
                [
                    (row["title_en"] if english and row["title_en"] else row["title"]),
                    f"{timezone.localtime(row['opens_at']):%Y-%m-%d} – "
                    f"{timezone.localtime(row['closes_at']):%Y-%m-%d}",
                    _("Open") if row["closes_at"] > now else _("Closed"),
                ],
                [row["targeted"], row["responded"]],
                key=str(row["pk"]),
                url=reverse("questionnaires_results", args=[row["pk"]]),
            )
            for row in rows
        ],
        rule=RATES,
        note=_(
            "Against the audience fixed when each questionnaire opened; with a prefecture, the "
            "members of the audience who work or are active there. Counted by opening day."
        ),
        empty=_("No questionnaire opened in this period."),
    )


# Opinion box ----------------------------------------------------------------------------------


def _opinions(filters: Filters):
    opinions = Opinion.objects.all()
    if filters.date_from:
        opinions = opinions.filter(created_on__gte=filters.date_from)
    if filters.date_to:
        opinions = opinions.filter(created_on__lte=filters.date_to)
    if filters.prefecture_id is not None:
        opinions = opinions.filter(prefecture_id=filters.prefecture_id)
    return opinions


def _opinion_counts(filters: Filters, reading: Reading) -> list[dict]:
    """Opinions by status, category and field: one query shared by the three tables."""
    return reading.shared(
        "opinions",
        lambda: list(
            _opinions(filters)
            .values("status", "category", "field_id")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )


def _share_table(key, title, header, choices, grouped, note="", chart="bar") -> Table:
    rows = [Row([str(label)], [grouped.get(value, 0)], key=str(value)) for value, label in choices]
    return Table(
        key=key,
        title=title,
        label_headers=[header],
        count_headers=[_("Opinions")],
        rows=rows,
        rule=SHARES,
        total=[sum(grouped.values())],
        chart=chart,
        note=note,
    )


def _sum_by(rows: list[dict], column: str) -> dict:
    grouped: dict = {}
    for row in rows:
        grouped[row[column]] = grouped.get(row[column], 0) + row["n"]
    return grouped


def opinion_status_table(filters: Filters, reading: Reading) -> Table:
    grouped = _sum_by(_opinion_counts(filters, reading), "status")
    return _share_table(
        "opinion-status",
        _("Opinion box by status"),
        _("Status"),
        Opinion._meta.get_field("status").choices,
        grouped,
        note=_("Counted by the day each opinion was received."),
    )


def opinion_field_table(filters: Filters, reading: Reading) -> Table:
    rows = _opinion_counts(filters, reading)
    by_field = _sum_by(rows, "field_id")
    grouped = {f.slug: by_field.get(f.pk, 0) for f in reading.fields}
    known = {f.pk for f in reading.fields}
    grouped[NOT_STATED] = sum(n for pk, n in by_field.items() if pk not in known)
    choices = [(f.slug, f.name) for f in reading.fields] + [(NOT_STATED, _("Not stated or other"))]
    return _share_table(
        "opinion-fields",
        _("Opinion box by field of consultation"),
        _("Field of consultation"),
        choices,
        grouped,
        note=_("The field is optional when sending an opinion."),
    )


def opinion_category_table(filters: Filters, reading: Reading) -> Table:
    grouped = _sum_by(_opinion_counts(filters, reading), "category")
    return _share_table(
        "opinion-categories",
        _("Opinion box by category"),
        _("Category"),
        Opinion._meta.get_field("category").choices,
        grouped,
    )


# Partners -------------------------------------------------------------------------------------


def _partner_links():
    return sources.partner().fields.through.objects.filter(partner__live=True)


def partner_matrix(
    reading: Reading,
) -> tuple[dict[int, tuple[int, int]], dict[tuple[int, int], int]]:
    """Live partners per field ({field id: (nationwide, local)}) and local partners per
    (prefecture, field): two queries, shared by the two partner tables. A local partner covers
    named prefectures; a nationwide one all of Japan."""
    return reading.shared("partners", _partner_matrix)


def _partner_matrix() -> tuple[dict[int, tuple[int, int]], dict[tuple[int, int], int]]:
    local_partner = Q(partner__nationwide=False, partner__prefectures__isnull=False)
    by_field = {
        row["field_id"]: (row["nationwide"], row["local"])
        for row in _partner_links()
        .values("field_id")
        .annotate(
            nationwide=Count("partner_id", filter=Q(partner__nationwide=True), distinct=True),
            local=Count("partner_id", filter=local_partner, distinct=True),
        )
        .order_by()
    }
    local = {
        (row["prefecture"], row["field_id"]): row["n"]
        for row in _partner_links()
        .filter(local_partner)
        .values("field_id", prefecture=F("partner__prefectures"))
        .annotate(n=Count("partner_id", distinct=True))
        .order_by()
    }
    return by_field, local


def partner_field_table(filters: Filters, reading: Reading) -> Table:
    by_field, local = partner_matrix(reading)
    prefectures = [p.pk for p in reading.prefectures]
    chosen = filters.prefecture
    rows = []
    for f in reading.fields:
        nationwide, anywhere = by_field.get(f.pk, (0, 0))
        if chosen is not None:
            counts = [nationwide, local.get((chosen.pk, f.pk), 0)]
        else:
            covered = sum(1 for p in prefectures if local.get((p, f.pk)))
            counts = [nationwide, anywhere, len(prefectures) - covered]
        rows.append(Row([f.name], counts, key=f.slug))
    if chosen is not None:
        headers = [
            _("Nationwide partners"),
            _("Local partners in %(prefecture)s") % {"prefecture": chosen.name},
        ]
        note = _(
            "Fields with no local partner in %(prefecture)s are marked as gaps in sources of "
            "assistance (nationwide partners may still help)."
        ) % {"prefecture": chosen.name}
    else:
        headers = [
            _("Nationwide partners"),
            _("Local partners (all prefectures)"),
            _("Prefectures without a local partner"),
        ]
        note = _(
            "A local partner covers named prefectures; the last column counts the prefectures "
            "where a field has none (gaps in sources of assistance)."
        )
    return Table(
        key="partner-fields",
        title=_("Partners by field of response"),
        label_headers=[_("Field of response")],
        count_headers=headers,
        rows=rows,
        rule=COUNTS,
        chart="bar",
        note=note,
        gap_columns=(1,) if chosen is not None else (),
    )


def partner_gap_table(filters: Filters, reading: Reading) -> Table:
    _by_field, local = partner_matrix(reading)
    selected = filters.prefecture.code if filters.prefecture else ""
    return Table(
        key="partner-gaps",
        title=_("Local partners by prefecture and field (gaps in sources of assistance)"),
        label_headers=[_("Prefecture")],
        count_headers=[f.name for f in reading.fields],
        rows=[
            Row(
                [p.name],
                [local.get((p.pk, f.pk), 0) for f in reading.fields],
                key=p.code,
                selected=p.code == selected,
            )
            for p in reading.prefectures
        ],
        rule=COUNTS,
        gap_columns=tuple(range(len(reading.fields))),
        note=_(
            "Live partners that cover a prefecture by name (not the nationwide ones). A 0 is a "
            "field with no local partner there."
        ),
    )


TABLES = {
    "notice-acknowledgements": notice_table,
    "questionnaire-responses": questionnaire_table,
    "opinion-status": opinion_status_table,
    "opinion-fields": opinion_field_table,
    "opinion-categories": opinion_category_table,
    "partner-fields": partner_field_table,
    "partner-gaps": partner_gap_table,
}
