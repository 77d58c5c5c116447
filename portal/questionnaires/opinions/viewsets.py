"""Staff triage of the opinion box in the admin.

Agency editors and administrators list the opinions with filters and triage them: status,
internal note, and the summary and answer shown to members. The opinion as sent (text,
category, field, prefecture, author) is read-only, nobody adds or deletes opinions here, and
every save goes through ``opinion_triage`` so that it is audited and the author is told.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.template.defaultfilters import linebreaksbr
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy

from ..models import Opinion
from .forms import OpinionTriageForm
from .selectors import may_triage_opinions, opinion_triagers, opinions_for_staff
from .services import opinion_triage

# What the triage roles may do: list and edit (the triage fields only). Opinions come from
# members, so nobody adds, copies or deletes them in the admin.
ALLOWED_ACTIONS = frozenset({"change", "view"})


class OpinionPermissionPolicy(BasePermissionPolicy):
    """Agency editors and administrators (see ``selectors.TRIAGE_ROLES``) triage opinions;
    moderators and coordinators have no access, whatever model permission they hold."""

    def user_has_permission(self, user, action):
        return action in ALLOWED_ACTIONS and may_triage_opinions(user)

    def user_has_any_permission(self, user, actions):
        return bool(ALLOWED_ACTIONS.intersection(actions)) and may_triage_opinions(user)

    def users_with_any_permission(self, actions):
        if not ALLOWED_ACTIONS.intersection(actions):
            return get_user_model().objects.none()
        return opinion_triagers()


def _author_label(opinion) -> str:
    if opinion.author_id is None:
        return _("Anonymous")
    return opinion.author.get_full_name()


class OpinionReadOnlyPanel(FieldPanel):
    """A read-only part of the opinion as sent: plain text shown escaped, with line breaks."""

    def __init__(self, field_name, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("disable_comments", True)
        super().__init__(field_name, **kwargs)

    def format_value_for_display(self, value):
        if self.field_name == "author":
            if value is None:
                return _("Anonymous: no author is kept, so it cannot be followed up.")
            return f"{value.get_full_name()} ({value.get_username()})"
        if value is None or value == "":
            return "—"
        if self.field_name == "text":
            return linebreaksbr(value, autoescape=True)
        return super().format_value_for_display(value)


class OpinionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return opinions_for_staff()


class OpinionEditView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return opinion_triage(
            self.object,
            self.request.user,
            status=data["status"],
            staff_note=data.get("staff_note") or "",
            public_summary=data.get("public_summary") or "",
            public_answer=data.get("public_answer") or "",
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)


class OpinionViewSet(ModelViewSet):
    model = Opinion
    name = "opinion_box"
    url_prefix = "opinions"
    icon = "mail"
    menu_label = _("Opinion box")
    menu_order = 330
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    index_view_class = OpinionIndexView
    edit_view_class = OpinionEditView
    list_per_page = 30
    list_display = [
        "__str__",
        DateColumn("created_on", label=_("Received on"), sort_key="created_on"),
        Column(
            "field",
            label=_("Field of consultation"),
            accessor=lambda opinion: opinion.field.name if opinion.field_id else "—",
        ),
        Column(
            "prefecture",
            label=_("Prefecture"),
            accessor=lambda opinion: opinion.prefecture.name if opinion.prefecture_id else "—",
        ),
        Column("author", label=_("Author"), accessor=_author_label),
        Column(
            "status",
            label=_("Status"),
            accessor=lambda opinion: opinion.get_status_display(),
            sort_key="status",
        ),
        Column(
            "public",
            label=_("Answer shown to members"),
            accessor=lambda opinion: _("Yes") if opinion.is_public else _("No"),
        ),
    ]
    list_filter = ["status", "category", "field", "prefecture"]
    search_fields = ["text", "public_summary", "public_answer", "staff_note"]
    search_backend_name = None
    ordering = ["-created_on", "-pk"]

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    OpinionReadOnlyPanel("created_on"),
                    OpinionReadOnlyPanel("author"),
                    OpinionReadOnlyPanel("category"),
                    OpinionReadOnlyPanel("field"),
                    OpinionReadOnlyPanel("prefecture"),
                    OpinionReadOnlyPanel("text"),
                ],
                heading=_("The opinion as sent"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("status", disable_comments=True),
                    FieldPanel(
                        "staff_note",
                        disable_comments=True,
                        help_text=_("Seen by staff only; never shown to the author or members."),
                    ),
                ],
                heading=_("Triage"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("public_summary", disable_comments=True),
                    FieldPanel(
                        "public_answer",
                        disable_comments=True,
                        help_text=_(
                            "Members read the summary and the answer once the status is "
                            "“Answered” or “Closed”. The author, if known, is e-mailed the "
                            "first time."
                        ),
                    ),
                    OpinionReadOnlyPanel("answered_at"),
                ],
                heading=_("Answer shown to members"),
            ),
        ],
        base_form_class=OpinionTriageForm,
    )

    def get_permissions_to_register(self):
        # Access follows the roles (OpinionPermissionPolicy), not model permissions, so none
        # are offered in the group editor.
        return Permission.objects.none()
