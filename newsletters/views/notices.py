"""Notice views beside the Wagtail pages: Atom feeds, confirmation of reading, the admin report."""

import csv

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.accounts.gate import Access, is_staff_member, member_access, member_required
from portal.audit import audit

from ..models import FeedToken, NoticeIndexPage, NoticePage
from ..selectors.notices import acknowledgement_report, feed_notices, visible_notices
from ..services.notices import (
    NOTICE_ACKNOWLEDGEMENT_EXPORT,
    NotTargeted,
    feed_token_revoke,
    notice_acknowledge,
)


def _index_url() -> str:
    index = NoticeIndexPage.objects.live().first()
    return index.url if index else "/"


# Feeds ------------------------------------------------------------------------------------


class PublicNoticeFeed(Feed):
    """``/notices/feed/``: notices for everyone (never members-only ones, never drafts)."""

    feed_type = Atom1Feed

    def title(self):
        return _("National notices")

    def subtitle(self):
        return _("Notices of the Support Coordinator Portal open to everyone.")

    def link(self):
        return _index_url()

    def feed_url(self):
        return reverse("notices:feed")

    def items(self):
        return feed_notices()

    def item_title(self, item: NoticePage):
        return item.title

    def item_description(self, item: NoticePage):
        return item.localized_summary

    def item_link(self, item: NoticePage):
        return item.url

    def item_pubdate(self, item: NoticePage):
        return item.first_published_at

    def item_updateddate(self, item: NoticePage):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item: NoticePage):
        return [item.get_category_display()]


class PersonalNoticeFeed(PublicNoticeFeed):
    """``/notices/feed/<token>/``: everything the token's member may read while admitted."""

    def get_object(self, request, token):
        feed_token = (
            FeedToken.objects.select_related("user")
            .filter(token=token, revoked_at__isnull=True)
            .first()
        )
        if feed_token is None or member_access(feed_token.user) is not Access.ADMIT:
            raise Http404
        return feed_token

    def subtitle(self, obj):
        return _("Your personal feed of national notices. Keep this address to yourself.")

    def feed_url(self, obj):
        return reverse("notices:personal_feed", args=[obj.token])

    def items(self, obj):
        return feed_notices(obj.user)


def _feed_response(feed, request, **kwargs):
    response = feed(request, **kwargs)
    response["X-Robots-Tag"] = "noindex"
    return response


public_feed_view = PublicNoticeFeed()
personal_feed_view = PersonalNoticeFeed()


def public_feed(request):
    return public_feed_view(request)


def personal_feed(request, token):
    response = _feed_response(personal_feed_view, request, token=token)
    response["Cache-Control"] = "private, no-store"
    return response


# Member actions -----------------------------------------------------------------------------


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or fallback
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
@member_required
def acknowledge(request, page_id):
    """ "I have read this": records the confirmation and goes back to the notice."""
    notice = get_object_or_404(visible_notices(request.user), pk=page_id)
    try:
        _acknowledgement, created = notice_acknowledge(request.user, notice)
    except NotTargeted as error:
        raise PermissionDenied(_("This notice asks you for no confirmation.")) from error
    if created:
        messages.success(request, _("Thank you: your confirmation was recorded."))
    else:
        messages.info(request, _("You had already confirmed this notice."))
    return HttpResponseRedirect(notice.url)


@require_POST
@member_required
def feed_revoke(request):
    """Replace the member's personal feed address; the old one stops working at once."""
    feed_token_revoke(request.user)
    messages.success(
        request,
        _("Your personal feed address was replaced. The old address no longer works."),
    )
    return HttpResponseRedirect(_back(request, _index_url()))


# Admin report -------------------------------------------------------------------------------


class AcknowledgementReportView(WagtailAdminTemplateMixin, TemplateView):
    """Staff: who among the targeted coordinators confirmed an important notice."""

    template_name = "newsletters/notices/admin/acknowledgement_report.html"
    header_icon = "tick-inverse"
    page_title = gettext_lazy("Confirmations of reading")

    def dispatch(self, request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        self.notice = get_object_or_404(NoticePage, pk=kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.notice.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.notice.pk]),
                "label": self.notice.get_admin_display_title(),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        report = acknowledgement_report(self.notice)
        if request.GET.get("format") == "csv":
            return self.csv(report)
        return self.render_to_response(self.get_context_data(report=report))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            notice=self.notice,
            csv_url=reverse("notice_acknowledgements", args=[self.notice.pk]) + "?format=csv",
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.notice.pk]),
        )
        return context

    def csv(self, report):
        audit(
            self.notice,
            NOTICE_ACKNOWLEDGEMENT_EXPORT,
            user=self.request.user,
            data={"format": "csv", "rows": len(report.members)},
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = (
            f'attachment; filename="notice-{self.notice.pk}-confirmations-{stamp}.csv"'
        )
        response["Cache-Control"] = "no-store"
        response.write("\ufeff")  # BOM: Excel in Japan then reads UTF-8 correctly
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Certificate number"),
                _("Name"),
                _("Workplace prefecture"),
                _("Confirmed"),
                _("Confirmed at"),
            ]
        )
        for member in report.members:
            confirmed = member.acknowledged_at
            writer.writerow(
                [
                    member.certificate_number,
                    member.name,
                    member.prefecture,
                    _("yes") if confirmed else _("no"),
                    timezone.localtime(confirmed).strftime("%Y-%m-%d %H:%M") if confirmed else "",
                ]
            )
        return response


acknowledgement_report_view = AcknowledgementReportView.as_view()
