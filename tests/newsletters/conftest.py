"""Shared fixtures of the notice tests: the notice index under the home page and a factory of
published notices."""

import datetime
import itertools

import pytest
from django.utils import timezone
from wagtail.models import Page

from newsletters.models import NoticeIndexPage, NoticePage
from portal.home.models import HomePage
from portal.taxonomy.models import Prefecture

_slugs = itertools.count(1)


@pytest.fixture
def notice_index(db):
    """``/notices/``: the site's notice index (made under the home page when missing)."""
    existing = NoticeIndexPage.objects.first()
    if existing is not None:
        return existing
    home = HomePage.objects.first() or Page.objects.get(depth=1)
    return home.add_child(instance=NoticeIndexPage(title="お知らせ", slug="notices"))


@pytest.fixture
def prefecture():
    """``prefecture("13")``: a prefecture by its JIS number (Tokyo is 13)."""

    def get(number):
        return Prefecture.objects.get(number=int(number))

    return get


@pytest.fixture
def make_notice(notice_index):
    """``make_notice(title=…, audience=…, importance=…, prefectures=[…], fields=[…],
    published_at=datetime, live=True)``: a notice under the index, published through a
    revision like an approved one (``live=False`` leaves a draft)."""

    def make(*, live=True, published_at=None, prefectures=(), fields=(), **values):
        n = next(_slugs)
        values.setdefault("title", f"お知らせ {n}")
        values.setdefault("slug", f"notice-{n}")
        values.setdefault("summary", f"要約 {n}")
        values.setdefault("category", "procedure")
        values.setdefault("audience", "public")
        if prefectures:
            values.setdefault("nationwide", False)
        page = NoticePage(live=False, **values)
        notice_index.add_child(instance=page)
        if prefectures:
            page.prefectures.set(prefectures)
        if fields:
            page.fields.set(fields)
        revision = page.save_revision()
        if live:
            revision.publish()
            if published_at is not None:
                NoticePage.objects.filter(pk=page.pk).update(
                    first_published_at=published_at, last_published_at=published_at
                )
        return NoticePage.objects.get(pk=page.pk)

    return make


@pytest.fixture
def days_ago():
    def at(days: int) -> datetime.datetime:
        return timezone.now() - datetime.timedelta(days=days)

    return at
