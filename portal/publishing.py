"""Shared pieces of the admin hooks that keep some page types from being published outside
their workflow (newsletter issues until every interviewee confirmed, case studies until a
moderator approves): recognising the "add page" view of a type, and refusing a publish."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail.models import Page


def creating_page_of(model, request, context) -> bool:
    """Whether the admin's page action menu is being built for the "add page" view of ``model``."""
    match = getattr(request, "resolver_match", None)
    return (
        context.get("view") == "create"
        and match is not None
        and match.kwargs.get("content_type_app_name") == model._meta.app_label
        and match.kwargs.get("content_type_model_name") == model._meta.model_name
    )


def refuse_publishing(request, page, message):
    """The answer of a ``before_publish_page`` hook that refuses: the revision stays a draft
    (a page the create view has just saved as live is made a draft again), the editor reads
    ``message`` on the edit page."""
    if page.live and not page.live_revision_id and not page.first_published_at:
        Page.objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
        page.live, page.has_unpublished_changes = False, True
    messages.error(request, message)
    return redirect("wagtailadmin_pages:edit", page.pk)


def edited_page_being_approved(request, page):
    """In a ``before_edit_page`` hook: when the editor approves a workflow task from the edit
    form (which publishes the edited draft), the page as it would be published with the posted
    edits, unsaved; otherwise (another action, or a form the edit view will refuse) ``None``."""
    if request.method != "POST" or not request.POST.get("action-workflow-action"):
        return None
    if request.POST.get("workflow-action-name") != "approve":
        return None
    candidate = page.get_latest_revision_as_object()
    form_class = candidate.get_edit_handler().get_form_class()
    form = form_class(
        request.POST,
        request.FILES,
        instance=candidate,
        parent_page=page.get_parent(),
        for_user=request.user,
    )
    if not form.is_valid():
        return None  # the edit view shows the errors and approves nothing
    form.save(commit=False)
    return candidate
