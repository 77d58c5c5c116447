"""The dashboard on either database: its window functions, hour arithmetic and downloads also
work on the embedded default (SQLite), where ``make run`` serves it."""

import datetime
import random

import pytest
from wagtail.models import TaskState

from portal.dashboard import bench
from portal.dashboard.filters import Filters
from portal.dashboard.selectors import cases
from portal.dashboard.selectors.common import Reading

from .helpers import download_url, page_url

pytestmark = [pytest.mark.smoke, pytest.mark.django_db]


def test_every_part_renders_and_downloads(administrator, client_for):
    rng = random.Random(5)
    users = bench.make_register(30, rng, "smoke")
    bench.make_profiles(users, rng)
    bench.make_partners(3, rng, "smoke")
    bench.make_opinions(5, rng)
    bench.make_notices(users, rng, "smoke")
    bench.make_cases(20, users, rng, "smoke")
    bench.make_questionnaire(100, rng, "smoke")
    bench.refresh_statistics()
    client = client_for(administrator)
    for part in ("overview", "cases", "knowledge"):
        for params in ({}, {"prefecture": "JP-13", "date_from": "2020-01-01"}):
            assert client.get(page_url(part, **params)).status_code == 200
        for file_format in ("csv", "xlsx"):
            assert client.get(download_url(part, file_format)).status_code == 200


def test_hours_from_submission_to_decision(administrator):
    rng = random.Random(6)
    bench.make_cases(6, [administrator], rng, "hours")
    decided = list(TaskState.objects.exclude(finished_at=None))
    assert decided
    for position, task in enumerate(decided):
        TaskState.objects.filter(pk=task.pk).update(
            finished_at=task.started_at + datetime.timedelta(hours=24 * (position + 1))
        )
    table = cases.timing_table(Filters(), Reading())
    assert table.total == [len(decided)]
    days = sorted(range(1, len(decided) + 1))
    middle = (days[(len(days) - 1) // 2] + days[len(days) // 2]) / 2
    assert float(table.total_stats[0]) == middle
