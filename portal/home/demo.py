"""Demo content for the home page and the standard pages."""

import json

from django.db import transaction
from wagtail.models import Site

from .models import HomePage, SiteSettings, StandardPage

HOME_LEAD = "外国人支援コーディネーターの皆さまが互いにつながり、知見を共有し、国からのお知らせを受け取るための会員ポータルです。"

HOME_BODY = [
    {
        "type": "callout",
        "value": {
            "tone": "info",
            "title": "認定の有効期間について",
            "body": "<p>認定証の有効期間は、交付日の属する年度の3月31日から3年間です。"
            "期間内に更新研修を修了すると、新しい有効期間の認定証が交付されます。</p>",
        },
    },
    {
        "type": "links",
        "value": [
            {
                "title": "認定制度について",
                "text": "研修・認定・更新の流れ",
                "page": None,
                "url": "/about-certification/",
            },
            {
                "title": "個人情報と同意の方針",
                "text": "名簿への掲載は本人の同意がある場合に限ります。",
                "page": None,
                "url": "/consent-policy/",
            },
        ],
    },
]

PAGES = (
    {
        "slug": "about-certification",
        "title": "認定制度について",
        "lead": "外国人支援コーディネーターの養成研修と認定の仕組みを説明します。",
        "body": [
            {"type": "heading", "value": {"text": "研修の流れ", "level": "h2"}},
            {
                "type": "paragraph",
                "value": "<p>研修は約6か月で、オンラインによる研修1（約60時間）、所属先での実務演習（約3か月）、"
                "集合形式の研修2（2日間）で構成されます。研修2の修了試験に合格し、欠格事由に該当しない方が、"
                "出入国在留管理庁により認定されます。</p>",
            },
            {"type": "heading", "value": {"text": "有効期間と更新", "level": "h2"}},
            {
                "type": "paragraph",
                "value": "<p>認定証の有効期間は、交付日の属する年度の3月31日から3年間です"
                "（例：2024年10月1日交付 → 2028年3月31日まで）。有効期間内に更新研修を修了しない場合、"
                "認定は有効期間の末日に失効します。</p>",
            },
        ],
    },
    {
        "slug": "consent-policy",
        "title": "個人情報と同意の方針",
        "lead": "コーディネーター名簿への掲載と公開は、ご本人の明示的な同意がある場合に限ります。",
        "body": [
            {
                "type": "paragraph",
                "value": "<p>会員向け名簿と一般公開リストの2つの範囲について、それぞれ同意をいただきます。"
                "項目ごとに公開・非公開を選べ、同意はいつでも撤回でき、撤回は直ちにすべての画面・検索・"
                "出力に反映されます。</p>",
            },
        ],
    },
)


def _set_if_changed(page, **values) -> bool:
    changed = False
    for name, value in values.items():
        current = getattr(page, name)
        if name == "body":
            current = json.loads(json.dumps(list(current.raw_data)))
            if current != value:
                page.body = json.dumps(value)
                changed = True
        elif current != value:
            setattr(page, name, value)
            changed = True
    return changed


@transaction.atomic
def seed(stdout=None) -> HomePage:
    home = HomePage.objects.get()
    if _set_if_changed(home, title="支援コーディネーターポータル", lead=HOME_LEAD, body=HOME_BODY):
        home.draft_title = home.title
        home.save()
    pages = {}
    for spec in PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            page = StandardPage(slug=spec["slug"], title=spec["title"], lead=spec["lead"])
            page.body = json.dumps(spec["body"])
            home.add_child(instance=page)
            page.save_revision().publish()
        elif _set_if_changed(page, title=spec["title"], lead=spec["lead"], body=spec["body"]):
            page.draft_title = page.title
            page.save()
        pages[spec["slug"]] = page
    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if site_settings.consent_policy_page_id != pages["consent-policy"].pk:
        site_settings.consent_policy_page = pages["consent-policy"]
        site_settings.save()
    return home
