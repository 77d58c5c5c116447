"""Members' pages of the opinion box: the published answers, the form, their own opinions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.accounts.gate import member_required

from .forms import OpinionFilterForm, OpinionForm
from .selectors import PUBLIC_STATUSES, own_opinions, public_opinions
from .services import DAILY_LIMIT, OpinionLimitReached, opinion_submit

PAGE_SIZE = 20


@member_required
@require_GET
def opinion_list(request):
    form = OpinionFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(public_opinions(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": form,
        "filters_invalid": form.is_bound and not form.is_valid(),
        "filtered": any(filters.values()),
        "page": page,
        "query": query.urlencode(),
    }
    return TemplateResponse(request, "questionnaires/opinions/list.html", context)


def _render_form(request, form, status=200):
    context = {"form": form, "daily_limit": DAILY_LIMIT}
    return TemplateResponse(request, "questionnaires/opinions/form.html", context, status=status)


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def opinion_create(request):
    if request.method != "POST":
        return _render_form(request, OpinionForm())
    form = OpinionForm(request.POST)
    if not form.is_valid():
        return _render_form(request, form, status=400)
    data = form.cleaned_data
    try:
        opinion_submit(
            request.user,
            anonymous=data["anonymous"],
            category=data["category"],
            text=data["text"],
            field=data["field"],
            prefecture=data["prefecture"],
        )
    except OpinionLimitReached as error:
        # Nothing was stored; the form keeps what was typed.
        form.add_error(None, error)
        return _render_form(request, form, status=429)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_form(request, form, status=400)
    if data["anonymous"]:
        messages.success(
            request,
            _(
                "Thank you. Your opinion was sent anonymously: it keeps no author, so it does "
                "not appear in “Your opinions”."
            ),
        )
        return redirect("opinions:list")
    messages.success(
        request,
        _("Thank you. Your opinion was sent; you can follow its status in “Your opinions”."),
    )
    return redirect("opinions:mine")


@never_cache
@member_required
@require_GET
def own_opinion_list(request):
    page = Paginator(own_opinions(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": "", "public_statuses": PUBLIC_STATUSES}
    return TemplateResponse(request, "questionnaires/opinions/mine.html", context)
