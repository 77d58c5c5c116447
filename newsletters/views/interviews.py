"""The interviewee's confirmation page, and the confirmation status view in the admin."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from ..models import ConfirmationStatus, NewsletterIssuePage
from ..selectors import interviews as selectors
from ..services import interviews as services


class ConfirmForm(forms.Form):
    photo_consent = forms.BooleanField(
        label=gettext_lazy("My photo may be shown with the interview"),
        required=False,
        help_text=gettext_lazy("Without your agreement the issue is published without it."),
    )


class ChangesForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What should change?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={
            "required": gettext_lazy(
                "Please tell the editors what should change in your interview."
            )
        },
        help_text=gettext_lazy("The editors read this and send you a new draft."),
    )


def _answered_message(confirmation) -> str:
    if confirmation.status == ConfirmationStatus.CONFIRMED:
        return _("You confirmed this draft. Thank you.")
    return _("You asked for changes to this draft. The editors will send you a new one.")


@never_cache
@login_required
def confirm(request, token):
    confirmation = selectors.confirmation_for_token(token, request.user)
    if confirmation is None:
        raise Http404
    url = request.path
    is_open = selectors.confirmation_is_open(confirmation)
    confirm_form = ConfirmForm(prefix="confirm")
    changes_form = ChangesForm(prefix="changes")

    if request.method == "POST" and is_open:
        action = request.POST.get("action")
        try:
            if action == "confirm":
                confirm_form = ConfirmForm(request.POST, prefix="confirm")
                if confirm_form.is_valid():
                    services.interview_confirm(
                        confirmation,
                        request.user,
                        photo_consent=confirm_form.cleaned_data["photo_consent"],
                    )
                    messages.success(
                        request,
                        _("Thank you: you confirmed the draft of your interview."),
                    )
                    return redirect(url)
            elif action == "changes":
                changes_form = ChangesForm(request.POST, prefix="changes")
                if changes_form.is_valid():
                    services.interview_request_changes(
                        confirmation, request.user, changes_form.cleaned_data["comment"]
                    )
                    messages.success(
                        request,
                        _("Thank you: the editors received your request for changes."),
                    )
                    return redirect(url)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(url)

    context = {
        "confirmation": confirmation,
        "is_open": is_open,
        "confirm_form": confirm_form,
        "changes_form": changes_form,
        **selectors.confirmation_draft_context(confirmation),
    }
    status = 200
    if not is_open:
        if confirmation.status == ConfirmationStatus.PENDING:
            # The draft was replaced or withdrawn before this interviewee answered.
            context["newer"] = selectors.newer_open_confirmation(confirmation)
            status = 410
        else:
            context["answered_message"] = _answered_message(confirmation)
            if request.method == "POST":
                status = 410
    return TemplateResponse(request, "newsletters/interviews/confirm.html", context, status=status)


class ConfirmationStatusView(WagtailAdminTemplateMixin, TemplateView):
    """Admin: each interviewee's answer on each draft of an issue."""

    template_name = "newsletters/interviews/admin_confirmations.html"
    header_icon = "tick-inverse"
    page_title = gettext_lazy("Interviewee confirmations")

    def dispatch(self, request, page_id, *args, **kwargs):
        page = get_object_or_404(Page, pk=page_id)
        if page.specific_class is not NewsletterIssuePage:
            raise Http404
        if not page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        self.page = page.specific
        return super().dispatch(request, page_id, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workflow_state = self.page.current_workflow_state
        context.update(
            {
                "page": self.page,
                "rows": selectors.confirmations_for(self.page),
                "workflow_state": workflow_state,
                "current_task": workflow_state.current_task_state.task
                if workflow_state and workflow_state.current_task_state
                else None,
                "publish_allowed": selectors.newsletter_publish_allowed(
                    self.page, self.page.get_latest_revision() or None
                ),
            }
        )
        return context
