"""The member gate: who may enter the member area.

Valid coordinators and staff (anyone who may use the Wagtail admin) are admitted; anonymous
visitors are sent to the login page; signed-in users without a valid certificate get the renewal
page (HTTP 403) and never member content. Use :func:`member_required` on function views,
:class:`MemberRequiredMixin` on class-based views and :class:`MembersOnlyPageMixin` on Wagtail
pages. Pages restricted (Wagtail privacy) to the Coordinator group pass through the same check.
"""

import enum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse

from .models import CertificateStatus, today
from .roles import COORDINATOR


class Access(enum.Enum):
    ADMIT = "admit"
    LOGIN = "login"
    RENEWAL = "renewal"


def is_staff_member(user) -> bool:
    return bool(user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def member_access(user) -> Access:
    if not user.is_authenticated:
        return Access.LOGIN
    if not user.is_active:
        return Access.LOGIN
    if is_staff_member(user) or user.certificate_status() == CertificateStatus.VALID:
        return Access.ADMIT
    return Access.RENEWAL


def request_access(request) -> Access:
    """``member_access`` of the request's user, worked out once per request (the gate and the
    navigation both need it)."""
    access = getattr(request, "_portal_member_access", None)
    if access is None:
        access = member_access(request.user)
        request._portal_member_access = access
    return access


def renewal_response(request) -> TemplateResponse:
    user = request.user
    certificate = user.current_certificate()
    status = certificate.status() if certificate else CertificateStatus.NONE
    return TemplateResponse(
        request,
        "accounts/renewal_required.html",
        {"certificate": certificate, "status": status, "today": today()},
        status=403,
    )


def gate_response(request):
    """``None`` when the request may see member content, else the response to send instead."""
    access = request_access(request)
    if access is Access.ADMIT:
        return None
    if access is Access.LOGIN:
        return redirect_to_login(request.get_full_path())
    return renewal_response(request)


def member_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = gate_response(request)
        if response is not None:
            return response
        return view(request, *args, **kwargs)

    return wrapped


class MemberRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        response = gate_response(request)
        if response is not None:
            return response
        return super().dispatch(request, *args, **kwargs)


class MembersOnlyPageMixin:
    """Mix into a Wagtail ``Page`` class so every page of that type sits behind the gate.

    A page type whose pages differ (a notice for members or for everyone) defines
    ``members_only`` as a property instead."""

    members_only = True


def _restricted_to_coordinators(restrictions) -> bool:
    for restriction in restrictions:
        if restriction.restriction_type == restriction.GROUPS and any(
            group.name == COORDINATOR for group in restriction.groups.all()
        ):
            return True
    return False


def document_needs_gate(document) -> bool:
    """A document in a collection (or below one) whose privacy names the *Coordinator* group,
    such as the *Members' documents* collection."""
    return _restricted_to_coordinators(document.collection.get_view_restrictions())


def page_needs_gate(page) -> bool:
    specific = page if type(page) is page.specific_class else page.specific
    if getattr(specific, "members_only", False):
        return True
    return _restricted_to_coordinators(page.get_view_restrictions())
