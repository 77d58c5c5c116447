"""The benchmark's data: coordinators, the questionnaire, sessions; reused between runs."""

from __future__ import annotations

import datetime
import json
import random
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from portal.accounts.models import Certificate, User, today
from portal.accounts.roles import COORDINATOR
from portal.accounts.services import certificate_issue
from portal.home.models import HomePage

from ..models import (
    IdentifiedResponse,
    Mode,
    QuestionnaireIndexPage,
    QuestionnairePage,
    ResponseDraft,
    ResponseSheet,
    Roster,
    RosterEntry,
)
from ..services import roster_ensure
from .answers import ANONYMOUS_SLUG, IDENTIFIED_SLUG, USERNAME, bench_questions

# Data -----------------------------------------------------------------------------------------


def ensure_coordinators(count: int) -> list[User]:
    """``bench-coordinator-01``… in the Coordinator group with a valid certificate (no password:
    the benchmark signs them in through sessions)."""
    group = Group.objects.get(name=COORDINATOR)
    issued = today() - datetime.timedelta(days=30)
    users = []
    for i in range(1, count + 1):
        username = USERNAME.format(i)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.jp",
                "last_name": "ベンチ",
                "first_name": f"太郎{i}",
                "family_name_kana": "べんち",
                "given_name_kana": "たろう",
                "family_name_romaji": "Bench",
                "given_name_romaji": f"Taro{i}",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        user.groups.add(group)
        if user.certificate_status() != "valid":
            number = base = f"BENCH-Q{i:03d}-{issued:%Y%m%d}"
            while Certificate.objects.filter(number=number).exists():
                number = f"{base}-{random.randrange(10_000)}"  # noqa: S311
            certificate_issue(holder=user, number=number, issued_on=issued)
        users.append(user)
    return users


def ensure_index() -> QuestionnaireIndexPage:
    index = QuestionnaireIndexPage.objects.first()
    if index is not None:
        return index
    site = Site.objects.filter(is_default_site=True).first()
    home = Page.objects.get(pk=site.root_page_id) if site else HomePage.objects.first()
    home = home or Page.objects.get(depth=1)
    index = home.add_child(
        instance=QuestionnaireIndexPage(title="アンケート", slug="questionnaires")
    )
    index.save_revision().publish()
    return index


def _without_ids(data):
    if isinstance(data, dict):
        return {k: _without_ids(v) for k, v in data.items() if k != "id"}
    if isinstance(data, list):
        return [_without_ids(v) for v in data]
    return data


def _same_questions(stream, questions: list[dict]) -> bool:
    """Whether a stored stream holds ``questions`` (both read and written by the block, so that
    defaults, list item wrappers and block ids do not count)."""
    block = stream.stream_block

    def normal(raw):
        return _without_ids(json.loads(json.dumps(block.get_prep_value(block.to_python(raw)))))

    return normal(list(stream.get_prep_value())) == normal(questions)


def ensure_questionnaire(
    index: QuestionnaireIndexPage, coordinators: list[User], *, anonymous: bool = False
) -> QuestionnairePage:
    """The live benchmark questionnaire, open now for at least a day, addressed to exactly
    ``coordinators`` (by certificate number); published again only when something changed."""
    slug = ANONYMOUS_SLUG if anonymous else IDENTIFIED_SLUG
    mode = Mode.ANONYMOUS if anonymous else Mode.IDENTIFIED
    now = timezone.now()
    on = today()
    numbers = sorted(
        max(
            (c for c in user.certificates.all() if c.status(on) == "valid"),
            key=lambda c: c.valid_until,
        ).number
        for user in coordinators
    )
    targets = "\n".join(numbers)
    questions = bench_questions()
    page = QuestionnairePage.objects.child_of(index).filter(slug=slug).first()
    if page is None:
        page = QuestionnairePage(
            title="ベンチマーク用アンケート（匿名）" if anonymous else "ベンチマーク用アンケート",
            title_en="Benchmark questionnaire",
            slug=slug,
            live=False,
            questions=json.dumps(questions),
            opens_at=now - datetime.timedelta(hours=1),
            closes_at=now + datetime.timedelta(days=7),
            mode=mode,
            target_certificates=targets,
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        return QuestionnairePage.objects.get(pk=page.pk)
    page = page.specific
    changed = False
    if not _same_questions(page.questions, questions):
        page.questions = json.dumps(questions)
        changed = True
    if not page.has_opened(now):
        page.opens_at = now - datetime.timedelta(hours=1)
        changed = True
    if page.closes_at < now + datetime.timedelta(days=1):
        page.closes_at = now + datetime.timedelta(days=7)
        changed = True
    if page.mode != mode or page.target_certificates != targets:
        page.mode, page.target_certificates = mode, targets
        changed = True
    for name in ("target_prefectures", "target_fields"):
        if getattr(page, name).exists():
            getattr(page, name).clear()
            changed = True
    if page.target_workplace_types:
        page.target_workplace_types = []
        changed = True
    if changed or not page.live:
        page.save_revision().publish()
        page = QuestionnairePage.objects.get(pk=page.pk)
    return page


def reset_responses(page: QuestionnairePage) -> None:
    """Forget every response and draft of the benchmark questionnaire, and fix its audience
    again (the coordinators it now names)."""
    with transaction.atomic():
        ResponseSheet.objects.filter(questionnaire_id=page.pk).delete()  # answers, links too
        IdentifiedResponse.objects.filter(questionnaire_id=page.pk).delete()
        ResponseDraft.objects.filter(questionnaire_id=page.pk).delete()
        RosterEntry.objects.filter(questionnaire_id=page.pk).delete()
        Roster.objects.filter(questionnaire_id=page.pk).delete()
    roster_ensure(QuestionnairePage.objects.get(pk=page.pk))


def page_path(page: QuestionnairePage) -> str:
    return page.get_url_parts()[2]


def login_session(user: User) -> str:
    """A signed-in session for ``user`` (as ``login()`` makes one, without checking a password);
    returns the session key."""
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def logout_session(key: str) -> None:
    import_module(settings.SESSION_ENGINE).SessionStore(session_key=key).delete()
