from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
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


class PortalPasswordResetForm(PasswordResetForm):
    """Also reaches holders invited by a register import who have not chosen a password yet."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)


class VerificationNameForm(forms.Form):
    show_name = forms.BooleanField(
        label=_("Show my name on the public verification page and in my digital badge"),
        required=False,
    )


class VerifyLookupForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_number(self):
        from .verification import normalise_number

        number = normalise_number(self.cleaned_data["number"])
        if number is None:
            raise forms.ValidationError(
                _("Enter the number as printed on the certificate card, for example SC-2024-0001.")
            )
        return number


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


__all__ = [
    "LanguageForm",
    "VerificationNameForm",
    "PortalPasswordResetForm",
    "PortalUserCreationForm",
    "PortalUserEditForm",
    "User",
]


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Register file (CSV or XLSX)"),
        help_text=_("CSV in UTF-8 (with or without BOM) or Shift_JIS, or an Excel .xlsx file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, without importing"),
        required=False,
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 20 MB. / ファイルが20MBを超えています。")
            )
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError(
                _("Upload a .csv or .xlsx file. / .csv か .xlsx ファイルを選んでください。")
            )
        return upload


class RegisterExportForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("All")),
        ("valid", _("Valid")),
        ("expired", _("Expired")),
        ("revoked", _("Revoked")),
    ]
    FORMAT_CHOICES = [("csv", "CSV"), ("xlsx", "Excel (XLSX)")]

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    prefecture = forms.ModelChoiceField(
        label=_("Workplace prefecture"),
        queryset=None,
        required=False,
        empty_label=_("All prefectures"),
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="csv")

    def __init__(self, *args, **kwargs):
        from portal.taxonomy.models import Prefecture

        super().__init__(*args, **kwargs)
        self.fields["prefecture"].queryset = Prefecture.objects.all()


class CertificateRenewForm(forms.Form):
    number = forms.CharField(label=_("New certificate number"), max_length=32)
    completed_on = forms.DateField(
        label=_("Renewal training completed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class CertificateRevokeForm(forms.Form):
    revoked_on = forms.DateField(
        label=_("Revoked on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
