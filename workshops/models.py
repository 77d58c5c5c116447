"""Case study workshops for certified coordinators: the listing page, one page per workshop and
the registrations (seats and a waiting list) for each of them.

Every workshop page sits behind the member gate. Registrations are written only through
``workshops.services`` and read through ``workshops.selectors``.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.accounts.gate import MembersOnlyPageMixin
from portal.home.blocks import BodyBlock, MembersDocumentChooserBlock


class WorkshopIndexPage(MembersOnlyPageMixin, Page):
    """``/workshops/``: upcoming workshops first (soonest first), then past ones (latest first)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["workshops.WorkshopPage"]
    max_count = 1

    per_page = 10

    class Meta:
        verbose_name = _("workshop index page")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        workshops = selectors.workshop_listing(self, request.user)
        page = Paginator(workshops, self.per_page).get_page(request.GET.get("page"))
        items = list(page.object_list)
        context.update(
            {
                "workshops": items,
                "page_obj": page,
                "no_upcoming": page.number == 1 and (not items or items[0].is_past),
            }
        )
        return context


class WorkshopPageForm(WagtailAdminPageForm):
    meeting_url = forms.URLField(label=_("meeting URL"), required=False, assume_scheme="https")


class WorkshopPage(MembersOnlyPageMixin, RoutablePageMixin, Page):
    """One case study workshop: when and where, seats, themes and materials."""

    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(
        _("venue"),
        max_length=300,
        blank=True,
        help_text=_("Name and address of the venue. Leave empty for an online-only workshop."),
    )
    online = models.BooleanField(_("online"), default=False)
    meeting_url = models.URLField(
        _("meeting URL"),
        blank=True,
        help_text=_("Shown only to registered attendees."),
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        help_text=_("Registration and waiting list close at this time."),
    )
    themes = ParentalManyToManyField(
        "taxonomy.Field",
        blank=True,
        related_name="workshops",
        verbose_name=_("themes (fields of consultation)"),
    )
    description = StreamField(BodyBlock(), blank=True, verbose_name=_("description"))
    materials = StreamField(
        [("document", MembersDocumentChooserBlock(label=_("Document")))],
        blank=True,
        verbose_name=_("materials"),
        help_text=_("Shown to registered attendees and staff."),
    )

    base_form_class = WorkshopPageForm

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("registration_deadline"),
                FieldPanel("capacity"),
            ],
            heading=_("Date and seats"),
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("online"), FieldPanel("meeting_url")],
            heading=_("Place"),
        ),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("description"),
        FieldPanel("materials"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.SearchField("venue"),
        index.FilterField("starts_at"),
    ]

    parent_page_types = ["workshops.WorkshopIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The workshop must end after it starts.")
        if (
            self.starts_at
            and self.registration_deadline
            and self.registration_deadline > self.starts_at
        ):
            errors["registration_deadline"] = _(
                "The registration deadline must not be later than the start."
            )
        if not self.venue.strip() and not self.online:
            errors["venue"] = _("Give a venue, mark the workshop as online, or both.")
        if self.meeting_url and not self.online:
            errors["meeting_url"] = _("A meeting URL is only for online workshops.")
        if errors:
            raise ValidationError(errors)

    # State ---------------------------------------------------------------------------------

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return now <= self.registration_deadline and not self.has_started(now)

    @property
    def location(self) -> str:
        """Where it takes place, as one line (the venue, "Online" or both)."""
        parts = [self.venue.strip()] if self.venue.strip() else []
        if self.online:
            parts.append(str(_("Online")))
        return " / ".join(parts)

    # Page views ----------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.workshop_detail(self, request.user))
        return context

    @path("register/", name="register")
    def register_view(self, request):
        from . import views

        return views.register(request, self)

    @path("cancel/", name="cancel")
    def cancel_view(self, request):
        from . import views

        return views.cancel(request, self)

    @path("calendar/", name="calendar")
    def calendar_view(self, request):
        from . import views

        return views.calendar(request, self)

    @path("attendees/csv/", name="attendees_csv")
    def attendees_csv_view(self, request):
        from . import views

        return views.attendees_csv(request, self)

    @path("attendees/xlsx/", name="attendees_xlsx")
    def attendees_xlsx_view(self, request):
        from . import views

        return views.attendees_xlsx(request, self)


class Registration(models.Model):
    """One member's place at a workshop: a seat, a place on the waiting list, or cancelled.

    Cancelled rows are kept (with the time) so the history stays; registering again after a
    cancellation adds a new row at the end of the queue.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    workshop = models.ForeignKey(
        WorkshopPage,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("workshop"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workshop_registrations",
        verbose_name=_("member"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    promoted_at = models.DateTimeField(
        _("moved up from the waiting list at"), null=True, blank=True
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("workshop registration")
        verbose_name_plural = _("workshop registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"],
                condition=~Q(status="cancelled"),
                name="workshops_one_active_registration",
                violation_error_message=_("You are already registered for this workshop."),
            )
        ]
        indexes = [
            models.Index(fields=["workshop", "status", "created_at"], name="workshops_reg_queue")
        ]

    def __str__(self) -> str:
        return f"{self.workshop.title} – {self.user.get_full_name()} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED
