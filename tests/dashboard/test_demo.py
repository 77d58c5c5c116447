"""The demo data gives every table of the dashboard something to show: loading it once (twice,
to see that it changes nothing) and reading each part as the demo administrator."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import TaskState

from portal.accounts.models import Certificate, User
from portal.dashboard.filters import Filters
from portal.dashboard.sections import SECTIONS, build
from portal.dashboard.selectors.cases import regional_listing
from portal.dashboard.selectors.common import Reading

from .helpers import page_url

pytestmark = pytest.mark.django_db


def test_every_panel_has_something_to_show():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "portal.dashboard.demo: ok" in out.getvalue()
    certificates = Certificate.objects.count()
    decisions = TaskState.objects.exclude(status="in_progress").count()
    call_command("seed_demo", stdout=StringIO())
    assert Certificate.objects.count() == certificates
    assert TaskState.objects.exclude(status="in_progress").count() == decisions

    for section in SECTIONS.values():
        for table in build(section.tables, Filters(), Reading()):
            assert table.rows, table.key
            assert any(any(row.counts) for row in table.rows), table.key
    tables = {t.key: t for t in build(SECTIONS["overview"].tables, Filters(), Reading())}
    status = {row.key: row.counts[0] for row in tables["coordinator-status"].rows}
    assert status["valid"] > 40 and status["expired"] >= 3 and status["revoked"] >= 3
    trend = tables["certification-trend"].rows
    assert sum(row.counts[1] for row in trend) >= 6  # renewals during the year
    assert sum(1 for row in trend if row.counts[0]) >= 10  # certified in most months
    consent = {row.key: row.counts for row in tables["coordinator-consent"].rows}
    assert consent["directory"][0] > 20 and consent["public"][0] > 5
    knowledge = {t.key: t for t in build(SECTIONS["knowledge"].tables, Filters(), Reading())}
    assert all(row.counts[1] for row in knowledge["notice-acknowledgements"].rows[:1])
    cases = {t.key: t for t in build(SECTIONS["cases"].tables, Filters(), Reading())}
    assert cases["case-decisions"].total[0] >= 10
    assert cases["case-decisions"].total_stats[0] > 0
    assert regional_listing(Filters(), Reading())

    client = Client()
    client.force_login(User.objects.get(username="admin"))
    for part in ("overview", "cases", "knowledge"):
        assert client.get(page_url(part)).status_code == 200
