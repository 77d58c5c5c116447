"""The one vocabulary every app uses: fields of consultation, prefectures, languages, qualifications.

Rows are loaded from versioned JSON (``data/v1/…``) by data migrations; editors maintain them as
snippets afterwards. Other apps refer to these models by string (``"taxonomy.Field"``).
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin(models.Model):
    name_ja = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_en if translation.get_language() == "en" else self.name_ja


class TaxonomyQuerySet(models.QuerySet):
    def counted(self):
        """Rows that count in statistics (everything except the catch-all "other")."""
        return self.filter(is_other=False)


class Field(BilingualNameMixin):
    """A field of consultation; also a partner's field of response and a case's topic."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_plain_ja = models.CharField(_("name (plain Japanese)"), max_length=200, blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_other = models.BooleanField(
        _("catch-all"), default=False, help_text=_("Not counted in statistics.")
    )

    objects = TaxonomyQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("field of consultation")
        verbose_name_plural = _("fields of consultation")

    @property
    def description(self) -> str:
        return self.description_en if translation.get_language() == "en" else self.description_ja


class ImmigrationBureau(BilingualNameMixin):
    """One of the eight Regional Immigration Services Bureaus."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("regional immigration services bureau")
        verbose_name_plural = _("regional immigration services bureaus")


class Region(models.TextChoices):
    """The conventional eight-block grouping of prefectures (not the same as bureau jurisdiction)."""

    HOKKAIDO = "hokkaido", _("Hokkaido")
    TOHOKU = "tohoku", _("Tohoku")
    KANTO = "kanto", _("Kanto")
    CHUBU = "chubu", _("Chubu")
    KINKI = "kinki", _("Kinki")
    CHUGOKU = "chugoku", _("Chugoku")
    SHIKOKU = "shikoku", _("Shikoku")
    KYUSHU_OKINAWA = "kyushu-okinawa", _("Kyushu and Okinawa")


class Prefecture(BilingualNameMixin):
    code = models.CharField(_("ISO 3166-2 code"), max_length=5, unique=True)
    number = models.PositiveSmallIntegerField(_("JIS X 0401 number"), unique=True)
    name_kana = models.CharField(_("reading (kana)"), max_length=100)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    bureau = models.ForeignKey(
        ImmigrationBureau,
        on_delete=models.PROTECT,
        related_name="prefectures",
        verbose_name=_("regional immigration services bureau"),
    )
    district_office_ja = models.CharField(
        _("district office (Japanese)"), max_length=200, blank=True
    )
    district_office_en = models.CharField(
        _("district office (English)"), max_length=200, blank=True
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")


class Language(BilingualNameMixin):
    """A language a coordinator works in (BCP 47 tag), not the portal's interface language."""

    code = models.CharField(_("BCP 47 tag"), max_length=35, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class Qualification(BilingualNameMixin):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    exempts_experience = models.BooleanField(
        _("exempts from the experience requirement"), default=False
    )
    is_other = models.BooleanField(_("catch-all"), default=False)

    objects = TaxonomyQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
