"""What the benchmark's builders share: names, batches, weighted prefectures, index pages."""

from __future__ import annotations

import random
import uuid

from wagtail.models import Page, Site

from portal.taxonomy.models import Prefecture

from .. import sources

PREFIX = "bench-dash"
BATCH = 1000
# Prefecture numbers weighted towards where most foreign residents live.
WEIGHTED = [13] * 12 + [27] * 6 + [23] * 6 + [14] * 5 + [11] * 3 + [12] * 3 + [28] * 3 + [22] * 2


def new_tag() -> str:
    """A short tag that keeps the names of one batch apart from earlier ones."""
    return uuid.uuid4().hex[:6]


def weighted_prefecture(rng: random.Random, prefectures: dict[int, Prefecture]) -> Prefecture:
    if rng.random() < 0.6:
        return prefectures[rng.choice(WEIGHTED)]
    return prefectures[rng.randint(1, 47)]


def chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk(model, objects: list, **kwargs) -> list:
    made = []
    for chunk in chunks(objects):
        made.extend(model.objects.bulk_create(chunk, **kwargs))
    return made


def home_page() -> Page:
    site = Site.objects.filter(is_default_site=True).first()
    return (Page.objects.get(pk=site.root_page_id) if site else None) or Page.objects.get(depth=1)


def index_page(label: str, **values):
    """The index page of ``label`` (made under the home page when missing)."""
    model = sources.model(label)
    index = model.objects.first()
    if index is None:
        index = home_page().add_child(instance=model(**values))
        index.save_revision().publish()
    return index
