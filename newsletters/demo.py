"""Demo notices and newsletters: about twenty national notices and three interview issues.

Every row is looked up by its slug and written only when it is missing or differs from the data
below, and every date is fixed, so running ``seed_demo`` again leaves the same rows. Block ids are
derived from the page slug for the same reason.
"""

import datetime
import json
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from wagtail.models import Page, Site, Workflow, WorkflowPage
from wagtail.search import index as search_index

from portal.accounts.models import User
from portal.home.models import HomePage
from portal.taxonomy.models import Field, Prefecture

from .models import (
    Audience,
    Importance,
    Interview,
    NewsletterIndexPage,
    NewsletterIssuePage,
    NoticeCategory,
    NoticeIndexPage,
    NoticePage,
)

JST = ZoneInfo("Asia/Tokyo")
BLOCK_IDS = uuid.UUID("6f1c1d2e-7a43-4c55-9d0b-2b7f0e6a9c11")
WORKFLOW = "Newsletter approval"
DATE_FIELDS = (
    "first_published_at",
    "last_published_at",
    "go_live_at",
    "latest_revision_created_at",
)

E_GOV = "https://laws.e-gov.go.jp/"
ISA = "https://www.moj.go.jp/isa/"


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, 0, tzinfo=JST)


# Blocks, written as (type, value) pairs and turned into stored stream data by ``_stream``.


def heading(text: str, level: str = "h2"):
    return ("heading", {"text": text, "level": level})


def paragraph(html: str):
    return ("paragraph", html)


def callout(title: str, body: str, tone: str = "info"):
    return ("callout", {"tone": tone, "title": title, "body": body})


def law_links(*links: tuple[str, str, str]):
    return ("law_links", [{"title": t, "url": u, "note": n} for t, u, n in links])


def table(caption: str, rows: list[list[str]]):
    return (
        "table",
        {
            "data": rows,
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_header_choice": "row",
            "table_caption": caption,
        },
    )


def qa(question: str, answer: str):
    return ("qa", {"question": question, "answer": answer})


def _block_id(*parts) -> str:
    return str(uuid.uuid5(BLOCK_IDS, "/".join(str(p) for p in parts)))


def _stream(key: str, blocks) -> list[dict]:
    """Stored stream data with stable ids, in the form Wagtail writes back (list items too)."""
    data = []
    for position, (block_type, value) in enumerate(blocks):
        if block_type == "law_links":
            value = [
                {"type": "item", "value": item, "id": _block_id(key, position, number)}
                for number, item in enumerate(value)
            ]
        data.append({"type": block_type, "value": value, "id": _block_id(key, position)})
    return data


@dataclass(frozen=True)
class DemoNotice:
    slug: str
    title: str
    published: datetime.datetime
    category: str
    summary: str
    summary_en: str
    body: tuple = ()
    fields: tuple[str, ...] = ()
    prefectures: tuple[str, ...] = ()  # empty: nationwide
    effective: datetime.date | None = None
    important: bool = False
    public: bool = False


NOTICES = (
    DemoNotice(
        slug="2023-amendment-deportation-sponsorship",
        title="改正入管法（令和5年法律第56号）が6月10日に施行されます",
        published=_at(2024, 6, 3),
        category=NoticeCategory.LAW_REVISION,
        important=True,
        effective=datetime.date(2024, 6, 10),
        fields=("irregular-stay-deportation", "refugee-protection"),
        summary="2023年に成立した改正入管法が2024年6月10日に施行されます。"
        "3回目以降の難民認定申請者などは送還が自動的には停止されなくなり、収容に代わる「監理措置」が始まります。"
        "退去を求められている方から相談を受けたときは、手続の段階と期限を早めに確認してください。",
        summary_en="The 2023 amendment to the Immigration Control Act comes into force on 10 June "
        "2024. Removal is no longer suspended automatically for third and later refugee "
        "applicants, among others, and supervision replaces detention where possible. When "
        "someone facing removal consults you, check early which stage their case is at and "
        "what deadlines apply.",
        body=(
            heading("主な改正点"),
            paragraph(
                "<ul>"
                "<li>送還停止効の例外：3回目以降の難民認定申請者（相当の理由を示す資料を出した場合を除く）、"
                "3年以上の実刑判決を受けた者、テロリストなど</li>"
                "<li>退去を命じる命令（罰則付き）と、旅券の発給申請を命じる制度の新設</li>"
                "<li>出国命令の対象の拡大と、自費で出国した場合に上陸拒否期間を1年に短縮できる仕組み</li>"
                "<li>収容に代わる監理措置の創設。収容は3か月ごとに必要性を見直し、保証金は必要な場合に限る</li>"
                "<li>健康上の理由による仮放免の明確化</li>"
                "</ul>"
            ),
            callout(
                "相談を受けたときの留意点",
                "<p>監理人を引き受けるかどうかの相談を受けた場合は、本人の生活状況の把握や届出など、"
                "監理人の役割を具体的に説明してください。法的な判断が必要な場合は、弁護士や法テラスに"
                "つないでください。</p>",
                tone="important",
            ),
            law_links(
                ("出入国管理及び難民認定法", E_GOV, "令和5年法律第56号による改正"),
            ),
        ),
    ),
    DemoNotice(
        slug="2024-noto-earthquake-special-measures",
        title="能登半島地震で被災した外国人の方への特例措置（在留期間は6月30日まで）",
        published=_at(2024, 6, 14),
        category=NoticeCategory.DISASTER,
        important=True,
        public=True,
        fields=("disaster-emergency", "residence-status"),
        prefectures=("JP-17", "JP-16", "JP-15", "JP-18"),
        summary="令和6年能登半島地震の被災地域にお住まいの外国人の方の在留期間は、"
        "特定非常災害特別措置法により2024年6月30日まで延長されています。"
        "期限が迫っているため、在留期間の更新や在留資格の変更が必要な方には、早めの申請を案内してください。",
        summary_en="Under the Act on Special Measures for Specified Extraordinary Disasters, the "
        "periods of stay of foreign residents in the areas hit by the 2024 Noto Peninsula "
        "Earthquake were extended to 30 June 2024. The date is close: please help anyone who "
        "needs to extend or change their status apply early.",
        body=(
            paragraph(
                "<p>2024年1月1日の地震を受けて、東日本大震災以来初めて特定非常災害特別措置法が適用されました。"
                "被災した外国人の方には、次の特例が設けられています。</p>"
            ),
            table(
                "能登半島地震に伴う主な特例",
                [
                    ["措置", "内容", "期限"],
                    ["在留期間の延長", "被災地域にお住まいの方の在留期間を延長", "2024年6月30日"],
                    [
                        "届出の遅れ",
                        "期限内にできなかった届出も、期限までに行えば責任を問わない",
                        "2024年4月30日（終了）",
                    ],
                    [
                        "資格外の就労",
                        "就労できる在留資格で働けなくなった方に、1日8時間以内・最長3か月の資格外活動を許可",
                        "個別に許可",
                    ],
                ],
            ),
            heading("相談の窓口"),
            paragraph(
                "<p>名古屋出入国在留管理局は被災地域で5回の相談会を開きました。技能実習生については、"
                "外国人技能実習機構が特別の支援窓口を設けています。</p>"
            ),
            callout(
                "6月30日を過ぎると延長は終わります",
                "<p>仕事や住まいを失い、在留資格の変更を考えている方には、期限前に地方出入国在留管理局に"
                "相談するよう案内してください。</p>",
                tone="important",
            ),
            law_links(
                (
                    "特定非常災害の被害者の権利利益の保全等を図るための特別措置に関する法律",
                    E_GOV,
                    "",
                ),
            ),
        ),
    ),
    DemoNotice(
        slug="2024-esd-amendment",
        title="技能実習に代わる「育成就労制度」を設ける改正法が公布されました",
        published=_at(2024, 6, 28),
        category=NoticeCategory.LAW_REVISION,
        important=True,
        fields=("skill-development-ssw", "labour-conditions", "residence-status"),
        summary="技能実習制度をなくし、新たに在留資格「育成就労」を設ける改正法（令和6年法律第60号）が"
        "2024年6月21日に公布されました。育成就労は特定技能1号への移行を見据えた制度で、"
        "要件を満たせば本人の意向による転籍も認められます。施行は公布から3年以内です。",
        summary_en="An amending act (Act No. 60 of 2024) that ends Technical Intern Training and "
        "creates the status of 'Employment for Skill Development' was promulgated on 21 June "
        "2024. The new system leads into Specified Skilled Worker (i), and workers may change "
        "employer at their own wish if conditions are met. It comes into force within three "
        "years of promulgation.",
        body=(
            heading("改正の概要"),
            paragraph(
                "<ul>"
                "<li>在留資格「技能実習」に代わり「育成就労」を設け、特定技能の分野と結び付ける</li>"
                "<li>育成就労計画は認定制、監理支援機関は許可制（外部監査人を置く）とし、"
                "外国人技能実習機構は外国人育成就労機構に改組</li>"
                "<li>一定の要件のもとで、本人の意向による転籍を認める</li>"
                "<li>送出機関に支払う費用を適正な額に抑えることを計画の認定基準に加える</li>"
                "<li>特定技能1号の支援の委託先を登録支援機関などに限る</li>"
                "<li>不法就労助長罪の罰則を引き上げ、派遣形態は季節性のある分野に限る</li>"
                "</ul>"
            ),
            table(
                "成立までの経緯",
                [
                    ["日付", "内容"],
                    ["2023年11月30日", "有識者会議の最終報告書"],
                    ["2024年2月9日", "政府の対応方針の決定"],
                    ["2024年3月15日", "法案の閣議決定"],
                    ["2024年6月14日", "成立"],
                    ["2024年6月21日", "公布"],
                    ["公布から3年以内", "施行（一部の規定を除く）"],
                ],
            ),
            callout(
                "施行までは現在の制度が続きます",
                "<p>転籍の要件などの詳しい基準は、今後の政令・省令で定められます。"
                "相談では、決まった情報だけをもとに案内してください。</p>",
                tone="important",
            ),
            law_links(
                (
                    "外国人の育成就労の適正な実施及び育成就労外国人の保護に関する法律",
                    E_GOV,
                    "技能実習法から改題",
                ),
                ("出入国管理及び難民認定法", E_GOV, "令和6年法律第60号による改正"),
            ),
        ),
    ),
    DemoNotice(
        slug="2024-permanent-residence-revocation",
        title="永住許可の要件の明確化と取消事由の追加",
        published=_at(2024, 7, 12),
        category=NoticeCategory.LAW_REVISION,
        important=True,
        fields=("residence-status", "taxes-public-dues", "social-insurance-pension"),
        summary="令和6年法律第60号により永住許可の要件が法律で明確にされ、"
        "故意に税金や社会保険料などの公租公課を支払わない場合などが、永住許可の取消事由に加わりました。"
        "取り消された場合も、原則として法務大臣が職権で別の在留資格に変更します。",
        summary_en="Act No. 60 of 2024 spells out the requirements for permanent residence and "
        "adds new grounds for revoking it, including intentionally not paying taxes and social "
        "insurance contributions. Where permanent residence is revoked, the Minister will in "
        "principle change the person to another status of residence ex officio.",
        body=(
            heading("主な内容"),
            paragraph(
                "<ul>"
                "<li>永住許可の要件を法律上明確にする</li>"
                "<li>故意に公租公課を支払わないことなどを取消事由に加える</li>"
                "<li>取消しの場合も、原則として職権で他の在留資格に変更する</li>"
                "</ul>"
                "<p>令和6年度の総合的対応策には、独立生計要件の運用の検討と、取消しに関するガイドラインの"
                "作成も盛り込まれています。</p>"
            ),
            callout(
                "支払が難しいときは",
                "<p>税や保険料の支払が難しい事情がある方には、そのままにせず、市区町村の担当課や年金事務所で"
                "分割納付や減免について相談するよう案内してください。</p>",
            ),
            law_links(("出入国管理及び難民認定法", E_GOV, "令和6年法律第60号による改正")),
        ),
    ),
    DemoNotice(
        slug="roadmap-and-comprehensive-measures-revisions",
        title="ロードマップの一部変更と令和6年度「総合的対応策」の決定",
        published=_at(2024, 8, 2),
        category=NoticeCategory.OTHER,
        summary="2024年6月21日、「外国人との共生社会の実現に向けたロードマップ」の一部変更と、"
        "令和6年度の「外国人材の受入れ・共生のための総合的対応策」が決定されました。"
        "外国人支援コーディネーターの養成も、引き続き国の施策に位置付けられています。",
        summary_en="On 21 June 2024 the government revised its Roadmap for a society of "
        "harmonious coexistence with foreign nationals and adopted the FY2024 Comprehensive "
        "Measures for the acceptance of and coexistence with foreign nationals. Training "
        "support coordinators remains one of the measures.",
        body=(
            table(
                "2024年の改訂",
                [
                    ["文書", "決定・変更", "施策の数"],
                    [
                        "ロードマップ",
                        "2022年6月14日決定、2023年6月9日と2024年6月21日に一部変更",
                        "104（計画期間は2026年度まで）",
                    ],
                    [
                        "総合的対応策",
                        "2018年12月25日決定、毎年改訂（令和6年度版は2024年6月21日）",
                        "218（令和5年度版は217）",
                    ],
                ],
            ),
            paragraph(
                "<p>毎年の改訂は、その年度に国が取り組む施策の一覧です。相談窓口の整備、日本語教育、"
                "子どもの就学など、コーディネーターの業務に関わる施策が多く含まれています。</p>"
            ),
        ),
    ),
    DemoNotice(
        slug="2023-complementary-protection",
        title="補完的保護対象者の認定制度と定住支援",
        published=_at(2024, 9, 6),
        category=NoticeCategory.SYSTEM_CHANGE,
        effective=datetime.date(2023, 12, 1),
        fields=("refugee-protection", "japanese-language"),
        summary="2023年12月1日、紛争から逃れてきた人など、迫害の理由を除けば難民の要件を満たす人を保護する"
        "「補完的保護対象者」の認定制度が始まりました。認定された人は難民と同じ定住支援を受けられ、"
        "最初の支援プログラムは2024年4月15日に始まりました。",
        summary_en="Since 1 December 2023, people who meet the refugee criteria except for the "
        "grounds of persecution, such as people fleeing armed conflict, can be recognised as "
        "persons eligible for complementary protection. They receive the same settlement "
        "support as refugees; the first programme started on 15 April 2024.",
        body=(
            paragraph(
                "<p>定住支援プログラムは、難民事業本部（RHQ）が実施しています。"
                "内容は難民と同じで、次のとおりです。</p>"
            ),
            table(
                "定住支援プログラムの内容",
                [
                    ["支援", "回数（1回45分）"],
                    ["日本語教育", "572回"],
                    ["生活ガイダンス", "120回"],
                ],
            ),
            callout(
                "相談を受けたときは",
                "<p>紛争地域から避難してきた方から在留の相談を受けた場合は、補完的保護の申請ができるかどうかも"
                "含めて、地方出入国在留管理局への相談を案内してください。</p>",
            ),
        ),
    ),
    DemoNotice(
        slug="2024-ssw-field-additions",
        title="特定技能に4分野を追加、受入れ見込数は82万人に",
        published=_at(2024, 10, 11),
        category=NoticeCategory.SYSTEM_CHANGE,
        public=True,
        fields=("skill-development-ssw", "employment-career"),
        summary="2024年3月29日、特定技能の対象に自動車運送業、鉄道、林業、木材産業の4分野が加わり、"
        "2024年4月からの5年間の受入れ見込数は82万人とされました。2024年10月現在、対象は16分野です。",
        summary_en="On 29 March 2024 four fields were added to the Specified Skilled Worker "
        "system (automobile transportation, railway, forestry and wood industry), and the "
        "five-year intake from April 2024 was set at 820,000. As of October 2024 the system "
        "covers 16 fields.",
        body=(
            table(
                "特定技能制度のこれまで",
                [
                    ["時期", "内容"],
                    ["2019年4月1日", "制度開始（2018年12月25日に14分野を決定）"],
                    ["2022年4月26日", "製造業の3分野を統合"],
                    ["2023年6月9日", "特定技能2号の対象を介護以外の11分野に拡大"],
                    [
                        "2024年3月29日",
                        "4分野を追加、統合した製造分野を「工業製品製造業」に改称、3分野で業務区分を追加、"
                        "受入れ見込数を82万人に",
                    ],
                ],
            ),
            heading("相談で確認したいこと"),
            paragraph(
                "<ul>"
                "<li>日本語の要件：国際交流基金日本語基礎テストまたは日本語能力試験N4"
                "（鉄道の一部の業務はN3）</li>"
                "<li>特定技能1号：在留は通算5年まで、家族の帯同は原則として認められない</li>"
                "<li>特定技能2号：在留期間の更新ができ、家族の帯同も認められる</li>"
                "</ul>"
                "<p>2020年9月から、やさしい日本語と12言語の特定技能総合支援サイトが開かれています。</p>"
            ),
            law_links(("出入国在留管理庁：特定技能制度", ISA, "")),
        ),
    ),
    DemoNotice(
        slug="2024-special-permission-guidelines",
        title="在留特別許可に係るガイドラインが改訂されました",
        published=_at(2024, 11, 15),
        category=NoticeCategory.SYSTEM_CHANGE,
        fields=("irregular-stay-deportation",),
        summary="2024年3月、在留特別許可に係るガイドラインが改訂され、自ら出入国在留管理官署に出頭したことが、"
        "許可の判断で積極的に考慮される事情であると明記されました。"
        "在留期限を過ぎてしまった方からの相談では、出頭申告を含めた選択肢を早めに説明することが大切です。",
        summary_en="The guidelines on special permission to stay were revised in March 2024: "
        "appearing voluntarily at an immigration office is now expressly a factor in the "
        "person's favour. When someone who has overstayed consults you, explain their options, "
        "including voluntary appearance, early.",
        body=(
            paragraph(
                "<p>ガイドラインは2006年に作られ、2009年7月と2024年3月に改訂されました。"
                "2023年に出された出国命令は9,176件でした。</p>"
            ),
            callout(
                "出頭の前に",
                "<p>本人の事情（家族、在留歴、健康状態など）を整理し、弁護士や法テラスなどの専門の窓口と"
                "連携してから出頭すると安心です。</p>",
            ),
        ),
    ),
    DemoNotice(
        slug="2023-refugee-eligibility-guide",
        title="「難民該当性判断の手引」の内容",
        published=_at(2024, 12, 13),
        category=NoticeCategory.SYSTEM_CHANGE,
        fields=("refugee-protection",),
        summary="出入国在留管理庁は2023年3月24日に「難民該当性判断の手引」を公表しました。"
        "難民認定で考慮される要素をまとめたもので、性的マイノリティであることやジェンダーを理由とする迫害が"
        "「特定の社会的集団の構成員であること」に当たり得ることも示されています。",
        summary_en="On 24 March 2023 the Immigration Services Agency published a guide to "
        "refugee status determination. It sets out what is considered in a decision and "
        "confirms that persecution linked to sexual minority status or gender can fall under "
        "membership of a particular social group.",
        body=(
            paragraph(
                "<p>手引は、補完的保護対象者の認定の判断にも使われます。"
                "出入国在留管理庁とUNHCRは2021年7月に協力覚書を交わしています。</p>"
            ),
            callout(
                "相談での使い方",
                "<p>申請を考えている方には、手引が公開されていることを伝え、本人の事情を時系列で整理する手伝いを"
                "してください。申請の見通しについての判断は、専門家に委ねてください。</p>",
            ),
        ),
    ),
    DemoNotice(
        slug="2024-japanese-language-institutes-act",
        title="日本語教育機関認定法が施行されています",
        published=_at(2025, 1, 31),
        category=NoticeCategory.LAW_REVISION,
        effective=datetime.date(2024, 4, 1),
        fields=("japanese-language", "residence-status"),
        summary="日本語教育機関の認定等に関する法律（令和5年法律第41号）が2024年4月に施行されました。"
        "文部科学大臣が日本語教育機関を認定し、日本語教員の国家資格（登録日本語教員）が設けられました。"
        "在留資格「留学」で学生を受け入れるには、認定を受けた機関であることが求められます。",
        summary_en="The Act on the Accreditation of Japanese Language Educational Institutions "
        "(Act No. 41 of 2023) came into force in April 2024. The education minister accredits "
        "institutes and a national qualification for registered Japanese-language teachers was "
        "created. Institutes taking students on 'Student' status need to be accredited.",
        body=(
            paragraph(
                "<p>法律は2023年6月2日に公布されました。また、2024年4月からは、外国人留学生を受け入れる"
                "すべての学校に、在籍の適切な管理を求める省令も施行されています。</p>"
            ),
            law_links(("日本語教育機関の認定等に関する法律", E_GOV, "令和5年法律第41号")),
        ),
    ),
    DemoNotice(
        slug="2024-isa-email-expiry-alerts",
        title="在留期間の満了前にメールで知らせるサービスを活用しましょう",
        published=_at(2025, 3, 14),
        category=NoticeCategory.PROCEDURE,
        public=True,
        fields=("residence-status",),
        summary="出入国在留管理庁のメール配信サービスでは、2024年3月から、在留期間が満了する前にお知らせを"
        "受け取れるようになりました。言語は日本語、やさしい日本語、英語から選べます。"
        "更新の手続を忘れがちな方には、登録を勧めてください。",
        summary_en="Since March 2024 the Immigration Services Agency's e-mail service can remind "
        "residents before their period of stay expires. Messages come in Japanese, plain "
        "Japanese or English. Suggest it to anyone who tends to forget to renew.",
        body=(
            paragraph(
                "<p>登録するときに、受け取りたい情報の種類を選べます。雇用主や登録支援機関などに向けた"
                "メール配信サービスもあります。</p>"
            ),
            law_links(("出入国在留管理庁ウェブサイト", ISA, "メール配信サービスの案内")),
        ),
    ),
    DemoNotice(
        slug="coordinator-programme-milestones",
        title="外国人支援コーディネーターの認定と今後の予定",
        published=_at(2025, 4, 4),
        category=NoticeCategory.CERTIFICATION,
        summary="外国人支援コーディネーターの養成研修は2024年8月に始まり、2025年3月ごろに最初の認定が"
        "行われました。2025年度からは本ポータルと事例研究会の運用が始まり、"
        "更新研修と専門研修は2027年度からの実施が想定されています。",
        summary_en="Training of support coordinators began in August 2024 and the first "
        "certifications followed around March 2025. This portal and the case workshops start "
        "in FY2025; renewal and specialist training are expected from FY2027.",
        body=(
            table(
                "制度の主な予定",
                [
                    ["時期", "内容"],
                    ["2022年10月・2023年度", "有識者会議での検討"],
                    ["2023年4月14日・2024年3月", "報告書の取りまとめ"],
                    ["2024年8月", "最初の養成研修"],
                    ["2025年3月ごろ", "最初の認定"],
                    [
                        "2025年度",
                        "ポータルと事例研究会の運用開始、更新研修・専門研修のカリキュラム作成",
                    ],
                    ["2026年度", "国家資格化についての判断（ロードマップの最終年度）"],
                    ["2027年度から", "更新研修・専門研修の実施（想定）"],
                ],
            ),
            callout(
                "認定証の有効期間",
                "<p>認定証の有効期間は、交付日の属する年度の3月31日から3年間です。"
                "有効期間内に更新研修を修了すると、新しい認定証が交付されます。</p>",
            ),
        ),
    ),
    DemoNotice(
        slug="online-residence-applications",
        title="在留申請のオンライン手続：本人も申請できます",
        published=_at(2025, 5, 16),
        category=NoticeCategory.PROCEDURE,
        public=True,
        fields=("residence-status",),
        summary="在留申請のオンライン手続は2019年7月に所属機関向けに始まり、2022年3月からは"
        "マイナンバーカードを使って外国人本人も申請できるようになりました。"
        "窓口に出向く負担を減らせるため、対象となる方には利用を案内してください。",
        summary_en="Online residence applications started in July 2019 for employers. Since "
        "March 2022 foreign residents can apply themselves with their My Number card. It saves "
        "a trip to the immigration office, so point eligible clients to it.",
        body=(
            table(
                "オンライン手続の広がり",
                [
                    ["時期", "対象"],
                    [
                        "2019年7月",
                        "所属機関の職員、所属機関から依頼を受けた弁護士・行政書士",
                    ],
                    ["2020年3月・4月", "対象の拡大（中小企業の職員など）"],
                    ["2020年7月", "専修学校・日本語教育機関の学生の申請"],
                    [
                        "2022年3月",
                        "マイナンバーカードによる本人の申請、配偶者・子の在留資格も対象に",
                    ],
                ],
            ),
            paragraph(
                "<p>ロードマップでは、申請の完全なオンライン化、届出の電子化、マイナポータルを使った"
                "情報の確認の拡大が目指されています。</p>"
            ),
        ),
    ),
    DemoNotice(
        slug="2024-designated-activities-advanced-diploma",
        title="高度専門士を持つ専門学校卒業生の就職の幅が広がりました",
        published=_at(2025, 7, 18),
        category=NoticeCategory.SYSTEM_CHANGE,
        effective=datetime.date(2024, 2, 29),
        fields=("employment-career", "residence-status"),
        summary="2024年2月29日から、認定を受けた専修学校の専門課程を修了し、高度専門士の称号を得た方も"
        "在留資格「特定活動」（告示46号）の対象になりました。"
        "日本語能力試験N1程度の高い日本語力を生かして、幅広い業務で働くことができます。",
        summary_en="Since 29 February 2024, graduates of accredited specialised training "
        "colleges who hold the Advanced Diploma title can also use Designated Activities "
        "(notice No. 46), which allows a broad range of jobs that need a high level of Japanese "
        "(around JLPT N1).",
        body=(
            paragraph(
                "<p>告示46号の特定活動は、2019年5月30日の告示改正で設けられました。"
                "2023年末時点で、958人がこの在留資格で在留しています。</p>"
            ),
        ),
    ),
    DemoNotice(
        slug="2023-2024-new-statuses",
        title="J-Skip・J-Find、デジタルノマドなど新しい在留制度の概要",
        published=_at(2025, 9, 12),
        category=NoticeCategory.SYSTEM_CHANGE,
        fields=("residence-status",),
        summary="2023年から2024年にかけて、高度な人材や就職活動をする人のための新しい制度が相次いで"
        "始まりました。相談の場面では、本人の在留資格がどの制度によるものかを見分けられることが大切です。",
        summary_en="Between 2023 and 2024 several new routes opened for highly skilled people and "
        "job seekers. Coordinators mainly need to recognise these statuses when a client holds "
        "one.",
        body=(
            table(
                "新しい制度",
                [
                    ["制度", "開始"],
                    ["特別高度人材制度（J-Skip）", "2023年4月"],
                    ["未来創造人材制度（J-Find）", "2023年4月"],
                    ["国家戦略特区での外国人エンジニアの受入れ", "2023年10月"],
                    ["デジタルノマド（最長6か月、年収1,000万円以上）", "2024年3月"],
                    ["特区での海外大学卒業者の就職活動", "2024年3月"],
                ],
            ),
        ),
    ),
    DemoNotice(
        slug="2023-fourth-generation-nikkei-relaxation",
        title="日系四世の受入れ制度の要件が緩和されました",
        published=_at(2025, 11, 7),
        category=NoticeCategory.SYSTEM_CHANGE,
        fields=("residence-status",),
        summary="2018年7月に始まった日系四世の受入れ制度は、2021年3月に日本語の要件が、"
        "2023年12月に年齢の上限と日系四世受入れサポーターの要件が緩和されました。"
        "制度のもとで5年間滞在した方は、「定住者」への変更を申請できます。",
        summary_en="The programme for fourth-generation Nikkei, running since July 2018, eased its "
        "Japanese-language requirement in March 2021 and its age limit and supporter "
        "requirements in December 2023. People who complete five years may change to Long-Term "
        "Resident.",
        body=(
            paragraph(
                "<p>日系四世の方からの相談では、入国からの年数と、サポーターとの関係が続いているかを"
                "確認してください。</p>"
            ),
        ),
    ),
    DemoNotice(
        slug="trainee-pregnancy-protection",
        title="技能実習生の妊娠・出産：不利益な取扱いは禁止されています",
        published=_at(2026, 1, 16),
        category=NoticeCategory.PROCEDURE,
        fields=("skill-development-ssw", "pregnancy-childbirth-childrearing", "labour-conditions"),
        summary="技能実習生が妊娠や出産を理由に解雇などの不利益な取扱いを受けることは禁止されています。"
        "2023年4月から、実習を再開するための手続が簡単になり、再開の意向を申告する様式も設けられました。"
        "監理団体は監査のときに、このことを実習生に説明することになっています。",
        summary_en="Technical intern trainees must not be dismissed or otherwise disadvantaged "
        "because of pregnancy or childbirth. Since April 2023 resuming training is simpler and a "
        "form lets trainees declare that they intend to resume. Supervising organisations "
        "explain this to trainees at their audits.",
        body=(
            paragraph(
                "<p>2022年8月から11月の実態調査を受けて、出入国在留管理庁は同年12月に実習生へのメッセージを"
                "出しました。令和6年度の総合的対応策でも施策108として取り上げられています。</p>"
            ),
            callout(
                "相談を受けたら",
                "<p>本人の意思を確かめたうえで、市区町村の母子保健の窓口（母子健康手帳の交付など）や、"
                "外国人技能実習機構の母国語相談につないでください。</p>",
                tone="important",
            ),
        ),
    ),
    DemoNotice(
        slug="one-stop-counter-subsidy-and-school-enrolment-targets",
        title="一元的相談窓口への交付金と外国人の子どもの就学の目標",
        published=_at(2026, 3, 13),
        category=NoticeCategory.OTHER,
        fields=("child-education",),
        summary="外国人のための一元的相談窓口の設置に交付金を受ける地方公共団体は、2024年度に259団体に"
        "なりました。2024年度からは、コーディネーターの養成研修の受講費用も交付の対象になり得ます。"
        "すべての外国人の子どもの就学状況を把握する取組は、2025年度末までが目標です。",
        summary_en="259 local governments received the subsidy for one-stop consultation "
        "counters in FY2024, and from FY2024 it may also cover coordinator training fees. "
        "Tracking the school enrolment of every foreign child is targeted for the end of "
        "FY2025.",
        body=(
            table(
                "相談窓口と就学に関わる目標",
                [
                    ["項目", "実績・目標"],
                    ["一元的相談窓口への交付", "238団体（2023年度）、259団体（2024年4月1日時点）"],
                    ["外国人の子どもの就学状況の一体的な把握", "2025年度末まで"],
                    ["夜間中学", "すべての都道府県・指定都市に少なくとも1校"],
                ],
            ),
        ),
    ),
    DemoNotice(
        slug="2024-residence-card-mynumber-integration",
        title="在留カードとマイナンバーカードの一体化（特定在留カード）",
        published=_at(2026, 5, 22),
        category=NoticeCategory.LAW_REVISION,
        public=True,
        fields=("daily-life-procedures", "residence-status"),
        summary="令和6年法律第59号により、希望する方は在留カードとマイナンバーカードを一体にした"
        "「特定在留カード」を受け取れるようになります。手続は出入国在留管理局と市区町村のどちらでもまとめて"
        "行えます。開始は法律の公布（2024年6月21日）から2年以内とされています。",
        summary_en="Under Act No. 59 of 2024, residents who wish can hold a 'specified residence "
        "card' that is also their My Number card, and apply for it in one step at either the "
        "immigration bureau or their municipality. It starts within two years of the Act's "
        "promulgation on 21 June 2024.",
        body=(
            heading("主な変更点"),
            paragraph(
                "<ul>"
                "<li>一体化したカードは任意で、希望する方が申請する</li>"
                "<li>手続は出入国在留管理局または市区町村で一度に行える</li>"
                "<li>在留期間、許可の種類と日付、交付日はカードの表面ではなくICチップに記録する</li>"
                "<li>永住者、高度専門職2号、特別永住者のカードの有効期間は、18歳以上は交付後10回目の誕生日まで、"
                "18歳未満は5回目の誕生日までに延びる</li>"
                "</ul>"
                "<p>2024年7月末時点で、外国人住民のマイナンバーカードの保有率は約52.4％でした。</p>"
            ),
            law_links(
                ("出入国管理及び難民認定法", E_GOV, "令和6年法律第59号による改正"),
                (
                    "行政手続における特定の個人を識別するための番号の利用等に関する法律",
                    E_GOV,
                    "",
                ),
            ),
        ),
    ),
    DemoNotice(
        slug="2027-esd-preparation",
        title="育成就労制度の施行に向けて（2027年4月1日施行予定）",
        published=_at(2026, 9, 18),
        category=NoticeCategory.SYSTEM_CHANGE,
        effective=datetime.date(2027, 4, 1),
        fields=("skill-development-ssw", "labour-conditions", "employment-career"),
        summary="育成就労制度は2027年4月1日に施行される予定です。施行後は技能実習に代わって在留資格"
        "「育成就労」が設けられ、監理団体は許可制の監理支援機関に、外国人技能実習機構は外国人育成就労機構に"
        "変わります。転籍や送出機関に支払う費用についての相談が増えると見込まれます。",
        summary_en="The Employment for Skill Development system is expected to come into force on "
        "1 April 2027. It replaces Technical Intern Training; supervising organisations become "
        "licensed supervision and support organisations and OTIT becomes the Employment for "
        "Skill Development Organization. Expect questions on changing employer and on fees paid "
        "to sending organisations.",
        body=(
            heading("相談が増えそうなこと"),
            paragraph(
                "<ul>"
                "<li>本人の意向による転籍（要件があります）</li>"
                "<li>送出機関に支払った費用と、その上限</li>"
                "<li>特定技能1号へ移るための試験と日本語の要件</li>"
                "<li>季節性のある分野での派遣形態の就労</li>"
                "</ul>"
            ),
            callout(
                "確定した情報で案内してください",
                "<p>施行日や経過措置の詳細は、政令・省令と運用要領で確認してください。"
                "このポータルでも、決まり次第お知らせします。</p>",
            ),
            law_links(
                (
                    "外国人の育成就労の適正な実施及び育成就労外国人の保護に関する法律",
                    E_GOV,
                    "",
                ),
            ),
        ),
    ),
    DemoNotice(
        slug="awareness-months",
        title="1月は外国人との共生社会を推進する月間です",
        published=_at(2026, 11, 13),
        category=NoticeCategory.OTHER,
        public=True,
        effective=datetime.date(2027, 1, 1),
        fields=("human-rights-dv", "employment-career"),
        summary="2024年から、毎年1月は外国人との共生社会の実現を推進する月間とされています。"
        "2027年1月も、地域の国際交流協会などと連携して、相談窓口の周知や催しにご活用ください。"
        "毎年6月は、外国人の適正な雇用を促進する月間です。",
        summary_en="Since 2024, every January is the month for promoting a society of harmonious "
        "coexistence with foreign nationals. Use January 2027 to publicise your counter and "
        "local events together with international associations. June is the month for "
        "promoting the proper employment of foreign nationals.",
        body=(
            table(
                "毎年の月間",
                [
                    ["時期", "月間"],
                    ["毎年1月", "外国人との共生社会の実現を推進する月間（2024年1月から）"],
                    [
                        "毎年6月",
                        "外国人の適正な雇用を促進する月間（外国人労働者問題啓発月間と同時期）",
                    ],
                ],
            ),
        ),
    ),
    DemoNotice(
        slug="weekly-email-digest",
        title="お知らせの週刊メールダイジェストを始めます",
        published=_at(2026, 11, 15),
        category=NoticeCategory.OTHER,
        effective=datetime.date(2026, 12, 7),
        summary="2026年12月7日から、前の週に掲載されたお知らせと地域インタビュー通信をまとめて"
        "メールでお届けします。受け取りを希望する方は、設定画面で配信を選んでください。"
        "配信はいつでも停止できます。",
        summary_en="From 7 December 2026, a weekly e-mail gathers the notices and newsletters "
        "published the week before. Choose it in your settings if you would like to receive it; "
        "you can stop it at any time.",
        body=(
            paragraph(
                "<p>メールには、会員向けのお知らせも含まれます。"
                "重要なお知らせは、これまでどおりポータルで確認した旨をお知らせください。</p>"
            ),
        ),
    ),
)


@dataclass(frozen=True)
class DemoInterview:
    title: str
    interviewee: str  # username
    region: str  # prefecture code
    body: tuple


@dataclass(frozen=True)
class DemoIssue:
    number: int
    date: datetime.date
    title: str
    lead: str
    lead_en: str
    interviews: tuple[DemoInterview, ...] = field(default_factory=tuple)

    @property
    def slug(self) -> str:
        return f"issue-{self.number}"


ISSUES = (
    DemoIssue(
        number=1,
        date=datetime.date(2026, 6, 30),
        title="第1号　関西・中国地方の相談窓口から",
        lead="創刊号では、兵庫県、岡山県、広島県で相談に応じている3人のコーディネーターに、"
        "窓口での日々と、関係機関とつながるための工夫を聞きました。",
        lead_en="In our first issue, three coordinators in Hyogo, Okayama and Hiroshima talk about "
        "their days at the counter and how they build links with partner organisations.",
        interviews=(
            DemoInterview(
                title="ワンストップ窓口で「たらい回し」をなくす",
                interviewee="coordinator",
                region="JP-28",
                body=(
                    qa(
                        "どのような相談が多いですか。",
                        "<p>在留手続の相談が最も多く、仕事、年金、子どもの学校のことが続きます。"
                        "一つの相談にいくつもの問題が重なっていることが多いので、最初の聞き取りに時間をかけています。</p>",
                    ),
                    qa(
                        "関係機関との連携で工夫していることは。",
                        "<p>市役所の各課や労働基準監督署、法テラスの担当者と顔の見える関係をつくるため、"
                        "年に2回の連絡会を開いています。紹介するときは本人の了解を得て要点を先に伝え、"
                        "相談者が同じ説明を何度も繰り返さずに済むようにしています。</p>",
                    ),
                    qa(
                        "認定を受けて変わったことはありますか。",
                        "<p>研修で学んだ支援計画の考え方を使って、相談の記録を整理するようになりました。"
                        "他県のコーディネーターに気軽に相談できるつながりができたことも大きいです。</p>",
                    ),
                    qa(
                        "これから取り組みたいことは。",
                        "<p>転入したばかりの方に、年金や健康保険の仕組みを母語で説明する会を開きたいと考えています。"
                        "困りごとが大きくなる前に届く情報を増やしたいです。</p>",
                    ),
                ),
            ),
            DemoInterview(
                title="母語で話せる安心を窓口に",
                interviewee="coordinator2",
                region="JP-33",
                body=(
                    qa(
                        "ベトナム語での相談にはどのようなものがありますか。",
                        "<p>技能実習生や留学生からの相談が中心です。職場での悩みのほか、"
                        "妊娠や出産について誰にも話せずにいた方からの相談もあります。</p>",
                    ),
                    qa(
                        "母語で相談を受けるときに気をつけていることは。",
                        "<p>母語だと安心して話してもらえる一方で、通訳だけでなく制度の説明まで期待されます。"
                        "分からないことはその場で答えず、確認してから必ず連絡するようにしています。</p>",
                    ),
                    qa(
                        "育成就労制度について質問は増えていますか。",
                        "<p>転籍のルールについての質問が増えています。まだ決まっていないことも多いので、"
                        "公表された情報だけをお伝えし、決まったらまた連絡すると約束しています。</p>",
                    ),
                ),
            ),
            DemoInterview(
                title="日本語教室と相談窓口をつなぐ",
                interviewee="demo-coordinator-16",
                region="JP-34",
                body=(
                    qa(
                        "どのような活動をしていますか。",
                        "<p>国際交流協会で、日本語教室の運営と生活相談を担当しています。"
                        "教室で学ぶ方から、住まいや子育ての悩みを打ち明けられることがよくあります。</p>",
                    ),
                    qa(
                        "日本語教室のない地域への支援は。",
                        "<p>県内にも教室のない市町があります。オンラインの教室と、"
                        "市町の窓口を回る出張相談を組み合わせて、学ぶ場と相談の場を届けています。</p>",
                    ),
                    qa(
                        "支援で大切にしていることは。",
                        "<p>手続を代わりに済ませるのではなく、次は自分でできるように一緒に進めることです。"
                        "窓口の場所や書類の読み方を覚えてもらうと、次の相談がぐっと減ります。</p>",
                    ),
                ),
            ),
        ),
    ),
    DemoIssue(
        number=2,
        date=datetime.date(2026, 8, 31),
        title="第2号　災害に備える：北陸・東北の取組",
        lead="能登半島地震から2年半。新潟県、富山県、宮城県のコーディネーターに、"
        "災害時の多言語支援と、ふだんからの備えについて聞きました。",
        lead_en="Two and a half years after the Noto Peninsula Earthquake, coordinators in "
        "Niigata, Toyama and Miyagi talk about multilingual support in a disaster and how they "
        "prepare in ordinary times.",
        interviews=(
            DemoInterview(
                title="災害多言語支援センターの経験をふだんの備えに",
                interviewee="demo-coordinator-31",
                region="JP-15",
                body=(
                    qa(
                        "能登半島地震のとき、どのような支援をしましたか。",
                        "<p>県内でも被害があり、災害多言語支援センターを開きました。"
                        "避難所を回って、給水や罹災証明の情報をやさしい日本語と多言語で伝えました。</p>",
                    ),
                    qa(
                        "在留に関する不安にはどう対応しましたか。",
                        "<p>在留期間が延長される特例が出たので、その内容を多言語でまとめて配りました。"
                        "期限がいつまでかを繰り返し伝えることが大切だと感じました。</p>",
                    ),
                    qa(
                        "その経験から学んだことは。",
                        "<p>ふだんから外国人住民とつながっていないと、災害のときに情報が届きません。"
                        "今は防災訓練にやさしい日本語の案内をつくり、外国人住民にも参加してもらっています。</p>",
                    ),
                ),
            ),
            DemoInterview(
                title="働けなくなった人を支えた3か月",
                interviewee="demo-coordinator-03",
                region="JP-16",
                body=(
                    qa(
                        "地震の後、どのような相談がありましたか。",
                        "<p>勤め先の工場が被災して働けなくなった技能実習生や特定技能の方から、"
                        "収入と在留の両方についての不安が寄せられました。</p>",
                    ),
                    qa(
                        "どのように対応しましたか。",
                        "<p>特例で資格外活動が認められることを伝え、外国人技能実習機構の特別窓口や監理団体、"
                        "ハローワークと連絡を取りながら、一人ひとりの次の働き先を探しました。</p>",
                    ),
                    qa(
                        "他の地域のコーディネーターに伝えたいことは。",
                        "<p>災害の特例には必ず期限があります。期限を一覧にして窓口に貼っておくと、"
                        "相談が重なったときにも案内の漏れを防げます。</p>",
                    ),
                    qa(
                        "NPOとして続けていることは。",
                        "<p>被災した方の多くは今も同じ地域で暮らしています。"
                        "月に一度の交流会で近況を聞き、困りごとを早めに拾うようにしています。</p>",
                    ),
                ),
            ),
            DemoInterview(
                title="震災の教訓を次の世代へ",
                interviewee="demo-coordinator-10",
                region="JP-04",
                body=(
                    qa(
                        "2011年の震災の経験は、今の活動にどう生きていますか。",
                        "<p>当時は外国人住民が避難所で情報を得られず、不安な日々を過ごしました。"
                        "その経験から、窓口には災害時の多言語の案内文をいつでも使えるように用意しています。</p>",
                    ),
                    qa(
                        "ふだん取り組んでいることは。",
                        "<p>外国人住民向けの防災講座を年に数回開き、避難所の運営訓練にも参加してもらっています。"
                        "避難所で通訳をしてくれる住民のリストも、本人の同意を得てつくっています。</p>",
                    ),
                    qa(
                        "これからの課題は。",
                        "<p>震災を知らない若い世代の外国人住民が増えています。"
                        "経験を語り継ぐ場を、地域の学校や日本語教室と一緒につくっていきたいです。</p>",
                    ),
                ),
            ),
        ),
    ),
    DemoIssue(
        number=3,
        date=datetime.date(2026, 10, 31),
        title="第3号　育成就労の施行を前に：ものづくりの地域から",
        lead="2027年4月の育成就労制度の施行を前に、愛知県と群馬県のコーディネーターに、"
        "働く外国人とその家族からの相談の変化を聞きました。",
        lead_en="Ahead of the Employment for Skill Development system in April 2027, "
        "coordinators in Aichi and Gunma describe how questions from foreign workers and their "
        "families are changing.",
        interviews=(
            DemoInterview(
                title="転籍の相談にどう備えるか",
                interviewee="demo-coordinator-42",
                region="JP-23",
                body=(
                    qa(
                        "最近の相談の傾向は。",
                        "<p>技能実習生から、職場を変えられるかという質問が増えています。"
                        "育成就労制度で転籍の仕組みが変わることが、母国の仲間の間でも話題になっているようです。</p>",
                    ),
                    qa(
                        "どのように答えていますか。",
                        "<p>施行までは今の制度が続くこと、新しい制度の転籍には要件があることを、"
                        "やさしい日本語の資料で説明しています。職場での困りごとがある場合は、"
                        "労働基準監督署や外国人技能実習機構の相談窓口につないでいます。</p>",
                    ),
                    qa(
                        "市役所としての準備は。",
                        "<p>企業や監理団体向けの説明会を開き、相談窓口の連絡先を共有しました。"
                        "施行後に相談が集中しても対応できるよう、関係課との役割分担を確認しています。</p>",
                    ),
                ),
            ),
            DemoInterview(
                title="家族と暮らす外国人労働者を支える",
                interviewee="demo-coordinator-30",
                region="JP-10",
                body=(
                    qa(
                        "相談者にどのような変化がありますか。",
                        "<p>特定技能2号になり、家族を呼び寄せる方が増えました。"
                        "仕事の相談に加えて、子どもの学校や配偶者の日本語学習の相談が多くなっています。</p>",
                    ),
                    qa(
                        "子どもの就学について、どのような支援をしていますか。",
                        "<p>転入の届出のときに就学の案内を渡してもらうよう、市町の窓口と取り決めました。"
                        "学齢を過ぎた方には、夜間中学のことも紹介しています。</p>",
                    ),
                    qa(
                        "家族の生活で見えてきた課題は。",
                        "<p>年金や医療保険の仕組みが分からず、未納になってしまう方がいます。"
                        "家族がそろって来日したときに、手続をまとめて説明する時間を設けるようにしました。</p>",
                    ),
                ),
            ),
        ),
    ),
)

NOTICE_INDEX = {
    "slug": "notices",
    "title": "国からのお知らせ",
    "intro": "出入国在留管理庁などからの、法令や制度の改正、手続、認定制度、災害時の特例措置などの"
    "お知らせです。重要なお知らせは、読んだことを確認ボタンでお知らせください。",
    "published": _at(2024, 6, 1),
}
NEWSLETTER_INDEX = {
    "slug": "newsletters",
    "title": "地域インタビュー通信",
    "intro": "各地のコーディネーターへのインタビューを通じて、地域の課題と取組を紹介します。"
    "記事は、インタビューを受けたご本人の確認を経て公開しています。",
    "published": _at(2026, 6, 30),
}


def _raw(stream_value) -> list:
    return json.loads(json.dumps(list(stream_value.raw_data)))


def _assign(obj, values: dict) -> bool:
    """Set the attributes that differ; ``body`` is compared as stored stream data."""
    changed = False
    for name, value in values.items():
        if name == "body":
            if _raw(obj.body) != value:
                obj.body = json.dumps(value)
                changed = True
        elif getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _assign_m2m(page, name: str, objects: list) -> bool:
    if {o.pk for o in getattr(page, name).all()} == {o.pk for o in objects}:
        return False
    setattr(page, name, objects)
    return True


def _publish(page) -> None:
    page.draft_title = page.title
    page.save_revision().publish()


def _fix_dates(page, when: datetime.datetime) -> None:
    """Publishing stamps the current time: give listings a fixed "published" date instead."""
    current = Page.objects.filter(pk=page.pk).values(*DATE_FIELDS).get()
    if all(current[name] == when for name in DATE_FIELDS):
        return
    Page.objects.filter(pk=page.pk).update(**dict.fromkeys(DATE_FIELDS, when))
    search_index.insert_or_update_object(type(page).objects.get(pk=page.pk))


def _child(parent, model, slug: str, values: dict, when: datetime.datetime, prepare=None):
    """The page ``slug`` under ``parent``, created or brought in line with ``values``.

    ``prepare(page)`` sets relations (many-to-many, inline children) and says whether it
    changed anything. A revision is published only when something was created or changed."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, first_published_at=when)
        _assign(page, values)
        if prepare:
            prepare(page)
        parent.add_child(instance=page)
        changed = True
    else:
        changed = _assign(page, values)
        if prepare:
            changed = prepare(page) or changed
    if changed:
        _publish(page)
    _fix_dates(page, when)
    return page


def _seed_notices(index) -> list:
    codes = {code for notice in NOTICES for code in notice.prefectures}
    prefectures = {p.code: p for p in Prefecture.objects.filter(code__in=codes)}
    slugs = {slug for notice in NOTICES for slug in notice.fields}
    fields = {f.slug: f for f in Field.objects.filter(slug__in=slugs)}
    pages = []
    for notice in NOTICES:
        values = {
            "title": notice.title,
            "summary": notice.summary,
            "summary_en": notice.summary_en,
            "category": str(notice.category),
            "nationwide": not notice.prefectures,
            "effective_date": notice.effective,
            "importance": Importance.IMPORTANT if notice.important else Importance.NORMAL,
            "audience": Audience.PUBLIC if notice.public else Audience.MEMBERS,
            "body": _stream(notice.slug, notice.body),
        }
        chosen_fields = [fields[s] for s in notice.fields if s in fields]
        chosen_prefectures = [prefectures[c] for c in notice.prefectures if c in prefectures]

        def prepare(page, chosen_fields=chosen_fields, chosen_prefectures=chosen_prefectures):
            changed = _assign_m2m(page, "fields", chosen_fields)
            return _assign_m2m(page, "prefectures", chosen_prefectures) or changed

        pages.append(_child(index, NoticePage, notice.slug, values, notice.published, prepare))
    return pages


# Share of the directory's demo coordinators who have confirmed each important notice, newest
# notice first: the newest has been read by a quarter of them so far, older ones by more.
ACKNOWLEDGED_SHARES = (0.25, 0.5, 0.7, 0.85)
DEMO_MEMBERS = "demo-coordinator-"


def _seed_acknowledgements(notices) -> int:
    """Confirmations of reading from the directory's demo coordinators (never from the demo
    accounts of the design guide, whose journeys confirm notices themselves), through the same
    service as the "I have read this" button; those a notice does not ask are skipped."""
    from .services.notices import NotTargeted, notice_acknowledge

    important = sorted(
        (n for n in notices if n.live and n.requires_acknowledgement),
        key=lambda n: (n.first_published_at, n.pk),
        reverse=True,
    )
    members = list(User.objects.filter(username__startswith=DEMO_MEMBERS).order_by("username"))
    made = 0
    for position, notice in enumerate(important):
        share = ACKNOWLEDGED_SHARES[min(position, len(ACKNOWLEDGED_SHARES) - 1)]
        for member in members[: round(len(members) * share)]:
            try:
                _acknowledgement, created = notice_acknowledge(member, notice)
            except NotTargeted:
                continue
            made += created
    return made


def _interview_rows(issue: DemoIssue, users: dict, regions: dict) -> list[dict]:
    rows = []
    for position, interview in enumerate(issue.interviews):
        user = users.get(interview.interviewee)
        if user is None:  # that demo account is not loaded
            continue
        rows.append(
            {
                "title": interview.title,
                "interviewee_id": user.pk,
                "region_id": regions[interview.region].pk,
                "body": _stream(f"{issue.slug}/{position}", interview.body),
            }
        )
    return rows


def _seed_issues(index) -> list:
    usernames = {i.interviewee for issue in ISSUES for i in issue.interviews}
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    codes = {i.region for issue in ISSUES for i in issue.interviews}
    regions = {p.code: p for p in Prefecture.objects.filter(code__in=codes)}
    pages = []
    for issue in ISSUES:
        values = {
            "title": issue.title,
            "issue_number": issue.number,
            "issue_date": issue.date,
            "lead": issue.lead,
            "lead_en": issue.lead_en,
        }
        rows = _interview_rows(issue, users, regions)

        def prepare(page, rows=rows):
            existing = list(page.interviews.all()) if page.pk else []
            current = [
                {
                    "title": i.title,
                    "interviewee_id": i.interviewee_id,
                    "region_id": i.region_id,
                    "body": _raw(i.body),
                }
                for i in existing
            ]
            if current == rows:
                return False
            interviews = []
            for position, row in enumerate(rows):
                interview = existing[position] if position < len(existing) else Interview()
                _assign(interview, row)
                interview.sort_order = position
                interviews.append(interview)
            page.interviews = interviews
            return True

        when = datetime.datetime.combine(issue.date, datetime.time(10, 0), tzinfo=JST)
        pages.append(_child(index, NewsletterIssuePage, issue.slug, values, when, prepare))
    return pages


def _index(home, model, spec: dict):
    values = {"title": spec["title"], "intro": spec["intro"]}
    return _child(home, model, spec["slug"], values, spec["published"])


@transaction.atomic
def seed(stdout=None) -> None:
    site = Site.objects.get(is_default_site=True)
    home = HomePage.objects.get(pk=site.root_page_id)
    notice_index = _index(home, NoticeIndexPage, NOTICE_INDEX)
    newsletter_index = _index(home, NewsletterIndexPage, NEWSLETTER_INDEX)
    WorkflowPage.objects.update_or_create(
        page=newsletter_index, defaults={"workflow": Workflow.objects.get(name=WORKFLOW)}
    )
    notices = _seed_notices(notice_index)
    _seed_acknowledgements(notices)
    issues = _seed_issues(newsletter_index)
    if stdout is not None:
        interviews = Interview.objects.filter(issue__in=issues).count()
        stdout.write(
            f"  newsletters: {len(notices)} notices, {len(issues)} newsletter issues, {interviews} interviews"
        )
