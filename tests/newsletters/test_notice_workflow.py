"""Notices are published only through the agency approval workflow: an editor drafts and
submits, an administrator approves; nothing an editor can do in the admin publishes directly."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.publish_revision import PublishPermissionError, PublishRevisionAction
from wagtail.models import Page, PageLogEntry, Revision, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsletters.models import NoticeIndexPage, NoticePage
from portal.home.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def index():
    home = HomePage.objects.first() or Page.objects.get(depth=1)
    return home.add_child(instance=NoticeIndexPage(title="お知らせ", slug="notices"))


def form(title="在留カードの更新手続き", slug="residence-card", **extra):
    data = {
        "title": title,
        "slug": slug,
        "summary": "在留カードの更新手続きについてのお知らせです。",
        "summary_en": "About renewing residence cards.",
        "category": "procedure",
        "importance": "important",
        "audience": "members",
        "effective_date": "",
        "nationwide": "on",
        "body": streamfield([("paragraph", rich_text("<p>本文</p>"))]),
        "comments": inline_formset([]),
        **extra,
    }
    return nested_form_data(data)


def draft(index, slug="draft-notice", **fields):
    page = NoticePage(
        title=fields.pop("title", "下書きのお知らせ"),
        slug=slug,
        summary="要約",
        category="procedure",
        audience="members",
        live=False,
        **fields,
    )
    index.add_child(instance=page)
    page.save_revision()
    return page


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=["newsletters", "noticepage", index.pk])


def test_editor_publish_button_creates_a_draft_only(client_for, editor, index):
    client = client_for(editor)
    response = client.post(add_url(index), {**form(), "action-publish": "action-publish"})
    page = NoticePage.objects.get(slug="residence-card")
    assert not page.live
    assert response.status_code in (200, 302)
    # Saving a draft works and keeps it a draft.
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), form(title="在留カードの更新（改）")
    )
    page.refresh_from_db()
    assert not page.live and page.get_latest_revision_as_object().title == "在留カードの更新（改）"


def test_editor_has_no_publish_permission_anywhere(editor, index):
    page = draft(index)
    assert not page.permissions_for_user(editor).can_publish()
    assert not page.permissions_for_user(editor).can_unpublish()
    with pytest.raises(PublishPermissionError):
        PublishRevisionAction(page.latest_revision, user=editor).execute()
    page.refresh_from_db()
    assert not page.live


def test_editor_bulk_publish_is_refused(client_for, editor, index):
    page = draft(index)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = client_for(editor).post(f"{url}?id={page.pk}", {})
    page.refresh_from_db()
    assert not page.live
    assert response.status_code in (302, 403) or "permission" in response.content.decode().lower()


def test_editor_copy_cannot_publish_the_copy(client_for, editor, administrator, index):
    original = draft(index, slug="original")
    original.save_revision(user=administrator).publish()
    client = client_for(editor)
    client.post(
        reverse("wagtailadmin_pages:copy", args=[original.pk]),
        {
            "new_title": "写し",
            "new_slug": "copied",
            "new_parent_page": index.pk,
            "copy_subpages": "",
            "publish_copies": "on",
            "alias": "",
        },
    )
    copy = NoticePage.objects.filter(slug="copied").first()
    assert copy is not None, "the editor may copy"
    assert not copy.live


def test_editor_revert_does_not_publish(client_for, editor, administrator, index):
    page = draft(index, slug="reverted")
    first = page.latest_revision
    page.title = "二番目"
    second = page.save_revision(user=administrator)
    second.publish(user=administrator)
    client = client_for(editor)
    client.post(
        reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, first.pk]),
        {**form(title="下書きのお知らせ", slug="reverted"), "action-publish": "action-publish"},
    )
    page.refresh_from_db()
    assert page.title == "二番目"  # the live version is unchanged


def submit(client, page):
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {**form(slug=page.slug, title=page.title), "action-submit": "action-submit"},
    )
    return WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))


def test_approval_by_an_administrator_publishes(client_for, editor, administrator, index):
    page = draft(index, slug="approved")
    state = submit(client_for(editor), page)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Approval by an administrator"
    # The editor cannot approve their own submission.
    client = client_for(editor)
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state.pk],
    )
    client.post(approve_url, {"comment": ""})
    page.refresh_from_db()
    assert not page.live
    client = client_for(administrator)
    client.post(approve_url, {"comment": "確認しました"})
    page.refresh_from_db()
    state.refresh_from_db()
    assert page.live
    assert state.status == WorkflowState.STATUS_APPROVED
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions


def test_scheduled_go_live_and_expiry(client_for, editor, administrator, index):
    page = draft(index, slug="scheduled")
    go_live = timezone.now() + datetime.timedelta(days=2)
    expire = timezone.now() + datetime.timedelta(days=5)
    client = client_for(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {
            **form(slug="scheduled", title=page.title),
            "go_live_at": go_live.strftime("%Y-%m-%d %H:%M"),
            "expire_at": expire.strftime("%Y-%m-%d %H:%M"),
            "action-submit": "action-submit",
        },
    )
    state = WorkflowState.objects.get(object_id=str(page.pk))
    client = client_for(administrator)
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )
    page.refresh_from_db()
    assert not page.live  # approved, waiting for its time
    scheduled = Revision.page_revisions.filter(
        object_id=str(page.pk), approved_go_live_at__isnull=False
    )
    assert scheduled.count() == 1
    # Time passes: the scheduled command publishes it, and later takes it down.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision = scheduled.get()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    NoticePage.objects.filter(pk=page.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live and page.expired


def test_no_write_api_is_exposed(client_for, editor, index):
    """Wagtail's v3 API can publish pages; the portal does not mount it."""
    page = draft(index, slug="api-draft")
    client = client_for(editor)
    for url in (f"/api/v3/pages/{page.pk}/actions/publish/", "/api/v2/pages/"):
        assert client.post(url).status_code in (404, 405)
    page.refresh_from_db()
    assert not page.live
