"""The filter form: dates as YYYY-MM-DD within 2000–2099, the end not before the start, a
prefecture from the list; errors in English and Japanese, and nothing half-applied."""

import pytest

from portal.dashboard.filters import DashboardFilterForm, Filters, filters_from
from portal.taxonomy.models import Prefecture

from .helpers import DAY, page_url

pytestmark = pytest.mark.django_db


def errors(data):
    form = DashboardFilterForm(data)
    assert not form.is_valid()
    return {name: [str(e) for e in messages] for name, messages in form.errors.items()}


def test_valid_filters_give_the_period_and_the_prefecture():
    from django.http import QueryDict

    form, filters, valid = filters_from(
        QueryDict("date_from=2025-04-01&date_to=2026-03-31&prefecture=JP-13")
    )
    assert valid
    assert filters.date_from == DAY(2025, 4, 1) and filters.date_to == DAY(2026, 3, 31)
    assert filters.prefecture == Prefecture.objects.get(code="JP-13")
    assert filters.as_of == DAY(2026, 3, 31)
    assert filters.query() == "?date_from=2025-04-01&date_to=2026-03-31&prefecture=JP-13"
    assert filters.query(prefecture="JP-27").endswith("prefecture=JP-27")


def test_trend_starts_twelve_months_back_without_a_start():
    assert Filters(date_to=DAY(2026, 2, 15)).trend_start == DAY(2025, 3, 1)
    assert Filters(date_to=DAY(2026, 12, 31)).trend_start == DAY(2026, 1, 1)


@pytest.mark.parametrize(
    ("data", "field", "english", "japanese"),
    [
        ({"date_from": "2026-02-30"}, "date_from", "YYYY-MM-DD", "形式で入力"),
        ({"date_to": "yesterday"}, "date_to", "YYYY-MM-DD", "形式で入力"),
        ({"date_from": "1999-12-31"}, "date_from", "between 2000-01-01", "までの日付"),
        ({"date_to": "9999-12-31"}, "date_to", "between 2000-01-01", "までの日付"),
        (
            {"date_from": "2026-04-01", "date_to": "2026-03-31"},
            "date_to",
            "must not be before",
            "より前にできません",
        ),
        ({"prefecture": "JP-99"}, "prefecture", "Choose a prefecture", "一覧から選んで"),
    ],
)
def test_errors_are_clear_in_both_languages(data, field, english, japanese):
    message = errors(data)[field][0]
    assert english in message and japanese in message


def test_invalid_filters_are_shown_and_not_applied(holder, administrator, client_for, english):
    holder(DAY(2024, 10, 1), prefecture=13)
    client = client_for(english(administrator))
    response = client.get(page_url("overview", date_from="2026-04-01", date_to="2026-03-31"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "The filters were not applied" in html
    assert "The end of the period must not be before its start." in html
    # The figures are those of today, unfiltered.
    assert 'data-key="valid"' in html


def test_filter_form_has_labels_and_keeps_the_choice(administrator, client_for, english):
    client = client_for(english(administrator))
    html = client.get(page_url("overview", prefecture="JP-27")).content.decode()
    assert '<form method="get"' in html
    for name, label in (("date_from", "From"), ("date_to", "Until"), ("prefecture", "Prefecture")):
        assert f'<label for="id_{name}">{label}</label>' in html
    assert '<option value="JP-27" selected>Osaka</option>' in html
    # The links between the parts keep the filters.
    assert "/admin/dashboard/cases/?prefecture=JP-27" in html
