"""Demo directory: ~50 fictional coordinators with varied consent, fields, areas and languages."""

import datetime
import random

from django.db import transaction

from portal.accounts import services as account_services
from portal.accounts.certification import fiscal_year_of
from portal.accounts.models import Certificate, User, today
from portal.taxonomy.models import Field, Language, Prefecture, Qualification

from . import selectors, services
from .models import (
    ContactMethod,
    CoordinatorProfile,
    ProfileField,
    ProfileLanguage,
    Scope,
    WorkplaceType,
)

FAMILY = [
    ("佐々木", "ささき", "Sasaki"),
    ("松本", "まつもと", "Matsumoto"),
    ("井上", "いのうえ", "Inoue"),
    ("木村", "きむら", "Kimura"),
    ("林", "はやし", "Hayashi"),
    ("清水", "しみず", "Shimizu"),
    ("山口", "やまぐち", "Yamaguchi"),
    ("阿部", "あべ", "Abe"),
    ("池田", "いけだ", "Ikeda"),
    ("橋本", "はしもと", "Hashimoto"),
    ("石川", "いしかわ", "Ishikawa"),
    ("前田", "まえだ", "Maeda"),
    ("藤田", "ふじた", "Fujita"),
    ("小川", "おがわ", "Ogawa"),
    ("岡田", "おかだ", "Okada"),
    ("グエン", "ぐえん", "Nguyen"),
    ("サントス", "さんとす", "Santos"),
    ("リー", "りー", "Lee"),
]
GIVEN = [
    ("陽子", "ようこ", "Yoko"),
    ("大輔", "だいすけ", "Daisuke"),
    ("真理", "まり", "Mari"),
    ("健太", "けんた", "Kenta"),
    ("彩", "あや", "Aya"),
    ("翔", "しょう", "Sho"),
    ("恵", "めぐみ", "Megumi"),
    ("誠", "まこと", "Makoto"),
    ("ナオミ", "なおみ", "Naomi"),
]
WORKPLACES = [
    ("多文化共生総合相談センター", WorkplaceType.ONE_STOP),
    ("国際交流協会 相談窓口", WorkplaceType.INTERNATIONAL_ASSOCIATION),
    ("市役所 多文化共生課", WorkplaceType.LOCAL_GOVERNMENT),
    ("外国人支援NPO", WorkplaceType.NPO),
    ("外国人在留支援センター（FRESC）", WorkplaceType.FRESC),
]
DEMO_COUNT = 48


def _ensure_holder(index: int, rng: random.Random) -> User:
    family = FAMILY[index % len(FAMILY)]
    given = GIVEN[(index * 7) % len(GIVEN)]
    username = f"demo-coordinator-{index:02d}"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.example.jp",
            "last_name": family[0],
            "first_name": given[0],
            "family_name_kana": family[1],
            "given_name_kana": given[1],
            "family_name_romaji": family[2],
            "given_name_romaji": given[2],
            "preferred_language": "en" if index % 5 == 0 else "ja",
        },
    )
    if created:
        user.set_unusable_password()
        user.save()
    number = f"SC-DEMO-{index:04d}"
    if not Certificate.objects.filter(number=number).exists():
        # Most are valid; every eleventh has lapsed so it must never be listed.
        offset = -5 if index % 11 == 0 else -1 - (index % 3)
        fy = fiscal_year_of(today()) + offset
        account_services.certificate_issue(
            holder=user, number=number, issued_on=datetime.date(fy + 1, 3, 1 + index % 20)
        )
    return user


def _fill_profile(
    user: User, index: int, rng: random.Random, prefectures, fields, languages, quals
):
    profile, created = CoordinatorProfile.objects.get_or_create(user=user)
    if not created:
        return profile
    home = prefectures[(index * 5) % len(prefectures)]
    workplace, kind = WORKPLACES[index % len(WORKPLACES)]
    profile.municipalities = ""
    profile.wide_area_ok = index % 3 == 0
    profile.workplace_name = f"{home.name_ja}{workplace}"
    profile.workplace_type = kind
    profile.workplace_prefecture = home
    profile.contact_email = f"counter{index:02d}@demo.example.jp"
    profile.contact_phone = f"0{index % 9 + 1}-0000-{1000 + index}"
    profile.preferred_contact = [ContactMethod.RELAY, ContactMethod.EMAIL, ContactMethod.PHONE][
        index % 3
    ]
    profile.bio_ja = f"{home.name_ja}で外国人住民の相談に応じています。"
    profile.bio_en = f"I work with foreign residents in {home.name_en}."
    profile.save()
    profile.prefectures.set(rng.sample(prefectures, 1 + index % 2) + [home])
    profile.qualifications.set(rng.sample(quals, index % 3))
    chosen = rng.sample(fields, 2 + index % 3)
    for position, field in enumerate(chosen):
        ProfileField.objects.create(profile=profile, field=field, is_main=position == 0)
    for position, language in enumerate([languages[0], *rng.sample(languages[2:], 1 + index % 2)]):
        level = (
            "native"
            if position == 0 and index % 4
            else ["business", "daily", "basic"][position % 3]
        )
        ProfileLanguage.objects.create(profile=profile, language=language, level=level)
    return profile


def _consent(user: User, index: int) -> None:
    if Scope.DIRECTORY not in {c.scope for c in user.directory_consents.all()}:
        if index % 6 != 5:  # most consent to the directory
            shown = (
                ["workplace"] + (["contact"] if index % 2 else []) + (["bio"] if index % 3 else [])
            )
            services.consent_grant(user, Scope.DIRECTORY, shown)
        if index % 3 == 0:  # a third also to the public list, showing less
            services.consent_grant(user, Scope.PUBLIC, ["workplace"] if index % 2 else [])


@transaction.atomic
def seed(stdout=None) -> None:
    rng = random.Random(20250331)  # noqa: S311  (demo data, not security)
    prefectures = list(Prefecture.objects.order_by("number"))
    fields = list(Field.objects.counted().order_by("order"))
    languages = list(Language.objects.order_by("order"))
    quals = list(Qualification.objects.counted().order_by("order"))
    for index in range(1, DEMO_COUNT + 1):
        user = _ensure_holder(index, rng)
        _fill_profile(user, index, rng, prefectures, fields, languages, quals)
        _consent(user, index)
    # The demo accounts of the design guide: `coordinator` listed in both scopes,
    # `coordinator2` with a profile but no consent.
    tokyo = Prefecture.objects.get(code="JP-13")
    for username, index in (("coordinator", 90), ("coordinator2", 91)):
        user = User.objects.get(username=username)
        profile = _fill_profile(user, index, rng, prefectures, fields, languages, quals)
        if not profile.prefectures.exists():
            profile.prefectures.add(tokyo)
    # coordinator2 (Nguyen Van An) works in Vietnamese, Japanese and English.
    profile2 = CoordinatorProfile.objects.get(user__username="coordinator2")
    if not profile2.profilelanguage_set.filter(language__code="vi").exists():
        profile2.profilelanguage_set.all().delete()
        for code, level in (("vi", "native"), ("ja", "business"), ("en", "daily")):
            ProfileLanguage.objects.create(
                profile=profile2, language=Language.objects.get(code=code), level=level
            )
    seed_partners()
    coordinator = User.objects.get(username="coordinator")
    for scope, shown in (
        (Scope.DIRECTORY, ["workplace", "contact", "bio"]),
        (Scope.PUBLIC, ["workplace"]),
    ):
        if selectors.latest_consent(coordinator, scope) is None:
            services.consent_grant(coordinator, scope, shown)


# Partners: two per field of response, one national and one local, published directly.
PARTNER_TYPES = {
    "residence-status": (
        "regional-immigration-bureau",
        "出入国在留管理局 相談窓口",
        "Immigration Services Bureau counter",
    ),
    "irregular-stay-deportation": ("iom", "国際移住機関 帰国支援", "IOM assisted voluntary return"),
    "refugee-protection": ("rhq", "難民事業本部 定住支援", "RHQ settlement support"),
    "employment-career": (
        "hello-work",
        "ハローワーク 外国人雇用サービスコーナー",
        "Hello Work foreign workers corner",
    ),
    "labour-conditions": (
        "labour-standards-inspection-office",
        "労働基準監督署 外国人労働者相談コーナー",
        "Labour standards office foreign workers corner",
    ),
    "skill-development-ssw": (
        "otit-esdo",
        "外国人技能実習機構 母国語相談",
        "OTIT native-language consultation",
    ),
    "medical-health": (
        "medical-institution-interpreting",
        "医療通訳のある拠点病院",
        "Hub hospital with medical interpreters",
    ),
    "social-insurance-pension": (
        "japan-pension-service",
        "年金事務所 外国語相談",
        "Pension office foreign-language help",
    ),
    "elderly-long-term-care": (
        "municipal-insurance-care-section",
        "市介護保険課",
        "City long-term care section",
    ),
    "pregnancy-childbirth-childrearing": (
        "child-rearing-support-center",
        "地域子育て支援センター",
        "Child-rearing support centre",
    ),
    "child-education": (
        "board-of-education-school",
        "教育委員会 帰国・外国人児童生徒相談",
        "Board of education school enrolment help",
    ),
    "japanese-language": (
        "japanese-language-provider",
        "地域日本語教室",
        "Community Japanese class",
    ),
    "housing": ("housing-provider", "居住支援法人", "Housing support corporation"),
    "taxes-public-dues": (
        "one-stop-consulting-counter",
        "外国人総合相談センター 税の相談",
        "One-stop centre tax help",
    ),
    "welfare-livelihood": (
        "welfare-volunteers",
        "民生委員・児童委員協議会",
        "Welfare volunteers council",
    ),
    "disaster-emergency": (
        "international-association",
        "国際交流協会 災害多言語支援センター",
        "Multilingual disaster support centre",
    ),
    "legal-trouble-crime": (
        "houterasu",
        "法テラス 多言語情報提供サービス",
        "Houterasu multilingual information service",
    ),
    "human-rights-dv": (
        "legal-affairs-bureau-human-rights",
        "法務局 外国語人権相談",
        "Legal affairs bureau human rights counselling",
    ),
    "consumer-finance-telecom": (
        "consumer-affairs-center",
        "消費生活センター",
        "Consumer affairs centre",
    ),
    "daily-life-procedures": (
        "npo-support-group",
        "外国人支援NPO 生活相談",
        "NPO daily life consultation",
    ),
}


def seed_partners() -> None:
    from .models import Partner, PartnerLevel

    prefectures = list(Prefecture.objects.order_by("number"))
    english, *others = list(
        Language.objects.filter(code__in=["en", "zh-Hans", "vi", "pt", "ne", "fil"])
    )
    for index, field in enumerate(Field.objects.counted().order_by("order")):
        kind, name_ja, name_en = PARTNER_TYPES[field.slug]
        for variant in ("national", "local"):
            slug = f"{field.slug}-{variant}"[:80]
            if Partner.objects.filter(slug=slug).exists():
                continue
            local = variant == "local"
            prefecture = prefectures[(index * 7) % len(prefectures)]
            partner = Partner(
                slug=slug,
                name_ja=f"{prefecture.name_ja} {name_ja}" if local else f"{name_ja}（全国窓口）",
                name_en=f"{name_en}, {prefecture.name_en}" if local else f"{name_en} (national)",
                kind=kind,
                level=PartnerLevel.PREFECTURAL if local else PartnerLevel.NATIONAL,
                nationwide=not local,
                phone=f"0570-000-{100 + index:03d}"
                if not local
                else f"0{index % 9 + 1}-1234-{5600 + index}",
                opening_hours="平日 9:00–17:00",
                last_verified_on=datetime.date(2025, 4, 1),
                notes="デモ用の架空の連携先です。",
            )
            partner.save()
            partner.fields.set([field])
            if local:
                partner.prefectures.set([prefecture])
            partner.languages.set([english, *others[index % len(others) :][:2]])
            partner.save_revision().publish()
