from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Field, ImmigrationBureau, Language, Prefecture, Qualification


class FieldViewSet(SnippetViewSet):
    model = Field
    icon = "tag"
    list_display = ["name_ja", "name_en", "slug", "order"]
    search_fields = ["name_ja", "name_en", "slug"]
    ordering = ["order"]


class PrefectureViewSet(SnippetViewSet):
    model = Prefecture
    icon = "site"
    list_display = ["code", "name_ja", "name_en", "region", "bureau"]
    list_filter = ["region", "bureau"]
    search_fields = ["name_ja", "name_en", "name_kana", "code"]
    ordering = ["number"]


class ImmigrationBureauViewSet(SnippetViewSet):
    model = ImmigrationBureau
    icon = "home"
    list_display = ["name_ja", "name_en", "slug"]
    ordering = ["order"]


class LanguageViewSet(SnippetViewSet):
    model = Language
    icon = "globe"
    list_display = ["code", "name_ja", "name_en", "order"]
    search_fields = ["code", "name_ja", "name_en"]
    ordering = ["order"]


class QualificationViewSet(SnippetViewSet):
    model = Qualification
    icon = "pick"
    list_display = ["name_ja", "name_en", "exempts_experience"]
    search_fields = ["name_ja", "name_en", "slug"]
    ordering = ["order"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (
        FieldViewSet,
        PrefectureViewSet,
        ImmigrationBureauViewSet,
        LanguageViewSet,
        QualificationViewSet,
    )
    menu_icon = "folder-open-inverse"
    menu_label = _("Taxonomy")
    menu_name = "taxonomy"
    menu_order = 300
