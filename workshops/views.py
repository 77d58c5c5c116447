"""The workshop page's own routes (see ``WorkshopPage``): register, cancel, calendar file and the
staff's attendee exports. The member gate has already run for every one of them."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.accounts.gate import is_staff_member

from . import ics, selectors, services
from .models import Registration

# Spreadsheet programs run cells starting with these as formulas.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _back(request, workshop) -> HttpResponseRedirect:
    return HttpResponseRedirect(workshop.get_url(request) or "/")


def register(request, workshop):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        registration = services.registration_create(request.user, workshop)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request, workshop)
    if registration.status == Registration.Status.REGISTERED:
        messages.success(request, _("You are registered for this workshop."))
    else:
        position = selectors.waitlist_position(registration)
        messages.success(
            request,
            _(
                "The workshop is full, so you are on the waiting list (number %(position)s). "
                "We will e-mail you if a seat becomes free."
            )
            % {"position": position},
        )
    return _back(request, workshop)


def cancel(request, workshop):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        registration = services.registration_cancel(request.user, workshop)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request, workshop)
    if _was_waiting(registration):
        messages.success(request, _("You have left the waiting list."))
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return _back(request, workshop)


def _was_waiting(registration) -> bool:
    return getattr(registration, "previous_status", None) == Registration.Status.WAITLISTED


def _description(request, workshop) -> str:
    parts = []
    if workshop.search_description:
        parts.append(workshop.search_description)
    registration = selectors.active_registration(request.user, workshop)
    if (
        registration is not None
        and registration.status == Registration.Status.REGISTERED
        and workshop.online
        and workshop.meeting_url
    ):
        parts.append(_("Meeting URL: %(url)s") % {"url": workshop.meeting_url})
    return "\n".join(parts)


def calendar(request, workshop):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    event = ics.Event(
        uid=f"workshop-{workshop.pk}@{request.get_host().split(':')[0]}",
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        summary=workshop.title,
        location=workshop.location,
        url=workshop.get_full_url(request) or request.build_absolute_uri(workshop.url),
        description=strip_tags(_description(request, workshop)),
        stamp=workshop.last_published_at or timezone.now(),
    )
    body = ics.calendar(event, product_id="-//Support Coordinator Portal//Workshops//JA")
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}.ics"'
    return response


def _headers() -> list[str]:
    return [
        _("Status"),
        _("Waiting list number"),
        _("Name"),
        _("Name (kana)"),
        _("Name (romaji)"),
        _("E-mail"),
        _("Certificate number"),
        _("Registered at"),
        _("Moved up at"),
    ]


def _cells(row: dict) -> list:
    return [
        row["status"],
        row["waitlist_position"],
        row["name"],
        row["name_kana"],
        row["name_romaji"],
        row["email"],
        row["certificate_number"],
        row["registered_at"],
        row["promoted_at"],
    ]


def _safe(value):
    """Text as a spreadsheet shows it, never as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _export_rows(request, workshop, file_format: str) -> list[dict]:
    if not is_staff_member(request.user):
        raise PermissionDenied
    rows = selectors.attendee_rows(workshop)
    services.attendees_exported(request.user, workshop, file_format, len(rows))
    return rows


def _attachment(response: HttpResponse, workshop, extension: str) -> HttpResponse:
    response["Content-Disposition"] = (
        f'attachment; filename="workshop-{workshop.pk}-attendees.{extension}"'
    )
    return response


def attendees_csv(request, workshop):
    rows = _export_rows(request, workshop, "csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headers())
    for row in rows:
        cells = _cells(row)
        writer.writerow(
            [
                value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else _safe(value)
                for value in cells
            ]
        )
    # The byte-order mark makes Excel read the file as UTF-8 (Japanese names stay readable).
    body = buffer.getvalue().encode("utf-8-sig")
    return _attachment(HttpResponse(body, content_type="text/csv; charset=utf-8"), workshop, "csv")


def attendees_xlsx(request, workshop):
    rows = _export_rows(request, workshop, "xlsx")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Attendees")[:31]
    sheet.append(_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        cells = []
        for value in _cells(row):
            if hasattr(value, "tzinfo"):
                value = value.replace(tzinfo=None)  # Excel has no time zones: Japan time.
            cells.append(_safe(value))
        sheet.append(cells)
    for cell in sheet["H"][1:] + sheet["I"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(
        output.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _attachment(response, workshop, "xlsx")
