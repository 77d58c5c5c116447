"""``manage.py bench_dashboard`` writes its data and prints the figures of each page."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from portal.accounts.models import User

pytestmark = pytest.mark.django_db


def test_bench_writes_data_and_prints_times_and_queries():
    out = StringIO()
    call_command(
        "bench_dashboard",
        coordinators=40,
        cases=12,
        answers=200,
        runs=2,
        prefecture="JP-13",
        stdout=out,
    )
    text = out.getvalue()
    assert re.search(r"holders 40, certificates 4\d, profiles \d+, case studies 12", text)
    assert "questionnaire answers 200" in text
    for label in ("overview", "case studies", "knowledge sharing", "overview, JP-13"):
        assert re.search(
            rf"^{re.escape(label)} +median +[\d.]+ ms +p95 +[\d.]+ ms +queries \d+", text, re.M
        )
    assert User.objects.filter(username__startswith="bench-dash-").count() == 41  # and the admin
