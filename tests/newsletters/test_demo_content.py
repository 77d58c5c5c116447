"""The demo notices and newsletters loaded by ``seed_demo``: realistic, varied and stable."""

import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from wagtail.models import PageLogEntry, Revision

from newsletters.demo import ISSUES, NOTICES
from newsletters.models import (
    Audience,
    Importance,
    Interview,
    NewsletterIndexPage,
    NewsletterIssuePage,
    NoticeCategory,
    NoticeIndexPage,
    NoticePage,
)
from portal.home.models import HomePage

pytestmark = pytest.mark.django_db

JST = ZoneInfo("Asia/Tokyo")


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def _state():
    notices = {
        n.slug: (
            n.title,
            n.last_published_at,
            n.latest_revision_id,
            json.dumps(list(n.body.raw_data)),
        )
        for n in NoticePage.objects.all()
    }
    interviews = list(
        Interview.objects.order_by("pk").values_list("pk", "issue_id", "title", "interviewee_id")
    )
    return notices, interviews


def test_demo_notices_are_varied_complete_and_dated():
    seed()
    index = NoticeIndexPage.objects.get()
    assert index.slug == "notices"
    assert index.title == "国からのお知らせ"
    assert index.get_parent().specific_class is HomePage
    notices = NoticePage.objects.child_of(index).live()
    assert 18 <= notices.count() <= 25
    assert notices.count() == len(NOTICES)
    assert set(notices.values_list("audience", flat=True)) == {Audience.PUBLIC, Audience.MEMBERS}
    assert 5 <= notices.filter(audience=Audience.PUBLIC).count() <= 8
    assert 3 <= notices.filter(importance=Importance.IMPORTANT).count() <= 5
    assert set(notices.values_list("category", flat=True)) == set(NoticeCategory.values)
    assert not notices.filter(summary_en="").exists()
    assert not notices.filter(summary="").exists()
    block_types = {block.block_type for notice in notices for block in notice.body}
    assert {"heading", "paragraph", "callout", "law_links", "table"} <= block_types
    assert "video" not in block_types
    assert notices.exclude(fields=None).count() >= len(NOTICES) - 4

    dates = list(notices.values_list("first_published_at", flat=True))
    assert len(set(dates)) == len(dates)
    assert min(dates) >= datetime.datetime(2024, 6, 1, tzinfo=JST)
    newest = notices.order_by("-first_published_at").first()
    assert newest.first_published_at == datetime.datetime(2026, 11, 15, 10, 0, tzinfo=JST)
    for notice in notices:
        assert notice.last_published_at == notice.first_published_at
        assert notice.go_live_at == notice.first_published_at
    effective = set(notices.values_list("effective_date", flat=True))
    assert any(d and (d.year, d.month) == (2026, 12) for d in effective)
    assert any(d and (d.year, d.month) == (2027, 1) for d in effective)

    noto = notices.get(slug="2024-noto-earthquake-special-measures")
    assert not noto.nationwide
    assert "JP-17" in set(noto.prefectures.values_list("code", flat=True))
    assert noto.category == NoticeCategory.DISASTER
    assert noto.requires_acknowledgement
    assert notices.filter(nationwide=True).count() == len(NOTICES) - 1


def test_demo_newsletters():
    seed()
    index = NewsletterIndexPage.objects.get()
    assert index.slug == "newsletters"
    assert index.title == "地域インタビュー通信"
    assert index.get_workflow().name == "Newsletter approval"
    issues = NewsletterIssuePage.objects.child_of(index).live().order_by("issue_number")
    assert [i.issue_number for i in issues] == [1, 2, 3]
    for issue in issues:
        assert issue.lead and issue.lead_en
        published = datetime.datetime.combine(issue.issue_date, datetime.time(10), tzinfo=JST)
        assert issue.first_published_at == issue.last_published_at == published
    assert Interview.objects.count() == sum(len(issue.interviews) for issue in ISSUES)
    interviewees = set()
    for issue in issues:
        interviews = list(issue.interviews.all())
        assert 2 <= len(interviews) <= 3
        for interview in interviews:
            questions = [b for b in interview.body if b.block_type == "qa"]
            assert 3 <= len(questions) <= 4
            assert interview.region_id is not None
            assert interview.photo_id is None
            interviewees.add(interview.interviewee.username)
    assert {"coordinator", "coordinator2"} <= interviewees


def test_seed_demo_twice_changes_nothing_and_restores_edits():
    seed()
    counts = (NoticePage.objects.count(), Interview.objects.count(), Revision.objects.count())
    logs = PageLogEntry.objects.count()
    state = _state()
    seed()
    assert (
        NoticePage.objects.count(),
        Interview.objects.count(),
        Revision.objects.count(),
    ) == counts
    assert PageLogEntry.objects.count() == logs
    assert _state() == state

    # An edited demo notice is put back, with one new revision and the same dates.
    notice = NoticePage.objects.get(slug="awareness-months")
    published = notice.first_published_at
    revisions = notice.revisions.count()
    notice.title = "編集されたタイトル"
    notice.save()
    seed()
    notice = NoticePage.objects.get(slug="awareness-months")
    assert notice.title == "1月は外国人との共生社会を推進する月間です"
    assert notice.revisions.count() == revisions + 1
    assert notice.live_revision_id == notice.latest_revision_id
    assert notice.first_published_at == notice.last_published_at == published
