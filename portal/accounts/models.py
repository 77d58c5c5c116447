"""The portal's user and the certificates that decide who may use the member area."""

import datetime
import re
import unicodedata

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .certification import fiscal_year_of, valid_until_for

_KANA_RE = re.compile(r"^[\u3041-\u3096\u30A1-\u30FA\u30FC\u30FB\s]*$")

validate_kana = RegexValidator(
    _KANA_RE,
    _(
        "Enter the reading in hiragana or katakana only. / ふりがなはひらがなかカタカナで入力してください。"
    ),
)
validate_romaji = RegexValidator(
    r"^[A-Za-z\s'\-.]*$",
    _("Enter the name in Latin letters only (A–Z). / ローマ字（A〜Z）で入力してください。"),
)


def today() -> datetime.date:
    """Today's date in Japan time (the portal's time zone)."""
    return timezone.localdate()


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    PENDING = "pending", _("Not yet valid")
    NONE = "none", _("No certificate")


class PortalUserManager(UserManager):
    def with_valid_certificate(self, on: datetime.date | None = None):
        """Users holding a certificate that is valid on ``on`` (today by default)."""
        return self.filter(
            pk__in=Certificate.objects.valid_on(on).values("holder_id"),
        )


class User(AbstractUser):
    """A person who signs in: coordinator, agency editor, moderator or administrator.

    ``last_name``/``first_name`` hold the name as written in the person's documents (kanji for
    most Japanese names); the reading in kana and the romanised form are kept beside them.
    """

    class Language(models.TextChoices):
        JAPANESE = "ja", "日本語"
        ENGLISH = "en", "English"

    first_name = models.CharField(_("given name"), max_length=150, blank=True)
    last_name = models.CharField(_("family name"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    family_name_kana = models.CharField(
        _("family name (kana)"), max_length=150, blank=True, validators=[validate_kana]
    )
    given_name_kana = models.CharField(
        _("given name (kana)"), max_length=150, blank=True, validators=[validate_kana]
    )
    family_name_romaji = models.CharField(
        _("family name (romaji)"), max_length=150, blank=True, validators=[validate_romaji]
    )
    given_name_romaji = models.CharField(
        _("given name (romaji)"), max_length=150, blank=True, validators=[validate_romaji]
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=Language.choices,
        default=Language.JAPANESE,
    )
    show_name_on_verification = models.BooleanField(
        _("show my name on the public certificate verification page"),
        default=False,
        help_text=_(
            "When off, the verification page and the digital badge show only the certificate's "
            "status and dates."
        ),
    )

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
                condition=~Q(email=""),
                name="accounts_user_email_unique_ci",
                violation_error_message=_("Another account already uses this e-mail address."),
            )
        ]

    def clean_fields(self, exclude=None):
        # Normalise before validating: full-width letters and half-width kana are common input.
        for field in (
            "family_name_kana",
            "given_name_kana",
            "family_name_romaji",
            "given_name_romaji",
            "last_name",
            "first_name",
        ):
            value = getattr(self, field)
            if value:
                setattr(self, field, unicodedata.normalize("NFKC", value).strip())
        super().clean_fields(exclude=exclude)

    @property
    def name_kanji(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name) if part)

    @property
    def name_kana(self) -> str:
        return " ".join(part for part in (self.family_name_kana, self.given_name_kana) if part)

    @property
    def name_romaji(self) -> str:
        family = self.family_name_romaji.upper()
        return " ".join(part for part in (self.given_name_romaji, family) if part)

    def get_full_name(self) -> str:
        """The name for the active language: romaji in English when known, else as written."""
        if translation.get_language() == "en" and self.name_romaji:
            return self.name_romaji
        return self.name_kanji or self.name_romaji or self.get_username()

    def get_short_name(self) -> str:
        return self.get_full_name()

    # Certification -------------------------------------------------------------------------

    def current_certificate(self, on: datetime.date | None = None) -> "Certificate | None":
        """The certificate that decides the user's status on ``on``.

        A valid certificate wins (the one valid longest); otherwise the most recently issued one.
        """
        on = on or today()
        certificates = sorted(
            self.certificates.all(), key=lambda c: (c.issued_on, c.pk), reverse=True
        )
        valid = [c for c in certificates if c.status(on) == CertificateStatus.VALID]
        if valid:
            return max(valid, key=lambda c: (c.valid_until, c.issued_on))
        return certificates[0] if certificates else None

    def certificate_status(self, on: datetime.date | None = None) -> CertificateStatus:
        """The user's certification status today (or on ``on``)."""
        certificate = self.current_certificate(on)
        if certificate is None:
            return CertificateStatus.NONE
        return certificate.status(on)


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, on: datetime.date | None = None):
        on = on or today()
        return self.filter(issued_on__lte=on, valid_until__gte=on).exclude(revoked_on__lte=on)


class Certificate(models.Model):
    """One certificate of a Support Coordinator for Foreign Nationals, as on the register."""

    number = models.CharField(
        _("certificate number"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9][A-Z0-9\-]{2,31}$",
                _(
                    "Use 3–32 capital letters, digits and hyphens. / "
                    "英大文字・数字・ハイフンで3〜32文字にしてください。"
                ),
            )
        ],
    )
    holder = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    issued_on = models.DateField(_("issued on"))
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year of issue"), editable=False, db_index=True
    )
    valid_until = models.DateField(_("valid until"), editable=False, db_index=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    workplace = models.CharField(_("workplace"), max_length=200, blank=True)
    workplace_prefecture = models.ForeignKey(
        "taxonomy.Prefecture",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("workplace prefecture"),
    )
    renews = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name=_("renews certificate"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "number"]
        permissions = [
            ("import_register", _("Can import the register of certified coordinators")),
            ("export_register", _("Can export the register of certified coordinators")),
            ("renew_certificate", _("Can record renewals")),
            ("revoke_certificate", _("Can revoke certificates")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=models.F("issued_on")),
                name="accounts_certificate_revoked_after_issue",
                violation_error_message=_("A certificate cannot be revoked before it was issued."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        # Derived fields are kept in step with the issue date so queries can filter on them.
        self.fiscal_year = fiscal_year_of(self.issued_on)
        self.valid_until = valid_until_for(self.issued_on)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        if self.number:
            self.number = unicodedata.normalize("NFKC", self.number).strip().upper()
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        errors = {}
        if self.revoked_on and not self.revocation_reason.strip():
            errors["revocation_reason"] = _(
                "Give the reason for revocation. / 取消しの理由を入力してください。"
            )
        if self.revocation_reason.strip() and not self.revoked_on:
            errors["revoked_on"] = _(
                "Give the date of revocation. / 取消しの日付を入力してください。"
            )
        if self.issued_on and self.revoked_on and self.revoked_on < self.issued_on:
            errors["revoked_on"] = _(
                "A certificate cannot be revoked before it was issued. / "
                "交付日より前の日付で取り消すことはできません。"
            )
        if self.holder_id and self.issued_on and self._state.adding:
            bar = (
                Disqualification.objects.filter(
                    holder_id=self.holder_id,
                    occurred_on__lte=self.issued_on,
                    barred_until__gt=self.issued_on,
                )
                .order_by("-barred_until")
                .first()
            )
            if bar is not None:
                errors["issued_on"] = _(
                    "This person is barred from certification until %(date)s (%(ground)s). / "
                    "%(date)s まで認定を受けることができません（欠格事由：%(ground)s）。"
                ) % {"date": bar.barred_until.isoformat(), "ground": bar.get_ground_display()}
        if self.renews_id and self.renews_id == self.pk:
            errors["renews"] = _("A certificate cannot renew itself. / 自身を更新元にできません。")
        if self.renews and self.issued_on and self.renews.issued_on >= self.issued_on:
            errors["renews"] = _(
                "A renewal must be issued after the certificate it renews. / "
                "更新後の認定証は更新元より後に交付されている必要があります。"
            )
        if errors:
            raise ValidationError(errors)

    def status(self, on: datetime.date | None = None) -> CertificateStatus:
        on = on or today()
        if self.revoked_on and self.revoked_on <= on:
            return CertificateStatus.REVOKED
        if on < self.issued_on:
            return CertificateStatus.PENDING
        if on > self.valid_until:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    def days_left(self, on: datetime.date | None = None) -> int:
        on = on or today()
        return (self.valid_until - on).days


class DisqualificationGround(models.TextChoices):
    """Grounds that bar certification for two years (ISA committee report, ch.2 §5)."""

    FINE = "fine", _("Fine under the Immigration Control Act or the Technical Intern Training Act")
    IMPRISONMENT = "imprisonment", _("Sentence of imprisonment or heavier")
    RESCISSION = "rescission", _("Certification rescinded")


DISQUALIFICATION_YEARS = 2


class Disqualification(models.Model):
    """A recorded ground for disqualification: certification is barred until ``barred_until``."""

    holder = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="disqualifications",
        verbose_name=_("person"),
    )
    ground = models.CharField(_("ground"), max_length=20, choices=DisqualificationGround.choices)
    occurred_on = models.DateField(
        _("date"),
        help_text=_(
            "The day the fine was paid or the sentence ended, or the day of rescission; the bar "
            "runs two years from it."
        ),
    )
    barred_until = models.DateField(_("barred until"), editable=False)
    note = models.TextField(_("note"), blank=True)
    certificate = models.ForeignKey(
        Certificate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disqualifications",
        verbose_name=_("revoked certificate"),
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on"]
        verbose_name = _("disqualification")
        verbose_name_plural = _("disqualifications")

    def __str__(self) -> str:
        return f"{self.holder} – {self.get_ground_display()} ({self.occurred_on:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        self.barred_until = add_years(self.occurred_on, DISQUALIFICATION_YEARS)
        super().save(*args, **kwargs)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` plus ``years`` calendar years; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class CertificateReminder(models.Model):
    """An expiry reminder sent for one certificate at one threshold (never sent twice)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.SmallIntegerField(
        _("days before expiry"), help_text=_("0 means the notice sent on expiry.")
    )
    sent_on = models.DateField(_("sent on"))
    language = models.CharField(max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "threshold"], name="accounts_reminder_once_per_threshold"
            )
        ]
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")

    def __str__(self) -> str:
        return f"{self.certificate} / {self.threshold}"


class RegisterImport(models.Model):
    """One import of the register of certified coordinators (dry runs are not kept)."""

    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    users_created = models.PositiveIntegerField(_("users created"), default=0)
    users_updated = models.PositiveIntegerField(_("users updated"), default=0)
    certificates_created = models.PositiveIntegerField(_("certificates created"), default=0)
    certificates_updated = models.PositiveIntegerField(_("certificates updated"), default=0)
    unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"
