"""Shared fixtures of the case-study tests: the case library and a factory of cases."""

import itertools

import pytest
from wagtail.models import Page

from cases.models import CaseIndexPage, CaseStudyPage
from cases.services.library import assign_case_moderation
from portal.home.models import HomePage
from portal.taxonomy.models import Field, Prefecture

_slugs = itertools.count(1)


@pytest.fixture
def case_index(db):
    """``/cases/``: the case library under the home page, with its workflow and permissions."""
    index = CaseIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first() or Page.objects.get(depth=1)
        index = home.add_child(instance=CaseIndexPage(title="事例", slug="cases"))
    assign_case_moderation(index)
    return index


def case_values(**values):
    """Clean, anonymised values of a case; override any of them."""
    defaults = {
        "title": "妊娠した技能実習生への支援",
        "case_type": "individual",
        "summary": "妊娠を理由に帰国を示唆された技能実習生を、関係機関と連携して支援した。",
        "situation": "<p>20代の技能実習生が妊娠2か月で相談に来た。</p>",
        "issues": "<p>妊娠を理由とする不利益取扱いの禁止が知られていなかった。</p>",
        "actions": "<p>本人の同意を得て、外国人技能実習機構の母国語相談につないだ。</p>",
        "outcome": "resolved",
        "outcome_text": "<p>監理団体は帰国の示唆を撤回した。</p>",
        "lessons": "<p>妊娠・出産のルールを早めに伝える。</p>",
        "client_age_band": "18-29",
        "client_status": "technical-intern",
        "client_stay_band": "under1",
        "attribution": "anonymous",
        "client_consent": True,
    }
    defaults.update(values)
    return defaults


@pytest.fixture
def make_case(case_index):
    """``make_case(author, fields=[…], prefecture=…, live=False, **values)``: a case under the
    library, saved as a draft revision (``live=True`` publishes it directly, for reading tests)."""

    def make(author, *, fields=(), prefecture=None, live=False, **values):
        n = next(_slugs)
        values = case_values(**values)
        values.setdefault("slug", f"case-{n}")
        page = CaseStudyPage(
            live=False,
            author=author,
            prefecture=prefecture or Prefecture.objects.get(number=13),
            **values,
        )
        case_index.add_child(instance=page)
        page.fields.set(fields or [Field.objects.order_by("order").first()])
        page.save()
        revision = page.save_revision(user=author)
        if live:
            revision.publish()
            CaseStudyPage.objects.filter(pk=page.pk).update(state="published")
        return CaseStudyPage.objects.get(pk=page.pk)

    return make
