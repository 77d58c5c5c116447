from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import User

PORTAL_USER_FIELDS = (
    "family_name_kana",
    "given_name_kana",
    "family_name_romaji",
    "given_name_romaji",
    "preferred_language",
)


class PortalUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PORTAL_USER_FIELDS)


class PortalUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PORTAL_USER_FIELDS)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


__all__ = ["LanguageForm", "PortalUserCreationForm", "PortalUserEditForm", "User"]
