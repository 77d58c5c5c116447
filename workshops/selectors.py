"""Reads for workshops: seats, the viewer's registration and the attendee list."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, When
from django.utils import timezone

from portal.accounts.gate import is_staff_member

from .models import Registration, WorkshopPage

Status = Registration.Status


def seats_taken(workshop: WorkshopPage) -> int:
    return Registration.objects.filter(workshop=workshop, status=Status.REGISTERED).count()


def seats_left(workshop: WorkshopPage) -> int:
    return max(workshop.capacity - seats_taken(workshop), 0)


def waitlist(workshop: WorkshopPage):
    """The waiting list in the order places are offered (first come, first served)."""
    return Registration.objects.filter(workshop=workshop, status=Status.WAITLISTED).order_by(
        "created_at", "pk"
    )


def active_registration(user, workshop: WorkshopPage) -> Registration | None:
    """The user's current (registered or waiting) registration, if any."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(workshop=workshop, user=user)
        .exclude(status=Status.CANCELLED)
        .first()
    )


def viewer_registration(user, workshop: WorkshopPage) -> Registration | None:
    """The user's current registration, else their latest cancelled one (to say so)."""
    if not user.is_authenticated:
        return None
    registrations = list(
        Registration.objects.filter(workshop=workshop, user=user).order_by("-created_at", "-pk")
    )
    for registration in registrations:
        if registration.is_active:
            return registration
    return registrations[0] if registrations else None


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next in line; ``None`` when the registration is not on the waiting list."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = (
        waitlist(registration.workshop)
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1


def workshop_detail(workshop: WorkshopPage, user, now=None) -> dict:
    """Everything the workshop page shows about seats and the viewer's place."""
    now = now or timezone.now()
    # A page being previewed before its first save has no registrations yet.
    saved = workshop.pk is not None
    registration = viewer_registration(user, workshop) if saved else None
    registered = registration is not None and registration.status == Status.REGISTERED
    staff = is_staff_member(user)
    return {
        "seats_left": seats_left(workshop) if saved else workshop.capacity,
        "waitlist_count": waitlist(workshop).count() if saved else 0,
        "registration": registration,
        "waitlist_position": waitlist_position(registration) if registration else None,
        "is_registered": registered,
        "is_active": registration is not None and registration.is_active,
        "is_staff": staff,
        "show_materials": registered or staff,
        "show_meeting_url": registered and workshop.online and bool(workshop.meeting_url),
        "registration_open": workshop.registration_open(now),
        "deadline_passed": now > workshop.registration_deadline,
        "has_started": workshop.has_started(now),
        "has_ended": workshop.has_ended(now),
        "themes": list(workshop.themes.all()),
        "same_day": timezone.localdate(workshop.starts_at) == timezone.localdate(workshop.ends_at),
    }


@dataclass(frozen=True)
class ListedWorkshop:
    """One row of the listing; ``is_past`` decides the heading it falls under."""

    page: WorkshopPage
    seats_left: int
    viewer_status: str | None
    is_past: bool

    @property
    def viewer_status_label(self) -> str:
        return Status(self.viewer_status).label if self.viewer_status else ""


class _Listing:
    """A lazily sliced listing so the paginator fetches only one page of workshops."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        rows = self.queryset[key]
        return [
            ListedWorkshop(
                page=page,
                seats_left=max(page.capacity - page.seats_taken, 0),
                viewer_status=page.viewer_status,
                is_past=bool(page.is_past),
            )
            for page in rows
        ]


def workshop_listing(index_page, user, now=None) -> _Listing:
    """Live workshops under ``index_page``: upcoming (soonest first), then past (latest first),
    with seats left and the viewer's status, in a fixed number of queries per page."""
    now = now or timezone.now()
    viewer = Registration.objects.filter(workshop=OuterRef("pk")).exclude(status=Status.CANCELLED)
    viewer = (
        viewer.filter(user=user).values("status")[:1]
        if user.is_authenticated
        else viewer.none().values("status")[:1]
    )
    queryset = (
        WorkshopPage.objects.live()
        .child_of(index_page)
        .annotate(
            seats_taken=Count("registrations", filter=Q(registrations__status=Status.REGISTERED)),
            viewer_status=Subquery(viewer),
            is_past=Case(When(ends_at__lte=now, then=1), default=0, output_field=IntegerField()),
            upcoming_start=Case(When(ends_at__gt=now, then=F("starts_at")), default=None),
        )
        .order_by("is_past", "upcoming_start", "-starts_at", "pk")
        .prefetch_related(Prefetch("themes"))
    )
    return _Listing(queryset)


def attendee_rows(workshop: WorkshopPage) -> list[dict]:
    """Registered members, then the waiting list in order: one dict per person for exports."""
    registrations = (
        Registration.objects.filter(workshop=workshop)
        .exclude(status=Status.CANCELLED)
        .select_related("user")
        .prefetch_related("user__certificates")
        .annotate(
            queue=Case(
                When(status=Status.REGISTERED, then=0), default=1, output_field=IntegerField()
            )
        )
        .order_by("queue", "created_at", "pk")
    )
    rows = []
    position = 0
    for registration in registrations:
        user = registration.user
        certificate = user.current_certificate()
        if registration.status == Status.WAITLISTED:
            position += 1
        rows.append(
            {
                "status": registration.get_status_display(),
                "waitlist_position": position if registration.status == Status.WAITLISTED else None,
                "name": user.name_kanji,
                "name_kana": user.name_kana,
                "name_romaji": user.name_romaji,
                "email": user.email,
                "certificate_number": certificate.number if certificate else "",
                "registered_at": timezone.localtime(registration.created_at),
                "promoted_at": timezone.localtime(registration.promoted_at)
                if registration.promoted_at
                else None,
            }
        )
    return rows
