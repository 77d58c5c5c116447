"""``/search/``: one view for the whole site; the selector decides what this viewer may find."""

from django import forms
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from portal.accounts.gate import request_access

from . import selectors


class SearchForm(forms.Form):
    """The filters of a search (the words are taken as they come, see ``clean_query``)."""

    type = forms.MultipleChoiceField(
        choices=[(key, label) for key, label in selectors.TYPE_LABELS.items()], required=False
    )
    field = forms.IntegerField(required=False, min_value=1)
    prefecture = forms.IntegerField(required=False, min_value=1)
    page = forms.IntegerField(required=False, min_value=1)

    def value(self, name):
        """The cleaned value of ``name``, or its empty value when it does not clean (a stale or
        edited link still gets an answer rather than an error)."""
        if name in self.errors or not hasattr(self, "cleaned_data"):
            return self.fields[name].to_python(None)
        return self.cleaned_data.get(name)


def _json(result: selectors.SearchPage) -> dict:
    return {
        "results": [
            {"type": hit.type, "title": hit.title, "url": hit.url, "snippet": str(hit.snippet_html)}
            for hit in result.results
        ],
        "facets": {
            name: [
                {"value": v.value, "label": v.label, "count": v.count}
                for v in result.facets.get(name, [])
            ]
            for name in ("type", "field", "prefecture")
        },
        "total": result.total,
        "page": result.page.number if result.page else 1,
        "pages": result.paginator.num_pages if result.paginator and result.total else 0,
        "notice": result.notice or None,
    }


def _private(response):
    """Results depend on who asks (and may list directory profiles): never stored."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def search(request):
    form = SearchForm(request.GET)
    form.is_valid()
    asked = request.GET.get("q", "")
    query = selectors.clean_query(asked)
    result = selectors.site_search(
        request.user,
        query,
        types=form.value("type") or (),
        field=form.value("field"),
        prefecture=form.value("prefecture"),
        page=form.value("page") or 1,
        access=request_access(request),
    )
    if request.GET.get("format") == "json":
        return _private(JsonResponse(_json(result), json_dumps_params={"ensure_ascii": False}))
    filters = [("type", t) for t in result.types]
    if result.field:
        filters.append(("field", result.field))
    if result.prefecture:
        filters.append(("prefecture", result.prefecture))
    response = TemplateResponse(
        request,
        "search/search.html",
        {
            "search": result,
            "facet_groups": _facet_groups(result),
            "page_query": _encode([("q", result.query), *filters]),
            # A longer query (only from an edited address: the box stops at the limit) is
            # searched by its beginning; the reader is told so.
            "shortened_to": selectors.MAX_QUERY_LENGTH
            if len(" ".join(asked.split())) > selectors.MAX_QUERY_LENGTH
            else None,
        },
    )
    return _private(response)


def _encode(pairs) -> str:
    return urlencode([(k, v) for k, v in pairs if v not in (None, "")])


def _facet_groups(result: selectors.SearchPage) -> list[dict]:
    """Each facet with, for every value, the link that chooses it (or clears it when chosen);
    choosing a value keeps the other filters and goes back to the first page."""
    current = {"type": list(result.types), "field": result.field, "prefecture": result.prefecture}
    headings = {
        "type": _("Type"),
        "field": _("Field of consultation"),
        "prefecture": _("Prefecture"),
    }
    groups = []
    for name in ("type", "field", "prefecture"):
        values = result.facets.get(name) or []
        if not values:
            continue
        rows = []
        for value in values:
            chosen = (
                value.value in current[name] if name == "type" else value.value == current[name]
            )
            others = {k: v for k, v in current.items() if k != name}
            pairs = [("q", result.query)]
            pairs += [("type", t) for t in others.get("type", [])]
            pairs += [(k, v) for k, v in others.items() if k != "type"]
            if name == "type":
                kept = [t for t in current["type"] if t != value.value]
                pairs += [("type", t) for t in (kept if chosen else [*kept, value.value])]
            elif not chosen:
                pairs.append((name, value.value))
            rows.append(
                {
                    "value": value.value,
                    "label": value.label,
                    "count": value.count,
                    "chosen": chosen,
                    "query": _encode(pairs),
                }
            )
        groups.append({"name": name, "heading": headings[name], "values": rows})
    return groups
