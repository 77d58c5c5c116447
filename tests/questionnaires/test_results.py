"""Results for staff: response rates against the audience fixed at opening, per-question counts,
charts and data tables under the small-count rule, access, and a constant number of queries."""

import datetime
import itertools
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts import roles
from portal.accounts.models import today
from portal.questionnaires.blocks import question
from portal.questionnaires.results import suppression
from portal.questionnaires.results.aggregate import questionnaire_results
from portal.questionnaires.results.charts import ChartRow, bar_chart
from portal.questionnaires.results.suppression import HIDDEN, SMALL, Cell
from portal.questionnaires.services import response_submit, roster_ensure
from portal.taxonomy.models import Prefecture

from .results_data import QUESTIONS, answer_rows, audience, member, survey, two_fields

pytestmark = pytest.mark.django_db


def results_url(page):
    return reverse("questionnaires_results", args=[page.pk])


def article(html: str, key: str) -> str:
    match = re.search(rf'<article class="q-result" data-question="{key}".*?</article>', html, re.S)
    assert match, key
    return match.group(0)


def parts(html: str, name: str) -> list[str]:
    return re.findall(rf'data-part="{name}">(.*?)</td>', html, re.S)


def svg_texts(html: str) -> list[str]:
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    return re.findall(r"<text[^>]*>(.*?)</text>", svg)


def rate_rows(html: str, table_id: str) -> list[tuple[str, str, str, str]]:
    table = re.search(rf'<table class="listing" id="{table_id}".*?</table>', html, re.S).group(0)
    return re.findall(
        r'<th scope="row">(.*?)</th>\s*<td data-part="targeted">(.*?)</td>\s*'
        r'<td data-part="responded">(.*?)</td>\s*<td data-part="rate">(.*?)</td>',
        table,
    )


# The rule itself ------------------------------------------------------------------------------


def test_primary_rule_hides_one_and_two_but_shows_zero():
    assert suppression.count(0).display == "0"
    assert suppression.count(1).display == SMALL
    assert suppression.count(2).display == SMALL
    assert suppression.count(1).count is None  # the value is not even kept
    assert suppression.count(3).display == "3"
    assert suppression.count(3, 12).percent_display == "25.0%"
    assert suppression.count(2, 12).percent is None


def _possible_values(counts, cells, total):
    """Every value each ``<3`` cell could hold, for someone who knows the rule, the shown cells
    and the total."""
    domains = []
    for n, cell in zip(counts, cells, strict=True):
        if cell.mark == SMALL:
            domains.append(range(1, suppression.THRESHOLD))
        elif cell.mark == HIDDEN:
            domains.append(range(suppression.THRESHOLD, total + 1))
        else:
            domains.append([n])
    possible = [set() for _ in counts]
    for assignment in itertools.product(*domains):
        if sum(assignment) == total:
            for i, value in enumerate(assignment):
                possible[i].add(value)
    return possible


@pytest.mark.parametrize(("cells", "top"), [(3, 7), (4, 4)])
def test_secondary_suppression_leaves_no_small_cell_recoverable(cells, top):
    """Exhaustively: in a single-answer distribution no count of 1 or 2 is shown, and no ``<3``
    cell can be worked out from the total shown beside it."""
    for counts in itertools.product(range(top + 1), repeat=cells):
        total = sum(counts)
        result = suppression.distribution(counts, total, single_answer=True)
        for n, cell in zip(counts, result.cells, strict=True):
            assert cell.count not in (1, 2), counts
            if not cell.suppressed:
                assert cell.count == n
            if suppression.is_small(n):
                assert cell.mark == SMALL
        if result.total.suppressed:
            continue
        assert result.total.count == total
        possible = _possible_values(counts, result.cells, total)
        for cell, values in zip(result.cells, possible, strict=True):
            if cell.mark == SMALL:
                assert len(values) > 1, (counts, result)
        if not any(suppression.is_small(n) for n in counts):
            assert not any(cell.suppressed for cell in result.cells)


def test_secondary_suppression_hides_the_next_smallest_cell():
    result = suppression.distribution([5, 4, 0, 1], 10, single_answer=True)
    assert [c.display for c in result.cells] == ["5", HIDDEN, "0", SMALL]
    assert result.total.display == "10"
    # A 3 beside a 1 would give the 1 away (1 + 3 = 4 has one answer): the next one goes too.
    result = suppression.distribution([6, 3, 1], 10, single_answer=True)
    assert [c.display for c in result.cells] == [HIDDEN, HIDDEN, SMALL]
    # Two small cells that hide each other need nothing more.
    result = suppression.distribution([0, 1, 3, 4, 2], 10, single_answer=True)
    assert [c.display for c in result.cells] == ["0", SMALL, "3", "4", SMALL]
    # Several answers per respondent: cells do not add up, only the primary rule applies.
    result = suppression.distribution([7, 2, 0, 5], 7, single_answer=False)
    assert [c.display for c in result.cells] == ["7", SMALL, "0", "5"]
    assert [c.percent_label for c in result.cells] == ["100.0%", SMALL, "0.0%", "71.4%"]
    # Nothing else can hide a lone 1 beside a 3: the total goes.
    result = suppression.distribution([1, 3], 4, single_answer=True)
    assert result.total.suppressed
    assert all(c.percent is None for c in result.cells)


def test_chart_draws_no_bar_for_a_suppressed_cell_and_escapes_text():
    svg = str(
        bar_chart(
            [
                ChartRow("<b>正規</b>", Cell(5, "", Decimal("50.0"))),
                ChartRow("非常勤", Cell(None, HIDDEN)),
                ChartRow("委託", Cell(0, "", Decimal("0.0"))),
                ChartRow("その他", Cell(None, SMALL)),
            ],
            chart_id="c1",
            title='Q1 "<x>"',
            table_id="t1",
        )
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert 'aria-labelledby="c1-title"' in svg and 'aria-describedby="t1"' in svg
    assert '<title id="c1-title">Q1 &quot;&lt;x&gt;&quot;</title>' in svg
    assert "<b>" not in svg and "&lt;b&gt;正規&lt;/b&gt;" in svg
    assert svg.count('class="q-chart__bar"') == 1  # only the shown, non-zero count
    assert svg.count('class="q-chart__suppressed"') == 2
    # Every marker has the same width, whatever the value hidden behind it.
    assert set(re.findall(r'fill="url\(#c1-hatch\)"', svg)) == {'fill="url(#c1-hatch)"'}
    widths = re.findall(r'<rect x="8" y="\d+" width="(\d+)" height="16" fill="url', svg)
    assert widths == ["28", "28"]


# Response rates -------------------------------------------------------------------------------


def test_response_rates_by_prefecture_and_field_against_the_roster(
    make_user, issue_certificate, make_questionnaire, client_for, editor
):
    """Hand count: Tokyo 4 targeted (one also active in Kanagawa), 3 answer; Osaka 3, none;
    3 members with no known prefecture or field, all answer. 10 targeted, 6 respondents."""
    from directory.models import CoordinatorProfile

    field_a, _field_b = two_fields()
    kanagawa = Prefecture.objects.get(code="JP-14")
    tokyo = [member(make_user, issue_certificate, f"tk-{i}", "JP-13", [field_a]) for i in range(4)]
    CoordinatorProfile.objects.get(user=tokyo[0]).prefectures.add(kanagawa)
    osaka = [make_user(f"os-{i}", roles.COORDINATOR) for i in range(3)]
    for user in osaka:
        issue_certificate(
            user,
            today() - datetime.timedelta(days=30),
            workplace_prefecture=Prefecture.objects.get(code="JP-27"),
        )
    unknown = [make_user(f"un-{i}", roles.COORDINATOR) for i in range(3)]
    for user in unknown:
        issue_certificate(user, today() - datetime.timedelta(days=30))
    page = make_questionnaire(
        [question("single_choice", "q1", "はい・いいえ", options=["はい", "いいえ"])]
    )
    # Answered through the site, as members do.
    for user in [*tokyo[:3], *unknown]:
        response = client_for(user).post(page.url, {"q-q1": "0", "action": "submit"})
        assert response.status_code == 302
    # Joining later changes nothing: the audience was fixed at opening.
    member(make_user, issue_certificate, "late", "JP-27", [field_a])

    with_data = questionnaire_results(page)
    overall = with_data.rates.overall
    assert (overall.targeted, overall.responded.count) == (10, 6)
    assert overall.responded.percent == Decimal("60.0")

    html = client_for(editor).get(results_url(page)).content.decode()
    tokyo_name, kanagawa_name, osaka_name = (
        Prefecture.objects.get(code=c).name_ja for c in ("JP-13", "JP-14", "JP-27")
    )
    prefecture_rows = rate_rows(html, "q-rates-prefecture")
    assert prefecture_rows[:3] == [
        (tokyo_name, "4", "3", "75.0%"),
        # One targeted member: whatever the count, it would tell whether they answered.
        (kanagawa_name, "1", "x", "x"),
        (osaka_name, "3", "0", "0.0%"),
    ]
    # Those with no known prefecture come last; the rows overlap (Tokyo and Kanagawa), so
    # only the primary rule applies.
    assert prefecture_rows[3][1:] == ("3", "3", "100.0%")
    assert len(prefecture_rows) == 4
    field_rows = rate_rows(html, "q-rates-field")
    assert field_rows[0] == (field_a.name_ja, "4", "3", "75.0%")
    assert field_rows[1][1:] == ("6", "3", "50.0%")
    assert 'data-part="overall"' in html


def test_rate_table_that_splits_the_audience_gets_secondary_suppression(
    make_user, issue_certificate, make_questionnaire, client_for, administrator
):
    page, _respondents, _everyone = survey(make_user, issue_certificate, make_questionnaire)
    html = client_for(administrator).get(results_url(page)).content.decode()
    names = [Prefecture.objects.get(code=c).name_ja for c in ("JP-13", "JP-14", "JP-23", "JP-27")]
    # Tokyo 6/5, Kanagawa 5/4, Aichi 3/0, Osaka 4/1: each member in one row, so the 1 in Osaka
    # would follow from the total of 10; Kanagawa (the smallest count above it) is hidden too.
    assert rate_rows(html, "q-rates-prefecture") == [
        (names[0], "6", "5", "83.3%"),
        (names[1], "5", "x", "x"),
        (names[2], "3", "0", "0.0%"),
        (names[3], "4", "&lt;3", "&lt;3"),
    ]
    field_a, field_b = two_fields()
    # Fields overlap (one Tokyo member has both): no secondary suppression.
    assert rate_rows(html, "q-rates-field") == [
        (field_a.name_ja, "11", "9", "81.8%"),
        (field_b.name_ja, "8", "&lt;3", "&lt;3"),
    ]


# Per question -----------------------------------------------------------------------------------


def test_tables_and_charts_never_show_one_or_two(
    make_user, issue_certificate, make_questionnaire, client_for, editor
):
    page, _respondents, _everyone = survey(make_user, issue_certificate, make_questionnaire)
    response = client_for(editor).get(results_url(page))
    assert response.status_code == 200
    html = response.content.decode()

    expected = {
        # key: (counts in the table, percentages, respondents)
        "employment": (["5", "x", "0", "&lt;3"], ["50.0%", "x", "0.0%", "&lt;3"], "10"),
        "formats": (["7", "&lt;3", "0", "5"], ["100.0%", "&lt;3", "0.0%", "71.4%"], "7"),
        "pay": (
            ["0", "&lt;3", "3", "4", "&lt;3"],
            ["0.0%", "&lt;3", "30.0%", "40.0%", "&lt;3"],
            "10",
        ),
        "pref": (["5", "x", "&lt;3"], ["50.0%", "x", "&lt;3"], "10"),
        "fld": (["x", "&lt;3"], ["x", "&lt;3"], "10"),
        "since": (["x", "4", "&lt;3"], ["x", "40.0%", "&lt;3"], "10"),
    }
    for key, (counts, percents, respondents) in expected.items():
        block = article(html, key)
        assert parts(block, "count") == counts, key
        assert parts(block, "percent") == percents, key
        assert re.search(r'data-part="respondents">(.*?)<', block).group(1) == respondents
        texts = svg_texts(block)
        # Labels and values alternate; no value reads 1 or 2, with or without a percentage.
        values = texts[1::2]
        assert all(not re.match(r"^[12]( |$)", v) for v in values), (key, values)
        marked = [c for c in counts if c in ("x", "&lt;3")]
        assert [v for v in values if v in ("x", "&lt;3")] == marked
        assert block.count('class="q-chart__suppressed"') == len(marked)
        shown_nonzero = [c for c in counts if c not in ("x", "&lt;3", "0")]
        assert block.count('class="q-chart__bar"') == len(shown_nonzero)
        svg = re.search(r"<svg.*?</svg>", block, re.S).group(0)
        assert 'role="img"' in svg
        assert f'aria-describedby="q-{key}-table"' in svg
        assert f'<table class="listing" id="q-{key}-table"' in block

    days = article(html, "days")
    assert parts(days, "n") == ["10"]
    assert parts(days, "mean") == ["4.1 日"]
    assert parts(days, "median") == ["4.5 日"]
    hours = article(html, "hours")
    assert parts(hours, "n") == ["&lt;3"]
    assert 'data-part="mean"' not in hours and 'data-part="median"' not in hours

    # Free text for staff review: listed (escaped), and the text of "other".
    gaps = article(html, "gaps")
    assert "通訳が足りない" in gaps
    assert "=HYPERLINK(&quot;http://example.com&quot;)" in gaps
    assert "自営業" in article(html, "employment")


def test_questionnaire_results_selector_numbers(make_user, issue_certificate, make_questionnaire):
    page, _respondents, _everyone = survey(make_user, issue_certificate, make_questionnaire)
    results = {r.key: r for r in questionnaire_results(page).questions}
    assert [r.cell.display for r in results["employment"].rows] == ["5", "x", "0", "<3"]
    assert results["employment"].single_answer
    assert not results["formats"].single_answer
    assert results["days"].stats.mean == Decimal("4.1")
    assert results["days"].stats.median == Decimal("4.5")
    assert not results["hours"].stats.shown
    assert results["gaps"].respondents.display == "<3"
    assert sorted(results["gaps"].texts) == sorted(
        ['=HYPERLINK("http://example.com")', "通訳が足りない"]
    )
    assert results["employment"].other_texts == ["自営業"]
    without = {r.key: r for r in questionnaire_results(page, with_texts=False).questions}
    assert without["gaps"].texts == [] and without["employment"].other_texts == []


def test_results_page_runs_the_same_queries_for_3_or_30_respondents(
    make_user, issue_certificate, make_questionnaire, client_for, editor
):
    field_a, _field_b = two_fields()
    members = [
        member(make_user, issue_certificate, f"q-{i}", ("JP-13", "JP-27")[i % 2], [field_a])
        for i in range(30)
    ]
    page = make_questionnaire(QUESTIONS)
    roster_ensure(page)
    client = client_for(editor)
    url = results_url(page)

    def measure():
        client.get(url)  # the same warm-up both times
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    for i, user in enumerate(members[:3]):
        response_submit(page, user, answer_rows(i % 10))
    few = measure()
    for i, user in enumerate(members[3:], start=3):
        response_submit(page, user, answer_rows(i % 10))
    many = measure()
    assert few == many


# Access and navigation ------------------------------------------------------------------------


def test_who_may_see_results(
    make_questionnaire, client_for, editor, administrator, moderator, coordinator, make_user
):
    page = make_questionnaire()
    url = results_url(page)
    assert client_for(editor).get(url).status_code == 200
    assert client_for(administrator).get(url).status_code == 200
    superuser = make_user("root", is_superuser=True, is_staff=True)
    assert client_for(superuser).get(url).status_code == 200
    assert client_for(moderator).get(url).status_code == 403
    # Coordinators never reach the admin: sent to its login page, never shown results.
    response = client_for(coordinator).get(url)
    assert response.status_code in (302, 403)
    assert 'data-part="overall"' not in response.content.decode()
    assert (
        client_for(editor).get(reverse("questionnaires_results", args=[999999])).status_code == 404
    )


def test_results_button_on_questionnaire_pages(
    make_questionnaire, client_for, editor, moderator, questionnaire_index
):
    page = make_questionnaire()
    url = results_url(page)
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert url in client_for(editor).get(edit).content.decode()
    listing = reverse("wagtailadmin_explore", args=[questionnaire_index.pk])
    assert url in client_for(editor).get(listing).content.decode()
    # Not on other pages, nor for moderators.
    index_edit = reverse("wagtailadmin_pages:edit", args=[questionnaire_index.pk])
    assert "/results/" not in client_for(editor).get(index_edit).content.decode()
    assert url not in client_for(moderator).get(listing).content.decode()


def test_results_before_opening_show_an_empty_audience(make_questionnaire, client_for, editor):
    now = timezone.now()
    page = make_questionnaire(
        opens_at=now + datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=8)
    )
    response = client_for(editor).get(results_url(page))
    assert response.status_code == 200
    results = response.context["results"]
    assert results.rates.taken_at is None
    assert results.rates.overall.targeted == 0
    assert all(r.respondents.display == "0" for r in results.questions)


def test_audience_helper_builds_the_documented_counts(make_user, issue_certificate):
    respondents, everyone = audience(make_user, issue_certificate, prefix="chk")
    assert (len(respondents), len(everyone)) == (10, 18)
