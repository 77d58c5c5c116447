from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services, verification
from .forms import (
    LanguageForm,
    PortalPasswordResetForm,
    VerificationNameForm,
    VerifyLookupForm,
)
from .gate import member_required


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Carry the profile's language into this browser unless it already chose one.
        if settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            _set_language_cookie(response, form.get_user().preferred_language)
        return response


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = PortalPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_POST
def set_language(request):
    """Switch the interface language: remembered in a cookie and, when signed in, on the profile."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        translation.activate(language)
        _set_language_cookie(response, language)
        if request.user.is_authenticated:
            services.user_set_language(request.user, language)
    return response


def _set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@member_required
def members_home(request):
    """The member start page: own certificate and the sections later features fill."""
    return TemplateResponse(
        request, "accounts/members_home.html", selectors.member_home_context(request)
    )


def _client_key(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _verify_lookup(request, number):
    """(certificate, response): the response is set when the lookup must not go on."""
    if verification.throttle_exceeded(_client_key(request)):
        response = TemplateResponse(request, "accounts/verify_throttled.html", status=429)
        response["Retry-After"] = str(settings.PORTAL_VERIFY_RATE[1])
        return None, response
    certificate = verification.find_certificate(number)
    if certificate is None:
        response = TemplateResponse(
            request, "accounts/verify_unknown.html", {"number": number[:40]}, status=404
        )
        return None, response
    return certificate, None


@require_GET
def verify_lookup(request):
    """A form for typing in a certificate number; sends the visitor to its verification page."""
    form = VerifyLookupForm(request.GET or None)
    if form.is_valid():
        return HttpResponseRedirect(reverse("verify", args=[form.cleaned_data["number"]]))
    return TemplateResponse(request, "accounts/verify_lookup.html", {"form": form})


@require_GET
def verify(request, number):
    """Public page: is this certificate valid? The holder's name only when they allowed it."""
    certificate, response = _verify_lookup(request, number)
    if response is None:
        response = TemplateResponse(
            request,
            "accounts/verify.html",
            {
                "certificate": certificate,
                "status": verification.public_status(certificate),
                "holder_name": verification.holder_name(certificate),
            },
        )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def verify_badge(request, number):
    certificate, response = _verify_lookup(request, number)
    if response is not None:
        status = response.status_code
        body = {"error": "not found" if status == 404 else "too many requests"}
        json_response = JsonResponse(body, status=status)
        if response.has_header("Retry-After"):
            json_response["Retry-After"] = response["Retry-After"]
        json_response["Cache-Control"] = "no-store"
        return json_response
    response = JsonResponse(
        verification.badge(certificate),
        content_type="application/vc+ld+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Cache-Control"] = "no-store"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
def own_certificate(request):
    """The member's own certificates, badge links and the verification-name setting.

    Open to every signed-in user, also when the certificate has lapsed (renewal information)."""
    if request.method == "POST":
        form = VerificationNameForm(request.POST)
        if form.is_valid():
            services.verification_name_set(request.user, form.cleaned_data["show_name"])
            messages.success(request, _("Your setting was saved."))
            return HttpResponseRedirect(request.path)
    else:
        form = VerificationNameForm(initial={"show_name": request.user.show_name_on_verification})
    return TemplateResponse(
        request,
        "accounts/own_certificate.html",
        {**selectors.own_certificates_context(request.user), "form": form},
    )
