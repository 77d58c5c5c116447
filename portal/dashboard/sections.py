"""The three parts of the dashboard, the tables each shows (in order) and who reads them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .access import CASES, KNOWLEDGE, OVERVIEW
from .filters import Filters
from .selectors import cases, coordinators, knowledge
from .selectors.common import Reading
from .tables import Table


@dataclass(frozen=True)
class Section:
    part: str
    title: Promise
    url_name: str
    icon: str
    tables: tuple[str, ...]
    intro: Promise


SECTIONS = {
    OVERVIEW: Section(
        OVERVIEW,
        _("Overview"),
        "dashboard_overview",
        "group",
        (
            "coordinator-status",
            "coordinator-consent",
            "coordinator-prefectures",
            "coordinator-fields",
            "coordinator-languages",
            "coordinator-workplaces",
            "certification-trend",
        ),
        _(
            "Certified coordinators as on the last day of the period (today when it has no "
            "end), and the certifications and renewals of each month."
        ),
    ),
    CASES: Section(
        CASES,
        _("Case studies"),
        "dashboard_cases",
        "doc-full",
        ("case-states", "case-decisions", "case-fields", "case-prefectures", "regional-problems"),
        _(
            "Case studies submitted in the period (drafts: last saved) and the moderators' "
            "decisions made in it."
        ),
    ),
    KNOWLEDGE: Section(
        KNOWLEDGE,
        _("Knowledge sharing"),
        "dashboard_knowledge",
        "comment",
        (
            "notice-acknowledgements",
            "questionnaire-responses",
            "opinion-status",
            "opinion-categories",
            "opinion-fields",
            "partner-fields",
            "partner-gaps",
        ),
        _(
            "Important notices published, questionnaires opened and opinions received in the "
            "period; partners as they are listed today."
        ),
    ),
}

BUILDERS = {**coordinators.TABLES, **cases.TABLES, **knowledge.TABLES}
TABLE_PART = {key: section.part for section in SECTIONS.values() for key in section.tables}


def build(keys, filters: Filters, reading: Reading | None = None) -> list[Table]:
    """The tables ``keys`` under ``filters``."""
    reading = reading or Reading()
    return [BUILDERS[key](filters, reading) for key in keys]
