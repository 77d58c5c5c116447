"""Every page and download of the dashboard runs the same number of queries with 10 or 1,000
coordinators (and a few or many case studies and answers): figures are aggregated in the
database. The rows are written in bulk by the benchmark's own generator."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.dashboard import bench

from .helpers import download_url, page_url

pytestmark = pytest.mark.django_db

URLS = [
    page_url("overview"),
    page_url("overview", prefecture="JP-13", date_from="2020-01-01"),
    page_url("cases"),
    page_url("cases", prefecture="JP-13"),
    page_url("knowledge"),
    page_url("knowledge", prefecture="JP-27"),
    download_url("overview", "xlsx"),
    download_url("cases", "csv", prefecture="JP-13"),
    download_url("knowledge", "csv"),
]


def batch(coordinators: int, cases: int, answers: int, seed: int):
    rng = random.Random(seed)
    tag = f"t{seed}"
    users = bench.make_register(coordinators, rng, tag)
    bench.make_profiles(users, rng)
    bench.make_partners(max(coordinators // 25, 2), rng, tag)
    bench.make_opinions(max(coordinators // 10, 2), rng)
    bench.make_notices(users, rng, tag)
    bench.make_cases(cases, users, rng, tag)
    bench.make_questionnaire(answers, rng, tag)
    bench.refresh_statistics()  # as after any large load (see the function)
    return users


def queries(client) -> dict[str, int]:
    counted = {}
    for url in URLS:
        client.get(url)  # fills the caches every request shares (vocabulary, permissions)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counted[url] = len(captured)
    return counted


def test_queries_do_not_grow_with_the_data(administrator, client_for):
    client = client_for(administrator)
    batch(10, 5, 40, seed=1)
    small = queries(client)
    batch(990, 120, 3000, seed=2)
    large = queries(client)
    assert large == small
    assert max(small.values()) < 40
