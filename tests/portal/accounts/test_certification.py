import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.accounts.certification import fiscal_year_of, valid_until_for


@pytest.mark.parametrize(
    ("issued_on", "fiscal_year", "valid_until"),
    [
        # The worked example of the design guide.
        (datetime.date(2024, 10, 1), 2024, datetime.date(2028, 3, 31)),
        # The first cohort was certified in March 2025: still FY2024.
        (datetime.date(2025, 3, 31), 2024, datetime.date(2028, 3, 31)),
        # One day later a new fiscal year starts, and validity runs a year longer.
        (datetime.date(2025, 4, 1), 2025, datetime.date(2029, 3, 31)),
        (datetime.date(2025, 1, 1), 2024, datetime.date(2028, 3, 31)),
        (datetime.date(2024, 12, 31), 2024, datetime.date(2028, 3, 31)),
        # Leap days change nothing: the end is always 31 March.
        (datetime.date(2024, 2, 29), 2023, datetime.date(2027, 3, 31)),
        (datetime.date(2028, 2, 29), 2027, datetime.date(2031, 3, 31)),
        (datetime.date(2024, 4, 1), 2024, datetime.date(2028, 3, 31)),
    ],
)
def test_validity_examples(issued_on, fiscal_year, valid_until):
    assert fiscal_year_of(issued_on) == fiscal_year
    assert valid_until_for(issued_on) == valid_until


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2200, 12, 31)))
def test_validity_properties(issued_on):
    valid_until = valid_until_for(issued_on)
    assert (valid_until.month, valid_until.day) == (3, 31)
    # Between three and four years of validity, never less than three full years.
    assert valid_until > issued_on.replace(year=issued_on.year + 3, day=min(issued_on.day, 28))
    assert (valid_until - issued_on).days <= 4 * 366
    # The fiscal year of issue contains the issue date.
    fy = fiscal_year_of(issued_on)
    assert datetime.date(fy, 4, 1) <= issued_on <= datetime.date(fy + 1, 3, 31)
    assert valid_until.year == fy + 4


@given(st.integers(min_value=2000, max_value=2200))
def test_every_day_of_a_fiscal_year_shares_one_end_date(year):
    first, last = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    assert valid_until_for(first) == valid_until_for(last) == datetime.date(year + 4, 3, 31)
    assert valid_until_for(first - datetime.timedelta(days=1)) == datetime.date(year + 3, 3, 31)
