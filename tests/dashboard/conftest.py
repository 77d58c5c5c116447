"""Fixtures of the dashboard tests: holders on the register, and the English interface."""

import itertools

import pytest

from portal.accounts import roles, services

from .helpers import pref

_numbers = itertools.count(1)
_names = itertools.count(1)


@pytest.fixture
def holder(make_user):
    """``holder(issued=[date, …], revoked={index: date}, renewals={index: date}, prefecture=n)``:
    a coordinator with certificates on the register (in the order given; ``renewals`` renews the
    certificate at ``index`` on that date). Returns the user."""

    def make(
        *issued,
        revoked=None,
        renewals=None,
        prefecture=None,
        username=None,
        active=True,
    ):
        user = make_user(username or f"holder-{next(_names)}", roles.COORDINATOR)
        if not active:
            user.is_active = False
            user.save()
        certificates = []
        for day in issued:
            certificates.append(
                services.certificate_issue(
                    holder=user,
                    number=f"D-{next(_numbers):05d}",
                    issued_on=day,
                    workplace_prefecture=pref(prefecture) if prefecture else None,
                )
            )
        for index, day in (renewals or {}).items():
            services.certificate_renew(
                previous=certificates[index], number=f"D-{next(_numbers):05d}", completed_on=day
            )
        for index, day in (revoked or {}).items():
            services.certificate_revoke(
                certificate=certificates[index], revoked_on=day, reason="欠格事由の判明"
            )
        return user

    return make


@pytest.fixture
def english(db):
    """Make a staff user see the English interface (``preferred_language``)."""

    def switch(user):
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
        return user

    return switch


@pytest.fixture
def case_index(db):
    """The case library with its moderation workflow."""
    from wagtail.models import Page

    from cases.models import CaseIndexPage
    from cases.services.library import assign_case_moderation
    from portal.home.models import HomePage

    index = CaseIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first() or Page.objects.get(depth=1)
        index = home.add_child(instance=CaseIndexPage(title="事例", slug="cases"))
    assign_case_moderation(index)
    return index


@pytest.fixture
def make_case(case_index):
    """``make_case(author, fields=[positions], prefecture=number or None, **values)``: a draft case
    saved as a revision by its author."""
    from cases.models import CaseStudyPage

    from .helpers import case_values, field

    def make(author, *, fields=(0,), prefecture=13, **values):
        values = case_values(**values)
        values.setdefault("slug", f"dash-case-{next(_numbers)}")
        page = CaseStudyPage(
            live=False,
            author=author,
            prefecture=pref(prefecture) if prefecture else None,
            **values,
        )
        case_index.add_child(instance=page)
        page.fields.set([field(i) for i in fields])
        page.save()
        page.save_revision(user=author)
        return CaseStudyPage.objects.get(pk=page.pk)

    return make
