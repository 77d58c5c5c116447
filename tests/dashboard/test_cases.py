"""The case-study part against hand-counted cases, moderated through the real workflow.

====  ==========  ========  =======  ==================  ==========  ==========================
case  type        pref.     fields   state               submitted   moderators' decision
====  ==========  ========  =======  ==================  ==========  ==========================
c1    individual  Tokyo     0, 1     published           2026-01-10  approved after 48 h
c2    regional    Tokyo     1        published           2026-01-20  approved after 96 h
c3    regional    Osaka     2        in review           2026-02-01  —
c4    individual  Osaka     0        changes requested   2026-01-05  changes after 24 h
c5    individual  —         0        draft               never       —
c6    regional    Hokkaido  0        rejected            2025-12-20  rejected after 240 h
c7    regional    Tokyo     0        draft               never       —
====  ==========  ========  =======  ==================  ==========  ==========================

In January–March 2026 (by the day submitted; drafts by the day last saved, which is today):
c1–c4. States: published 2, in review 1, changes requested 1. Fields: 0 → 2 (1 published),
1 → 2 (2), 2 → 1 (0). Prefectures: Tokyo 2 (regional 1), Osaka 2 (regional 1).
Decisions made in that period: approved 48 h and 96 h (median 3.0 days), changes 24 h
(1.0); all three: median 48 h = 2.0 days. Without a period the rejection (240 h) counts too:
median of 24, 48, 96, 240 h = 72 h = 3.0 days.
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import TaskState

from cases.models import CaseStudyPage
from cases.services.moderation import case_approve, case_reject, case_request_changes
from portal.dashboard.filters import Filters
from portal.dashboard.selectors import cases
from portal.dashboard.selectors.common import Reading
from portal.taxonomy.models import Prefecture

from .helpers import DAY, counts, csv_tables, download_url, field, page_url, table_rows

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-03-31"}


def at(day: datetime.date, hours: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0))) + (
        datetime.timedelta(hours=hours)
    )


def submit(case, author, day):
    """Send ``case`` to the moderators on ``day`` (the workflow's task starts then)."""
    workflow_state = case.get_workflow().start(case, author)
    task_state = workflow_state.current_task_state
    TaskState.objects.filter(pk=task_state.pk).update(started_at=at(day))
    CaseStudyPage.objects.filter(pk=case.pk).update(submitted_at=at(day))
    return TaskState.objects.get(pk=task_state.pk)


def decide(task_state, hours):
    TaskState.objects.filter(pk=task_state.pk).update(
        finished_at=task_state.started_at + datetime.timedelta(hours=hours)
    )


@pytest.fixture
def library(make_case, coordinator, moderator):
    author = coordinator
    c = {}
    c[1] = make_case(author, fields=(0, 1), prefecture=13, title="c1")
    c[2] = make_case(author, fields=(1,), prefecture=13, case_type="regional", title="c2")
    c[3] = make_case(author, fields=(2,), prefecture=27, case_type="regional", title="c3")
    c[4] = make_case(author, fields=(0,), prefecture=27, title="c4")
    c[5] = make_case(author, fields=(0,), prefecture=None, title="c5")
    c[6] = make_case(author, fields=(0,), prefecture=1, case_type="regional", title="c6")
    c[7] = make_case(author, fields=(0,), prefecture=13, case_type="regional", title="c7")

    task = submit(c[1], author, DAY(2026, 1, 10))
    case_approve(task, moderator)
    decide(task, 48)
    task = submit(c[2], author, DAY(2026, 1, 20))
    case_approve(task, moderator)
    decide(task, 96)
    submit(c[3], author, DAY(2026, 2, 1))
    task = submit(c[4], author, DAY(2026, 1, 5))
    case_request_changes(task, moderator, "氏名が残っています。")
    decide(task, 24)
    task = submit(c[6], author, DAY(2025, 12, 20))
    case_reject(task, moderator, "事例の範囲外です。")
    decide(task, 240)
    # The moderation services keep the submission day of the story.
    for number, day in ((1, 10), (2, 20), (4, 5)):
        CaseStudyPage.objects.filter(pk=c[number].pk).update(submitted_at=at(DAY(2026, 1, day)))
    CaseStudyPage.objects.filter(pk=c[6].pk).update(submitted_at=at(DAY(2025, 12, 20)))
    return c


def period(**changes):
    return Filters(date_from=DAY(2026, 1, 1), date_to=DAY(2026, 3, 31), **changes)


def test_states_in_the_period_and_overall(library):
    reading = Reading()
    table = cases.state_table(period(), reading)
    assert {row.key: row.counts[0] for row in table.rows if row.counts[0]} == {
        "published": 2,
        "in_review": 1,
        "changes_requested": 1,
    }
    assert table.total == [4]
    table = cases.state_table(Filters(), reading)
    assert {row.key: row.counts[0] for row in table.rows if row.counts[0]} == {
        "published": 2,
        "in_review": 1,
        "changes_requested": 1,
        "draft": 2,
        "rejected": 1,
    }


def test_fields_and_prefectures(library):
    reading = Reading()
    fields = {row.key: row.counts for row in cases.field_table(period(), reading).rows}
    assert fields[field(0).slug] == [2, 1]
    assert fields[field(1).slug] == [2, 2]
    assert fields[field(2).slug] == [1, 0]
    table = cases.prefecture_table(period(), reading)
    assert {row.key: row.counts for row in table.rows} == {"JP-13": [2, 1], "JP-27": [2, 1]}
    assert table.total == [4, 2]
    regional = cases.regional_table(period(), reading)
    assert {row.key: row.counts for row in regional.rows} == {"JP-13": [1, 1], "JP-27": [1, 0]}


def test_regional_cases_are_listed_by_prefecture(library):
    listing = cases.regional_listing(Filters(), Reading())
    assert [(g["code"], [c["title"] for c in g["cases"]]) for g in listing] == [
        ("JP-01", ["c6"]),
        ("JP-13", ["c2"]),  # c7 is a draft
        ("JP-27", ["c3"]),
    ]


def test_time_from_submission_to_decision(library):
    table = cases.timing_table(period(), Reading())
    rows = {row.key: (row.counts[0], row.stats[0]) for row in table.rows}
    assert rows == {
        "approved": (2, 3),
        "rejected": (1, 1),
        "cancelled": (0, None),
    }
    assert table.total == [3] and table.total_stats == [2]
    everything = cases.timing_table(Filters(), Reading())
    assert everything.total == [4] and everything.total_stats == [3]
    assert {row.key: row.counts[0] for row in everything.rows}["cancelled"] == 1


def test_prefecture_filter(library):
    tokyo = Prefecture.objects.get(number=13)
    reading = Reading()
    states = cases.state_table(Filters(prefecture=tokyo), reading)
    assert {row.key: row.counts[0] for row in states.rows if row.counts[0]} == {
        "published": 2,
        "draft": 1,
    }
    timing = cases.timing_table(Filters(prefecture=tokyo), reading)
    assert timing.total == [2] and timing.total_stats == [3]


def test_case_page_and_its_download(library, moderator, client_for, english):
    client = client_for(english(moderator))
    html = client.get(page_url("cases", **PERIOD)).content.decode()
    assert counts(html, "case-states")["published"] == 2
    assert table_rows(html, "case-decisions")["total"] == ["3", "100.0%", "2.0"]
    assert "c2" in html and "c3" in html
    response = client.get(download_url("case-decisions", **PERIOD))
    assert response.status_code == 200
    rows = csv_tables(response.content)["Time from submission to decision"]
    assert rows[0] == ["Decision", "Decisions", "Percent (%)", "Median days"]
    by_label = {row[0]: row[1:] for row in rows[1:]}
    # Two approvals stand behind their median; one request for changes is "<3", and its
    # median is hidden with it.
    assert by_label["Changes requested"] == ["<3", "<3", "<3"]
    assert by_label["Total"] == ["3", "100.0", "2.0"]
