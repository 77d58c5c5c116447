"""The weekly e-mail digest: choosing it, what it holds, its language, once per week, and the
signed one-click unsubscribe link."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page

from newsletters.models import (
    DigestDelivery,
    DigestFrequency,
    DigestSubscription,
    NewsletterIndexPage,
    NewsletterIssuePage,
    NoticeIndexPage,
    NoticePage,
)
from newsletters.selectors.digests import last_week
from newsletters.services.digests import (
    digest_choose,
    digests_send,
    unsubscribe_token,
)
from portal.home.models import HomePage

pytestmark = pytest.mark.django_db

# A Wednesday: the digest covers Monday 2026-11-09 to Sunday 2026-11-15.
RUN_ON = datetime.date(2026, 11, 18)
IN_PERIOD = timezone.make_aware(datetime.datetime(2026, 11, 12, 10, 0))
BEFORE_PERIOD = timezone.make_aware(datetime.datetime(2026, 11, 6, 10, 0))


def _publish(page, parent, when):
    parent.add_child(instance=page)
    page.save_revision().publish()
    type(page).objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    return page


@pytest.fixture
def content():
    home = HomePage.objects.first() or Page.objects.get(depth=1)
    notices = home.add_child(instance=NoticeIndexPage(title="お知らせ", slug="notices"))
    issues = home.add_child(instance=NewsletterIndexPage(title="通信", slug="newsletters"))

    def notice(slug, when, audience="members", summary_en=""):
        return _publish(
            NoticePage(
                title=f"お知らせ {slug}",
                slug=slug,
                summary=f"要約 {slug}",
                summary_en=summary_en,
                category="law-revision",
                audience=audience,
            ),
            notices,
            when,
        )

    made = {
        "members": notice("members-news", IN_PERIOD, summary_en="English summary of the news"),
        "public": notice("public-news", IN_PERIOD, audience="public"),
        "old": notice("old-news", BEFORE_PERIOD),
        "issue": _publish(
            NewsletterIssuePage(
                title="通信 第1号",
                slug="issue-1",
                issue_number=1,
                issue_date=datetime.date(2026, 11, 10),
                lead="地域の声",
            ),
            issues,
            IN_PERIOD,
        ),
    }
    draft = NoticePage(
        title="お知らせ draft-news",
        slug="draft-news",
        summary="下書き",
        category="other",
        audience="members",
    )
    notices.add_child(instance=draft)
    draft.save_revision()
    NoticePage.objects.filter(pk=draft.pk).update(live=False)
    return made


def test_the_week_is_monday_to_sunday_before_the_run():
    assert last_week(RUN_ON) == (datetime.date(2026, 11, 9), datetime.date(2026, 11, 15))
    # Any day of the same week gives the same period: a second run that week sends nothing.
    assert last_week(datetime.date(2026, 11, 22)) == last_week(datetime.date(2026, 11, 16))


def test_member_chooses_the_digest_on_the_settings_page(client_for, coordinator):
    client = client_for(coordinator)
    page = client.get("/digest/").content.decode()
    assert 'name="frequency"' in page
    response = client.post("/digest/", {"frequency": "weekly"})
    assert response.status_code == 302
    assert DigestSubscription.objects.get(user=coordinator).frequency == DigestFrequency.WEEKLY
    assert ModelLogEntry.objects.filter(action="portal.digest_choose").exists()
    bad = client.post("/digest/", {"frequency": "daily"})
    assert bad.status_code == 200
    assert DigestSubscription.objects.get(user=coordinator).frequency == DigestFrequency.WEEKLY


def test_profile_page_links_to_the_digest_setting(client_for, coordinator):
    assert 'href="/digest/"' in client_for(coordinator).get("/accounts/profile/").content.decode()


def test_digest_holds_what_was_published_in_the_week_for_members(content, coordinator):
    digest_choose(coordinator, DigestFrequency.WEEKLY)
    counts = digests_send(on=RUN_ON)
    assert counts["sent"] == 1
    [message] = mail.outbox
    body = message.body
    assert "お知らせ members-news" in body
    assert "お知らせ public-news" in body
    assert "通信 第1号" in body
    assert "old-news" not in body  # published the week before
    assert "draft-news" not in body  # never published
    assert "http://" in body and "/notices/members-news/" in body
    html = message.alternatives[0][0]
    assert 'href="http' in html and "お知らせ members-news" in html


def test_digest_is_written_in_the_members_language(content, coordinator):
    coordinator.preferred_language = "en"
    coordinator.save()
    digest_choose(coordinator, DigestFrequency.WEEKLY)
    digests_send(on=RUN_ON)
    [message] = mail.outbox
    assert "weekly digest" in message.subject
    assert "English summary of the news" in message.body
    assert "To stop this digest" in message.body


def test_japanese_digest_by_default(content, coordinator):
    digest_choose(coordinator, DigestFrequency.WEEKLY)
    digests_send(on=RUN_ON)
    [message] = mail.outbox
    assert "weekly digest" not in message.subject
    assert "要約 members-news" in message.body


def test_never_twice_for_one_week(content, coordinator):
    digest_choose(coordinator, DigestFrequency.WEEKLY)
    digests_send(on=RUN_ON)
    again = digests_send(on=RUN_ON + datetime.timedelta(days=2))
    assert again["sent"] == 0 and again["already_sent"] == 1
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.filter(user=coordinator).count() == 1


def test_the_command_sends_and_reports(content, coordinator, monkeypatch):
    digest_choose(coordinator, DigestFrequency.WEEKLY)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: RUN_ON)
    from io import StringIO

    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "sent 1" in out.getvalue()
    call_command("send_digests", stdout=out)
    assert "already sent 1" in out.getvalue()
    assert len(mail.outbox) == 1


def test_no_mail_in_a_week_without_news(coordinator):
    digest_choose(coordinator, DigestFrequency.WEEKLY)
    counts = digests_send(on=RUN_ON)
    assert counts["nothing_new"] == 1 and mail.outbox == []


def test_only_subscribers_with_a_valid_certificate_get_it(
    content, coordinator, expired_coordinator, make_user, issue_certificate
):
    from portal.accounts import roles
    from portal.accounts.models import today

    not_subscribed = make_user("quiet", roles.COORDINATOR)
    issue_certificate(not_subscribed, today() - datetime.timedelta(days=10))
    digest_choose(coordinator, DigestFrequency.WEEKLY)
    digest_choose(expired_coordinator, DigestFrequency.WEEKLY)
    digests_send(on=RUN_ON)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def _unsubscribe_path(message) -> str:
    return re.search(r"(/digest/unsubscribe/[^/\s]+/)", message.body).group(1)


def test_one_click_unsubscribe_from_the_mail(content, coordinator, client):
    digest_choose(coordinator, DigestFrequency.WEEKLY)
    digests_send(on=RUN_ON)
    [message] = mail.outbox
    path = _unsubscribe_path(message)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert path in message.extra_headers["List-Unsubscribe"]
    # Opening the link asks once; it changes nothing by itself (mail scanners open links).
    assert client.get(path).status_code == 200
    assert DigestSubscription.objects.get(user=coordinator).frequency == DigestFrequency.WEEKLY
    # The button, or the mail program's one-click request, needs no session.
    response = client.post(path)
    assert response.status_code == 200
    assert DigestSubscription.objects.get(user=coordinator).frequency == DigestFrequency.NONE
    assert ModelLogEntry.objects.filter(action="portal.digest_unsubscribe").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_token_is_refused_and_changes_nothing(coordinator, client, method):
    digest_choose(coordinator, DigestFrequency.WEEKLY)
    token = unsubscribe_token(coordinator)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = getattr(client, method)(f"/digest/unsubscribe/{tampered}/")
    assert response.status_code == 400
    made_up = getattr(client, method)("/digest/unsubscribe/not-a-token/")
    assert made_up.status_code == 400
    assert DigestSubscription.objects.get(user=coordinator).frequency == DigestFrequency.WEEKLY
