"""Members write, preview and submit case studies on the site; ``/cases/mine/`` lists them."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import WorkflowState

from cases.forms import ETHICS_KEYS, CaseForm, rich_text, text_to_html
from cases.models import CaseStudyPage
from cases.services.submission import case_save_draft, case_submit
from directory.models import Partner
from portal.taxonomy.models import Field, Prefecture

pytestmark = pytest.mark.django_db

SUBMIT_URL = "/cases/submit/"
MINE_URL = "/cases/mine/"
PHONE = "090-1234-5678"
NAME = "田中さん"


def form_data(action="draft", **overrides):
    """A complete, anonymised case as the form posts it."""
    data = {
        "action": action,
        "title": "妊娠した技能実習生への支援",
        "case_type": "individual",
        "fields": [str(Field.objects.order_by("order").first().pk)],
        "prefecture": str(Prefecture.objects.get(number=13).pk),
        "summary": "妊娠を理由に帰国を示唆された技能実習生を支援した。",
        "situation": "20代の技能実習生が妊娠2か月で相談に来た。",
        "issues": "妊娠を理由とする不利益取扱いの禁止が知られていなかった。",
        "actions": "本人の同意を得て、母国語相談につないだ。",
        "partners_note": "地域の法律相談窓口",
        "outcome": "resolved",
        "outcome_text": "監理団体は帰国の示唆を撤回した。",
        "lessons": "妊娠・出産のルールを早めに伝える。",
        "client_age_band": "18-29",
        "client_status": "technical-intern",
        "client_stay_band": "under1",
        "client_language": "",
        "attribution": "anonymous",
    }
    if action == "submit":
        data["client_consent"] = "on"
        data["ethics_checklist"] = list(ETHICS_KEYS)
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def own_cases_of(user):
    return CaseStudyPage.objects.filter(author=user).order_by("pk")


def edit_url(case):
    return reverse("cases:edit", args=[case.pk])


def preview_url(case):
    return reverse("cases:preview", args=[case.pk])


@pytest.fixture
def member(client_for, coordinator, case_index):
    return client_for(coordinator)


def cleaned(action="draft", **overrides):
    form = CaseForm(form_data(action, **overrides), action=action)
    assert form.is_valid(), form.errors
    return form.cleaned_data


# --- URLs and the gate ---------------------------------------------------------------------


def test_urls_do_not_collide_with_the_library():
    assert reverse("cases:submit") == SUBMIT_URL
    assert reverse("cases:mine") == MINE_URL
    assert reverse("cases:edit", args=[7]) == "/cases/7/edit/"
    assert reverse("cases:preview", args=[7]) == "/cases/7/preview/"


@pytest.mark.parametrize("url", [SUBMIT_URL, MINE_URL])
def test_anonymous_visitor_is_sent_to_login(client, case_index, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_post_stores_nothing(client, case_index):
    response = client.post(SUBMIT_URL, form_data())
    assert response.status_code == 302
    assert not CaseStudyPage.objects.exists()


@pytest.mark.parametrize("url", [SUBMIT_URL, MINE_URL])
def test_expired_coordinator_gets_the_renewal_page(
    client_for, expired_coordinator, case_index, url
):
    response = client_for(expired_coordinator).get(url)
    assert response.status_code == 403
    assert b"case-form" not in response.content


def test_expired_coordinator_cannot_post(client_for, expired_coordinator, case_index):
    response = client_for(expired_coordinator).post(SUBMIT_URL, form_data())
    assert response.status_code == 403
    assert not CaseStudyPage.objects.exists()


def test_form_is_structured_and_accessible(member):
    response = member.get(SUBMIT_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") >= 8 and html.count("<legend") >= 8
    for name in ("title", "summary", "situation", "issues", "actions", "lessons"):
        assert f'<label for="id_{name}"' in html
    for action in ("draft", "preview", "submit"):
        assert f'name="action" value="{action}"' in html
    assert 'name="client_consent"' in html
    assert html.count('name="ethics_checklist"') == len(ETHICS_KEYS)


# --- Validation ----------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["title", "summary", "situation", "lessons", "outcome"])
def test_required_fields(member, missing):
    response = member.post(SUBMIT_URL, form_data(**{missing: ""}))
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    assert f'id="id_{missing}_errors"'.encode() in response.content
    assert not CaseStudyPage.objects.exists()


def test_a_field_that_is_only_markup_is_empty(member):
    response = member.post(SUBMIT_URL, form_data(situation="<script>alert(1)</script>"))
    assert response.status_code == 400
    assert b'id="id_situation_errors"' in response.content


def test_regional_fields_required_only_for_regional_problems():
    form = CaseForm(form_data(case_type="regional"))
    assert not form.is_valid()
    assert set(form.errors) == {"stakeholders", "measures", "government_feedback"}
    with translation.override("en"):
        form = CaseForm(form_data(case_type="regional"))
        assert "Regional problem" in form.errors["measures"][0]
    form = CaseForm(
        form_data(
            case_type="regional",
            stakeholders="市役所、国際交流協会",
            measures="多言語の相談会を開いた。",
            government_feedback="通訳の予算が足りない。",
        )
    )
    assert form.is_valid(), form.errors


def test_consent_and_checklist_only_required_to_submit(member):
    assert CaseForm(form_data(), action="draft").is_valid()
    form = CaseForm(form_data(), action="submit")
    assert not form.is_valid()
    assert set(form.errors) == {"client_consent", "ethics_checklist"}
    partial = form_data("submit", ethics_checklist=list(ETHICS_KEYS)[:-1])
    form = CaseForm(partial, action="submit")
    assert not form.is_valid()
    assert set(form.errors) == {"ethics_checklist"}
    # Through the view: a draft saves, a submission is refused.
    response = member.post(SUBMIT_URL, form_data("submit", client_consent=None))
    assert response.status_code == 400
    assert b'id="id_client_consent_errors"' in response.content
    assert not CaseStudyPage.objects.exists()
    assert member.post(SUBMIT_URL, form_data("draft")).status_code == 302
    assert CaseStudyPage.objects.count() == 1


def test_only_live_partners_can_be_chosen(partner_factory):
    live = partner_factory("live-one", live=True)
    draft = partner_factory("draft-one", live=False)
    assert CaseForm(form_data(partners=[str(live.pk)])).is_valid()
    form = CaseForm(form_data(partners=[str(draft.pk)]))
    assert not form.is_valid()
    assert "partners" in form.errors


@pytest.fixture
def partner_factory(db):
    kinds = Partner._meta.get_field("kind").choices
    levels = Partner._meta.get_field("level").choices

    def make_valid(slug, live=True):
        partner = Partner(name_ja=slug, slug=slug, kind=kinds[0][0], level=levels[0][0], live=live)
        partner.save()
        return partner

    return make_valid


# --- Rich text -----------------------------------------------------------------------------


def test_plain_text_becomes_paragraphs_and_line_breaks():
    html = rich_text("一段落目の一行目\n一行目の続き\n\n二段落目 <3 & more")
    assert html == "<p>一段落目の一行目<br>\n一行目の続き</p>\n<p>二段落目 &lt;3 &amp; more</p>"
    assert text_to_html("<p>既にHTML</p>") == "<p>既にHTML</p>"


@pytest.mark.parametrize(
    "typed",
    [
        '<p onclick="steal()">相談を受けた。</p><script>alert("x")</script>',
        '<p>相談を受けた。<a href="javascript:alert(1)">リンク</a></p><img src=x onerror=alert(1)>',
    ],
)
def test_scripts_and_handlers_never_reach_the_stored_page(member, coordinator, typed):
    response = member.post(SUBMIT_URL, form_data(situation=typed, lessons=typed))
    assert response.status_code == 302
    case = own_cases_of(coordinator).get()
    revision = case.get_latest_revision_as_object()
    for stored in (case.situation, case.lessons, revision.situation):
        assert "相談を受けた。" in stored
        for bad in ("<script", "onclick", "javascript:", "onerror", "alert"):
            assert bad not in stored


def test_the_service_cleans_whatever_it_is_given(coordinator, case_index):
    data = cleaned()
    data["issues"] = "<p>問題</p><script>alert(1)</script><iframe src=x></iframe>"
    case = case_save_draft(coordinator, data)
    assert case.issues == "<p>問題</p>"


# --- Drafts --------------------------------------------------------------------------------


def test_draft_save_creates_a_private_draft_and_keeps_the_data(member, coordinator, case_index):
    response = member.post(SUBMIT_URL, form_data(situation="一段落目\n\n二段落目"))
    case = own_cases_of(coordinator).get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(case)
    assert not case.live
    assert case.state == "draft"
    assert case.author == coordinator and case.owner is None  # the owner would be indexed
    assert case.get_parent().pk == case_index.pk
    assert re.fullmatch(r"case-[0-9a-f]{8}", case.slug)
    assert case.situation == "<p>一段落目</p>\n<p>二段落目</p>"
    assert list(case.fields.all()) == [Field.objects.order_by("order").first()]
    assert case.revisions.count() == 1
    assert case.current_workflow_state is None

    # The edit form shows what was saved, as text.
    page = member.get(edit_url(case)).content.decode()
    assert "一段落目\n\n二段落目</textarea>" in page
    assert "妊娠した技能実習生への支援" in page

    # Saving again updates the same page and adds a revision.
    response = member.post(edit_url(case), form_data(title="更新したタイトル"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "更新したタイトル"
    assert case.revisions.count() == 2
    assert own_cases_of(coordinator).count() == 1
    assert case.get_latest_revision_as_object().title == "更新したタイトル"


def test_preview_shows_the_case_without_publishing(member, coordinator):
    response = member.post(SUBMIT_URL, form_data("preview", situation=f"{NAME}から相談を受けた。"))
    case = own_cases_of(coordinator).get()
    assert response.status_code == 302
    assert response["Location"] == preview_url(case)
    page = member.get(preview_url(case))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-part="case-preview"' in html
    assert "妊娠した技能実習生への支援" in html
    # The finding is highlighted in the preview.
    assert 'data-part="finding-mark" data-kind="name">田中</mark>' in html
    case.refresh_from_db()
    assert not case.live and case.state == "draft"


def test_editor_can_submit_through_the_same_form(client_for, editor, case_index):
    client = client_for(editor)
    assert client.get(SUBMIT_URL).status_code == 200
    assert client.post(SUBMIT_URL, form_data()).status_code == 302
    assert own_cases_of(editor).count() == 1


# --- Submitting and the anonymisation assistant ----------------------------------------------


def test_submit_refused_with_a_phone_number_and_a_name_until_fixed(member, coordinator):
    typed = f"{NAME}（電話 {PHONE}）から相談を受けた。\n\n本人は不安だった。"
    response = member.post(SUBMIT_URL, form_data("submit", situation=typed))
    html = response.content.decode()
    assert response.status_code == 400
    assert not CaseStudyPage.objects.exists()
    assert 'data-part="open-findings"' in html
    assert 'role="alert"' in html
    # Findings inline, highlighted, with a justification box per high finding.
    assert 'data-part="findings" data-field="situation"' in html
    assert f'data-kind="phone">{PHONE}</mark>' in html
    assert 'data-kind="name">田中</mark>' in html
    assert 'name="justify-situation-phone-1"' in html
    assert 'name="justify-situation-name-1"' in html
    # Everything typed is kept.
    assert "（電話 090-1234-5678）から相談を受けた。\n\n本人は不安だった。</textarea>" in html
    assert re.search(r'<input type="checkbox" name="client_consent"[^>]*checked', html)
    assert len(re.findall(r'name="ethics_checklist"[^>]*checked', html)) == len(ETHICS_KEYS)

    # Fixed: the same form submits.
    fixed = "Aさんから相談を受けた。\n\n本人は不安だった。"
    response = member.post(SUBMIT_URL, form_data("submit", situation=fixed))
    assert response.status_code == 302
    assert response["Location"] == MINE_URL
    case = own_cases_of(coordinator).get()
    assert case.state == "in_review"


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_findings_shown_with_other_errors_and_nothing_lost(member):
    typed = f"{NAME}から相談を受けた。"
    response = member.post(SUBMIT_URL, form_data("submit", situation=typed, summary=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_summary_errors"' in html
    assert 'name="justify-situation-name-1"' in html
    assert f"{typed}</textarea>" in html
    assert not CaseStudyPage.objects.exists()


def test_refusal_message_in_english(member):
    response = in_english(member).post(SUBMIT_URL, form_data("submit", situation=f"電話 {PHONE}"))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-part="open-findings"' in html
    with translation.override("en"):
        assert "1 possible personal detail is neither fixed nor justified" in html
        assert "Phone number" in html


def test_regional_error_in_english(member):
    response = in_english(member).post(SUBMIT_URL, form_data(case_type="regional"))
    assert response.status_code == 400
    assert "Required when the case type is “Regional problem”." in response.content.decode()


def test_submit_refused_until_every_high_finding_is_justified(member, coordinator):
    typed = f"{NAME}（電話 {PHONE}）から相談を受けた。"
    only_one = form_data(
        "submit",
        situation=typed,
        **{
            "justify-situation-phone-1": "相談窓口の代表番号で、個人の番号ではない。",
            "justify-situation-phone-1-text": PHONE,
        },
    )
    response = member.post(SUBMIT_URL, only_one)
    assert response.status_code == 400
    html = response.content.decode()
    # The justification typed is kept in its box.
    assert "相談窓口の代表番号で、個人の番号ではない。</textarea>" in html
    assert not CaseStudyPage.objects.exists()

    both = dict(only_one)
    both["justify-situation-name-1"] = "架空の名前に置き換え済み。"
    both["justify-situation-name-1-text"] = "田中"
    response = member.post(SUBMIT_URL, both)
    assert response.status_code == 302
    case = own_cases_of(coordinator).get()
    assert case.state == "in_review"
    assert case.submitted_at is not None
    assert case.client_consent is True
    assert sorted(case.ethics_checklist) == sorted(ETHICS_KEYS)
    assert {(j["field"], j["kind"], j["text"]) for j in case.justifications} == {
        ("situation", "phone", PHONE),
        ("situation", "name", "田中"),
    }
    workflow_state = case.current_workflow_state
    assert workflow_state is not None
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert workflow_state.workflow.name == "Case moderation"
    assert workflow_state.requested_by == coordinator
    assert workflow_state.current_task_state.revision == case.latest_revision
    assert not case.live


def test_submit_service_refuses_open_findings_and_missing_consent(coordinator, case_index):
    from django.core.exceptions import ValidationError

    case = case_save_draft(coordinator, cleaned(situation=f"電話 {PHONE}"))
    with pytest.raises(ValidationError) as error:
        case_submit(coordinator, case, [])
    assert len(error.value.messages) == 3  # consent, checklist, one open finding
    case.refresh_from_db()
    assert case.state == "draft" and case.current_workflow_state is None

    case = case_save_draft(coordinator, cleaned("submit", situation=f"電話 {PHONE}"), case)
    justification = {"field": "situation", "kind": "phone", "text": PHONE, "reason": "代表番号"}
    case = case_submit(coordinator, case, [justification])
    assert case.state == "in_review"
    assert case.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_submission_is_audited(member, coordinator):
    from wagtail.models import PageLogEntry

    member.post(SUBMIT_URL, form_data("submit"))
    case = own_cases_of(coordinator).get()
    actions = set(PageLogEntry.objects.filter(page=case).values_list("action", flat=True))
    assert {"portal.case_draft_save", "portal.case_author_submit"} <= actions


def _request_changes(case, moderator, comment):
    workflow_state = case.current_workflow_state
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "reject", comment=comment)
    CaseStudyPage.objects.filter(pk=case.pk).update(
        state="changes_requested", moderation_note=comment
    )
    case.refresh_from_db()
    return case


def test_locked_while_in_review_and_resubmit_after_changes_resumes(member, coordinator, moderator):
    member.post(SUBMIT_URL, form_data("submit"))
    case = own_cases_of(coordinator).get()

    # In review: a clear message and no form; posting changes nothing.
    response = member.get(edit_url(case))
    assert response.status_code == 200
    assert b'data-part="locked"' in response.content
    assert b'data-part="case-form"' not in response.content
    response = member.post(edit_url(case), form_data(title="変更"))
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.title == "妊娠した技能実習生への支援"

    # The moderators ask for changes.
    first_state = case.current_workflow_state
    case = _request_changes(case, moderator, "年齢をぼかしてください。")
    assert case.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    page = member.get(edit_url(case)).content.decode()
    assert 'data-part="case-form"' in page
    assert "年齢をぼかしてください。" in page

    response = member.post(edit_url(case), form_data("submit", title="修正版"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "修正版"
    assert case.state == "in_review"
    workflow_state = case.current_workflow_state
    assert workflow_state.pk == first_state.pk  # resumed, not a new workflow
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert workflow_state.current_task_state.revision == case.latest_revision
    assert WorkflowState.objects.filter(object_id=str(case.pk)).count() == 1


def test_changes_to_a_live_case_stay_in_revisions_until_approved(member, coordinator, make_case):
    case = make_case(coordinator, title="公開中の版", live=True)
    CaseStudyPage.objects.filter(pk=case.pk).update(state="changes_requested")
    assert member.post(edit_url(case), form_data(title="修正中の版")).status_code == 302
    case.refresh_from_db()
    assert case.live and case.title == "公開中の版"
    assert case.get_latest_revision_as_object().title == "修正中の版"
    assert "修正中の版</textarea>" not in member.get(edit_url(case)).content.decode()
    assert 'value="修正中の版"' in member.get(edit_url(case)).content.decode()
    response = member.post(edit_url(case), form_data("submit", title="修正中の版"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "公開中の版" and case.state == "in_review"
    assert case.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_only_justifications_of_present_findings_are_kept(member, coordinator):
    data = form_data(
        "submit",
        situation=f"電話 {PHONE} で相談",
        **{
            "justify-situation-phone-1": "代表番号",
            "justify-situation-phone-1-text": PHONE,
            "justify-lessons-email-1": "作り話",
            "justify-lessons-email-1-text": "x@example.com",
        },
    )
    assert member.post(SUBMIT_URL, data).status_code == 302
    case = own_cases_of(coordinator).get()
    assert case.justifications == [
        {"field": "situation", "kind": "phone", "text": PHONE, "reason": "代表番号"}
    ]


@pytest.mark.parametrize("state", ["published", "rejected"])
def test_published_and_rejected_cases_are_not_editable(member, coordinator, make_case, state):
    case = make_case(coordinator, live=state == "published")
    CaseStudyPage.objects.filter(pk=case.pk).update(state=state)
    response = member.get(edit_url(case))
    assert b'data-part="locked"' in response.content
    assert b'data-part="case-form"' not in response.content
    assert member.post(edit_url(case), form_data()).status_code == 409


# --- Other people's cases --------------------------------------------------------------------


def test_other_coordinator_gets_404(
    client_for, coordinator, make_user, issue_certificate, make_case
):
    import datetime

    from portal.accounts import roles
    from portal.accounts.models import today

    other = make_user("other-coord", roles.COORDINATOR)
    issue_certificate(other, today() - datetime.timedelta(days=10))
    case = make_case(coordinator)
    client = client_for(other)
    assert client.get(edit_url(case)).status_code == 404
    assert client.post(edit_url(case), form_data(title="乗っ取り")).status_code == 404
    assert client.get(preview_url(case)).status_code == 404
    case.refresh_from_db()
    assert case.title != "乗っ取り"


def test_moderator_cannot_edit_on_the_site(client_for, moderator, coordinator, make_case):
    case = make_case(coordinator)
    assert client_for(moderator).get(edit_url(case)).status_code == 404


# --- Own cases -----------------------------------------------------------------------------


def test_mine_lists_only_own_cases_newest_first(member, coordinator, make_user, make_case):
    other = make_user("someone-else")
    older = make_case(coordinator, title="古い事例")
    newer = make_case(coordinator, title="新しい事例")
    make_case(other, title="他人の事例")
    html = member.get(MINE_URL).content.decode()
    assert "他人の事例" not in html
    assert html.index("新しい事例") < html.index("古い事例")
    assert f'href="{edit_url(older)}"' in html and f'href="{edit_url(newer)}"' in html
    assert 'data-state="draft"' in html


def test_mine_shows_state_note_and_links(member, coordinator, moderator, make_case):
    published = make_case(coordinator, title="公開済み", live=True)
    member.post(SUBMIT_URL, form_data("submit", title="審査中"))
    in_review = own_cases_of(coordinator).get(title="審査中")
    changes = make_case(coordinator, title="要修正")
    CaseStudyPage.objects.filter(pk=changes.pk).update(
        state="changes_requested", moderation_note="名前を消してください。"
    )
    html = member.get(MINE_URL).content.decode()
    assert f'href="{published.url}" data-part="view-link"' in html
    assert f'href="{edit_url(published)}"' not in html
    assert f'href="{edit_url(in_review)}"' not in html
    assert f'href="{edit_url(changes)}"' in html
    assert 'data-state="in_review"' in html
    assert "名前を消してください。" in html
    submitted_on = timezone.localtime(in_review.submitted_at).strftime("%Y-%m-%d")
    assert f">{submitted_on}</time>" in html


def test_mine_shows_the_latest_review_comment(member, coordinator, moderator):
    member.post(SUBMIT_URL, form_data("submit"))
    case = own_cases_of(coordinator).get()
    _request_changes(case, moderator, "地名を県レベルにしてください。")
    CaseStudyPage.objects.filter(pk=case.pk).update(moderation_note="")
    html = member.get(MINE_URL).content.decode()
    assert 'data-part="review-comment"' in html
    assert "地名を県レベルにしてください。" in html


def test_mine_empty_state(member):
    response = member.get(MINE_URL)
    assert b'data-part="empty"' in response.content
    response = in_english(member).get(MINE_URL)
    assert "You have not written any case study yet." in response.content.decode()


def test_mine_is_paginated(member, coordinator, make_case):
    for n in range(21):
        make_case(coordinator, title=f"事例{n}")
    first = member.get(MINE_URL).content.decode()
    assert first.count('data-part="own-case"') == 20
    second = member.get(MINE_URL + "?page=2").content.decode()
    assert second.count('data-part="own-case"') == 1


def test_mine_query_count_does_not_grow(
    member, coordinator, moderator, make_case, django_assert_max_num_queries
):
    def rows():
        with CaptureQueriesContext(connection) as captured:
            response = member.get(MINE_URL)
        assert response.status_code == 200
        return len(captured)

    make_case(coordinator, live=True)
    member.post(SUBMIT_URL, form_data("submit"))
    few = rows()
    for n in range(12):
        make_case(coordinator, title=f"事例{n}", live=n % 2 == 0)
    case = own_cases_of(coordinator).last()
    CaseStudyPage.objects.filter(pk=case.pk).update(state="changes_requested")
    with django_assert_max_num_queries(few):
        member.get(MINE_URL)


# --- Member start page -----------------------------------------------------------------------


def test_member_home_lists_the_five_newest_own_cases(member, coordinator, make_case):
    cases = [make_case(coordinator, title=f"私の事例{n}") for n in range(7)]
    html = member.get(reverse("members")).content.decode()
    for case in cases[2:]:
        assert f'<a href="{edit_url(case)}">{case.title}</a>' in html
    for case in cases[:2]:
        assert case.title not in html
