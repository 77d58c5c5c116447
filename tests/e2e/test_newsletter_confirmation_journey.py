"""Browser journey: an interviewed coordinator opens the link of their e-mail, logs in, agrees to
their photo being shown and confirms the draft of their interview."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page
from wagtail.rich_text import RichText

from newsletters.models import (
    Interview,
    IntervieweeConfirmation,
    NewsletterIndexPage,
    NewsletterIssuePage,
)
from newsletters.services.interviews import assign_newsletter_workflow
from portal.home.models import HomePage
from portal.taxonomy.models import Prefecture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def confirmation_path(demo_site):
    """An issue with ``coordinator`` as interviewee, submitted by ``editor``; the path of the
    coordinator's confirmation link. Set up before the browser starts."""
    users = get_user_model().objects
    coordinator, editor = users.get(username="coordinator"), users.get(username="editor")
    index = NewsletterIndexPage.objects.first()
    if index is None:
        index = HomePage.objects.first().add_child(
            instance=NewsletterIndexPage(title="ニュースレター", slug="newsletters")
        )
    assign_newsletter_workflow(index)
    slug = "journey-interview"
    Page.objects.filter(slug=slug).delete()
    issue = NewsletterIssuePage(
        title="地域インタビュー 特別号",
        slug=slug,
        issue_number=99,
        issue_date=datetime.date(2025, 6, 1),
        lead="東京のコーディネーターに聞きました。",
        live=False,
    )
    issue.interviews.add(
        Interview(
            title="ことばの壁を越えて",
            interviewee=coordinator,
            region=Prefecture.objects.get(code="JP-13"),
            body=[
                (
                    "qa",
                    {
                        "question": "相談で大切にしていることは？",
                        "answer": RichText("<p>まず最後まで話を聞くことです。</p>"),
                    },
                )
            ],
        )
    )
    index.add_child(instance=issue)
    issue.save_revision(user=editor)
    issue.get_workflow().start(issue, editor)
    token = IntervieweeConfirmation.objects.get(issue=issue, interviewee=coordinator).token
    return reverse("newsletters:confirm", args=[token])


def test_interviewee_confirms_the_draft_with_photo_consent(
    demo_site, confirmation_path, page_ja, tmp_path
):
    page = page_ja
    response = page.goto(f"{demo_site}{confirmation_path}")
    assert response.ok
    assert "/accounts/login/" in page.url  # the link asks the interviewee to log in first
    page.locator("input[name='username']").fill("coordinator")
    page.locator("input[name='password']").fill("portal-demo")
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(f"{demo_site}{confirmation_path}")

    main = page.locator("main")
    assert "ことばの壁を越えて" in main.inner_text()
    assert "まず最後まで話を聞くことです。" in main.inner_text()
    assert page.locator("h3.qa__question").inner_text() == "相談で大切にしていることは？"
    page.screenshot(path=str(tmp_path / "draft.png"), full_page=True)

    consent = page.locator("#id_confirm-photo_consent")
    consent.check()
    assert consent.is_checked()
    page.locator("button[name='action'][value='confirm']").click()
    page.wait_for_load_state()

    assert page.url == f"{demo_site}{confirmation_path}"
    assert page.locator(".messages .message--success").is_visible()
    assert page.locator("main .message--success").is_visible()
    assert page.locator("button[name='action']").count() == 0  # nothing left to answer
    page.screenshot(path=str(tmp_path / "confirmed.png"), full_page=True)
