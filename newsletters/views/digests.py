from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..models import DigestFrequency, DigestSubscription
from ..services.digests import digest_choose, digest_unsubscribe, user_for_unsubscribe_token


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("E-mail digest"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Every Monday: the national notices, newsletters and case studies published in the "
            "week before, in your language. Nothing is sent in a week without news."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def digest_settings(request):
    current = DigestSubscription.objects.filter(user=request.user).first()
    initial = {"frequency": current.frequency if current else DigestFrequency.NONE}
    form = DigestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        digest_choose(request.user, form.cleaned_data["frequency"])
        messages.success(request, _("Your e-mail digest setting was saved."))
        return HttpResponseRedirect(reverse("digest:settings"))
    return TemplateResponse(request, "newsletters/digests/settings.html", {"form": form})


@csrf_exempt  # the signed token is the credential; mail programs POST here without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows one button; POST (the button, or a mail program's one-click request) leaves
    the digest. An altered or made-up token answers 400 and changes nothing."""
    user = user_for_unsubscribe_token(token)
    if user is None:
        return TemplateResponse(request, "newsletters/digests/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        digest_unsubscribe(user)
        return TemplateResponse(request, "newsletters/digests/unsubscribed.html")
    return TemplateResponse(request, "newsletters/digests/unsubscribe.html", {"token": token})
