"""Certificate validity arithmetic (pure functions, no database).

A certificate is valid for three years from 31 March of the Japanese fiscal year (April to March)
in which it was issued: issued 2024-10-01 -> FY2024, which ends 2025-03-31 -> valid to 2028-03-31.
"""

import datetime

VALIDITY_YEARS = 3


def fiscal_year_of(day: datetime.date) -> int:
    """The Japanese fiscal year a date belongs to (FY N runs from 1 April N to 31 March N+1)."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_end(fiscal_year: int) -> datetime.date:
    return datetime.date(fiscal_year + 1, 3, 31)


def valid_until_for(issued_on: datetime.date) -> datetime.date:
    """Last day of validity for a certificate issued on ``issued_on``."""
    end = fiscal_year_end(fiscal_year_of(issued_on))
    return end.replace(year=end.year + VALIDITY_YEARS)
