"""Knowledge sharing: notices and their confirmations, questionnaire response rates, the opinion
box and partners with the gaps in sources of assistance, against hand-counted data.

Coordinators (certificates valid today unless said, workplace on the register):
k1 Tokyo, k2 Tokyo, k3 Kanagawa, k4 Osaka, k5 Tokyo (expired), k6 Tokyo (account inactive).

Important notices: n1 nationwide (2026-01-15) asks k1–k4 and is confirmed by k1 and k4 (k5's
old confirmation does not count: it no longer asks k5); n2 for Tokyo and Kanagawa (2026-02-01)
asks k1–k3 and is confirmed by k2 and k3 (k4's confirmation is outside its audience). A normal
notice asks nobody.
"""

import datetime
import json
import re

import pytest
from django.utils import timezone
from wagtail.models import Page

from directory.models import Partner
from newsletters.models import Acknowledgement, NoticeIndexPage, NoticePage
from newsletters.selectors.notices import acknowledgement_report
from newsletters.services.notices import notice_acknowledge
from portal.dashboard.filters import Filters
from portal.dashboard.selectors import knowledge
from portal.dashboard.selectors.common import Reading
from portal.home.models import HomePage
from portal.questionnaires.blocks import question
from portal.questionnaires.models import (
    Opinion,
    QuestionnaireIndexPage,
    QuestionnairePage,
    RosterEntry,
)
from portal.questionnaires.services import response_submit, roster_ensure
from portal.taxonomy.models import Prefecture

from .helpers import DAY, field, page_url, pref, table_rows

pytestmark = pytest.mark.django_db

RECENT = DAY(2025, 6, 1)


def _home():
    return HomePage.objects.first() or Page.objects.get(depth=1)


@pytest.fixture
def coordinators(holder):
    return {
        1: holder(RECENT, prefecture=13),
        2: holder(RECENT, prefecture=13),
        3: holder(RECENT, prefecture=14),
        4: holder(RECENT, prefecture=27),
        5: holder(DAY(2019, 6, 1), prefecture=13),
        6: holder(RECENT, prefecture=13, active=False),
    }


def _notice(index, title, published, *, important=True, prefectures=()):
    page = index.add_child(
        instance=NoticePage(
            title=title,
            summary="要約",
            category="procedure",
            importance="important" if important else "normal",
            audience="members",
            nationwide=not prefectures,
        )
    )
    if prefectures:
        page.prefectures.set([pref(n) for n in prefectures])
    page.save_revision().publish()
    when = timezone.make_aware(datetime.datetime.combine(published, datetime.time(10)))
    NoticePage.objects.filter(pk=page.pk).update(first_published_at=when)
    return NoticePage.objects.get(pk=page.pk)


@pytest.fixture
def notices(coordinators):
    index = _home().add_child(instance=NoticeIndexPage(title="お知らせ", slug="notices"))
    n1 = _notice(index, "n1", DAY(2026, 1, 15))
    n2 = _notice(index, "n2", DAY(2026, 2, 1), prefectures=(13, 14))
    _notice(index, "normal", DAY(2026, 1, 20), important=False)
    k = coordinators
    notice_acknowledge(k[1], n1)
    notice_acknowledge(k[4], n1)
    Acknowledgement.objects.create(notice=n1, user=k[5])  # from when k5 was valid
    notice_acknowledge(k[2], n2)
    notice_acknowledge(k[3], n2)
    Acknowledgement.objects.create(notice=n2, user=k[4])  # outside the notice's audience
    return n1, n2


def rates(table):
    return {row.labels[0]: row.counts for row in table.rows}


def test_notice_rates_match_the_acknowledgement_report(notices):
    n1, n2 = notices
    table = knowledge.notice_table(Filters(), Reading())
    assert rates(table) == {"n1": [4, 2], "n2": [3, 2]}
    for notice in notices:
        report = acknowledgement_report(notice)
        assert rates(table)[notice.title] == [report.targeted, report.acknowledged]


def test_notice_rates_in_a_prefecture_and_a_period(notices):
    tokyo = Prefecture.objects.get(number=13)
    osaka = Prefecture.objects.get(number=27)
    assert rates(knowledge.notice_table(Filters(prefecture=tokyo), Reading())) == {
        "n1": [2, 1],
        "n2": [2, 1],
    }
    assert rates(knowledge.notice_table(Filters(prefecture=osaka), Reading())) == {"n1": [1, 1]}
    assert rates(knowledge.notice_table(Filters(date_from=DAY(2026, 1, 20)), Reading())) == {
        "n2": [3, 2]
    }


# Questionnaires -------------------------------------------------------------------------------


@pytest.fixture
def survey(coordinators):
    index = _home().add_child(
        instance=QuestionnaireIndexPage(title="アンケート", slug="questionnaires")
    )
    now = timezone.now()
    page = index.add_child(
        instance=QuestionnairePage(
            title="活動状況調査",
            slug="survey",
            questions=json.dumps(
                [question("single_choice", "q1", "雇用形態", options=["正規", "非常勤"])]
            ),
            opens_at=now - datetime.timedelta(hours=1),
            closes_at=now + datetime.timedelta(days=7),
            live=False,
        )
    )
    page.save_revision().publish()
    page.refresh_from_db()
    roster_ensure(page)
    response_submit(page, coordinators[1], [{"question": "q1", "option": 0}])
    response_submit(page, coordinators[3], [{"question": "q1", "option": 1}])
    return page


def test_questionnaire_response_rates(survey):
    targeted = RosterEntry.objects.filter(questionnaire=survey).count()
    assert targeted == 4  # k1–k4: valid and active
    table = knowledge.questionnaire_table(Filters(), Reading())
    assert rates(table) == {"活動状況調査": [4, 2]}
    tokyo = Prefecture.objects.get(number=13)
    assert rates(knowledge.questionnaire_table(Filters(prefecture=tokyo), Reading())) == {
        "活動状況調査": [2, 1]
    }
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert knowledge.questionnaire_table(Filters(date_from=tomorrow), Reading()).rows == []


# Opinion box ----------------------------------------------------------------------------------


@pytest.fixture
def opinions(db):
    made = []
    for status, field_position, prefecture, day, category in (
        ("new", 0, 13, DAY(2026, 1, 10), "request"),
        ("answered", 0, 27, DAY(2026, 2, 10), "system"),
        ("new", None, 13, DAY(2026, 2, 20), "request"),
        ("closed", 1, None, DAY(2025, 12, 1), "portal"),
        ("under_review", 1, 13, DAY(2026, 3, 1), "regional-gap"),
    ):
        opinion = Opinion.objects.create(
            category=category,
            field=field(field_position) if field_position is not None else None,
            prefecture=pref(prefecture) if prefecture else None,
            text="地域に通訳が足りない。",
            status=status,
        )
        Opinion.objects.filter(pk=opinion.pk).update(created_on=day)
        made.append(opinion)
    return made


def test_opinions_by_status_field_and_category(opinions):
    period = Filters(date_from=DAY(2026, 1, 1), date_to=DAY(2026, 3, 31))
    reading = Reading()
    status = knowledge.opinion_status_table(period, reading)
    assert {row.key: row.counts[0] for row in status.rows if row.counts[0]} == {
        "new": 2,
        "answered": 1,
        "under_review": 1,
    }
    assert status.total == [4]
    fields = knowledge.opinion_field_table(period, reading)
    by_field = {row.key: row.counts[0] for row in fields.rows if row.counts[0]}
    assert by_field == {field(0).slug: 2, field(1).slug: 1, "not-stated": 1}
    categories = knowledge.opinion_category_table(period, reading)
    assert {row.key: row.counts[0] for row in categories.rows if row.counts[0]} == {
        "request": 2,
        "system": 1,
        "regional-gap": 1,
    }
    tokyo = Filters(prefecture=Prefecture.objects.get(number=13))
    assert {
        row.key: row.counts[0]
        for row in knowledge.opinion_status_table(tokyo, Reading()).rows
        if row.counts[0]
    } == {"new": 2, "under_review": 1}


# Partners -------------------------------------------------------------------------------------


def _partner(slug, fields, prefectures=(), *, live=True):
    partner = Partner(
        name_ja=slug,
        slug=slug,
        kind="npo-support-group",
        level="national" if not prefectures else "prefectural",
        nationwide=not prefectures,
        live=live,
    )
    partner.save()
    partner.fields.set([field(i) for i in fields])
    partner.prefectures.set([pref(n) for n in prefectures])
    partner.save()
    return partner


@pytest.fixture
def partners(db):
    _partner("p1", (0, 1))
    _partner("p2", (0,), (13,))
    _partner("p3", (1,), (13, 27))
    _partner("p4", (0,), (27,), live=False)
    _partner("p5", (2,), (1,))


def test_partners_by_field_and_the_gaps(partners):
    table = knowledge.partner_field_table(Filters(), Reading())
    by_field = {row.key: row.counts for row in table.rows}
    assert by_field[field(0).slug] == [1, 1, 46]
    assert by_field[field(1).slug] == [1, 1, 45]
    assert by_field[field(2).slug] == [0, 1, 46]
    assert by_field[field(3).slug] == [0, 0, 47]
    gaps = knowledge.partner_gap_table(Filters(), Reading())
    tokyo = next(row for row in gaps.rows if row.key == "JP-13")
    assert tokyo.counts[:3] == [1, 1, 0]
    osaka = next(row for row in gaps.rows if row.key == "JP-27")
    assert osaka.counts[:3] == [0, 1, 0]  # the draft partner does not count


def test_gaps_in_the_chosen_prefecture_are_highlighted(
    partners, administrator, client_for, english
):
    client = client_for(english(administrator))
    html = client.get(page_url("knowledge", prefecture="JP-13")).content.decode()
    rows = table_rows(html, "partner-fields")
    assert rows[field(0).slug][:2] == ["1", "1"]
    assert rows[field(2).slug][:2] == ["0", "0 (no partner: gap)"]
    figure = html.split('id="table-partner-fields"', 1)[1].split("</table>", 1)[0]
    gap_rows = [
        key
        for key, body in re.findall(r'<tr data-key="([^"]*)"[^>]*>(.*?)</tr>', figure, re.S)
        if 'data-gap="true"' in body
    ]
    assert field(0).slug not in gap_rows and field(1).slug not in gap_rows
    assert field(2).slug in gap_rows
    assert len(gap_rows) == len(Reading().fields) - 2
    matrix = table_rows(html, "partner-gaps")
    assert matrix["JP-13"][:3] == ["1", "1", "0 (no partner: gap)"]
    assert '<tr data-key="JP-13" class="is-selected" aria-current="true">' in html
