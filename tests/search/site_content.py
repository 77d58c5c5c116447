"""Builders of searchable content for the search page tests: one of each content type, published or
not, for members or for everyone."""

import datetime
import itertools

from django.utils import timezone
from wagtail.rich_text import RichText

from cases.models import CaseIndexPage, CaseStudyPage
from directory import services as directory_services
from newsletters.models import (
    Interview,
    NewsletterIndexPage,
    NewsletterIssuePage,
    NoticeIndexPage,
    NoticePage,
)
from portal.home.models import HomePage
from portal.taxonomy.models import Field, Prefecture
from tests.cases.conftest import case_values
from tests.directory.test_consent import build_listed
from tests.directory.test_partners import make_partner
from workshops.models import WorkshopIndexPage, WorkshopPage

_numbers = itertools.count(1)

TOKYO, OSAKA, HOKKAIDO = "JP-13", "JP-27", "JP-01"


def field(slug: str) -> Field:
    return Field.objects.get(slug=slug)


def prefecture(code: str) -> Prefecture:
    return Prefecture.objects.get(code=code)


def _index(model, title, slug):
    index = model.objects.first()
    if index is None:
        home = HomePage.objects.first()
        index = home.add_child(instance=model(title=title, slug=slug))
        index.save_revision().publish()
    return index


def notice(
    title,
    summary="在留資格の更新手続きについて",
    *,
    audience="public",
    live=True,
    fields=(),
    prefectures=(),
    **values,
) -> NoticePage:
    n = next(_numbers)
    page = NoticePage(
        title=title,
        slug=f"search-notice-{n}",
        summary=summary,
        category="procedure",
        audience=audience,
        nationwide=not prefectures,
        live=False,
        **values,
    )
    _index(NoticeIndexPage, "お知らせ", "notices").add_child(instance=page)
    if fields:
        page.fields.set(fields)
    if prefectures:
        page.prefectures.set(prefectures)
    revision = page.save_revision()
    if live:
        revision.publish()
    return NoticePage.objects.get(pk=page.pk)


def case(
    author, title, *, state="published", live=True, fields=(), prefecture_code=OSAKA, **values
) -> CaseStudyPage:
    n = next(_numbers)
    values = case_values(title=title, **values)
    page = CaseStudyPage(
        live=False,
        slug=f"search-case-{n}",
        author=author,
        prefecture=prefecture(prefecture_code),
        **values,
    )
    _index(CaseIndexPage, "事例", "cases").add_child(instance=page)
    page.fields.set(fields or [Field.objects.order_by("order").first()])
    page.save()
    revision = page.save_revision(user=author)
    if live:
        revision.publish()
    CaseStudyPage.objects.filter(pk=page.pk).update(state=state)
    return CaseStudyPage.objects.get(pk=page.pk)


def newsletter(title, interviewee, *, lead="在留資格について聞きました。", region=HOKKAIDO):
    n = next(_numbers)
    issue = NewsletterIssuePage(
        title=title,
        slug=f"search-issue-{n}",
        issue_number=n,
        issue_date=datetime.date(2025, 4, 1),
        lead=lead,
        live=True,
    )
    issue.interviews.add(
        Interview(
            title="インタビュー",
            interviewee=interviewee,
            region=prefecture(region),
            body=[("paragraph", RichText("<p>相談の現場から。</p>"))],
            sort_order=0,
        )
    )
    _index(NewsletterIndexPage, "ニュースレター", "newsletters").add_child(instance=issue)
    issue.save_revision().publish()
    return NewsletterIssuePage.objects.get(pk=issue.pk)


def workshop(title, *, venue="在留資格研修室", themes=()):
    n = next(_numbers)
    starts_at = (timezone.now() + datetime.timedelta(days=30)).replace(second=0, microsecond=0)
    page = WorkshopPage(
        title=title,
        slug=f"search-workshop-{n}",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        registration_deadline=starts_at - datetime.timedelta(days=7),
        capacity=10,
        venue=venue,
    )
    _index(WorkshopIndexPage, "事例検討会", "workshops").add_child(instance=page)
    if themes:
        page.themes.set(themes)
    page.save_revision().publish()
    return WorkshopPage.objects.get(pk=page.pk)


def partner(name, *, notes="在留資格の相談に応じます。", live=True, **extra):
    n = next(_numbers)
    return make_partner(
        f"search-partner-{n}", name_ja=name, name_en=name, notes=notes, live=live, **extra
    )


def profile(make_user, issue_certificate, username, *, consents, names, municipalities=""):
    """A coordinator listed with ``consents`` ({scope: optional parts shown}); the profile is
    saved again after ``municipalities`` is set, so that the index holds it."""
    listed = build_listed(make_user, issue_certificate, username, consents=consents, names=names)
    if municipalities:
        listed.municipalities = municipalities
        listed.save()
        directory_services.profile_reindex(listed.user)
    return listed
