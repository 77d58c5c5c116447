"""Partners on the front end: the list by field of response, detail, and suggestions.

Reads return live (published) partners only. A suggestion (new partner or correction) is saved as
a draft revision and submitted to the "Partner review" workflow; nothing changes on the site until
an agency editor approves it.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import audit
from portal.accounts.gate import member_required
from portal.taxonomy.models import Field, Language, Prefecture

from .forms import FilterOptionsMixin
from .models import Partner, PartnerLevel

PARTNER_SUGGEST = "directory.partner_suggest"


# Selectors ---------------------------------------------------------------------------------------


def live_partners(prefecture=None, language=None, level=""):
    partners = Partner.objects.filter(live=True)
    if prefecture is not None:
        partners = partners.filter(Q(nationwide=True) | Q(prefectures=prefecture))
    if language is not None:
        partners = partners.filter(languages=language)
    if level:
        partners = partners.filter(level=level)
    return partners.distinct()


PER_FIELD = 10
PAGE_SIZE = 50


@dataclass(frozen=True)
class PartnerRow:
    """What a partner list shows of one partner, worked out once in Python (templates only
    print it: per-row template lookups were the slowest part of the page)."""

    url: str
    name: str
    kind: str
    area: str


def partner_row(partner: Partner, nationwide_label: str) -> PartnerRow:
    if partner.nationwide:
        area = nationwide_label
    else:
        area = "、".join(p.name for p in partner.prefectures.all())
    return PartnerRow(
        url=reverse("partners:detail", args=[partner.slug]),
        name=partner.name,
        kind=partner.get_kind_display(),
        area=area,
    )


def partners_by_field(partners, per_field: int = PER_FIELD):
    """[(field, first partners, how many in all), …] for every field in order, and the total.

    A constant number of queries whatever the number of partners: the field links of the
    matching partners are read as ids, and only the partners shown are loaded."""
    links = list(
        Partner.fields.through.objects.filter(partner__in=partners.order_by().values("pk"))
        .order_by("partner__name_ja", "partner_id")
        .values_list("field_id", "partner_id")
    )
    shown: dict[int, list[int]] = {}
    counts: dict[int, int] = {}
    for field_id, partner_id in links:
        counts[field_id] = counts.get(field_id, 0) + 1
        if len(shown.setdefault(field_id, [])) < per_field:
            shown[field_id].append(partner_id)
    wanted = {pk for ids in shown.values() for pk in ids}
    loaded = Partner.objects.filter(pk__in=wanted).prefetch_related(
        Prefetch("prefectures", queryset=Prefecture.objects.order_by("number"))
    )
    nationwide = _("nationwide")
    by_pk = {partner.pk: partner_row(partner, nationwide) for partner in loaded}
    fields = list(Field.objects.order_by("order"))
    groups = [
        (field, [by_pk[pk] for pk in shown.get(field.pk, [])], counts.get(field.pk, 0))
        for field in fields
    ]
    total = len({partner_id for _, partner_id in links})
    return groups, total


# Forms -------------------------------------------------------------------------------------------


class PartnerFilterForm(FilterOptionsMixin, forms.Form):
    prefecture = forms.ModelChoiceField(
        label=gettext_lazy("Prefecture"),
        queryset=Prefecture.objects.all(),
        required=False,
        empty_label=gettext_lazy("All prefectures"),
    )
    language = forms.ModelChoiceField(
        label=gettext_lazy("Language"),
        queryset=Language.objects.all(),
        required=False,
        empty_label=gettext_lazy("All languages"),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Level"),
        choices=[("", gettext_lazy("All levels"))] + list(PartnerLevel.choices),
        required=False,
    )
    field = forms.ModelChoiceField(
        label=gettext_lazy("Field of response"),
        queryset=Field.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=gettext_lazy("All fields"),
    )


class PartnerSuggestionForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name_ja",
            "name_en",
            "kind",
            "level",
            "fields",
            "nationwide",
            "prefectures",
            "languages",
            "address",
            "phone",
            "email",
            "url",
            "opening_hours",
            "notes",
        ]
        widgets = {
            "fields": forms.CheckboxSelectMultiple,
            "prefectures": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if not data.get("nationwide") and not data.get("prefectures"):
            self.add_error(
                "prefectures", _("Choose the prefectures it covers, or tick “covers all of Japan”.")
            )
        return data


# Services ----------------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "partner"
    slug, n = base, 2
    while Partner.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def partner_suggest(user, form: PartnerSuggestionForm) -> Partner:
    """Save a suggestion as a draft revision and submit it for review. Raises ValidationError
    when a suggestion for the same partner is already under review."""
    partner = form.instance
    is_new = partner.pk is None
    if not is_new and partner.workflow_in_progress:
        raise ValidationError(
            _("A change to this partner is already under review. Please try again later.")
        )
    if is_new:
        partner = form.save(commit=False)
        partner.slug = _unique_slug(partner.name_en or partner.kind)
        partner.live = False
        partner.suggested_by = user
        partner.save()
        form.save_m2m()
    else:
        partner = form.save(commit=False)  # the live row is not saved: only a draft revision
        for name in ("fields", "prefectures", "languages"):
            getattr(partner, name).set(form.cleaned_data[name])
    revision = partner.save_revision(user=user, log_action=True)
    workflow = partner.get_workflow()
    workflow.start(partner, user)
    audit.audit(
        partner,
        PARTNER_SUGGEST,
        user=user,
        data={"new": is_new, "revision": revision.pk},
    )
    return partner


# Views -------------------------------------------------------------------------------------------


@member_required
def partner_list(request):
    form = PartnerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    partners = live_partners(data.get("prefecture"), data.get("language"), data.get("level") or "")
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("field", None)
    context = {"form": form, "options": form.select_options(), "query": query.urlencode()}
    field = data.get("field")
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
        nationwide = _("nationwide")
        context["rows"] = [partner_row(partner, nationwide) for partner in page.object_list]
        field_query = request.GET.copy()
        field_query.pop("page", None)
        context.update(
            field=field, page=page, total=page.paginator.count, field_query=field_query.urlencode()
        )
        return TemplateResponse(request, "directory/partners/field.html", context)
    groups, total = partners_by_field(partners)
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
