"""Writes of the questionnaire feature: fixing the audience, drafts, responses, reminders."""

from __future__ import annotations

import datetime
import logging
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.models import Certificate, today
from portal.accounts.roles import COORDINATOR
from portal.audit import audit
from portal.mail import absolute_url

from .models import (
    Answer,
    IdentifiedResponse,
    QuestionnairePage,
    QuestionnaireReminder,
    ResponseDraft,
    ResponseSheet,
    Roster,
    RosterEntry,
)

logger = logging.getLogger("portal.questionnaires")

QUESTIONNAIRE_REMIND = "questionnaires.remind"
QUESTIONNAIRE_ROSTER = "questionnaires.roster"
DEFAULT_REMINDER_DAYS = 3


class ResponseRefused(Exception):
    """A response that may not be saved; ``str()`` is the message for the member."""


# Audience -------------------------------------------------------------------------------------


def certificate_numbers(text: str) -> list[str]:
    """The certificate numbers of an explicit list: one per line (commas and spaces also
    separate), full-width characters folded, upper-cased, duplicates dropped."""
    text = unicodedata.normalize("NFKC", text or "").upper()
    seen: dict[str, None] = {}
    for part in text.replace(",", "\n").replace("、", "\n").split():
        seen.setdefault(part.strip(), None)
    return [number for number in seen if number]


def targeted_users(page: QuestionnairePage, on: datetime.date | None = None):
    """Active coordinators with a valid certificate on ``on`` who match every audience condition
    of ``page`` (an empty condition matches everyone)."""
    on = on or today()
    valid = Certificate.objects.valid_on(on)
    users = get_user_model().objects.filter(
        is_active=True, groups__name=COORDINATOR, pk__in=valid.values("holder_id")
    )
    prefecture_ids = [p.pk for p in page.target_prefectures.all()]
    if prefecture_ids:
        users = users.filter(
            Q(coordinator_profile__prefectures__in=prefecture_ids)
            | Q(pk__in=valid.filter(workplace_prefecture__in=prefecture_ids).values("holder_id"))
        )
    field_ids = [f.pk for f in page.target_fields.all()]
    if field_ids:
        users = users.filter(coordinator_profile__fields__in=field_ids)
    if page.target_workplace_types:
        users = users.filter(coordinator_profile__workplace_type__in=page.target_workplace_types)
    numbers = certificate_numbers(page.target_certificates)
    if numbers:
        users = users.filter(pk__in=valid.filter(number__in=numbers).values("holder_id"))
    return users.distinct()


def roster_taken(page: QuestionnairePage) -> bool:
    return Roster.objects.filter(questionnaire_id=page.pk).exists()


def roster_ensure(page: QuestionnairePage, now: datetime.datetime | None = None) -> bool:
    """Fix the audience of an open questionnaire, once: the members it targets at that moment,
    with their prefectures (areas of activity and workplace) and fields. Returns whether the
    roster exists (``False`` before the questionnaire opens or while it is not live)."""
    now = now or timezone.now()
    if getattr(page, "_roster_taken", False):
        return True
    if roster_taken(page):
        page._roster_taken = True
        return True
    if not page.live or not page.has_opened(now):
        return False
    with transaction.atomic():
        locked = QuestionnairePage.objects.select_for_update().get(pk=page.pk)
        if roster_taken(locked):
            page._roster_taken = True
            return True
        on = timezone.localdate(now)
        user_ids = list(targeted_users(locked, on).values_list("pk", flat=True))
        RosterEntry.objects.bulk_create(
            [RosterEntry(questionnaire_id=page.pk, user_id=pk) for pk in user_ids]
        )
        entries = dict(
            RosterEntry.objects.filter(questionnaire_id=page.pk).values_list("user_id", "pk")
        )
        prefectures: set[tuple[int, int]] = set()
        profile = _profile_model()
        if profile is not None:
            areas = profile.prefectures.through.objects.filter(
                **{f"{_profile_fk(profile.prefectures)}__user_id__in": user_ids}
            ).values_list(f"{_profile_fk(profile.prefectures)}__user_id", "prefecture_id")
            prefectures.update((entries[u], p) for u, p in areas)
            known = profile.fields.through.objects.filter(
                **{f"{_profile_fk(profile.fields)}__user_id__in": user_ids}
            ).values_list(f"{_profile_fk(profile.fields)}__user_id", "field_id")
            RosterEntry.fields.through.objects.bulk_create(
                [
                    RosterEntry.fields.through(rosterentry_id=entries[u], field_id=f)
                    for u, f in set(known)
                ]
            )
        workplaces = (
            Certificate.objects.valid_on(on)
            .filter(holder_id__in=user_ids, workplace_prefecture__isnull=False)
            .values_list("holder_id", "workplace_prefecture_id")
        )
        prefectures.update((entries[u], p) for u, p in workplaces)
        RosterEntry.prefectures.through.objects.bulk_create(
            [
                RosterEntry.prefectures.through(rosterentry_id=e, prefecture_id=p)
                for e, p in prefectures
            ]
        )
        Roster.objects.create(questionnaire_id=page.pk, taken_at=now, targeted=len(user_ids))
        page._roster_taken = True
        audit(page, QUESTIONNAIRE_ROSTER, data={"targeted": len(user_ids)})
    return True


def _profile_model():
    from django.apps import apps

    try:
        return apps.get_model("directory", "CoordinatorProfile")
    except LookupError:
        return None


def _profile_fk(descriptor) -> str:
    """The name of the column of a profile's many-to-many table that points at the profile."""
    return descriptor.field.m2m_field_name()


def is_targeted(page: QuestionnairePage, user, now: datetime.datetime | None = None) -> bool:
    """Whether ``user`` is asked to answer ``page``: on the roster once it is open (and still
    holding a valid certificate), or matching the audience before it opens."""
    if not user.is_authenticated:
        return False
    now = now or timezone.now()
    if roster_ensure(page, now):
        if user.certificate_status(timezone.localdate(now)) != "valid":
            return False
        return RosterEntry.objects.filter(questionnaire_id=page.pk, user_id=user.pk).exists()
    return targeted_users(page, timezone.localdate(now)).filter(pk=user.pk).exists()


# Edits in the admin ---------------------------------------------------------------------------


def _without_ids(data):
    if isinstance(data, dict):
        return {k: _without_ids(v) for k, v in data.items() if k != "id"}
    if isinstance(data, list):
        return [_without_ids(v) for v in data]
    return data


def questionnaire_edit_problems(page: QuestionnairePage, cleaned: dict) -> dict[str, str]:
    """What an edit may not change: the mode once anyone started answering, the questions once
    a response exists, the audience once it is fixed; and certificate numbers that do not
    exist. Field name → message."""
    problems: dict[str, str] = {}
    numbers = certificate_numbers(cleaned.get("target_certificates") or "")
    if numbers:
        known = set(Certificate.objects.filter(number__in=numbers).values_list("number", flat=True))
        unknown = [n for n in numbers if n not in known]
        if unknown:
            problems["target_certificates"] = _(
                "These certificate numbers are not on the register: %(numbers)s / "
                "認定者名簿に登録されていない認定証番号があります：%(numbers)s"
            ) % {"numbers": ", ".join(unknown[:20])}
    if not page.pk:
        return problems
    stored = QuestionnairePage.objects.filter(pk=page.pk).first()
    if stored is None:
        return problems
    started = (
        ResponseSheet.objects.filter(questionnaire_id=page.pk).exists()
        or ResponseDraft.objects.filter(questionnaire_id=page.pk).exists()
    )
    if started and cleaned.get("mode") and cleaned["mode"] != stored.mode:
        problems["mode"] = _(
            "Members have started answering: the mode can no longer change. / "
            "回答が始まっているため、回答方式は変更できません。"
        )
    questions = cleaned.get("questions")
    if (
        questions is not None
        and ResponseSheet.objects.filter(questionnaire_id=page.pk).exists()
        and _without_ids(questions.get_prep_value())
        != _without_ids(stored.questions.get_prep_value())
    ):
        problems["questions"] = _(
            "Responses have been received: the questions can no longer change. Copy this "
            "questionnaire for a new round. / 回答を受け付けたため、質問は変更できません。"
            "新しい回として複製してください。"
        )
    if roster_taken(stored):
        changed = (
            set(cleaned.get("target_prefectures") or []) != set(stored.target_prefectures.all())
            or set(cleaned.get("target_fields") or []) != set(stored.target_fields.all())
            or sorted(cleaned.get("target_workplace_types") or [])
            != sorted(stored.target_workplace_types or [])
            or certificate_numbers(cleaned.get("target_certificates") or "")
            != certificate_numbers(stored.target_certificates)
        )
        if changed:
            problems["target_prefectures"] = _(
                "The questionnaire has opened and its audience is fixed. / "
                "アンケートは開始済みのため、対象者は変更できません。"
            )
        if cleaned.get("opens_at") and cleaned["opens_at"] != stored.opens_at:
            problems["opens_at"] = _(
                "The questionnaire has opened: the opening time can no longer change. / "
                "開始済みのため、開始日時は変更できません。"
            )
    return problems


# Responding -----------------------------------------------------------------------------------


class ResponseStatus:
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"


def _open_entry(page: QuestionnairePage, user, now, *, lock: bool = False) -> RosterEntry:
    """The member's roster entry of an open questionnaire addressed to them, else refused."""
    if not page.is_open(now):
        raise ResponseRefused(
            _("This questionnaire is closed; answers can no longer be saved.")
            if page.has_closed(now)
            else _("This questionnaire is not open yet.")
        )
    entries = RosterEntry.objects.filter(questionnaire_id=page.pk, user_id=user.pk)
    if lock:
        entries = entries.select_for_update()
    entry = entries.first() if roster_ensure(page, now) else None
    if entry is None or user.certificate_status(timezone.localdate(now)) != "valid":
        raise ResponseRefused(_("This questionnaire is not addressed to you."))
    return entry


def draft_save(page: QuestionnairePage, user, data: dict, now=None) -> ResponseDraft:
    """Keep answers as typed (valid or not) so that nothing is lost before submitting. In
    anonymous mode there is no draft once the member has responded."""
    now = now or timezone.now()
    entry = _open_entry(page, user, now)
    if page.is_anonymous and entry.has_responded:
        raise ResponseRefused(_("You have already responded to this anonymous questionnaire."))
    draft, _created = ResponseDraft.objects.update_or_create(
        questionnaire_id=page.pk, user=user, defaults={"data": data}
    )
    return draft


def response_submit(page: QuestionnairePage, user, answers: list[dict], now=None):
    """Store a validated response: one per member. Identified mode replaces the member's earlier
    answers (editable until closing); anonymous mode stores a sheet with no link to the member,
    marks the roster entry and refuses a second response."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = _open_entry(page, user, now, lock=True)
        if page.is_anonymous:
            if entry.has_responded:
                raise ResponseRefused(
                    _("You have already responded to this anonymous questionnaire.")
                )
            sheet = ResponseSheet.objects.create(questionnaire_id=page.pk)
        else:
            link = (
                IdentifiedResponse.objects.select_related("sheet")
                .filter(questionnaire_id=page.pk, user=user)
                .first()
            )
            if link is None:
                sheet = ResponseSheet.objects.create(questionnaire_id=page.pk)
                IdentifiedResponse.objects.create(
                    questionnaire_id=page.pk,
                    user=user,
                    sheet=sheet,
                    submitted_at=now,
                    updated_at=now,
                )
            else:
                sheet = link.sheet
                sheet.answers.all().delete()
                IdentifiedResponse.objects.filter(pk=link.pk).update(updated_at=now)
        Answer.objects.bulk_create([Answer(sheet=sheet, **values) for values in answers])
        if not entry.has_responded:
            RosterEntry.objects.filter(pk=entry.pk).update(has_responded=True)
        ResponseDraft.objects.filter(questionnaire_id=page.pk, user=user).delete()
    return sheet


def response_status(page: QuestionnairePage, user) -> str:
    entry = RosterEntry.objects.filter(questionnaire_id=page.pk, user_id=user.pk).first()
    if entry is not None and entry.has_responded:
        return ResponseStatus.SUBMITTED
    if ResponseDraft.objects.filter(questionnaire_id=page.pk, user_id=user.pk).exists():
        return ResponseStatus.DRAFT
    return ResponseStatus.NOT_STARTED


# Reminders ------------------------------------------------------------------------------------


def reminder_days() -> int:
    return getattr(settings, "PORTAL_QUESTIONNAIRE_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)


def reminder_message(page: QuestionnairePage, user, connection) -> EmailMultiAlternatives:
    with translation.override(user.preferred_language):
        context = {
            "user": user,
            "title": page.localized_title,
            "closes_at": timezone.localtime(page.closes_at),
            "url": absolute_url(page.url),
        }
        subject = render_to_string("questionnaires/email/reminder_subject.txt", context)
        body = render_to_string("questionnaires/email/reminder.txt", context)
    return EmailMultiAlternatives(
        " ".join(subject.split()), body, to=[user.email], connection=connection
    )


def questionnaire_send_reminders(now: datetime.datetime | None = None) -> int:
    """E-mail targeted members who have not responded, once, when a live questionnaire closes
    within ``PORTAL_QUESTIONNAIRE_REMINDER_DAYS`` days. Safe to run as often as wanted."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=reminder_days())
    pages = QuestionnairePage.objects.live().filter(
        opens_at__lte=now, closes_at__gt=now, closes_at__lte=horizon
    )
    connection = get_connection()
    total = 0
    valid_holders = Certificate.objects.valid_on(timezone.localdate(now)).values("holder_id")
    for page in pages.order_by("closes_at", "pk"):
        roster_ensure(page, now)
        pending = (
            get_user_model()
            .objects.filter(
                pk__in=RosterEntry.objects.filter(
                    questionnaire_id=page.pk, has_responded=False
                ).values("user_id"),
                is_active=True,
            )
            .filter(pk__in=valid_holders)
            .exclude(email="")
            .exclude(
                pk__in=QuestionnaireReminder.objects.filter(questionnaire_id=page.pk).values(
                    "user_id"
                )
            )
            .order_by("pk")
        )
        sent = 0
        for user in pending:
            try:
                with transaction.atomic():
                    QuestionnaireReminder.objects.create(questionnaire_id=page.pk, user=user)
                    reminder_message(page, user, connection).send()
            except IntegrityError:
                continue  # another run sent it a moment ago
            sent += 1
        if sent:
            audit(page, QUESTIONNAIRE_REMIND, data={"sent": sent})
            logger.info("Sent %s reminders for questionnaire %s", sent, page.pk)
        total += sent
    return total
