"""Reads for national notices: what a viewer may see, who a notice asks to confirm, and the report.

Members-only notices are shown to admitted members (valid coordinators and staff) only; drafts,
unpublished and expired pages never appear. Every list here costs a fixed number of queries,
whatever the number of notices or members.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portal.accounts.gate import Access, is_staff_member, member_access, request_access
from portal.accounts.models import Certificate, today
from portal.accounts.roles import COORDINATOR
from portal.taxonomy.forms import TaxonomyChoiceField
from portal.taxonomy.models import Field, Prefecture

from ..models import Acknowledgement, Audience, NoticeCategory, NoticePage

PAGE_SIZE = 20
EFFECTIVE_SOON_DAYS = 30
EFFECTIVE_SOON_LIMIT = 10
MEMBER_HOME_LIMIT = 5
FEED_LIMIT = 50


# Visibility -------------------------------------------------------------------------------


def published_notices():
    """Live notices open to the whole site (no Wagtail view restriction), not past expiry."""
    return (
        NoticePage.objects.live()
        .public()
        .exclude(expired=True)
        .exclude(expire_at__lte=timezone.now())
    )


def public_notices():
    """What anyone may read: published notices for everyone."""
    return published_notices().filter(audience=Audience.PUBLIC)


def visible_notices(user, access: Access | None = None):
    """Notices ``user`` may read: public ones, plus members-only ones for admitted members.

    ``access`` is the user's :func:`member_access` when the caller already knows it."""
    if access is None:
        access = member_access(user)
    if access is Access.ADMIT:
        return published_notices()
    return public_notices()


def with_listing_data(notices, user=None):
    """Notices with their fields and prefectures prefetched and, for a signed-in user, an
    ``acknowledged`` flag (no per-row query in listings)."""
    notices = notices.prefetch_related(
        Prefetch("fields", queryset=Field.objects.order_by("order", "slug")),
        Prefetch("prefectures", queryset=Prefecture.objects.order_by("number")),
    )
    if user is not None and user.is_authenticated:
        notices = notices.annotate(
            acknowledged=Exists(
                Acknowledgement.objects.filter(notice=OuterRef("pk"), user_id=user.pk)
            )
        )
    return notices


# Targeting --------------------------------------------------------------------------------


def coordinator_prefectures(user, on: datetime.date | None = None) -> set | None:
    """Workplace prefecture ids (``None`` for "not recorded") of the valid certificates of
    ``user`` when ``user`` is an active coordinator with a valid certificate, else ``None``."""
    if not user.is_authenticated or not user.is_active:
        return None
    ids = list(
        Certificate.objects.valid_on(on or today())
        .filter(holder_id=user.pk, holder__groups__name=COORDINATOR)
        .values_list("workplace_prefecture_id", flat=True)
    )
    return set(ids) if ids else None


def is_targeted(notice: NoticePage, prefectures: set | None) -> bool:
    """Whether a coordinator with these certificate prefectures (see
    :func:`coordinator_prefectures`) is asked to confirm ``notice``."""
    if prefectures is None or not notice.requires_acknowledgement:
        return False
    if notice.nationwide:
        return True
    return any(p.pk in prefectures for p in notice.prefectures.all())


def _notice_prefecture_ids(notice: NoticePage):
    return NoticePage.prefectures.through.objects.filter(noticepage_id=notice.pk).values(
        "prefecture_id"
    )


def _targeted_certificates(notice: NoticePage, on: datetime.date):
    certificates = Certificate.objects.valid_on(on).filter(
        holder__is_active=True, holder__groups__name=COORDINATOR
    )
    if not notice.nationwide:
        certificates = certificates.filter(
            workplace_prefecture_id__in=_notice_prefecture_ids(notice)
        )
    return certificates


def targeted_coordinators(notice: NoticePage, on: datetime.date | None = None):
    """Active coordinators with a valid certificate today; for a notice that is not nationwide,
    only those whose valid certificate's workplace is in one of the notice's prefectures."""
    certificates = _targeted_certificates(notice, on or today())
    return get_user_model().objects.filter(pk__in=certificates.values("holder_id"))


# Listing ----------------------------------------------------------------------------------


class DateBasis:
    PUBLISHED = "published"
    EFFECTIVE = "effective"


class NoticeFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *NoticeCategory.choices],
        required=False,
    )
    field = TaxonomyChoiceField(
        Field, label=_("Field of consultation"), empty_label=_("All fields")
    )
    prefecture = TaxonomyChoiceField(
        Prefecture, label=_("Prefecture"), empty_label=_("All prefectures")
    )
    date_basis = forms.ChoiceField(
        label=_("Dates refer to"),
        choices=[
            (DateBasis.PUBLISHED, _("Publication date")),
            (DateBasis.EFFECTIVE, _("Effective date")),
        ],
        required=False,
    )
    date_from = forms.DateField(
        label=pgettext_lazy("date filter", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Format: YYYY-MM-DD"),
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date filter", "Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Format: YYYY-MM-DD"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data


FILTER_NAMES = tuple(NoticeFilterForm.base_fields)


def apply_notice_filters(notices, data: dict):
    if data.get("category"):
        notices = notices.filter(category=data["category"])
    if data.get("field"):
        notices = notices.filter(
            Exists(
                NoticePage.fields.through.objects.filter(
                    noticepage_id=OuterRef("pk"), field_id=data["field"]
                )
            )
        )
    if data.get("prefecture"):
        # A nationwide notice concerns every prefecture.
        notices = notices.filter(
            Q(nationwide=True)
            | Exists(
                NoticePage.prefectures.through.objects.filter(
                    noticepage_id=OuterRef("pk"), prefecture_id=data["prefecture"]
                )
            )
        )
    start, end = data.get("date_from"), data.get("date_to")
    if data.get("date_basis") == DateBasis.EFFECTIVE:
        if start:
            notices = notices.filter(effective_date__gte=start)
        if end:
            notices = notices.filter(effective_date__lte=end)
    else:
        if start:
            notices = notices.filter(first_published_at__date__gte=start)
        if end:
            notices = notices.filter(first_published_at__date__lte=end)
    return notices


@dataclass
class NoticeRow:
    """One notice in a list, with what this viewer needs to know about it."""

    notice: NoticePage
    needs_confirmation: bool = False

    @property
    def fields(self) -> list:
        return list(self.notice.fields.all())

    @property
    def prefectures(self) -> list:
        return list(self.notice.prefectures.all())


def _rows(notices, prefectures: set | None) -> list[NoticeRow]:
    return [
        NoticeRow(
            notice,
            needs_confirmation=is_targeted(notice, prefectures)
            and not getattr(notice, "acknowledged", False),
        )
        for notice in notices
    ]


def notice_index_context(page, request) -> dict:
    """Context of ``/notices/``: filters, the page of notices, "effective soon" and the feeds."""
    user = request.user
    access = request_access(request)
    notices = visible_notices(user, access).descendant_of(page)
    form = NoticeFilterForm(request.GET or None)
    filters_invalid = False
    if form.is_bound:
        if form.is_valid():
            notices = apply_notice_filters(notices, form.cleaned_data)
        else:
            filters_invalid = True
    notices = with_listing_data(notices, user).order_by("-first_published_at", "-pk")
    paginator = Paginator(notices, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))

    on = today()
    prefectures = coordinator_prefectures(user, on)
    soon = (
        visible_notices(user, access)
        .descendant_of(page)
        .filter(
            effective_date__gte=on,
            effective_date__lte=on + datetime.timedelta(days=EFFECTIVE_SOON_DAYS),
        )
        .order_by("effective_date", "-first_published_at", "pk")[:EFFECTIVE_SOON_LIMIT]
    )
    query = urlencode(
        [(name, value) for name in FILTER_NAMES for value in request.GET.getlist(name) if value]
    )
    context = {
        "filter_form": form,
        "filters_invalid": filters_invalid,
        "notices": page_obj,
        "notice_rows": _rows(page_obj.object_list, prefectures),
        "effective_soon": list(soon),
        "query": query,
        "feed_url": reverse("notices:feed"),
        "personal_feed_url": None,
        "revoke_feed_url": None,
    }
    if access is Access.ADMIT:
        from ..services.notices import feed_token_for

        token = feed_token_for(user)
        context["personal_feed_url"] = request.build_absolute_uri(
            reverse("notices:personal_feed", args=[token.token])
        )
        context["revoke_feed_url"] = reverse("notices:feed_revoke")
    return context


# Detail -----------------------------------------------------------------------------------


def notice_context(page: NoticePage, user) -> dict:
    """Context of a notice page: whether the user is asked to confirm it and whether they did."""
    acknowledgement = None
    targeted = False
    if page.requires_acknowledgement and user.is_authenticated:
        targeted = is_targeted(page, coordinator_prefectures(user))
        acknowledgement = Acknowledgement.objects.filter(notice_id=page.pk, user_id=user.pk).first()
    staff = is_staff_member(user)
    return {
        "notice_prefectures": [] if page.nationwide else list(page.prefectures.all()),
        "notice_fields": list(page.fields.all()),
        "acknowledgement": acknowledgement,
        "can_acknowledge": bool(targeted and acknowledgement is None and page.live and page.pk),
        # A preview of a notice not saved yet has no id.
        "acknowledge_url": reverse("notices:acknowledge", args=[page.pk]) if page.pk else None,
        "acknowledgement_report_url": (
            reverse("notice_acknowledgements", args=[page.pk])
            if page.pk and staff and page.requires_acknowledgement
            else None
        ),
    }


# Report -----------------------------------------------------------------------------------


@dataclass
class PrefectureRow:
    prefecture: Prefecture | None
    targeted: int = 0
    acknowledged: int = 0

    @property
    def label(self) -> str:
        return self.prefecture.name if self.prefecture else gettext("Not recorded")

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.targeted) if self.targeted else 0


@dataclass
class MemberRow:
    user_id: int
    name: str
    certificate_number: str
    prefecture: str
    email: str
    acknowledged_at: datetime.datetime | None = None


@dataclass
class AcknowledgementReport:
    notice: NoticePage
    on: datetime.date
    targeted: int = 0
    acknowledged: int = 0
    rows: list[PrefectureRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)

    @property
    def pending(self) -> list[MemberRow]:
        """Targeted members who have not confirmed yet."""
        return [m for m in self.members if m.acknowledged_at is None]

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.targeted) if self.targeted else 0


def acknowledgement_report(notice: NoticePage, on: datetime.date | None = None):
    """Confirmations of ``notice`` among the coordinators it targets today: totals, one row per
    workplace prefecture, and each targeted member (for the list of those who have not)."""
    on = on or today()
    certificates = (
        _targeted_certificates(notice, on)
        .select_related("holder", "workplace_prefecture")
        .order_by("holder_id", "-valid_until", "-issued_on", "-pk")
    )
    acknowledged = dict(
        Acknowledgement.objects.filter(notice_id=notice.pk).values_list(
            "user_id", "acknowledged_at"
        )
    )
    report = AcknowledgementReport(notice=notice, on=on)
    by_prefecture: dict = {}
    seen: set[int] = set()
    for certificate in certificates:
        holder = certificate.holder
        if holder.pk in seen:  # a member with two valid certificates counts once
            continue
        seen.add(holder.pk)
        prefecture = certificate.workplace_prefecture
        key = prefecture.number if prefecture else 10_000
        row = by_prefecture.setdefault(key, PrefectureRow(prefecture))
        row.targeted += 1
        report.targeted += 1
        done = acknowledged.get(holder.pk)
        if done is not None:
            row.acknowledged += 1
            report.acknowledged += 1
        report.members.append(
            MemberRow(
                user_id=holder.pk,
                name=holder.get_full_name(),
                certificate_number=certificate.number,
                prefecture=row.label,
                email=holder.email,
                acknowledged_at=done,
            )
        )
    report.rows = [by_prefecture[key] for key in sorted(by_prefecture)]
    report.members.sort(key=lambda m: (m.acknowledged_at is not None, m.prefecture, m.name))
    return report


# Member start page --------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeLink:
    """A notice on the member start page; ``title`` carries the "please confirm" marker."""

    url: str
    title: str
    needs_confirmation: bool = False


def member_home_notices(user, access: Access | None = None) -> list[NoticeLink]:
    """The newest notices ``user`` may see, marking important ones they still have to confirm."""
    notices = with_listing_data(visible_notices(user, access), user).order_by(
        "-first_published_at", "-pk"
    )[:MEMBER_HOME_LIMIT]
    prefectures = coordinator_prefectures(user)
    links = []
    for row in _rows(notices, prefectures):
        title = row.notice.title
        if row.needs_confirmation:
            title = gettext("[Please confirm] %(title)s") % {"title": title}
        links.append(NoticeLink(row.notice.url, title, row.needs_confirmation))
    return links


# Feeds ------------------------------------------------------------------------------------


def feed_notices(user=None):
    """Notices for a feed: public ones, or everything ``user`` may see; newest first."""
    notices = public_notices() if user is None else visible_notices(user)
    return notices.order_by("-first_published_at", "-pk")[:FEED_LIMIT]
