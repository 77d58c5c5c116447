"""Admin hooks of newsletter issues: audit actions, the newsletter workflow, the publish guard and
the confirmation status view."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from portal.publishing import creating_page_of, edited_page_being_approved, refuse_publishing

from ..models import NewsletterIndexPage, NewsletterIssuePage
from ..selectors.interviews import interviews_signature, newsletter_publish_allowed
from ..services import interviews as services
from ..views import interviews as views


@hooks.register("register_log_actions")
def register_interview_log_actions(actions):
    actions.register_action(
        services.CONFIRMATION_REQUEST,
        gettext_lazy("Interviewees asked to confirm"),
        gettext_lazy("Asked the interviewees to confirm the draft"),
    )
    actions.register_action(
        services.INTERVIEW_CONFIRM,
        gettext_lazy("Interview confirmed"),
        gettext_lazy("Confirmed the draft of their interview"),
    )
    actions.register_action(
        services.INTERVIEW_REQUEST_CHANGES,
        gettext_lazy("Interview changes requested"),
        gettext_lazy("Asked for changes to their interview"),
    )
    actions.register_action(
        services.CONFIRMATION_RESTART,
        gettext_lazy("Interviewees asked again"),
        gettext_lazy("The interviews changed: the interviewees are asked again"),
    )
    actions.register_action(
        services.CONFIRMATION_COMPLETE,
        gettext_lazy("Interviews confirmed"),
        gettext_lazy("Every interviewee confirmed the draft"),
    )


def _is_issue(page) -> bool:
    return page is not None and issubclass(page.specific_class or type(page), NewsletterIssuePage)


# The newsletter workflow ----------------------------------------------------------------------


@hooks.register("after_create_page")
def newsletter_index_gets_its_workflow(request, page):
    if page.specific_class is NewsletterIndexPage:
        services.assign_newsletter_workflow(page)


@hooks.register("after_edit_page")
def newsletter_issue_edited(request, page):
    """A draft changed while the interviewees read it: ask them again about the new one."""
    if _is_issue(page) and services.interviewee_confirmation_refresh(page, request.user):
        messages.info(
            request,
            _(
                "The interviews changed while the interviewees were reviewing them: they were "
                "sent the new draft to confirm."
            ),
        )


# Publishing guard ------------------------------------------------------------------------------

REFUSED = gettext_lazy(
    "This issue cannot be published yet: every interviewee must first confirm the draft of "
    "their interview. Submit it to the workflow; your changes were saved as a draft."
)


@hooks.register("construct_page_action_menu")
def hide_publish_until_confirmed(menu_items, request, context):
    page = context.get("page")
    if _is_issue(page):
        if page.pk and newsletter_publish_allowed(page):
            return
    elif not creating_page_of(NewsletterIssuePage, request, context):
        return
    menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_publish_page")
def refuse_unconfirmed_publishing(request, page):
    """The create and edit views save the revision, then ask this hook before publishing it."""
    if not _is_issue(page):
        return None
    revision = page.get_latest_revision()
    if newsletter_publish_allowed(page, revision):
        return None
    return refuse_publishing(request, page, REFUSED)


@hooks.register("before_edit_page")
def refuse_approving_rewritten_interviews(request, page):
    """Approving the last step publishes the draft as submitted with the approval: refuse it when
    that changes the interviews the interviewees confirmed (saving the changes asks them
    again)."""
    if not _is_issue(page):
        return None
    candidate = edited_page_being_approved(request, page)
    if candidate is None:
        return None
    if interviews_signature(candidate) == interviews_signature(page):
        return None
    messages.error(
        request,
        _(
            "You changed the interviews: they cannot be approved and published before the "
            "interviewees confirm them. Save your changes as a draft to send them the new draft."
        ),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


def _unconfirmed_issues(pages, include_descendants: bool) -> list:
    blocked = []
    for page in pages:
        candidates = []
        if _is_issue(page):
            candidates.append(page.specific)
        if include_descendants:
            candidates.extend(NewsletterIssuePage.objects.descendant_of(page).not_live().specific())
        for issue in candidates:
            if not newsletter_publish_allowed(issue, issue.get_latest_revision()):
                blocked.append(issue)
    return blocked


@hooks.register("before_bulk_action")
def refuse_unconfirmed_bulk_publishing(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    form = getattr(action_class_instance, "cleaned_form", None)
    include_descendants = bool(form and form.cleaned_data.get("include_descendants"))
    blocked = _unconfirmed_issues(objects, include_descendants)
    if not blocked:
        return None
    messages.error(request, REFUSED)
    return redirect(
        getattr(action_class_instance, "next_url", None) or reverse("wagtailadmin_explore_root")
    )


@hooks.register("before_copy_page")
def refuse_publishing_copies(request, page):
    """A copy is a new issue: its interviewees have not confirmed it, so it starts as a draft."""
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    if _is_issue(page) or (
        request.POST.get("copy_subpages")
        and NewsletterIssuePage.objects.descendant_of(page).exists()
    ):
        messages.error(
            request,
            _(
                "A copied newsletter issue cannot be published at once: copy it as a draft and "
                "submit it so that its interviewees confirm it."
            ),
        )
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


# Confirmation status in the admin -------------------------------------------------------------


@hooks.register("register_admin_urls")
def interview_confirmation_admin_urls():
    return [
        path(
            "newsletters/<int:page_id>/confirmations/",
            views.ConfirmationStatusView.as_view(),
            name="newsletters_confirmations",
        )
    ]


class ConfirmationStatusButton(PageMenuItem):
    label = gettext_lazy("Interviewee confirmations")
    icon_name = "tick-inverse"
    url_name = "newsletters_confirmations"

    def is_shown(self, user):
        return _is_issue(self.page) and self.page.permissions_for_user(user).can_edit()


@hooks.register("register_page_listing_more_buttons")
def confirmation_listing_button(page, user, next_url=None):
    yield ConfirmationStatusButton(page=page, priority=45)


@hooks.register("register_page_header_buttons")
def confirmation_header_button(page, user, view_name, next_url=None):
    yield ConfirmationStatusButton(page=page, priority=66)
