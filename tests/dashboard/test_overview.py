"""The overview against a hand-counted register, as on 2026-02-15 (a day when certificates
ending 2026-03-31 expire within 90 days).

========  ==========================================  ===========  ==============================
holder    certificates (validity from the issue date)  on the day   directory profile
========  ==========================================  ===========  ==============================
h1        2024-10-01 (to 2028-03-31), register Tokyo   valid        works Tokyo; active Tokyo,
                                                                    Kanagawa; fields 0*, 1;
                                                                    en business, vi daily;
                                                                    one-stop centre
h2        2022-06-01 (to 2026-03-31), register Osaka   expiring     no workplace; active Hyogo;
                                                                    field 1*; en native; NPO
h3        2022-05-01, renewed 2025-11-01 (to 2029)     valid        works Kanagawa; active
                                                                    Kanagawa; field 2*; pt native;
                                                                    local government
h4        2019-06-01 revoked 2021-04-01; 2024-06-01    valid        none (register Tokyo)
h5        2019-06-01 (to 2023-03-31)                   expired      works and active Tokyo; field 0
h6        2021-05-01 (to 2025-03-31); 2026-03-01       expired      none
h7        2024-05-01 revoked 2025-12-01, reg. Osaka    revoked      none
h8        2025-05-20, register Hokkaido                valid        none
========  ==========================================  ===========  ==============================

Status: valid 4, expiring 1, expired 2, revoked 1 (8). Valid on the day: h1, h2, h3, h4, h8.
Where they work or are active: Tokyo 2 (h1, h4), Kanagawa 2 (h1, h3), Osaka 1 (h2, by the
register), Hyogo 1, Hokkaido 1. Fields: 0 → 1 (main 1), 1 → 2 (main 1), 2 → 1 (main 1).
Languages: English 2 (both can consult), Vietnamese 1 (0), Portuguese 1 (1). Workplaces:
one-stop 1, NPO 1, local government 1, not recorded 2.
Consent on the day (policy version 2): directory — h1 given, h2 given to version 1, h3 withdrawn,
h4 and h8 none; public — h1 given; h4 gave it after the day, so none then.
Certificates issued 2025-04-01 … 2026-02-15: 2025-05 one new (h8), 2025-11 one renewal (h3).
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Site

from directory import services as directory_services
from directory.models import Consent
from portal.accounts.models import today
from portal.dashboard.filters import Filters
from portal.dashboard.selectors import common, coordinators
from portal.dashboard.selectors.common import Reading
from portal.home.models import SiteSettings
from portal.taxonomy.models import Prefecture

from .helpers import DAY, counts, field, page_url, profile, table_rows

pytestmark = pytest.mark.django_db

ON = DAY(2026, 2, 15)
LATER = DAY(2026, 6, 30)  # h2's certificate has ended and h6's second one is valid
BEFORE = timezone.make_aware(datetime.datetime(2026, 1, 10, 12, 0))
AFTER = timezone.make_aware(datetime.datetime(2026, 4, 1, 12, 0))


def _policy(version: int) -> None:
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.consent_policy_version = version
    settings.save()


@pytest.fixture
def register(holder):
    h = {
        1: holder(DAY(2024, 10, 1), prefecture=13),
        2: holder(DAY(2022, 6, 1), prefecture=27),
        3: holder(DAY(2022, 5, 1), renewals={0: DAY(2025, 11, 1)}),
        4: holder(DAY(2019, 6, 1), DAY(2024, 6, 1), revoked={0: DAY(2021, 4, 1)}, prefecture=13),
        5: holder(DAY(2019, 6, 1)),
        6: holder(DAY(2021, 5, 1), DAY(2026, 3, 1)),
        7: holder(DAY(2024, 5, 1), revoked={0: DAY(2025, 12, 1)}, prefecture=27),
        8: holder(DAY(2025, 5, 20), prefecture=1),
    }
    profile(
        h[1],
        workplace=13,
        areas=(13, 14),
        fields=(0, 1),
        languages=(("en", "business"), ("vi", "daily")),
        kind="one-stop",
    )
    profile(h[2], areas=(28,), fields=(1,), languages=(("en", "native"),), kind="npo")
    profile(
        h[3],
        workplace=14,
        areas=(14,),
        fields=(2,),
        languages=(("pt", "native"),),
        kind="local-government",
    )
    profile(h[5], workplace=13, areas=(13,), fields=(0,))
    _policy(1)
    directory_services.consent_grant(h[2], "directory", ["workplace"])
    _policy(2)
    directory_services.consent_grant(h[1], "directory", ["workplace"])
    directory_services.consent_grant(h[1], "public", [])
    directory_services.consent_grant(h[3], "directory", [])
    directory_services.consent_withdraw(h[3], "directory")
    Consent.objects.update(created_at=BEFORE)
    later = directory_services.consent_grant(h[4], "public", [])  # after the day
    Consent.objects.filter(pk=later.pk).update(created_at=AFTER)
    return h


def on_the_day(**changes):
    return Filters(date_to=ON, **changes)


def tokyo():
    return Prefecture.objects.get(number=13)


def test_status_on_the_day(register):
    assert coordinators.status_counts(on_the_day()) == {
        "valid": 4,
        "expiring": 1,
        "expired": 2,
        "revoked": 1,
    }


def test_status_in_a_prefecture_counts_where_holders_work_or_are_active(register):
    # Tokyo: h1 (profile), h4 (register), h5 (expired, profile).
    assert coordinators.status_counts(on_the_day(prefecture=tokyo())) == {
        "valid": 2,
        "expiring": 0,
        "expired": 1,
        "revoked": 0,
    }


def test_status_on_a_later_day(register):
    # h2's certificate ended on 2026-03-31; h6's certificate of 2026-03-01 is valid.
    assert coordinators.status_counts(Filters(date_to=LATER)) == {
        "valid": 5,
        "expiring": 0,
        "expired": 2,
        "revoked": 1,
    }


def test_prefectures_count_where_coordinators_work_or_are_active(register):
    either, working = coordinators.prefecture_counts(on_the_day())
    number = {p.pk: p.number for p in Prefecture.objects.all()}
    assert {number[pk]: n for pk, n in either.items() if n} == {13: 2, 14: 2, 27: 1, 28: 1, 1: 1}
    # Where they work: the profile's workplace, or else the register's.
    assert {number[pk]: n for pk, n in working.items() if n} == {13: 2, 27: 1, 14: 1, 1: 1}


def test_fields_languages_and_workplaces(register):
    reading = Reading()
    fields = coordinators.field_table(on_the_day(), reading)
    by_field = {row.key: row.counts for row in fields.rows}
    assert by_field[field(0).slug] == [1, 1]
    assert by_field[field(1).slug] == [2, 1]
    assert by_field[field(2).slug] == [1, 1]
    assert sum(row.counts[0] for row in fields.rows) == 4
    languages = coordinators.language_table(on_the_day(), reading)
    assert languages.rows[0].key == "en"  # the most named first
    assert {row.key: row.counts for row in languages.rows} == {
        "en": [2, 2],
        "vi": [1, 0],
        "pt": [1, 1],
    }
    workplaces = coordinators.workplace_table(on_the_day(), reading)
    by_kind = {row.key: row.counts[0] for row in workplaces.rows}
    assert by_kind["one-stop"] == by_kind["npo"] == by_kind["local-government"] == 1
    assert by_kind["not-recorded"] == 2
    assert workplaces.total == [5]


def test_consent_on_the_day(register):
    assert coordinators.consent_counts(on_the_day()) == {
        "directory": {"granted": 1, "older": 1, "withdrawn": 1, "none": 2},
        "public": {"granted": 1, "older": 0, "withdrawn": 0, "none": 4},
    }


def test_consent_on_a_later_day_counts_the_later_decision(register):
    # Valid then: h1, h3, h4, h6, h8; h4 gave public consent on 2026-04-01.
    assert coordinators.consent_counts(Filters(date_to=LATER))["public"] == {
        "granted": 2,
        "older": 0,
        "withdrawn": 0,
        "none": 3,
    }


def test_trend_counts_new_certifications_and_renewals_by_month(register):
    table = coordinators.trend_table(Filters(date_from=DAY(2025, 4, 1), date_to=ON), Reading())
    months = {row.key: row.counts for row in table.rows}
    assert list(months)[0] == "2025-04-01" and list(months)[-1] == "2026-02-01"
    assert len(months) == 11
    assert months["2025-05-01"] == [1, 0]
    assert months["2025-11-01"] == [0, 1]
    assert sum(sum(c) for c in months.values()) == 2


def test_trend_without_a_start_shows_twelve_months(register):
    table = coordinators.trend_table(on_the_day(), Reading())
    assert [row.key for row in table.rows][0] == "2025-03-01"
    assert len(table.rows) == 12


def test_trend_in_a_prefecture(register):
    kanagawa = Prefecture.objects.get(number=14)
    table = coordinators.trend_table(
        Filters(date_from=DAY(2025, 4, 1), date_to=ON, prefecture=kanagawa), Reading()
    )
    assert {row.key: row.counts for row in table.rows if any(row.counts)} == {"2025-11-01": [0, 1]}
    table = coordinators.trend_table(
        Filters(date_from=DAY(2025, 4, 1), date_to=ON, prefecture=tokyo()), Reading()
    )
    assert not any(any(row.counts) for row in table.rows)


def test_overview_page_shows_the_figures(register, administrator, client_for, english):
    client = client_for(english(administrator))
    response = client.get(page_url("overview", date_to=ON.isoformat()))
    assert response.status_code == 200
    html = response.content.decode()
    assert counts(html, "coordinator-status") == {
        "valid": 4,
        "expiring": 1,
        "expired": 2,
        "revoked": 1,
        "total": 8,
    }
    consent = table_rows(html, "coordinator-consent")
    assert consent["directory"] == ["1", "1", "1", "2", "5"]
    prefectures = counts(html, "coordinator-prefectures")
    assert len(prefectures) == 47
    assert prefectures["JP-13"] == 2 and prefectures["JP-14"] == 2 and prefectures["JP-01"] == 1
    assert sum(prefectures.values()) == 7
    # Charts are drawn on the server, with their text alternative; nothing is fetched.
    assert html.count('role="img"') >= 6
    assert "<script" not in html.split('class="d-dashboard"', 1)[1]
    assert (
        'aria-describedby="chart-coordinator-prefectures-desc table-coordinator-prefectures"'
        in html
    )


def test_prefecture_filter_applies_to_the_figures_and_marks_the_map(
    register, administrator, client_for, english
):
    client = client_for(english(administrator))
    html = client.get(page_url("overview", date_to=ON.isoformat(), prefecture="JP-13")).content
    html = html.decode()
    assert counts(html, "coordinator-status") == {
        "valid": 2,
        "expiring": 0,
        "expired": 1,
        "revoked": 0,
        "total": 3,
    }
    assert counts(html, "coordinator-workplaces")["total"] == 2  # h1 and h4
    # The map still shows every prefecture, and the chosen one is outlined and marked.
    assert len(counts(html, "coordinator-prefectures")) == 47
    assert html.count('data-selected="true"') == 1
    assert 'data-prefecture="JP-13" data-count="2" data-selected="true"' in html
    assert '<tr data-key="JP-13" class="is-selected" aria-current="true">' in html
    assert "(selected)" in html


def test_todays_consent_reads_the_current_records_with_the_same_result(register):
    valid = common.coordinators(today(), None)
    policy = coordinators.policy_version()
    current = coordinators._current_consent_counts(valid, policy)
    assert current == coordinators._consent_counts_on(valid, today(), policy)
    assert current["public"]["granted"] == 2  # h1, and h4 since 2026-04-01


def test_todays_consent_total_is_every_valid_coordinator(
    register, administrator, client_for, english
):
    client = client_for(english(administrator))
    for params in ({}, {"prefecture": "JP-14"}):
        html = client.get(page_url("overview", **params)).content.decode()
        status = counts(html, "coordinator-status")
        consent = table_rows(html, "coordinator-consent")
        valid = status["valid"] + status["expiring"]
        assert int(consent["directory"][-1]) == int(consent["public"][-1]) == valid > 0
