"""Data for ``manage.py bench_dashboard``: a large register written in bulk.

Everything it makes is named ``bench-dash-…`` (users, certificate numbers, slugs), so it can be
told apart from real rows and it is added to, never replaced: running the command again adds
another batch. The numbers are random but seeded, so a run is repeatable on an empty database.

What a batch holds, for ``coordinators`` holders:

- certificates issued over the last six years (about one in ten renewed, one in thirty revoked),
  with a workplace prefecture weighted towards the large cities;
- directory profiles for four in five (areas of activity, fields, languages, type of
  workplace) and consent records for most of them;
- partners (one per 25 holders) with fields and prefectures; opinions (one per ten holders);
  five important notices, each confirmed by about half of the holders;
- ``cases`` case studies in every state, a third of them decided by the moderators (finished
  tasks of the *Case moderation* workflow);
- one closed questionnaire whose audience is every valid holder, answered by about six in ten,
  with ``answers`` answer rows in all.

Rows are written with ``bulk_create`` (pages through their base table, then the case table, since
Django cannot bulk-create multi-table models), so no signal runs and nothing is indexed for search.
"""

from __future__ import annotations

import random

from django.db import connection, transaction

from .cases import make_cases
from .common import PREFIX, new_tag
from .content import make_notices, make_opinions, make_partners, make_questionnaire
from .people import make_profiles, make_register

__all__ = [
    "PREFIX",
    "generate",
    "refresh_statistics",
    "make_cases",
    "make_notices",
    "make_opinions",
    "make_partners",
    "make_profiles",
    "make_questionnaire",
    "make_register",
]


@transaction.atomic
def generate(*, coordinators: int, cases: int, answers: int, seed: int = 1) -> dict[str, int]:
    """Write one batch (see the module docstring); returns what was made."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    tag = new_tag()
    users = make_register(coordinators, rng, tag)
    make_profiles(users, rng)
    make_partners(max(coordinators // 25, 1), rng, tag)
    make_opinions(max(coordinators // 10, 1), rng)
    make_notices(users, rng, tag)
    if cases:
        make_cases(cases, users, rng, tag)
    if answers:
        make_questionnaire(answers, rng, tag)
    refresh_statistics()
    return {"coordinators": coordinators, "cases": cases, "answers": answers}


def refresh_statistics() -> None:
    """Fresh planner statistics after a bulk load, as the database's own maintenance gathers
    them some time after large writes: the plans of the figures' queries depend on them, and
    statistics taken while the tables were nearly empty lead to very slow plans."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
