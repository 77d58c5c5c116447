"""Registering, cancelling and the waiting list: seats, order, deadlines, e-mails and audit."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from wagtail.log_actions import registry as log_actions
from wagtail.models import ModelLogEntry

from workshops import selectors, services
from workshops.models import Registration

pytestmark = pytest.mark.django_db

REGISTERED = Registration.Status.REGISTERED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


@pytest.fixture
def members(make_coordinator):
    return [make_coordinator(f"member-{index}") for index in range(1, 5)]


def test_seats_are_given_until_full_then_the_waiting_list(make_workshop, members):
    workshop = make_workshop(capacity=2)
    results = [services.registration_create(member, workshop) for member in members[:3]]
    assert [r.status for r in results] == [REGISTERED, REGISTERED, WAITLISTED]
    assert selectors.seats_left(workshop) == 0
    assert selectors.waitlist_position(results[2]) == 1
    assert selectors.waitlist_position(results[0]) is None


def test_waiting_list_keeps_arrival_order(make_workshop, members):
    workshop = make_workshop(capacity=1)
    first, second, third, fourth = (services.registration_create(m, workshop) for m in members)
    assert first.status == REGISTERED
    assert [selectors.waitlist_position(r) for r in (second, third, fourth)] == [1, 2, 3]
    assert list(selectors.waitlist(workshop)) == [second, third, fourth]


def test_cancelling_a_seat_promotes_the_oldest_waiting_member_and_emails_them(
    make_workshop, members, django_capture_on_commit_callbacks
):
    workshop = make_workshop(title="在留資格の事例検討会", capacity=1)
    holder, next_in_line, later = members[:3]
    for member in (holder, next_in_line, later):
        services.registration_create(member, workshop)

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.registration_cancel(holder, workshop)

    assert cancelled.status == CANCELLED
    assert cancelled.cancelled_at is not None
    promoted = Registration.objects.get(workshop=workshop, user=next_in_line)
    assert promoted.status == REGISTERED
    assert promoted.promoted_at is not None
    waiting = Registration.objects.get(workshop=workshop, user=later)
    assert waiting.status == WAITLISTED
    assert selectors.waitlist_position(waiting) == 1
    assert selectors.seats_left(workshop) == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [next_in_line.email]
    assert "在留資格の事例検討会" in message.subject
    assert "moved up from the waiting list" in message.body  # their profile language: English
    assert "年" not in message.body
    assert workshop.url in message.body


def test_promotion_email_uses_the_members_language(
    make_workshop, make_coordinator, django_capture_on_commit_callbacks
):
    workshop = make_workshop(capacity=1)
    holder = make_coordinator("holder")
    waiting = make_coordinator("waiting-ja", language="ja")
    services.registration_create(holder, workshop)
    services.registration_create(waiting, workshop)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(holder, workshop)
    assert len(mail.outbox) == 1
    assert workshop.title in mail.outbox[0].subject
    # Dates are written the Japanese way for a member who reads Japanese.
    assert f"{timezone.localtime(workshop.starts_at).year}年" in mail.outbox[0].body


def test_leaving_the_waiting_list_promotes_nobody(
    make_workshop, members, django_capture_on_commit_callbacks
):
    workshop = make_workshop(capacity=1)
    holder, waiting, behind = members[:3]
    for member in (holder, waiting, behind):
        services.registration_create(member, workshop)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(waiting, workshop)
    assert Registration.objects.get(workshop=workshop, user=holder).status == REGISTERED
    assert Registration.objects.get(workshop=workshop, user=behind).status == WAITLISTED
    assert (
        selectors.waitlist_position(Registration.objects.get(workshop=workshop, user=behind)) == 1
    )
    assert mail.outbox == []


def test_registration_is_refused_after_the_deadline(make_workshop, coordinator):
    workshop = make_workshop(
        starts_in=datetime.timedelta(days=2), deadline_before=datetime.timedelta(days=3)
    )
    with pytest.raises(ValidationError) as error:
        services.registration_create(coordinator, workshop)
    assert error.value.code == "deadline"
    assert not Registration.objects.filter(workshop=workshop).exists()


def test_registration_is_refused_once_the_workshop_has_started(make_workshop, coordinator):
    workshop = make_workshop(
        starts_in=-datetime.timedelta(minutes=30), deadline_before=datetime.timedelta(0)
    )
    with pytest.raises(ValidationError) as error:
        services.registration_create(coordinator, workshop)
    assert error.value.code == "started"
    assert not Registration.objects.filter(workshop=workshop).exists()


def test_cancelling_is_refused_once_the_workshop_has_started(make_workshop, coordinator):
    workshop = make_workshop(capacity=1)
    registration = services.registration_create(coordinator, workshop)
    now = timezone.now()
    type(workshop).objects.filter(pk=workshop.pk).update(
        starts_at=now - datetime.timedelta(hours=1),
        registration_deadline=now - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        services.registration_cancel(coordinator, workshop)
    assert error.value.code == "started"
    registration.refresh_from_db()
    assert registration.status == REGISTERED


@translation.override("en")
def test_nobody_registers_twice(make_workshop, coordinator, make_coordinator):
    workshop = make_workshop(capacity=1)
    services.registration_create(coordinator, workshop)
    with pytest.raises(ValidationError, match="already registered"):
        services.registration_create(coordinator, workshop)
    other = make_coordinator("other")
    services.registration_create(other, workshop)
    with pytest.raises(ValidationError, match="already on the waiting list"):
        services.registration_create(other, workshop)
    assert Registration.objects.filter(workshop=workshop).count() == 2


def test_the_database_allows_one_active_registration_per_member(make_workshop, coordinator):
    workshop = make_workshop()
    Registration.objects.create(workshop=workshop, user=coordinator, status=CANCELLED)
    Registration.objects.create(workshop=workshop, user=coordinator, status=REGISTERED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(workshop=workshop, user=coordinator, status=WAITLISTED)


def test_registering_again_after_cancelling_joins_the_end_of_the_queue(
    make_workshop, members, django_capture_on_commit_callbacks
):
    workshop = make_workshop(capacity=1)
    holder, waiting = members[:2]
    services.registration_create(holder, workshop)
    services.registration_create(waiting, workshop)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(holder, workshop)
    again = services.registration_create(holder, workshop)
    assert again.status == WAITLISTED
    assert selectors.waitlist_position(again) == 1
    assert Registration.objects.filter(workshop=workshop, user=holder).count() == 2


def test_cancelling_without_a_registration_is_refused(make_workshop, coordinator):
    workshop = make_workshop()
    with pytest.raises(ValidationError) as error:
        services.registration_cancel(coordinator, workshop)
    assert error.value.code == "none"


def test_only_members_admitted_by_the_gate_may_register(make_workshop, expired_coordinator):
    workshop = make_workshop()
    with pytest.raises(PermissionDenied):
        services.registration_create(expired_coordinator, workshop)
    assert not Registration.objects.exists()


def test_a_larger_capacity_gives_seats_to_the_waiting_list(
    make_workshop, members, django_capture_on_commit_callbacks
):
    workshop = make_workshop(capacity=1)
    for member in members[:3]:
        services.registration_create(member, workshop)
    workshop.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        workshop.save_revision().publish()
    statuses = list(
        Registration.objects.filter(workshop=workshop)
        .order_by("created_at", "pk")
        .values_list("status", flat=True)
    )
    assert statuses == [REGISTERED, REGISTERED, WAITLISTED]
    assert [m.to for m in mail.outbox] == [[members[1].email]]


def test_every_write_is_audited_with_a_registered_action(
    make_workshop, members, django_capture_on_commit_callbacks
):
    workshop = make_workshop(capacity=1)
    holder, waiting = members[:2]
    services.registration_create(holder, workshop)
    services.registration_create(waiting, workshop)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(holder, workshop)
    entries = list(ModelLogEntry.objects.filter(action__startswith="portal.workshop_"))
    actions = [(e.action, e.user_id, e.data.get("workshop")) for e in entries]
    assert (services.REGISTER, holder.pk, workshop.pk) in actions
    assert (services.REGISTER, waiting.pk, workshop.pk) in actions
    assert (services.CANCEL, holder.pk, workshop.pk) in actions
    promote = next(e for e in entries if e.action == services.PROMOTE)
    assert promote.data["promoted_user"] == waiting.pk
    for action in (services.REGISTER, services.CANCEL, services.PROMOTE, services.EXPORT):
        assert log_actions.action_exists(action)
