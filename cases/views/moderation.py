"""Admin views of the case moderation: unpublishing with a reason, and the anonymisation report."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from ..selectors import moderation as selectors
from ..services import moderation as services


class ModerationReasonForm(forms.Form):
    """The reason a moderator gives the author (request for changes, rejection, unpublishing).

    Its field is ``comment``: Wagtail passes it on to the task's ``on_action`` and shows it in the
    workflow history."""

    comment = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.REASON_MAX_LENGTH,
        help_text=gettext_lazy(
            "The author reads this on their list of cases. Do not name the client."
        ),
        error_messages={
            "required": gettext_lazy(
                "Please give the author a reason: they read it on their list of cases."
            )
        },
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise ValidationError(self.fields["comment"].error_messages["required"])
        return comment


class _CaseAdminMixin(WagtailAdminTemplateMixin):
    def get_case(self, page_id):
        page = get_object_or_404(Page, pk=page_id)
        if not selectors.is_case(page):
            raise Http404
        return page.specific

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class UnpublishCaseView(_CaseAdminMixin, FormView):
    """A moderator takes a published case off the library and tells its author why."""

    template_name = "cases/moderation/unpublish.html"
    form_class = ModerationReasonForm
    header_icon = "cross"
    page_title = gettext_lazy("Unpublish the case")

    def dispatch(self, request, page_id, *args, **kwargs):
        self.page = self.get_case(page_id)
        if not selectors.is_case_moderator(request.user):
            raise PermissionDenied
        if not self.page.live:
            messages.error(request, _("This case is not published."))
            return redirect("wagtailadmin_pages:edit", self.page.pk)
        return super().dispatch(request, page_id, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=self.page, **kwargs)

    def form_valid(self, form):
        try:
            services.case_unpublish(self.page, self.request.user, form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_error("comment", error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The case “%(title)s” was unpublished; its author was told why.")
            % {"title": self.page.get_admin_display_title()},
        )
        return redirect(reverse("wagtailadmin_explore", args=[self.page.get_parent().pk]))


class AnonymisationReportView(_CaseAdminMixin, TemplateView):
    """What the anonymisation assistant finds in the latest revision, with the author's
    justifications: moderators read it before approving."""

    template_name = "cases/moderation/anonymisation.html"
    header_icon = "warning"
    page_title = gettext_lazy("Anonymisation report")

    def dispatch(self, request, page_id, *args, **kwargs):
        self.page = self.get_case(page_id)
        if not selectors.may_read_anonymisation_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, page_id, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"page": self.page, **selectors.anonymisation_report(self.page)})
        return context
