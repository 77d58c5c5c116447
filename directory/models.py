"""Coordinator profiles and the consent records that decide who sees them.

Nobody is listed without explicit consent. There are two scopes: ``directory`` (certified members
and staff) and ``public`` (everyone). A profile's visibility in a scope comes from the latest
consent record for that scope, never from a loose flag, and only while the holder's certificate is
valid and the consent was given to the current policy version.
"""

import unicodedata
import uuid

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index


class Scope(models.TextChoices):
    DIRECTORY = "directory", _("Members' directory")
    PUBLIC = "public", _("Public list")


class OptionalField(models.TextChoices):
    """Parts of a profile shown only when chosen, separately for each scope."""

    CONTACT = "contact", _("Work contact")
    WORKPLACE = "workplace", _("Workplace")
    PHOTO = "photo", _("Photo")
    BIO = "bio", _("Short biography")


class WorkplaceType(models.TextChoices):
    LOCAL_GOVERNMENT = "local-government", _("Local government")
    ONE_STOP = "one-stop", _("One-stop consultation centre")
    FRESC = "fresc", _("FRESC")
    IMMIGRATION_BUREAU = "immigration-bureau", _("Regional immigration services bureau")
    INTERNATIONAL_ASSOCIATION = "international-association", _("International exchange association")
    NPO = "npo", _("NPO")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


class ContactMethod(models.TextChoices):
    RELAY = "relay", _("Message through the portal")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Telephone")


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("Native")
    BUSINESS = "business", _("Business (can consult)")
    DAILY = "daily", _("Daily conversation")
    BASIC = "basic", _("Basic")


def search_key(*parts: str) -> str:
    """Names folded for matching: NFKC (full/half width alike), case-folded, katakana as hiragana."""
    text = unicodedata.normalize("NFKC", " ".join(p for p in parts if p)).casefold()
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def private_storage() -> FileSystemStorage:
    """Photos are kept outside MEDIA_ROOT and served only through views that check consent.

    A callable, so migrations record this function rather than a machine's folder."""
    return FileSystemStorage(location=settings.PORTAL_PRIVATE_MEDIA_ROOT, base_url=None)


def photo_path(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"profiles/{instance.user_id}/{uuid.uuid4().hex}.{extension}"


class CoordinatorProfile(index.Indexed, models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator_profile",
        verbose_name=_("coordinator"),
    )
    prefectures = models.ManyToManyField(
        "taxonomy.Prefecture", blank=True, related_name="+", verbose_name=_("areas of activity")
    )
    municipalities = models.CharField(
        _("municipalities"), max_length=300, blank=True, help_text=_("For example 浜松市, 磐田市")
    )
    wide_area_ok = models.BooleanField(_("available for cooperation beyond my area"), default=False)
    fields = models.ManyToManyField(
        "taxonomy.Field",
        through="ProfileField",
        blank=True,
        related_name="+",
        verbose_name=_("fields of consultation"),
    )
    languages = models.ManyToManyField(
        "taxonomy.Language",
        through="ProfileLanguage",
        blank=True,
        related_name="+",
        verbose_name=_("languages"),
    )
    qualifications = models.ManyToManyField(
        "taxonomy.Qualification", blank=True, related_name="+", verbose_name=_("qualifications")
    )
    workplace_name = models.CharField(_("most recent workplace"), max_length=200, blank=True)
    workplace_type = models.CharField(
        _("type of workplace"), max_length=30, choices=WorkplaceType.choices, blank=True
    )
    workplace_prefecture = models.ForeignKey(
        "taxonomy.Prefecture",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("workplace prefecture"),
    )
    contact_email = models.EmailField(_("work e-mail"), blank=True)
    contact_phone = models.CharField(_("work telephone"), max_length=30, blank=True)
    preferred_contact = models.CharField(
        _("preferred contact method"),
        max_length=10,
        choices=ContactMethod.choices,
        default=ContactMethod.RELAY,
    )
    photo = models.ImageField(
        _("photo"),
        storage=private_storage,
        upload_to=photo_path,
        blank=True,
        help_text=_("JPEG or PNG, at most 2 MB. Shown only where you allow it."),
    )
    bio_ja = models.TextField(_("short biography (Japanese)"), max_length=800, blank=True)
    bio_en = models.TextField(_("short biography (English)"), max_length=800, blank=True)
    search_name = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Only listed profiles (directory or public list) are indexed; the services add and remove
    # entries explicitly when that changes (Wagtail keeps stale entries otherwise).
    search_title_fields = ("search_name",)
    search_fields = [
        index.SearchField("search_name"),
        index.SearchField("municipalities"),
        index.FilterField("id"),
    ]

    class Meta:
        verbose_name = _("coordinator profile")
        verbose_name_plural = _("coordinator profiles")

    def __str__(self) -> str:
        return self.user.get_full_name()

    def save(self, *args, **kwargs):
        user = self.user
        self.search_name = search_key(
            user.last_name,
            user.first_name,
            user.last_name + user.first_name,
            user.family_name_kana,
            user.given_name_kana,
            user.family_name_kana + user.given_name_kana,
            user.family_name_romaji,
            user.given_name_romaji,
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:detail", args=[self.pk])

    @classmethod
    def get_indexed_objects(cls):
        """Profiles listed in either scope (the site search shows public-list profiles to
        everyone and directory profiles to members, each through its own visible queryset)."""
        from .selectors import visible_profiles

        return cls.objects.filter(
            models.Q(pk__in=visible_profiles(Scope.DIRECTORY).values("pk"))
            | models.Q(pk__in=visible_profiles(Scope.PUBLIC).values("pk"))
        )

    @property
    def bio(self) -> str:
        if translation.get_language() == "en":
            return self.bio_en or self.bio_ja
        return self.bio_ja or self.bio_en


class ProfileField(models.Model):
    profile = models.ForeignKey(CoordinatorProfile, on_delete=models.CASCADE)
    field = models.ForeignKey("taxonomy.Field", on_delete=models.PROTECT, related_name="+")
    is_main = models.BooleanField(_("main field"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "field"], name="directory_profile_field_once"
            )
        ]
        ordering = ["-is_main", "field__order"]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.field_id}"


class ProfileLanguage(models.Model):
    profile = models.ForeignKey(CoordinatorProfile, on_delete=models.CASCADE)
    language = models.ForeignKey("taxonomy.Language", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=10, choices=LanguageLevel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "language"], name="directory_profile_language_once"
            )
        ]
        ordering = ["language__order"]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.language_id} ({self.level})"


class Consent(models.Model):
    """One consent decision: granted (``withdrawn_at`` empty) or withdrawn. Never edited."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_consents"
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    show_contact = models.BooleanField(_("show work contact"), default=False)
    show_workplace = models.BooleanField(_("show workplace"), default=False)
    show_photo = models.BooleanField(_("show photo"), default=False)
    show_bio = models.BooleanField(_("show short biography"), default=False)
    policy_version = models.PositiveSmallIntegerField(_("policy version"))
    granted_at = models.DateTimeField(_("granted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The latest record for its user and scope; set by the consent services in the same
    # transaction that adds a newer record, so listings join on one row per person.
    is_current = models.BooleanField(default=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "scope", "-created_at"]),
            models.Index(fields=["scope", "is_current", "policy_version"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope"],
                condition=models.Q(is_current=True),
                name="directory_one_current_consent",
            )
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        state = "granted" if self.withdrawn_at is None else "withdrawn"
        return f"{self.user} / {self.scope} / {state}"

    @property
    def fields(self) -> list[str]:
        return [f for f in OptionalField.values if getattr(self, f"show_{f}")]


class DetailViewCount(models.Model):
    """How many profile pages a member opened on one day (the anti-harvesting cap)."""

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)
    alerted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["viewer", "day"], name="directory_view_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.viewer_id} {self.day}: {self.count}"


class RelayMessage(models.Model):
    """A message sent through the contact relay (the text itself is not kept)."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="relay_messages"
    )
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    # Partners ----------------------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.recipient_id} ({self.sent_at:%Y-%m-%d %H:%M})"


class PartnerLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PREFECTURAL = "prefectural", _("Prefectural")
    MUNICIPAL = "municipal", _("Municipal")
    PRIVATE = "private", _("Private or NPO")
    INTERNATIONAL = "international", _("International organisation")


class PartnerKind(models.TextChoices):
    """Types of cooperative partner (domain brief §2)."""

    IMMIGRATION_BUREAU = "regional-immigration-bureau", _("Regional immigration services bureau")
    FRESC = "fresc", _("Foreign Residents Support Center (FRESC)")
    HELLO_WORK = "hello-work", _("Hello Work (public employment security office)")
    LABOUR_BUREAU = "prefectural-labour-bureau", _("Prefectural labour bureau")
    LABOUR_INSPECTION = (
        "labour-standards-inspection-office",
        _("Labour standards inspection office"),
    )
    OTIT = "otit-esdo", _("Organization for Technical Intern Training / ESDO")
    SUPPORT_ORG = "supervising-support-org", _("Supervising or registered support organisation")
    HOUTERASU = "houterasu", _("Japan Legal Support Center (Houterasu)")
    HUMAN_RIGHTS = (
        "legal-affairs-bureau-human-rights",
        _("Legal affairs bureau, human rights department"),
    )
    BAR = "bar-association", _("Bar association")
    SCRIVENER = "administrative-scrivener", _("Administrative scriveners' association")
    PENSION = "japan-pension-service", _("Japan Pension Service")
    MUNICIPAL_INSURANCE = (
        "municipal-insurance-care-section",
        _("Municipal insurance and long-term care section"),
    )
    MEDICAL = "medical-institution-interpreting", _("Medical institution with interpreters")
    CHILD_REARING = "child-rearing-support-center", _("Child-rearing support centre")
    WELFARE_VOLUNTEERS = "welfare-volunteers", _("Commissioned welfare volunteers")
    SOCIAL_WORKERS = "social-worker-association", _("Certified social workers' association")
    SCHOOL = "board-of-education-school", _("Board of education or school")
    JAPANESE_CLASS = "japanese-language-provider", _("Japanese language class or school")
    ONE_STOP = "one-stop-consulting-counter", _("One-stop consultation centre")
    INTERNATIONAL_ASSOCIATION = "international-association", _("International exchange association")
    NPO = "npo-support-group", _("NPO or support group")
    COMMUNITY = "foreign-community-group", _("Foreign residents' community group")
    CONSUMER = "consumer-affairs-center", _("Consumer affairs centre")
    POLICE_FIRE = "police-fire-emergency", _("Police, fire and emergency services")
    DISASTER = "disaster-information", _("Disaster information service")
    HOUSING = "housing-provider", _("Housing support")
    FINANCE = "financial-institution", _("Financial institution or mobile carrier")
    REFUGEE = "rhq", _("Refugee Assistance Headquarters (RHQ)")
    IOM = "iom", _("International Organization for Migration (IOM)")
    UNHCR = "unhcr", _("UNHCR")
    EMBASSY = "embassy-consulate", _("Embassy or consulate")
    OTHER = "other", _("Other")


class PartnerAdminForm(WagtailAdminModelForm):
    url = forms.URLField(label=_("website"), required=False, assume_scheme="https")


class Partner(
    index.Indexed, WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel
):
    """A cooperative organisation coordinators refer clients to, listed by field of response."""

    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)
    kind = models.CharField(_("type"), max_length=50, choices=PartnerKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=PartnerLevel.choices)
    nationwide = models.BooleanField(_("covers all of Japan"), default=False)
    prefectures = ParentalManyToManyField(
        "taxonomy.Prefecture", blank=True, related_name="+", verbose_name=_("prefectures covered")
    )
    fields = ParentalManyToManyField(
        "taxonomy.Field", related_name="+", verbose_name=_("fields of response")
    )
    languages = ParentalManyToManyField(
        "taxonomy.Language", blank=True, related_name="+", verbose_name=_("languages supported")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    url = models.URLField(_("website"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    last_verified_on = models.DateField(_("date last verified"), null=True, blank=True)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="partner")
    _workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="partner",
        for_concrete_model=False,
    )

    base_form_class = PartnerAdminForm

    # For the site search (members only; it searches live partners). The admin listing keeps its
    # own database search (see ``viewsets.py``).
    # The names are the title of a partner: a match there outranks one in the notes.
    search_title_fields = ("name_ja", "name_en")
    search_fields = [
        index.SearchField("name_ja"),
        index.SearchField("name_en"),
        index.SearchField("address"),
        index.SearchField("notes"),
        index.AutocompleteField("name_ja"),
        index.AutocompleteField("name_en"),
        index.FilterField("id"),
        index.FilterField("live"),
    ]

    panels = [
        FieldPanel("name_ja"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("level"),
        FieldPanel("fields", widget=forms.CheckboxSelectMultiple),
        FieldPanel("nationwide"),
        FieldPanel("prefectures", widget=forms.CheckboxSelectMultiple),
        FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("url"),
        FieldPanel("opening_hours"),
        FieldPanel("notes"),
        FieldPanel("last_verified_on"),
    ]

    class Meta:
        ordering = ["name_ja"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:detail", args=[self.slug])

    @property
    def name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_ja
