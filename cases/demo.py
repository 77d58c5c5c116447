"""Demo case studies: the case library and about twenty fictional, anonymised cases in every
state of the moderation workflow (published, in review, changes requested, draft, rejected).

The cases are composites written for the demo; clients appear only in coarse terms. Each case is
looked up by its slug and created only when missing, and every date is fixed, so running
``seed_demo`` again changes nothing.
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site, TaskState, WorkflowState

from portal.accounts.models import User
from portal.home.models import HomePage
from portal.taxonomy.models import Field, Language, Prefecture

from .models import CaseIndexPage, CaseModerationTask, CaseState, CaseStudyPage
from .services.library import assign_case_moderation

JST = ZoneInfo("Asia/Tokyo")
INDEX_SLUG = "cases"
INDEX_TITLE = "事例ライブラリ"
INDEX_INTRO = (
    "<p>会員のコーディネーターが寄せた相談事例です。個人が特定されないよう、"
    "審査担当者が確認してから公開しています。</p>"
)
PARTNERS_PER_CASE = 2
FALLBACK_AUTHOR = "coordinator"


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, 0, tzinfo=JST)


@dataclass(frozen=True)
class DemoCase:
    slug: str
    title: str
    author: str  # username
    state: str
    fields: tuple[str, ...]
    prefecture: int  # prefecture number
    summary: str
    situation: str
    issues: str
    actions: str
    outcome: str
    outcome_text: str
    lessons: str
    partners_note: str = ""
    case_type: str = "individual"
    attribution: str = "anonymous"
    age: str = ""
    status: str = ""
    stay: str = ""
    language: str = ""
    stakeholders: str = ""
    measures: str = ""
    government_feedback: str = ""
    # Published cases: the publication date; other states: when the author submitted it.
    on: datetime.datetime | None = None
    moderation_note: str = ""
    extra: dict = field(default_factory=dict)


P = CaseState.PUBLISHED

CASES = (
    DemoCase(
        slug="pregnant-trainee-supported-to-stay",
        title="妊娠した技能実習生が帰国せずに出産・実習再開できた事例",
        author="coordinator",
        state=P,
        fields=("skill-development-ssw", "pregnancy-childbirth-childrearing", "labour-conditions"),
        prefecture=40,
        summary="妊娠を理由に帰国を示唆された技能実習生に、妊娠・出産に関するルールを伝え、"
        "関係機関と連携して実習の中断と再開を支えた。",
        situation="<p>20代の技能実習生が妊娠2か月ごろに窓口へ来た。監理団体から"
        "「出産は帰国してから」と言われ、実習を続けられないと思い込んでいた。</p>",
        issues="<p>妊娠・出産を理由とする不利益な取扱いが禁止されていることを、本人も監理団体も"
        "十分に理解していなかった。妊婦健診で通訳がいないことも不安の原因だった。</p>",
        actions="<p>不利益取扱いの禁止と、実習の中断・再開の手続を説明した。本人の同意を得て"
        "外国人技能実習機構の母国語相談と市の母子保健窓口に連絡し、健診には医療通訳を手配した。</p>",
        partners_note="外国人技能実習機構の相談窓口、労働基準監督署、市の母子保健担当課、医療通訳",
        outcome="resolved",
        outcome_text="<p>監理団体は帰国の示唆を撤回した。本人は休業して出産し、その後実習を再開した。</p>",
        lessons="<p>妊娠・出産のルールは入国後の早い時期に伝える。実習機構の連絡先を標準の"
        "つなぎ先一覧に載せておく。</p>",
        age="18-29",
        status="technical-intern",
        stay="1-3",
        language="vi",
        on=_at(2026, 4, 14),
    ),
    DemoCase(
        slug="one-plan-for-income-housing-and-school",
        title="失職と社宅退去が重なった家族を一つの支援計画で支えた事例",
        author="coordinator",
        state=P,
        attribution="named",
        fields=("employment-career", "housing", "child-education", "welfare-livelihood"),
        prefecture=23,
        summary="派遣契約を打ち切られ、社宅の退去と子どもの不登校が重なった定住者の家族を、"
        "収入・住まい・学校を一つの計画にまとめて支援した。",
        situation="<p>40代の男性が派遣先との契約終了で職を失い、2週間以内に社宅を出るよう"
        "求められた。子ども2人は学校に通わなくなっていた。</p>",
        issues="<p>収入、住まい、教育の課題が同時に起きており、窓口ごとに別々に相談すると"
        "「たらい回し」になるおそれがあった。</p>",
        actions="<p>収入・住まい・学校をまとめた支援計画を作り、コーディネーターが全体を"
        "調整した。ハローワークの外国人雇用サービスコーナーで求職と職業訓練を、福祉担当課で"
        "一時的な生活支援を、多言語の標準契約書を使う不動産事業者で住まい探しを進め、"
        "教育委員会と日本語支援付きの復学を調整した。</p>",
        partners_note="ハローワーク（外国人雇用サービスコーナー）、市の福祉担当課、教育委員会、不動産事業者",
        outcome="resolved",
        outcome_text="<p>6週間ほどで職業訓練を始め、民間の賃貸住宅に移った。子ども2人も"
        "1か月以内に復学した。</p>",
        lessons="<p>一人のコーディネーターが計画全体を持つことで、複数の窓口を回らされる"
        "状況を避けられた。</p>",
        age="40s",
        status="long-term",
        stay="10plus",
        language="pt",
        on=_at(2026, 5, 12),
    ),
    DemoCase(
        slug="public-dues-before-permanent-residence",
        title="永住許可申請の前に税・保険料の滞納を解消した事例",
        author="coordinator2",
        state=P,
        fields=("residence-status", "taxes-public-dues", "social-insurance-pension"),
        prefecture=11,
        summary="永住許可を申請したい夫婦に公租公課の滞納があったため、分割納付の相談に同行し、"
        "完納後に申請につないだ。",
        situation="<p>日本に10年以上住む夫婦が永住許可の申請を考えていたが、国民健康保険料と"
        "住民税を2年分滞納していた。</p>",
        issues="<p>2024年の法改正で、故意の公租公課の不払いは永住許可の取消事由になった。"
        "夫婦はこの点を知らなかった。</p>",
        actions="<p>制度の変更点を説明し、市の税務担当課と国民健康保険担当課に同行して"
        "分割納付の計画を立てた。申請書類の準備は行政書士に紹介した。</p>",
        partners_note="市の税務担当課・国民健康保険担当課、行政書士",
        outcome="resolved",
        outcome_text="<p>8か月かけて滞納を解消し、永住許可を申請した。</p>",
        lessons="<p>公租公課の予防的な支援は、永住申請の何年も前から始める。窓口の案内チラシに"
        "短い説明を加えた。</p>",
        age="40s",
        status="engineer",
        stay="10plus",
        language="zh-Hans",
        on=_at(2026, 6, 2),
    ),
    DemoCase(
        slug="pension-record-and-long-term-care",
        title="年金がないと思っていた高齢の方の加入記録を確認し、介護サービスにつないだ事例",
        author="coordinator",
        state=P,
        attribution="named",
        fields=("elderly-long-term-care", "social-insurance-pension", "medical-health"),
        prefecture=27,
        summary="配偶者を亡くし転倒後に介助が必要になった方の年金加入記録を確認し、"
        "要介護認定から在宅サービスの利用までを支えた。",
        situation="<p>結婚を機に来日した60代の女性が配偶者を亡くし、転倒後は自宅での"
        "介助が必要になった。本人は「年金はない」と思い込んでいた。</p>",
        issues="<p>年金と介護保険は、外国人住民に最も知られていない制度である。本人は加入期間の"
        "確認方法も、介護保険の申請方法も知らなかった。</p>",
        actions="<p>通訳を介して年金事務所で加入記録の確認を手伝い、市の介護保険担当課で"
        "要介護認定の申請を進めた。</p>",
        partners_note="年金事務所、市の介護保険担当課、医療通訳",
        outcome="resolved",
        outcome_text="<p>過去の加入期間が見つかり、少額の給付につながった。認定後、訪問介護の"
        "利用が始まった。</p>",
        lessons="<p>60歳以上の方の相談では、年金と介護保険の両方を必ず確認する。</p>",
        age="60s",
        status="spouse-japanese",
        stay="10plus",
        language="fil",
        on=_at(2026, 6, 23),
    ),
    DemoCase(
        slug="student-phone-contract-and-job-scam",
        title="留学生の携帯電話契約トラブルと「高収入バイト」詐欺への対応",
        author="coordinator2",
        state=P,
        fields=("consumer-finance-telecom", "legal-trouble-crime"),
        prefecture=4,
        summary="内容を理解しないまま結んだ端末セット契約と、ネットの求人詐欺の被害について、"
        "消費生活センターと警察への相談を支えた。",
        situation="<p>日本語学校の学生が、理解できないまま携帯電話と端末のセット契約を結んだ。"
        "数週間後、ネットで見つけた「アルバイト」の保証金を払ったが、相手と連絡が取れなくなった。</p>",
        issues="<p>契約内容の説明が本人の分かる言語でされていなかった。「簡単に稼げる」求人は"
        "在留資格に影響するおそれもあることを知らなかった。</p>",
        actions="<p>消費生活センターに同行し、電話通訳を使って事業者と交渉してもらった。"
        "警察への被害届の提出を手伝い、学校にも情報を伝えて他の学生への注意喚起を頼んだ。</p>",
        partners_note="消費生活センター、警察の相談窓口、日本語学校の学生担当",
        outcome="partly",
        outcome_text="<p>端末部分の契約は解約できた。保証金は戻らなかったが、学校が短い"
        "注意喚起の時間を設けた。</p>",
        lessons="<p>消費者ホットライン188と警察相談の番号を新入生向けの案内に載せ、"
        "「簡単に稼げる」求人への注意を伝える。</p>",
        age="18-29",
        status="student",
        stay="under1",
        language="ne",
        on=_at(2026, 7, 7),
    ),
    DemoCase(
        slug="safety-first-then-status",
        title="配偶者からの暴力を受けた方の安全確保と在留資格の相談を分けて進めた事例",
        author="coordinator",
        state=P,
        fields=("human-rights-dv", "residence-status", "legal-trouble-crime"),
        prefecture=34,
        summary="「家を出たらビザを失う」と脅されていた方について、まず安全を確保し、"
        "そのうえで法律相談と在留資格の見通しの確認を進めた。",
        situation="<p>「日本人の配偶者等」の在留資格を持つ女性から、夫の暴力と、家を出れば"
        "在留資格を失うと脅されているとの相談があった。</p>",
        issues="<p>安全の確保と在留資格の問題が絡み合い、本人は身動きが取れなくなっていた。</p>",
        actions="<p>まず警察と配偶者暴力相談支援センターにつないで安全を確保した。そのうえで"
        "法テラスの多言語サービスで法律相談を予約し、婚姻が終わった場合の在留資格の選択肢を"
        "外国人在留総合インフォメーションセンターに確認した。</p>",
        partners_note="警察、配偶者暴力相談支援センター、法テラス、外国人在留総合インフォメーションセンター",
        outcome="partly",
        outcome_text="<p>本人はシェルターに移り、法律扶助を使って離婚の手続を始めた。"
        "在留資格の変更の流れについても説明を受けた。</p>",
        lessons="<p>安全の確保と在留資格の相談は分けて進め、配偶者には決して連絡しない。"
        "記録には必要最小限のことだけを書く。</p>",
        age="30s",
        status="spouse-japanese",
        stay="3-5",
        language="en",
        on=_at(2026, 7, 28),
    ),
    DemoCase(
        slug="out-of-school-child-enrolled",
        title="就学していなかった中学生年齢の子どもの編入と高校受験を支えた事例",
        author="coordinator",
        state=P,
        attribution="named",
        fields=("child-education", "japanese-language"),
        prefecture=10,
        summary="「外国人は義務教育ではない」と考えて就学していなかった子どもについて、"
        "教育委員会への同行と日本語支援の手配で編入を実現した。",
        situation="<p>来日して間もない家族が、中学生年齢の子どもを学校に通わせていなかった。"
        "外国籍の子どもは就学しなくてよいと思っていた。</p>",
        issues="<p>外国籍の子どもの就学の仕組みが家族に伝わっていなかった。"
        "日本語の力にも不安があった。</p>",
        actions="<p>就学の仕組みを説明し、多言語の就学ガイドを使って教育委員会に同行した。"
        "学校での日本語指導と、NPOの放課後教室での学習支援を手配した。</p>",
        partners_note="教育委員会、NPOの日本語教室",
        outcome="resolved",
        outcome_text="<p>2週間ほどで編入できた。翌年には外国人生徒の特別な選抜を使って"
        "公立高校を受験した。</p>",
        lessons="<p>家族の初回面談では、相談内容が別のことでも、子どもの就学状況を必ず確認する。</p>",
        age="under18",
        status="dependent",
        stay="under1",
        language="es",
        on=_at(2026, 8, 18),
    ),
    DemoCase(
        slug="from-emergency-stay-to-protection",
        title="緊急避難で滞在していた方が補完的保護の認定を受け、定住支援と就労につながった事例",
        author="coordinator2",
        state=P,
        fields=("refugee-protection", "japanese-language", "employment-career"),
        prefecture=38,
        summary="紛争地域から避難し「特定活動」で滞在していた方に補完的保護の手続を説明し、"
        "認定後は定住支援プログラムとハローワークにつないだ。",
        situation="<p>紛争地域からの避難者が、緊急の「特定活動」で滞在を続けており、"
        "より長く暮らせる道はないかと相談に来た。</p>",
        issues="<p>2023年12月に始まった補完的保護の制度を本人が知らず、面接の準備にも"
        "不安を抱えていた。</p>",
        actions="<p>補完的保護の手続を説明し、地方出入国在留管理局での面接に向けた準備を"
        "手伝った。認定後は難民事業本部の定住支援プログラムにつなぎ、その後ハローワークで"
        "仕事探しを進めた。</p>",
        partners_note="地方出入国在留管理局、難民事業本部（RHQ）、ハローワーク",
        outcome="resolved",
        outcome_text="<p>補完的保護の認定を受け、日本語の課程を修了した。同じ県内で"
        "パートタイムの仕事に就いた。</p>",
        lessons="<p>定住支援プログラムは長期間になるため、受講前に保育と通学手段の計画を立てる。</p>",
        age="30s",
        status="protection",
        stay="1-3",
        language="uk",
        on=_at(2026, 9, 8),
    ),
    DemoCase(
        slug="overstay-voluntary-appearance",
        title="在留期限を過ぎて暮らしていた方が治療を受け、自ら出頭して帰国した事例",
        author="coordinator",
        state=P,
        fields=("irregular-stay-deportation", "medical-health"),
        prefecture=13,
        summary="逮捕を恐れて受診できずにいた非正規滞在の方を医療につなぎ、弁護士会の相談を経て"
        "出国命令による帰国を支えた。",
        situation="<p>数年間、在留期限を過ぎて暮らしていた男性が、治療していない持病について"
        "相談に来た。受診すれば逮捕されると恐れていた。</p>",
        issues="<p>医療を受ける必要と、在留についての正確な情報の両方が欠けていた。</p>",
        actions="<p>無保険の患者を受け入れている診療所での受診を急いで手配し、弁護士会の"
        "相談につないだ。弁護士が出頭申告、出国命令、在留特別許可のガイドラインを説明し、"
        "本人は自ら出頭することを選んだ。</p>",
        partners_note="弁護士会の外国人相談、地方出入国在留管理局、国際移住機関（IOM）",
        outcome="referred",
        outcome_text="<p>出国命令を受け、国際移住機関の帰国支援を利用して帰国した。</p>",
        lessons="<p>選択肢について正確な情報を伝え、約束はしない。在留についての決定は当局と"
        "本人のものである。</p>",
        age="40s",
        status="no-status",
        stay="5-10",
        language="",
        on=_at(2026, 9, 29),
    ),
    DemoCase(
        slug="remote-interpreting-for-a-coastal-town",
        title="通訳のいない少数言語の住民を、遠隔通訳と日本語教室の立ち上げで支えた地域の事例",
        author="coordinator",
        state=P,
        attribution="named",
        case_type="regional",
        fields=("daily-life-procedures", "medical-health", "japanese-language"),
        prefecture=3,
        summary="人口が減る沿岸部で、地域に通訳者のいない言語を話す労働者が増えた。"
        "遠隔通訳の導入と巡回相談、日本語教室の立ち上げで対応した。",
        situation="<p>沿岸部の水産加工の現場で、地域に通訳者のいない言語を話す労働者を受け入れた。"
        "町には日本語教室がなかった。</p>",
        issues="<p>病院や役場の手続で言葉が通じず、一つの窓口だけでは通訳者を確保できなかった。</p>",
        actions="<p>町の相談窓口を出入国在留管理庁の遠隔通訳サービスに登録し、県の国際交流協会に"
        "毎月の巡回相談を依頼した。日本語教室のない地域向けのアドバイザー派遣事業への応募も"
        "県に働きかけた。</p>",
        partners_note="一元的相談窓口、県の国際交流協会、県の日本語教育コーディネーター",
        outcome="resolved",
        outcome_text="<p>半年ほどでボランティアの日本語教室が始まり、病院の受診には遠隔通訳を"
        "使うようになった。</p>",
        lessons="<p>小さな町での少数言語の空白は、一つの窓口では埋められない。"
        "広域の通訳者の仕組みが必要である。</p>",
        stakeholders="<p>町の相談窓口、受入れ事業者、県の国際交流協会、地域のボランティア</p>",
        measures="<p>遠隔通訳サービスへの登録、毎月の巡回相談、日本語教室の開設準備</p>",
        government_feedback="<p>少数言語の通訳者を広域で確保する仕組みを、国と県で整えてほしい。</p>",
        language="",
        on=_at(2026, 10, 13),
    ),
    DemoCase(
        slug="joint-consultation-days-in-the-valley",
        title="入管まで数時間かかる山間地での合同相談会とオンライン申請の支援",
        author="coordinator2",
        state=P,
        case_type="regional",
        fields=("residence-status", "employment-career", "legal-trouble-crime"),
        prefecture=20,
        summary="手続のたびに仕事を休んで長距離を移動していた山間地の住民のために、"
        "関係機関との合同相談会とオンライン申請の説明会を組み合わせた。",
        situation="<p>山あいの地域に住む外国人住民は、在留手続のたびに仕事を休み、"
        "数時間かけて入管の窓口へ行く必要があった。期限を過ぎてしまう人もいた。</p>",
        issues="<p>移動の負担が大きく、オンライン申請や期限のお知らせメールも知られていなかった。</p>",
        actions="<p>地方出入国在留管理局の受入環境調整担当官と協力し、法テラスとハローワークの"
        "職員も加わる合同相談会を3か月ごとに地域で開いた。マイナンバーカードを使った"
        "オンライン申請と、在留期限のお知らせメールの説明会も行った。</p>",
        partners_note="受入環境調整担当官、法テラス、ハローワーク、地域のNPO",
        outcome="resolved",
        outcome_text="<p>翌年、窓口での更新遅れが目に見えて減った。雇用主が代理でオンライン申請を"
        "するようにもなった。</p>",
        lessons="<p>出張相談とオンラインの手続を組み合わせると、どちらか一方より効果が高い。</p>",
        stakeholders="<p>地方出入国在留管理局、法テラス、ハローワーク、雇用主、地域のNPO</p>",
        measures="<p>3か月ごとの合同相談会、オンライン申請の説明会</p>",
        government_feedback="<p>山間地ではオンライン申請の利用を広げる支援と、定期的な出張窓口が"
        "必要である。</p>",
        on=_at(2026, 10, 27),
    ),
    DemoCase(
        slug="agency-change-to-specified-skilled-worker",
        title="技能実習から特定技能への移行でよくある相談と対応の要点",
        author="editor",
        state=P,
        attribution="named",
        fields=("residence-status", "skill-development-ssw"),
        prefecture=13,
        summary="技能実習を修了した方から寄せられる、特定技能への在留資格変更の相談について、"
        "窓口での確認事項と手続の流れをまとめた。",
        situation="<p>技能実習の修了が近い方から、特定技能に移って同じ分野で働き続けられるか、"
        "転職はできるかという相談が各地の窓口に寄せられている。</p>",
        issues="<p>分野ごとの試験の免除条件、在留資格変更の時期、受入れ機関の支援計画について、"
        "本人も受入れ側も誤解していることが多い。</p>",
        actions="<p>修了した職種と特定技能の分野の対応を確認し、試験が免除されるかを説明する。"
        "変更申請は在留期限に余裕をもって行うよう案内し、登録支援機関による支援の内容も伝える。</p>",
        partners_note="地方出入国在留管理局、登録支援機関、外国人技能実習機構",
        outcome="resolved",
        outcome_text="<p>確認事項の一覧を使うことで、窓口での説明にかかる時間が短くなった。</p>",
        lessons="<p>在留期限の3か月前には相談を始めるよう、早めに案内する。</p>",
        status="technical-intern",
        on=_at(2026, 8, 4),
    ),
    DemoCase(
        slug="agency-online-renewal-support",
        title="在留期間更新のオンライン申請を窓口で支援するときの要点",
        author="editor",
        state=P,
        attribution="named",
        fields=("residence-status", "daily-life-procedures"),
        prefecture=13,
        summary="オンライン申請を使いたい方を窓口で支援するときに、事前に確認しておくとよい"
        "点と、つまずきやすい点をまとめた。",
        situation="<p>マイナンバーカードを使った在留期間更新のオンライン申請について、"
        "各地の窓口に「自分でもできるか」という相談が増えている。</p>",
        issues="<p>カードの暗証番号を忘れている、写真データの規格が合わない、といった理由で"
        "途中で申請できなくなる例が多い。</p>",
        actions="<p>暗証番号と電子証明書の有効期限を事前に確認し、写真の規格を説明する。"
        "申請後の通知メールの受け取り方も一緒に確認する。</p>",
        partners_note="地方出入国在留管理局、市の住民窓口",
        outcome="resolved",
        outcome_text="<p>事前確認の一覧を使った窓口では、途中で止まる申請が減った。</p>",
        lessons="<p>オンライン申請の前に、カードの暗証番号と有効期限を必ず確認する。</p>",
        on=_at(2026, 11, 3),
    ),
    # In review ------------------------------------------------------------------------------
    DemoCase(
        slug="flood-evacuation-in-dormitories",
        title="豪雨災害で寮の労働者に避難情報が届かなかった地域の事例",
        author="coordinator",
        state=CaseState.IN_REVIEW,
        case_type="regional",
        fields=("disaster-emergency", "residence-status", "skill-development-ssw"),
        prefecture=43,
        summary="架空の豪雨災害で、日本語だけの避難情報が寮に住む労働者に届かなかった。"
        "多言語の情報提供と近隣県のコーディネーターとの連携で対応した。",
        situation="<p>大雨の際、2つの寮に住む労働者が避難しなかった。警報が日本語でしか"
        "届いていなかった。その後、通知を見逃したことや書類をなくしたことが在留に影響するかと"
        "不安を訴える人が多かった。</p>",
        issues="<p>多言語の防災情報が届く経路がなく、寮は市の避難連絡先にも入っていなかった。</p>",
        actions="<p>地域のキーパーソンを通じて多言語の防災アプリと出入国在留管理庁の多言語"
        "情報を伝えた。特別な措置があるかを地方出入国在留管理局に確認し、足りない言語は"
        "近隣県のコーディネーターに協力を頼んだ。</p>",
        partners_note="防災情報の多言語提供、地方出入国在留管理局、外国人技能実習機構、外国人コミュニティ",
        outcome="resolved",
        outcome_text="<p>在留資格を失った人はいなかった。雇用主は寮を市の避難連絡先に加えた。</p>",
        lessons="<p>災害の前に、広域でのコーディネーター同士の協力体制を作っておく。</p>",
        stakeholders="<p>市の防災担当、雇用主、外国人コミュニティ、近隣県のコーディネーター</p>",
        measures="<p>多言語の防災情報の共有、寮の避難連絡先への登録</p>",
        government_feedback="<p>寮ごとに連絡担当者を登録し、外国人住民を地域の防災訓練に"
        "含めてほしい。</p>",
        on=_at(2026, 11, 20),
    ),
    DemoCase(
        slug="nursery-place-after-childbirth",
        title="出産後の保育所入所の手続を多言語で支えた事例",
        author="coordinator2",
        state=CaseState.IN_REVIEW,
        fields=("pregnancy-childbirth-childrearing", "child-education"),
        prefecture=22,
        summary="出産後に仕事へ戻りたい方が、保育所の申込み時期と必要書類を知らずにいたため、"
        "市の保育担当課と連携して申込みを支えた。",
        situation="<p>30代の女性が出産後に職場へ戻ることを考えていたが、保育所の申込みの"
        "時期を過ぎそうになっていた。</p>",
        issues="<p>就労証明書など必要書類の意味が分からず、申込みの締切も知らなかった。</p>",
        actions="<p>市の保育担当課で申込みの流れを確認し、雇用主に就労証明書の作成を依頼する"
        "手順を説明した。</p>",
        outcome="ongoing",
        outcome_text="<p>申込みを済ませ、結果を待っている。</p>",
        lessons="<p>妊娠中の相談の段階で、保育所の申込み時期を伝えておく。</p>",
        age="30s",
        status="specified-skilled",
        stay="3-5",
        language="id",
        on=_at(2026, 11, 24),
    ),
    DemoCase(
        slug="agency-dependent-part-time-work",
        title="「家族滞在」の方のアルバイトと資格外活動許可についての相談",
        author="editor",
        state=CaseState.IN_REVIEW,
        attribution="named",
        fields=("residence-status", "employment-career"),
        prefecture=13,
        summary="「家族滞在」の在留資格で暮らす方から多い、アルバイトの時間の上限と"
        "資格外活動許可についての相談の要点をまとめた。",
        situation="<p>「家族滞在」の方から、アルバイトをしてもよいか、何時間まで働けるかと"
        "いう相談が寄せられている。</p>",
        issues="<p>資格外活動許可が必要なことや、週の時間の上限を知らずに働いてしまう例がある。</p>",
        actions="<p>資格外活動許可の申請方法と時間の上限を説明し、複数の仕事を掛け持ちする"
        "場合は合計の時間で数えることを伝える。</p>",
        outcome="resolved",
        outcome_text="<p>説明資料を窓口で配ることで、相談が早く終わるようになった。</p>",
        lessons="<p>働き始める前に許可を取るよう、早めに案内する。</p>",
        status="dependent",
        on=_at(2026, 11, 25),
    ),
    # Changes requested ------------------------------------------------------------------------
    DemoCase(
        slug="company-housing-eviction",
        title="社宅からの退去を求められた労働者の住まい探し",
        author="coordinator",
        state=CaseState.CHANGES_REQUESTED,
        fields=("housing", "labour-conditions"),
        prefecture=21,
        summary="退職に伴って社宅からの急な退去を求められた方の、住まい探しと退去時期の"
        "交渉を支えた。",
        situation="<p>工場で働いていた30代の男性が退職し、1週間で社宅を出るよう言われた。</p>",
        issues="<p>退去の時期について、雇用契約と社宅の規程の内容が本人に説明されていなかった。</p>",
        actions="<p>労働基準監督署に相談の仕方を確認し、退去時期の延長を求める手紙を一緒に作った。"
        "居住支援の団体と住まい探しを進めた。</p>",
        outcome="partly",
        outcome_text="<p>退去時期は3週間延びた。</p>",
        lessons="<p>社宅に住む方には、退職時の扱いを入社時に確認するよう伝える。</p>",
        age="30s",
        status="specified-skilled",
        stay="1-3",
        language="my",
        on=_at(2026, 11, 10),
        moderation_note="工場の業種と地域の組み合わせから職場が推測できるおそれがあります。"
        "業種をより一般的な表現にして、もう一度提出してください。",
    ),
    DemoCase(
        slug="missing-health-insurance-enrolment",
        title="国民健康保険に加入していなかった留学生の医療費の相談",
        author="coordinator2",
        state=CaseState.CHANGES_REQUESTED,
        fields=("medical-health", "social-insurance-pension"),
        prefecture=14,
        summary="国民健康保険に加入しないまま入院した留学生の、医療費の支払いと"
        "加入手続について相談を受けた。",
        situation="<p>留学生が急病で入院したが、国民健康保険に加入していなかった。</p>",
        issues="<p>入国時の加入手続を済ませていなかった。</p>",
        actions="<p>市の国民健康保険担当課で加入手続をした。</p>",
        outcome="partly",
        outcome_text="<p>分割での支払いになった。</p>",
        lessons="<p>入国時の案内を見直す。</p>",
        status="student",
        stay="under1",
        on=_at(2026, 11, 17),
        moderation_note="対応の経緯と、他の窓口の参考になる点をもう少し詳しく書いてください。",
    ),
    # Drafts -----------------------------------------------------------------------------------
    DemoCase(
        slug="care-service-for-a-single-older-resident",
        title="一人暮らしの高齢の方が介護サービスを使い始めるまで（下書き）",
        author="coordinator",
        state=CaseState.DRAFT,
        fields=("elderly-long-term-care",),
        prefecture=26,
        summary="一人暮らしの高齢の方が介護保険の申請をためらっていた事例。書きかけ。",
        situation="<p>70代の方が一人で暮らしており、買い物や通院が難しくなっていた。</p>",
        issues="<p>介護保険の仕組みと費用について不安があった。</p>",
        actions="<p>地域包括支援センターに相談の予約を入れた。</p>",
        outcome="ongoing",
        outcome_text="",
        lessons="<p>（これから書く）</p>",
        age="70plus",
        status="permanent",
        stay="10plus",
    ),
    DemoCase(
        slug="high-school-entrance-guidance",
        title="高校進学の説明会を多言語で開いた事例（下書き）",
        author="coordinator2",
        state=CaseState.DRAFT,
        case_type="regional",
        fields=("child-education",),
        prefecture=12,
        summary="外国につながる子どもと保護者向けに、高校進学の説明会を開いた。書きかけ。",
        situation="<p>高校進学の仕組みが保護者に伝わっておらず、進学をあきらめる例があった。</p>",
        issues="<p>入試の仕組みと費用の支援制度が知られていなかった。</p>",
        actions="<p>教育委員会とNPOと一緒に、多言語の説明会を準備している。</p>",
        outcome="ongoing",
        outcome_text="",
        lessons="<p>（これから書く）</p>",
    ),
    # Rejected ---------------------------------------------------------------------------------
    DemoCase(
        slug="general-question-about-visas",
        title="在留資格についての一般的な質問",
        author="coordinator",
        state=CaseState.REJECTED,
        fields=("residence-status",),
        prefecture=13,
        summary="在留資格について一般的な質問を受け、制度を説明した。",
        situation="<p>在留資格の種類について質問を受けた。</p>",
        issues="<p>制度が分かりにくい。</p>",
        actions="<p>パンフレットを渡して説明した。</p>",
        outcome="resolved",
        outcome_text="",
        lessons="<p>パンフレットが役に立つ。</p>",
        on=_at(2026, 10, 6),
        moderation_note="個別の支援の経過がなく、事例として共有する内容になっていません。"
        "制度の案内はお知らせの記事で扱います。",
    ),
)


# Building -----------------------------------------------------------------------------------


def _index() -> CaseIndexPage:
    index = CaseIndexPage.objects.first()
    if index is None:
        site = Site.objects.filter(is_default_site=True).first()
        home = (
            HomePage.objects.get(pk=site.root_page_id)
            if site
            else HomePage.objects.first() or Page.objects.get(depth=1)
        )
        index = home.add_child(
            instance=CaseIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, intro=INDEX_INTRO)
        )
        index.save_revision().publish()
    assign_case_moderation(index)
    return index


def _user(username: str) -> User:
    return (
        User.objects.filter(username=username).first()
        or User.objects.filter(username=FALLBACK_AUTHOR).first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )


def _partners_for(case: CaseStudyPage, field_slugs) -> list:
    from directory.selectors import live_partners

    return list(
        live_partners(prefecture=case.prefecture_id)
        .filter(fields__slug__in=field_slugs[:1])
        .order_by("slug")[:PARTNERS_PER_CASE]
    )


def _moderator() -> User | None:
    return User.objects.filter(username="moderator").first()


# Days the moderators took to decide, one after the other for the cases that have a decision.
REVIEW_DAYS = (4, 9, 2, 12, 6, 3, 15, 7, 5, 10, 8, 1, 11, 6, 3, 8)


def _record_decision(page, revision, author, moderator, *, status, started, finished, comment=""):
    """The moderators' past decision on a demo case, as the *Case moderation* workflow records
    it: a finished workflow with one finished task, at the dates of the story (the demo
    publishes and rejects its cases directly, without sending e-mails)."""
    workflow = page.get_parent().specific.get_workflow()
    task = CaseModerationTask.objects.first()
    if workflow is None or task is None:
        return
    state = WorkflowState.objects.create(
        content_type=page.get_content_type(),
        base_content_type=page.get_base_content_type(),
        object_id=str(page.pk),
        workflow=workflow,
        status=WorkflowState.STATUS_APPROVED
        if status == TaskState.STATUS_APPROVED
        else WorkflowState.STATUS_CANCELLED,
        requested_by=author,
    )
    task_state = TaskState.objects.create(
        workflow_state=state,
        revision=revision,
        task=task,
        status=status,
        finished_at=finished,
        finished_by=moderator,
        comment=comment,
    )
    TaskState.objects.filter(pk=task_state.pk).update(started_at=started)
    WorkflowState.objects.filter(pk=state.pk).update(created_at=started)


def _create(index: CaseIndexPage, spec: DemoCase, position: int = 0) -> tuple[CaseStudyPage, bool]:
    existing = CaseStudyPage.objects.child_of(index).filter(slug=spec.slug).first()
    if existing is not None:
        return existing.specific, False
    author = _user(spec.author)
    language = Language.objects.filter(code=spec.language).first() if spec.language else None
    page = CaseStudyPage(
        title=spec.title,
        slug=spec.slug,
        live=False,
        author=author,
        case_type=spec.case_type,
        prefecture=Prefecture.objects.get(number=spec.prefecture),
        summary=spec.summary,
        situation=spec.situation,
        issues=spec.issues,
        actions=spec.actions,
        partners_note=spec.partners_note,
        outcome=spec.outcome,
        outcome_text=spec.outcome_text,
        lessons=spec.lessons,
        client_age_band=spec.age,
        client_status=spec.status,
        client_stay_band=spec.stay,
        client_language=language,
        stakeholders=spec.stakeholders,
        measures=spec.measures,
        government_feedback=spec.government_feedback,
        attribution=spec.attribution,
        client_consent=True,
        **spec.extra,
    )
    index.add_child(instance=page)
    page.fields.set(Field.objects.filter(slug__in=spec.fields))
    if spec.state == CaseState.PUBLISHED:
        page.partners.set(_partners_for(page, spec.fields))
    page.save()
    revision = page.save_revision(user=author)
    moderator = _moderator()
    updates: dict = {"state": spec.state, "moderation_note": spec.moderation_note}
    review = datetime.timedelta(days=REVIEW_DAYS[position % len(REVIEW_DAYS)])
    submitted = None
    if spec.state != CaseState.DRAFT and spec.on is not None:
        # A published case was decided on its publication date; the others were sent a week
        # before the date of their story.
        published = spec.state == CaseState.PUBLISHED
        submitted = spec.on - review if published else spec.on - datetime.timedelta(days=7)
        updates["submitted_at"] = submitted
    if spec.state == CaseState.PUBLISHED:
        revision.publish(user=moderator)
        updates.update(first_published_at=spec.on, last_published_at=spec.on)
        if submitted is not None:
            _record_decision(
                page,
                revision,
                author,
                moderator,
                status=TaskState.STATUS_APPROVED,
                started=submitted,
                finished=spec.on,
            )
    elif spec.state in (CaseState.IN_REVIEW, CaseState.CHANGES_REQUESTED):
        workflow_state = index.get_workflow().start(page, author)
        task_state = workflow_state.current_task_state
        if spec.state == CaseState.CHANGES_REQUESTED:
            task_state.reject(user=moderator, comment=spec.moderation_note)
        if submitted is not None:
            decided = (
                min(submitted + review, timezone.now())
                if spec.state == CaseState.CHANGES_REQUESTED
                else None
            )
            times = {"started_at": submitted}
            if decided is not None:
                times["finished_at"] = decided
            TaskState.objects.filter(pk=task_state.pk).update(**times)
    elif spec.state == CaseState.REJECTED and submitted is not None:
        _record_decision(
            page,
            revision,
            author,
            moderator,
            status=TaskState.STATUS_CANCELLED,
            started=submitted,
            finished=min(submitted + review, timezone.now()),
            comment=spec.moderation_note,
        )
    CaseStudyPage.objects.filter(pk=page.pk).update(**updates)
    return CaseStudyPage.objects.get(pk=page.pk), True


def seed(stdout=None) -> list[CaseStudyPage]:
    with transaction.atomic():
        index = _index()
        made = [_create(index, spec, position) for position, spec in enumerate(CASES)]
    if stdout is not None:
        created = sum(1 for _, new in made if new)
        published = sum(1 for spec in CASES if spec.state == CaseState.PUBLISHED)
        stdout.write(f"  cases: {len(made)} case studies ({published} published, {created} new)")
    return [case for case, _ in made]
