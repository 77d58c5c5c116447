import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.accounts.gate import member_required
from portal.taxonomy.models import Field, Prefecture

from . import selectors, services
from .forms import (
    ConsentForm,
    DirectoryFilterForm,
    LanguageFormSet,
    PartnerFilterForm,
    PartnerSuggestionForm,
    ProfileForm,
    RelayForm,
)
from .fragments import listing_cards
from .models import CoordinatorProfile, Partner, Scope
from .selectors import PAGE_SIZE, live_partners, partner_groups, partner_rows
from .services import partner_suggest

DEFAULT_PAGE_SIZE = 20


def private(view):
    """Directory responses are personal data: never stored by browsers or proxies."""

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _listing(request, scope: str, template: str):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters()
    rows, counts = selectors.directory_page(request.user, scope, filters)
    per_page = DEFAULT_PAGE_SIZE
    if form.is_bound and getattr(form, "cleaned_data", {}).get("per_page"):
        per_page = form.cleaned_data["per_page"]
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    cards = listing_cards(list(page.object_list), scope)
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        template,
        {
            "form": form,
            "filter_rows": form.filter_rows(counts),
            "page": page,
            "cards": cards,
            "counts": counts,
            "query": query.urlencode(),
            "scope": scope,
        },
    )


@private
@member_required
def directory_list(request):
    return _listing(request, Scope.DIRECTORY, "directory/directory_list.html")


@private
def public_list(request):
    return _listing(request, Scope.PUBLIC, "directory/public_list.html")


@private
@member_required
@require_http_methods(["GET", "POST"])
def directory_detail(request, pk: int):
    profile = selectors.visible_profile(Scope.DIRECTORY, pk)
    if profile is None:
        raise Http404
    if not services.detail_view_allowed(request.user):
        return TemplateResponse(request, "directory/view_cap.html", status=429)
    relay = RelayForm(request.POST or None)
    own = profile.user_id == request.user.pk
    if request.method == "POST" and not own and relay.is_valid():
        try:
            services.relay_send(
                request.user, profile, relay.cleaned_data["subject"], relay.cleaned_data["body"]
            )
        except ValidationError as error:
            relay.add_error(None, error)
        else:
            messages.success(
                request, _("Your message was sent. Their reply will come to your e-mail.")
            )
            return HttpResponseRedirect(request.path)
    return TemplateResponse(
        request,
        "directory/directory_detail.html",
        {
            "card": selectors.card(profile, selectors.shown_fields(profile), "directory:photo"),
            "relay": relay,
            "own": own,
        },
    )


@private
@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    """The signed-in user's own profile and consent; there is no id to tamper with."""
    profile = CoordinatorProfile.objects.filter(user=request.user).first() or CoordinatorProfile(
        user=request.user
    )
    bound = request.method == "POST"
    form = ProfileForm(
        request.POST if bound else None, request.FILES if bound else None, instance=profile
    )
    languages = LanguageFormSet(
        request.POST if bound else None, instance=profile if profile.pk else CoordinatorProfile()
    )
    consents = {}
    for scope in Scope.values:
        current = selectors.latest_consent(request.user, scope)
        listed = bool(
            current
            and current.withdrawn_at is None
            and current.policy_version == selectors.current_policy_version()
        )
        initial = {"listed": listed, "fields": current.fields if listed else []}
        consents[scope] = ConsentForm(request.POST if bound else None, scope=scope, initial=initial)
    if (
        bound
        and form.is_valid()
        and languages.is_valid()
        and all(c.is_valid() for c in consents.values())
    ):
        with transaction.atomic():
            services.profile_update(request.user, form, languages)
            for scope, consent in consents.items():
                if not consent.has_changed():
                    continue
                if consent.cleaned_data["listed"]:
                    services.consent_grant(request.user, scope, consent.cleaned_data["fields"])
                else:
                    services.consent_withdraw(request.user, scope)
        messages.success(request, _("Your profile was saved."))
        return HttpResponseRedirect(request.path)
    outdated = any(
        (c := selectors.latest_consent(request.user, scope)) is not None
        and c.withdrawn_at is None
        and c.policy_version != selectors.current_policy_version()
        for scope in Scope.values
    )
    return TemplateResponse(
        request,
        "directory/profile_edit.html",
        {
            "form": form,
            "languages": languages,
            "consent_directory": consents[Scope.DIRECTORY],
            "consent_public": consents[Scope.PUBLIC],
            "previews": selectors.preview_cards(request.user),
            "policy_outdated": outdated,
        },
    )


@private
@login_required
def profile_export(request):
    data = services.profile_export(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-portal-data.json"'
    return response


def _photo_response(profile):
    response = FileResponse(profile.photo.open("rb"), content_type=_photo_type(profile.photo.name))
    response["Content-Disposition"] = "inline"
    return response


def _photo_type(name: str) -> str:
    return "image/png" if name.lower().endswith(".png") else "image/jpeg"


def _scoped_photo(scope: str, pk: int):
    profile = selectors.photo_of(scope, pk)
    if profile is None:
        raise Http404
    return _photo_response(profile)


@private
@member_required
def directory_photo(request, pk: int):
    return _scoped_photo(Scope.DIRECTORY, pk)


@private
def public_photo(request, pk: int):
    return _scoped_photo(Scope.PUBLIC, pk)


@private
@login_required
def own_photo(request):
    profile = CoordinatorProfile.objects.filter(user=request.user).exclude(photo="").first()
    if profile is None:
        raise Http404
    return _photo_response(profile)


# Partners ----------------------------------------------------------------------------------------


@member_required
def partner_list(request):
    form = PartnerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    partners = live_partners(data.get("prefecture"), data.get("language"), data.get("level") or "")
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("field", None)
    context = {"form": form, "filter_rows": form.filter_rows(), "query": query.urlencode()}
    field = Field.objects.filter(slug=data["field"]).first() if data.get("field") else None
    if field is not None:
        # One field: every partner in it, a page at a time.
        in_field = (
            partners.filter(fields=field)
            .order_by("name_ja", "pk")
            .prefetch_related(
                Prefetch("prefectures", queryset=Prefecture.objects.order_by("number"))
            )
        )
        page = Paginator(in_field, PAGE_SIZE).get_page(request.GET.get("page"))
        context["rows"] = partner_rows(page.object_list)
        field_query = request.GET.copy()
        field_query.pop("page", None)
        context.update(
            field=field, page=page, total=page.paginator.count, field_query=field_query.urlencode()
        )
        return TemplateResponse(request, "directory/partners/field.html", context)
    groups, total = partner_groups(
        data.get("prefecture"), data.get("language"), data.get("level") or ""
    )
    context.update(groups=groups, total=total)
    return TemplateResponse(request, "directory/partners/list.html", context)


@member_required
def partner_detail(request, slug: str):
    partner = (
        Partner.objects.filter(live=True, slug=slug)
        .prefetch_related("fields", "prefectures", "languages")
        .first()
    )
    if partner is None:
        raise Http404
    return TemplateResponse(request, "directory/partners/detail.html", {"partner": partner})


@member_required
def partner_suggest_view(request, slug: str | None = None):
    existing = None
    if slug is not None:
        existing = get_object_or_404(Partner, live=True, slug=slug)
    form = PartnerSuggestionForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            partner_suggest(request.user, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you. Your suggestion was sent to the agency editors for review."),
            )
            return HttpResponseRedirect(reverse("partners:list"))
    return TemplateResponse(
        request, "directory/partners/suggest.html", {"form": form, "existing": existing}
    )
