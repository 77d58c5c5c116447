"""The search benchmark's pieces: the corpus it builds is indexed and found, the floor statement
finds what the project search finds, and the corpus is removed again."""

import pytest
from wagtail.search.models import IndexEntry

from directory.models import Partner
from search import bench

pytestmark = pytest.mark.django_db


def test_corpus_is_indexed_searched_and_cleared():
    rate = bench.build(60)
    assert rate > 0
    assert Partner.objects.filter(slug__startswith=bench.PREFIX).count() == 60
    # The worst-case term is in every Japanese document (half of the corpus) and more.
    assert bench.hits(bench.WORST) >= 30
    for query in ("在留", "pension", "visa"):
        project = {str(p.pk) for p in bench.project_search(query)}
        floor = {row[0] for row in bench.floor_search(query)}
        assert floor, query
        assert floor <= project or len(project) == 10, query
    bench.clear()
    assert not Partner.objects.filter(slug__startswith=bench.PREFIX).exists()
    assert not IndexEntry.objects.filter(
        object_id__in=[str(pk) for pk in range(1, 10_000)], content_type__model="partner"
    ).exists()
