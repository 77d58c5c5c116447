"""The overview: certified coordinators on one day (status, consent, prefectures, fields,
languages, workplaces) and the monthly trend of certifications and renewals.

Each function runs one or two aggregate queries (``GROUP BY`` and conditional counts in the
database) whatever the number of coordinators, and returns :class:`~..tables.Table` objects.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Case, Count, F, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import TruncMonth
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.accounts.models import Certificate, today
from portal.charts import Series, column_chart

from .. import sources
from ..filters import Filters
from ..japan_map import tile_map, tiles_for
from ..tables import COUNTS, ROW_SHARES, SHARES, Row, Table
from .common import Reading, coordinators, holders, in_prefecture, workplace_prefecture

VALID = "valid"
EXPIRING = "expiring"
EXPIRED = "expired"
REVOKED = "revoked"

CONSENT_GRANTED = "granted"
CONSENT_OLDER = "older"
CONSENT_WITHDRAWN = "withdrawn"
CONSENT_NONE = "none"
CONSENT_STATES = (CONSENT_GRANTED, CONSENT_OLDER, CONSENT_WITHDRAWN, CONSENT_NONE)
SCOPES = ("directory", "public")

NOT_RECORDED = "not-recorded"


def warning_days() -> int:
    return settings.PORTAL_CERTIFICATE_WARNING_DAYS


def _valid_on(prefix: str, on: datetime.date) -> Q:
    """``Certificate.objects.valid_on(on)`` as a condition on ``prefix`` (a relation)."""
    return Q(**{f"{prefix}issued_on__lte": on, f"{prefix}valid_until__gte": on}) & (
        Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": on})
    )


# Status ---------------------------------------------------------------------------------------


def status_counts(filters: Filters) -> dict[str, int]:
    """Holders on the register by the status of their certification on the day: valid (more than
    the warning period left), valid but expiring within it, expired, revoked. A holder with a
    valid certificate is valid (the one valid longest decides whether it expires soon);
    otherwise the most recently issued certificate decides between revoked and expired."""
    on = filters.as_of
    soon = on + datetime.timedelta(days=warning_days())
    c = "certificates__"
    users = in_prefecture(holders(on), filters.prefecture_id).annotate(
        best=Max(f"{c}valid_until", filter=_valid_on(c, on)),
        latest=Max(f"{c}issued_on", filter=Q(**{f"{c}issued_on__lte": on})),
        latest_revoked=Max(
            f"{c}issued_on",
            filter=Q(**{f"{c}issued_on__lte": on, f"{c}revoked_on__lte": on}),
        ),
    )
    not_valid = Q(best__isnull=True)
    return users.aggregate(
        **{
            VALID: Count("pk", filter=Q(best__gt=soon)),
            EXPIRING: Count("pk", filter=Q(best__isnull=False, best__lte=soon)),
            REVOKED: Count("pk", filter=not_valid & Q(latest_revoked=F("latest"))),
            EXPIRED: Count(
                "pk",
                filter=not_valid
                & (Q(latest_revoked__isnull=True) | Q(latest_revoked__lt=F("latest"))),
            ),
        }
    )


def shared_status_counts(filters: Filters, reading: Reading) -> dict[str, int]:
    """``status_counts`` once per reading (the consent table needs the number of valid ones)."""
    return reading.shared("status", lambda: status_counts(filters))


def status_table(filters: Filters, reading: Reading) -> Table:
    counts = shared_status_counts(filters, reading)
    days = warning_days()
    labels = {
        VALID: _("Valid (more than %(days)s days left)") % {"days": days},
        EXPIRING: _("Valid, expiring within %(days)s days") % {"days": days},
        EXPIRED: _("Expired"),
        REVOKED: _("Revoked"),
    }
    rows = [
        Row([labels[key]], [counts[key]], key=key) for key in (VALID, EXPIRING, EXPIRED, REVOKED)
    ]
    return Table(
        key="coordinator-status",
        title=_("Certified coordinators by status"),
        label_headers=[_("Status")],
        count_headers=[pgettext("number of", "Coordinators")],
        rows=rows,
        rule=SHARES,
        total=[sum(counts.values())],
        chart="bar",
        note=_("Everyone on the register with a certificate issued by %(day)s, as on that day.")
        % {"day": filters.as_of.isoformat()},
    )


# Consent --------------------------------------------------------------------------------------


def policy_version() -> int:
    """The consent policy version of the default site's settings."""
    from portal.home.models import SiteSettings

    version = (
        SiteSettings.objects.filter(site__is_default_site=True)
        .values_list("consent_policy_version", flat=True)
        .first()
    )
    return version or 1


def _consent_state(scope: str, on: datetime.date, policy: int):
    """The state of a user's latest consent record for ``scope`` made by the end of ``on``."""
    latest = (
        sources.consent()
        .objects.filter(user_id=OuterRef("pk"), scope=scope, created_at__date__lte=on)
        .order_by("-created_at", "-pk")
        .annotate(
            state=Case(
                When(withdrawn_at__isnull=False, then=Value(CONSENT_WITHDRAWN)),
                When(granted_at__isnull=True, then=Value(CONSENT_NONE)),
                When(policy_version=policy, then=Value(CONSENT_GRANTED)),
                default=Value(CONSENT_OLDER),
            )
        )
        .values("state")[:1]
    )
    return Subquery(latest)


def consent_counts(filters: Filters, reading: Reading | None = None) -> dict[str, dict[str, int]]:
    """Valid coordinators by the state of their consent, per scope (directory, public list).

    For today the latest record of each person and scope is the one marked current (the consent
    services keep that mark): one ``GROUP BY`` over the consent table. For a day in the past the
    latest record made by then is looked up for each coordinator."""
    on = filters.as_of
    policy = policy_version()
    valid = coordinators(on, filters.prefecture_id)
    if filters.date_to is None or filters.date_to >= today():
        total = None
        if reading is not None:  # the valid ones among the holders counted by status
            status = shared_status_counts(filters, reading)
            total = status[VALID] + status[EXPIRING]
        return _current_consent_counts(valid, policy, total)
    return _consent_counts_on(valid, on, policy)


def _consent_counts_on(valid, on: datetime.date, policy: int) -> dict[str, dict[str, int]]:
    """Each of the ``valid`` coordinators by their latest consent record made by ``on``."""
    grouped = (
        valid.annotate(
            directory=_consent_state("directory", on, policy),
            public=_consent_state("public", on, policy),
        )
        .values("directory", "public")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {scope: dict.fromkeys(CONSENT_STATES, 0) for scope in SCOPES}
    for row in grouped:
        for scope in SCOPES:
            counts[scope][row[scope] or CONSENT_NONE] += row["n"]
    return counts


def _current_consent_counts(
    valid, policy: int, total: int | None = None
) -> dict[str, dict[str, int]]:
    """Each of the ``valid`` coordinators by their current consent record (``total``: how many
    they are, when known)."""
    if total is None:
        total = valid.count()
    counts = {scope: dict.fromkeys(CONSENT_STATES, 0) for scope in SCOPES}
    grouped = (
        sources.consent()
        .objects.filter(is_current=True, scope__in=SCOPES, user_id__in=valid.values("pk"))
        .values("scope")
        .annotate(
            granted=Count(
                "pk",
                filter=Q(
                    withdrawn_at__isnull=True, granted_at__isnull=False, policy_version=policy
                ),
            ),
            older=Count(
                "pk",
                filter=Q(withdrawn_at__isnull=True, granted_at__isnull=False)
                & ~Q(policy_version=policy),
            ),
            withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False)),
        )
        .order_by()
    )
    for row in grouped:
        for state in (CONSENT_GRANTED, CONSENT_OLDER, CONSENT_WITHDRAWN):
            counts[row["scope"]][state] = row[state]
    for scope in SCOPES:
        decided = sum(counts[scope][s] for s in (CONSENT_GRANTED, CONSENT_OLDER, CONSENT_WITHDRAWN))
        counts[scope][CONSENT_NONE] = total - decided
    return counts


def consent_table(filters: Filters, reading: Reading) -> Table:
    counts = consent_counts(filters, reading)
    scope_labels = {"directory": _("Members' directory"), "public": _("Public list")}
    return Table(
        key="coordinator-consent",
        title=_("Consent to the directory and to the public list"),
        label_headers=[_("Scope")],
        count_headers=[
            _("Consent given"),
            _("Given to an earlier policy"),
            _("Withdrawn"),
            _("No consent"),
        ],
        rows=[
            Row([scope_labels[scope]], [counts[scope][state] for state in CONSENT_STATES], scope)
            for scope in SCOPES
        ],
        rule=ROW_SHARES,
        note=_(
            "Valid coordinators by their latest consent decision. Only those who gave consent "
            "to the current policy version are listed; the total is every valid coordinator."
        ),
    )


# Where they work or are active ----------------------------------------------------------------


def prefecture_counts(filters: Filters) -> tuple[dict[int, int], dict[int, int]]:
    """Valid coordinators per prefecture where they work or are active (a coordinator counts
    once in each such prefecture), and per prefecture where they work. The prefecture filter does
    not apply: the map shows all.

    Three ``GROUP BY`` queries: areas of activity (A), workplaces (W), and areas of activity that
    are also the workplace (both); "work or active" is A + W − both."""
    valid = coordinators(filters.as_of, None)
    links = sources.profile_prefecture().objects.filter(
        coordinatorprofile__user_id__in=valid.values("pk")
    )

    def grouped(queryset, column: str) -> dict[int, int]:
        return {
            row[column]: row["n"]
            for row in queryset.values(column).annotate(n=Count("*")).order_by()
            if row[column] is not None
        }

    active = grouped(links, "prefecture_id")
    working = grouped(valid.annotate(workplace=workplace_prefecture()), "workplace")
    both = grouped(
        links.alias(
            workplace=workplace_prefecture(
                user="coordinatorprofile__user_id", profile="coordinatorprofile"
            )
        ).filter(prefecture_id=F("workplace")),
        "prefecture_id",
    )
    either = {
        pk: active.get(pk, 0) + working.get(pk, 0) - both.get(pk, 0)
        for pk in set(active) | set(working)
    }
    return either, working


def prefecture_table(filters: Filters, reading: Reading) -> Table:
    counts, working = prefecture_counts(filters)
    selected = filters.prefecture.code if filters.prefecture else ""
    rows = [
        Row(
            [p.name],
            [counts.get(p.pk, 0), working.get(p.pk, 0)],
            key=p.code,
            url=filters.query(prefecture=p.code),
            selected=p.code == selected,
        )
        for p in reading.prefectures
    ]
    table = Table(
        key="coordinator-prefectures",
        title=_("Valid coordinators by prefecture"),
        label_headers=[_("Prefecture")],
        count_headers=[_("Coordinators (work or are active there)"), _("Of whom work there")],
        rows=rows,
        rule=COUNTS,
        chart="map",
        note=_(
            "A coordinator counts in each prefecture where they work or are active, so the rows "
            "add up to more than the number of coordinators; where they work is the workplace on "
            "their profile, or else on the register. Every prefecture is shown whatever the "
            "prefecture filter; the chosen one is marked."
        ),
    )
    table.figure = tile_map(
        tiles_for(reading.prefectures, counts, translation.get_language()),
        chart_id=table.chart_id,
        title=table.title,
        table_id=table.dom_id,
        selected=selected,
        unit=_("valid coordinators"),
    )
    return table


# Profiles: fields, languages, workplaces --------------------------------------------------------


def field_table(filters: Filters, reading: Reading) -> Table:
    valid = coordinators(filters.as_of, filters.prefecture_id)
    grouped = {
        row["field_id"]: (row["n"], row["main"])
        for row in sources.profile_field()
        .objects.filter(profile__user_id__in=valid.values("pk"))
        .values("field_id")
        .annotate(n=Count("pk"), main=Count("pk", filter=Q(is_main=True)))
        .order_by()
    }
    rows = [Row([f.name], list(grouped.get(f.pk, (0, 0))), key=f.slug) for f in reading.fields]
    return Table(
        key="coordinator-fields",
        title=_("Valid coordinators by field of consultation"),
        label_headers=[_("Field of consultation")],
        count_headers=[pgettext("number of", "Coordinators"), _("Of whom main field")],
        rows=rows,
        rule=COUNTS,
        chart="bar",
        note=_("From directory profiles; a coordinator counts in each of their fields."),
    )


def language_table(filters: Filters, reading: Reading) -> Table:
    valid = coordinators(filters.as_of, filters.prefecture_id)
    grouped = {
        row["language_id"]: (row["n"], row["consult"])
        for row in sources.profile_language()
        .objects.filter(profile__user_id__in=valid.values("pk"))
        .values("language_id")
        .annotate(
            n=Count("pk"),
            consult=Count("pk", filter=Q(level__in=["native", "business"])),
        )
        .order_by()
    }
    order = {language.pk: index for index, language in enumerate(reading.languages)}
    languages = sorted(
        (language for language in reading.languages if language.pk in grouped),
        key=lambda language: (-grouped[language.pk][0], order[language.pk]),
    )
    return Table(
        key="coordinator-languages",
        title=_("Valid coordinators by language"),
        label_headers=[_("Language")],
        count_headers=[pgettext("number of", "Coordinators"), _("Of whom can consult in it")],
        rows=[Row([lang.name], list(grouped[lang.pk]), key=lang.code) for lang in languages],
        rule=COUNTS,
        chart="bar",
        note=_(
            "From directory profiles; languages nobody named are left out. “Can consult” means "
            "native or business level."
        ),
        empty=_("No valid coordinator has named a language."),
    )


def workplace_table(filters: Filters, reading: Reading) -> Table:
    valid = coordinators(filters.as_of, filters.prefecture_id)
    grouped: dict[str, int] = {}
    for row in (
        valid.values(kind=F("coordinator_profile__workplace_type"))
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = row["kind"] or NOT_RECORDED
        grouped[key] = grouped.get(key, 0) + row["n"]
    kinds = sources.choices("directory.CoordinatorProfile", "workplace_type")
    rows = [Row([str(label)], [grouped.get(value, 0)], key=value) for value, label in kinds]
    rows.append(Row([_("Not recorded")], [grouped.get(NOT_RECORDED, 0)], key=NOT_RECORDED))
    return Table(
        key="coordinator-workplaces",
        title=_("Valid coordinators by type of workplace"),
        label_headers=[_("Type of workplace")],
        count_headers=[pgettext("number of", "Coordinators")],
        rows=rows,
        rule=SHARES,
        total=[sum(grouped.values())],
        chart="bar",
        note=_("The most recent workplace on the directory profile."),
    )


# Trend ----------------------------------------------------------------------------------------


def months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of the months from ``start``'s to ``end``'s."""
    first = start.year * 12 + start.month - 1
    last = end.year * 12 + end.month - 1
    return [datetime.date(m // 12, m % 12 + 1, 1) for m in range(first, last + 1)]


def trend_table(filters: Filters, reading: Reading) -> Table:
    start, end = filters.trend_start, filters.as_of
    certificates = Certificate.objects.filter(issued_on__gte=start, issued_on__lte=end)
    if filters.prefecture_id is not None:
        certificates = certificates.filter(
            holder_id__in=in_prefecture(holders(end), filters.prefecture_id).values("pk")
        )
    grouped = {}
    for row in (
        certificates.annotate(month=TruncMonth("issued_on"))
        .values("month")
        .annotate(
            new=Count("pk", filter=Q(renews__isnull=True)),
            renewals=Count("pk", filter=Q(renews__isnull=False)),
        )
        .order_by()
    ):
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        grouped[month] = (row["new"], row["renewals"])
    rows = [
        Row([month.strftime("%Y-%m")], list(grouped.get(month, (0, 0))), key=month.isoformat())
        for month in months(start, end)
    ]
    table = Table(
        key="certification-trend",
        title=_("Certifications and renewals by month"),
        label_headers=[pgettext("calendar", "Month")],
        count_headers=[_("New certifications"), _("Renewals")],
        rows=rows,
        rule=ROW_SHARES,
        chart="columns",
        note=_("Certificates by month of issue, from %(start)s to %(end)s.")
        % {"start": start.isoformat(), "end": end.isoformat()},
    )
    new = sum(row.counts[0] for row in rows)
    renewals = sum(row.counts[1] for row in rows)
    table.figure = column_chart(
        [row.label for row in rows],
        [
            Series(table.count_headers[0], [row.counts[0] for row in rows]),
            Series(table.count_headers[1], [row.counts[1] for row in rows]),
        ],
        chart_id=table.chart_id,
        title=table.title,
        table_id=table.dom_id,
        description=_(
            "%(months)s months from %(start)s to %(end)s: %(new)s new certifications and "
            "%(renewals)s renewals in all. The table beside the chart gives each month."
        )
        % {
            "months": len(rows),
            "start": rows[0].label if rows else "",
            "end": rows[-1].label if rows else "",
            "new": new,
            "renewals": renewals,
        },
    )
    return table


TABLES = {
    "coordinator-status": status_table,
    "coordinator-consent": consent_table,
    "coordinator-prefectures": prefecture_table,
    "coordinator-fields": field_table,
    "coordinator-languages": language_table,
    "coordinator-workplaces": workplace_table,
    "certification-trend": trend_table,
}
