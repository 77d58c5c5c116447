import datetime
import itertools

import pytest
from django.test import Client
from django.utils import timezone

from portal.accounts import roles
from portal.accounts.models import today
from portal.home.models import HomePage
from workshops.models import WorkshopIndexPage, WorkshopPage

_slugs = itertools.count(1)


@pytest.fixture
def workshop_index(db):
    home = HomePage.objects.get()
    index = WorkshopIndexPage(title="事例検討会", slug="workshops")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def make_workshop(workshop_index):
    """``make_workshop(capacity=2, starts_in=timedelta(days=30), …)``: a published workshop.

    The registration deadline is ``deadline_before`` before the start; ``ends_after`` gives the
    length."""

    def make(
        title=None,
        *,
        capacity=2,
        starts_in=datetime.timedelta(days=30),
        ends_after=datetime.timedelta(hours=2),
        deadline_before=datetime.timedelta(days=7),
        venue="東京都千代田区 研修室A",
        online=False,
        **fields,
    ):
        number = next(_slugs)
        starts_at = (timezone.now() + starts_in).replace(second=0, microsecond=0)
        page = WorkshopPage(
            title=title or f"事例検討会 第{number}回",
            slug=f"workshop-{number}",
            starts_at=starts_at,
            ends_at=starts_at + ends_after,
            registration_deadline=starts_at - deadline_before,
            capacity=capacity,
            venue=venue,
            online=online,
            **fields,
        )
        workshop_index.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def make_coordinator(make_user, issue_certificate):
    """A coordinator with a valid certificate; ``language`` is their profile language."""

    def make(username, language="en", **fields):
        user = make_user(username, roles.COORDINATOR, preferred_language=language, **fields)
        issue_certificate(user, today() - datetime.timedelta(days=30))
        return user

    return make


@pytest.fixture
def browser():
    """``browser(user)``: a test client of its own, signed in, with English chosen."""

    def make(user=None, language="en"):
        client = Client()
        if user is not None:
            client.force_login(user)
        client.cookies["portal_language"] = language
        return client

    return make
