"""Admin hooks of the case moderation: audit actions, the publish guard (every case is published
by the moderators' approval in the *Case moderation* workflow, never directly), unpublishing with
a reason, and the anonymisation report."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from portal.publishing import creating_page_of, edited_page_being_approved, refuse_publishing

from ..models import CaseStudyPage
from ..selectors.anonymisation import open_findings
from ..selectors.moderation import (
    is_case,
    is_case_moderator,
    may_read_anonymisation_report,
)
from ..services import moderation as services
from ..views import moderation as views


@hooks.register("register_log_actions")
def register_case_moderation_log_actions(actions):
    actions.register_action(
        services.CASE_SUBMIT,
        gettext_lazy("Case submitted for moderation"),
        gettext_lazy("Submitted the case to the moderators"),
    )
    actions.register_action(
        services.CASE_REQUEST_CHANGES,
        gettext_lazy("Case changes requested"),
        gettext_lazy("Asked the author to change the case"),
    )
    actions.register_action(
        services.CASE_REJECT,
        gettext_lazy("Case rejected"),
        gettext_lazy("Rejected the case"),
    )
    actions.register_action(
        services.CASE_APPROVE,
        gettext_lazy("Case approved"),
        gettext_lazy("Approved and published the case"),
    )
    actions.register_action(
        services.CASE_UNPUBLISH,
        gettext_lazy("Case unpublished"),
        gettext_lazy("Unpublished the case with a reason"),
    )


# Publishing guard ------------------------------------------------------------------------------

REFUSED = gettext_lazy(
    "A case study is published only when a moderator approves it in the case moderation "
    "workflow. Submit it for moderation; your changes were saved as a draft."
)


@hooks.register("construct_page_action_menu")
def case_action_menu(menu_items, request, context):
    """No direct "Publish" for cases (approval publishes them), and unpublishing asks for a
    reason (the header's "Unpublish with a reason")."""
    page = context.get("page")
    if not (
        is_case(page)
        if page is not None and page.pk
        else creating_page_of(CaseStudyPage, request, context)
    ):
        return
    menu_items[:] = [
        item for item in menu_items if item.name not in ("action-publish", "action-unpublish")
    ]


@hooks.register("before_publish_page")
def refuse_direct_case_publishing(request, page):
    """The create and edit views save the revision, then ask this hook before publishing it."""
    if not is_case(page):
        return None
    return refuse_publishing(request, page, REFUSED)


@hooks.register("before_edit_page")
def refuse_approving_unanonymised_edits(request, page):
    """A moderator may edit a case in review (to remove a name, say) and approve it at once:
    approving publishes the edited draft, so it is refused if the edit leaves a serious finding
    open (nothing is saved)."""
    if not is_case(page):
        return None
    candidate = edited_page_being_approved(request, page)
    if candidate is None:
        return None
    blockers = open_findings(candidate)
    if not blockers:
        return None
    messages.error(
        request,
        _(
            "This case cannot be approved: %(count)d serious finding(s) of the anonymisation "
            "check are neither fixed nor justified. Edit the case or request changes."
        )
        % {"count": len(blockers)},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_unpublish_page")
def unpublish_cases_with_a_reason(request, page):
    if not is_case(page):
        return None
    return redirect("cases_unpublish", page.pk)


def _cases_among(pages, include_descendants: bool) -> bool:
    for page in pages:
        if is_case(page):
            return True
        if include_descendants and CaseStudyPage.objects.descendant_of(page).exists():
            return True
    return False


@hooks.register("before_bulk_action")
def refuse_bulk_case_publishing(request, action_type, objects, action_class_instance):
    if action_type not in ("publish", "unpublish"):
        return None
    form = getattr(action_class_instance, "cleaned_form", None)
    include_descendants = bool(form and form.cleaned_data.get("include_descendants"))
    if not _cases_among(objects, include_descendants):
        return None
    if action_type == "publish":
        messages.error(request, REFUSED)
    else:
        messages.error(
            request,
            _("Case studies are unpublished one at a time, with a reason for their author."),
        )
    next_url = getattr(action_class_instance, "next_url", None)
    if not next_url or next_url == request.path:
        # Without a "next" address Wagtail would come back to this refused action.
        next_url = reverse("wagtailadmin_explore_root")
    return redirect(next_url)


@hooks.register("before_copy_page")
def refuse_publishing_case_copies(request, page):
    """A copy is a new case that no moderator approved: it starts as a draft."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    if is_case(page) or (
        request.POST.get("copy_subpages") and CaseStudyPage.objects.descendant_of(page).exists()
    ):
        messages.error(
            request,
            _(
                "A copied case study cannot be published at once: copy it as a draft and "
                "submit it for moderation."
            ),
        )
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


# Admin views -----------------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def case_moderation_admin_urls():
    return [
        path(
            "cases/<int:page_id>/unpublish/",
            views.UnpublishCaseView.as_view(),
            name="cases_unpublish",
        ),
        path(
            "cases/<int:page_id>/anonymisation/",
            views.AnonymisationReportView.as_view(),
            name="cases_anonymisation",
        ),
    ]


class UnpublishCaseButton(PageMenuItem):
    label = gettext_lazy("Unpublish with a reason")
    icon_name = "cross"
    url_name = "cases_unpublish"

    def is_shown(self, user):
        return is_case(self.page) and self.page.live and is_case_moderator(user)


class AnonymisationReportButton(PageMenuItem):
    label = gettext_lazy("Anonymisation report")
    icon_name = "warning"
    url_name = "cases_anonymisation"

    def is_shown(self, user):
        return is_case(self.page) and may_read_anonymisation_report(user)


@hooks.register("register_page_listing_more_buttons")
def case_moderation_listing_buttons(page, user, next_url=None):
    yield AnonymisationReportButton(page=page, priority=46)
    yield UnpublishCaseButton(page=page, priority=47)


@hooks.register("register_page_header_buttons")
def case_moderation_header_buttons(page, user, view_name, next_url=None):
    yield AnonymisationReportButton(page=page, priority=67)
    yield UnpublishCaseButton(page=page, priority=68)
