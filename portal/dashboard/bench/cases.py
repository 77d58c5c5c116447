"""The benchmark's case studies: page rows in bulk through the base table, then the case rows, their
fields and, for a third of them, the moderators' decision (finished workflow tasks)."""

from __future__ import annotations

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page, Revision, TaskState, Workflow, WorkflowState

from portal.accounts.models import User
from portal.taxonomy.models import Field, Prefecture

from .. import sources
from .common import BATCH, PREFIX, bulk, chunks, index_page

STATES = [
    ("published", 40),
    ("in_review", 15),
    ("changes_requested", 10),
    ("draft", 25),
    ("rejected", 5),
    ("unpublished", 5),
]


def make_cases(count: int, users: list[User], rng: random.Random, tag: str) -> None:
    """``count`` case studies under the case library: the page rows in bulk, then the case rows,
    their fields and, for a third of them, the moderators' decision."""
    CasePage = sources.case_study()
    Task = sources.case_moderation_task()
    index = index_page("cases.CaseIndexPage", title="事例ライブラリ", slug="cases")
    task = Task.objects.first()
    # The workflow the moderators' task belongs to (the case library is assigned to it).
    workflow = Workflow.objects.filter(workflow_tasks__task=task).first() if task else None
    fields = list(Field.objects.counted())
    prefectures = list(Prefecture.objects.all())
    content_type = ContentType.objects.get_for_model(CasePage)
    page_type = ContentType.objects.get_for_model(Page)
    index = Page.objects.get(pk=index.pk)
    last = index.get_last_child()
    start = (last._get_lastpos_in_path() if last else 0) + 1
    now = timezone.now()
    states = [state for state, weight in STATES for _ in range(weight)]
    pages, details = [], []
    for n in range(count):
        state = rng.choice(states)
        slug = f"{PREFIX}-{tag}-case-{n:05d}"
        submitted = None if state == "draft" else now - datetime.timedelta(days=rng.randint(1, 700))
        live = state == "published"
        pages.append(
            Page(
                title=f"ベンチマーク事例 {n}",
                draft_title=f"ベンチマーク事例 {n}",
                slug=slug,
                content_type=content_type,
                path=Page._get_path(index.path, index.depth + 1, start + n),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                live=live,
                has_unpublished_changes=not live,
                first_published_at=submitted if live else None,
                last_published_at=submitted if live else None,
                latest_revision_created_at=submitted or now,
                locale_id=index.locale_id,
            )
        )
        details.append((state, submitted))
    pages = bulk(Page, pages)
    author = users[0] if users else User.objects.filter(is_superuser=True).first()
    cases = [
        CasePage(
            page_ptr_id=page.pk,
            case_type="regional" if rng.random() < 0.2 else "individual",
            prefecture=rng.choice(prefectures) if rng.random() < 0.95 else None,
            summary="ベンチマーク用の事例です。",
            situation="<p>状況</p>",
            issues="<p>課題</p>",
            actions="<p>支援</p>",
            outcome="resolved",
            lessons="<p>学び</p>",
            author_id=author.pk,
            state=state,
            submitted_at=submitted,
        )
        for page, (state, submitted) in zip(pages, details, strict=True)
    ]
    local = list(CasePage._meta.local_concrete_fields)
    for chunk in chunks(cases):
        CasePage._base_manager._insert(chunk, fields=local, raw=True)
    Page.objects.filter(pk=index.pk).update(numchild=index.numchild + count)
    links = CasePage.fields.through
    bulk(
        links,
        [
            links(casestudypage_id=page.pk, field_id=item.pk)
            for page in pages
            for item in rng.sample(fields, rng.randint(1, 3))
        ],
    )
    if workflow is None or task is None:
        return
    decided = [
        (page, state, submitted)
        for page, (state, submitted) in zip(pages, details, strict=True)
        if submitted is not None and state in ("published", "changes_requested", "rejected")
    ]
    states_made = bulk(
        WorkflowState,
        [
            WorkflowState(
                content_type=content_type,
                base_content_type=page_type,
                object_id=str(page.pk),
                workflow=workflow,
                status="approved" if state == "published" else "cancelled",
                requested_by=author,
            )
            for page, state, _submitted in decided
        ],
    )
    # A decision needs a revision to point at: one per decided case.
    revisions = bulk(
        Revision,
        [
            Revision(
                content_type=content_type,
                base_content_type=page_type,
                object_id=str(page.pk),
                object_str=page.title,
                content={},
                created_at=submitted,
            )
            for page, _state, submitted in decided
        ],
    )
    statuses = {
        "published": TaskState.STATUS_APPROVED,
        "changes_requested": TaskState.STATUS_REJECTED,
        "rejected": TaskState.STATUS_CANCELLED,
    }
    tasks = []
    for (_page, state, submitted), workflow_state, revision in zip(
        decided, states_made, revisions, strict=True
    ):
        task_state = TaskState(
            workflow_state=workflow_state,
            revision=revision,
            task=task,
            status=statuses[state],
            finished_at=submitted + datetime.timedelta(hours=rng.randint(2, 24 * 20)),
            comment="理由" if state == "rejected" else "",
        )
        tasks.append(task_state)
    tasks = bulk(TaskState, tasks)
    for task_state, (_page, _state, submitted) in zip(tasks, decided, strict=True):
        task_state.started_at = submitted
    TaskState.objects.bulk_update(tasks, ["started_at"], batch_size=BATCH)
