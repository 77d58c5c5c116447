"""Anonymisation assistant for case studies.

Coordinators write consultation cases in Japanese or English. Before a case is
published, :func:`scan` looks for personal data that would let a reader
re-identify the person concerned:

* direct identifiers - personal names (with honorifics, in "氏名：…" fields,
  after titles such as "Mr." or in phrases such as "my client, Maria Santos"),
  phone numbers, e-mail addresses, postal codes, street addresses, residence
  card numbers, My Number (individual number), passport numbers and exact
  dates of birth;
* indirect identifiers - exact ages and named employers, schools and
  hospitals;
* quasi-identifiers - a nationality, a municipality and a rare language in the
  same text. Each is allowed on its own, but together they can point to a
  handful of people, so a single *warning* suggests coarsening one of them.

The case template deliberately allows coarse terms (age bands such as 30代,
a prefecture, status-of-residence categories, lengths of stay, languages,
generic public bodies such as ハローワーク or 市役所, dates that are not birth
dates) and placeholders (Aさん, X社, 〇〇市). The patterns below are written so
that these stay unflagged.

The detector is pure Python (``re`` and ``unicodedata``). Full-width digits,
letters and hyphens are folded to ASCII on a copy of the text with a
character-by-character mapping that keeps the length unchanged, so every
offset found on the copy is also an offset into the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

HIGH = "high"
WARNING = "warning"

KIND_LABELS = {
    "name": _("Personal name"),
    "phone": _("Phone number"),
    "email": _("E-mail address"),
    "postal_code": _("Postal code"),
    "address": _("Street address"),
    "residence_card": _("Residence card number"),
    "my_number": _("My Number (individual number)"),
    "passport": _("Passport number"),
    "birth_date": _("Date of birth"),
    "age": _("Exact age"),
    "organisation": _("Named employer, school or hospital"),
    "quasi_identifier": _("Rare combination of nationality, municipality and language"),
}

QUASI_SUGGESTION = _(
    "Coarsen one of these details: use a region or prefecture instead of the "
    "municipality, or leave out the language or nationality."
)

DIRECT_IDENTIFIERS = frozenset(
    {
        "name",
        "phone",
        "email",
        "postal_code",
        "address",
        "residence_card",
        "my_number",
        "passport",
        "birth_date",
    }
)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    severity: str
    suggestion: str


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

# Look-alike hyphens and dashes used between digits in Japanese text.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d"


def _normalise(text: str) -> str:
    """Fold full-width forms to ASCII one character at a time (length-preserving)."""
    out = []
    for char in text:
        if char in _DASHES:
            out.append("-")
            continue
        folded = unicodedata.normalize("NFKC", char)
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def _compile(pattern: str, flags: int = 0) -> re.Pattern:
    # ASCII semantics for \b, \w, \d and \s: Japanese characters are not "word"
    # characters, so "電話090-…" and "はAB12…" still have a boundary before the digits.
    return re.compile(pattern, flags | re.ASCII)


def _words(text: str, sep: str | None = None) -> list[str]:
    return [word.strip() for word in text.split(sep) if word.strip()]


def _is_cjk(text: str) -> bool:
    return any("\u3040" <= c <= "\u9fff" for c in text)


# Character classes on the normalised text.
KANJI = "\u4e00-\u9fff々"
KATAKANA = "\u30a1-\u30fa\u30fc"
HIRAGANA = "\u3041-\u3096"

# --------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------

SURNAMES_JA = set(
    _words(
        """
    佐藤 鈴木 高橋 田中 伊藤 渡辺 渡邊 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上
    木村 林 斎藤 斉藤 清水 山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川
    藤田 後藤 近藤 村上 遠藤 青木 坂本 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦
    原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田 上田 原 柴田 酒井 工藤 横山 宮崎 宮本
    内田 高木 安藤 島田 谷口 大野 高田 丸山 今井 河野 藤本 村田 武田 上野 杉山 増田 小山
    大塚 平野 菅原 久保 松井 千葉 岩崎 桜井 木下 野口 松尾 菊地 野村 新井 渡部 佐野 杉本
    古川 小島 市川 水野 桑原 大西 小松 五十嵐 北村 安田 中田 川口 辻 本田 久保田 吉川 飯田
    関 服部 東 荒木 永井 浅野 大久保 菅野 宮田 松下 川上 西田 小池 星野 神崎 熊谷 望月
    松浦 岩田 中西 北川 大橋 吉村 岡 堀 今村 平田 小西 西川 福島 浜田 片山 坂口 秋山 本間
    吉岡 川村 田口 小田 沢田 石原 宮川 堤 野田 尾崎 大川 松岡 黒田 奥村 永田 川崎 青山 小沢
    早川 高野 長田 荒井 松村 白石 細川 小宮 矢野 若林 水谷 樋口 篠原 大谷 野崎 上原 中谷
    """
    )
)

SURNAMES_ROMAJI = {
    "Sato", "Suzuki", "Takahashi", "Tanaka", "Ito", "Watanabe", "Yamamoto", "Nakamura",
    "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue",
    "Kimura", "Hayashi", "Saito", "Shimizu", "Yamazaki", "Mori", "Ikeda", "Hashimoto", "Abe",
    "Ishikawa", "Yamashita", "Nakajima", "Ishii", "Ogawa", "Maeda", "Okada", "Hasegawa",
    "Fujita", "Goto", "Kondo", "Murakami", "Endo", "Aoki", "Sakamoto", "Fukuda", "Ota",
    "Nishimura", "Fujii", "Kaneko", "Okamoto", "Fujiwara", "Nakano", "Miura", "Harada",
    "Nakagawa", "Matsuda", "Takeuchi", "Ono", "Tamura", "Nakayama", "Wada", "Ishida",
    "Morita", "Ueda", "Shibata", "Sakai", "Kudo", "Yokoyama", "Miyazaki", "Miyamoto",
    "Uchida", "Takagi", "Ando", "Shimada", "Taniguchi", "Takada", "Maruyama", "Imai",
}  # fmt: skip

FIRST_NAMES = {
    # Japanese given names (romaji)
    "Hiroshi", "Takashi", "Kenji", "Yuki", "Yuko", "Keiko", "Akiko", "Naoko", "Kenta",
    "Taro", "Hanako", "Haruto", "Yui", "Sakura", "Aya", "Emi", "Daisuke", "Shota",
    # Common first names of foreign residents and English writing
    "Maria", "Ana", "Anna", "Rosa", "Jose", "Juan", "Carlos", "Pedro", "Luis", "Paulo",
    "John", "James", "Michael", "David", "Robert", "Mary", "Sarah", "Emma", "Linda",
    "Ahmed", "Mohammed", "Muhammad", "Ali", "Fatima", "Aisha", "Omar", "Hassan",
    "Nguyen", "Tran", "Minh", "Lan", "Linh", "Hoa", "Thanh", "Ram", "Sita", "Bikash",
    "Rajesh", "Priya", "Siti", "Dewi", "Agus", "Putri", "Wei", "Li", "Mei", "Jin",
    "Ji-woo", "Min-jun", "Bat", "Tuya", "Joseph", "Grace", "Mark", "Angel", "Jenny",
}  # fmt: skip

# Role nouns that take さん/様 but are not names (大家さん, 担当者様 ...).
ROLE_WORDS = set(
    _words(
        """
    担当者 担当 相談者 利用者 社長 店長 部長 課長 係長 班長 主任 所長 工場長 会長 校長 園長 院長
    大家 家主 患者 職員 通訳 通訳者 先輩 後輩 上司 同僚 旦那 奥 家族 本人 看護師 医師 医者
    弁護士 行政書士 社労士 司法書士 先生 学生 生徒 実習生 研修生 留学生 主治医 担任 隣人
    管理人 保証人 監督 事務員 受付 神 皆 皆様 各位 住人 大工 運転手 警察 役所 市長 町長 村長
    知事 議員 組合員 社員 会員 顧客 客 御中 関係者 支援者 相談員 支援員 講師 指導員
    """
    )
)

KATAKANA_ROLE_WORDS = {
    "パート", "ヘルパー", "バイト", "アルバイト", "スタッフ", "ママ", "パパ", "ドライバー",
    "ケアマネ", "ボランティア", "オーナー", "マネージャー", "リーダー", "コーディネーター",
    "ママさん", "サポーター", "ガイド", "ホスト", "メンバー", "お客",
}  # fmt: skip

# Katakana words that are not personal names even when joined by ・ or after 妻の/勤務先の.
KATAKANA_STOP = KATAKANA_ROLE_WORDS | set(
    _words(
        """
    ハローワーク ワンストップ サービス センター サポート ステーション ネットワーク プログラム
    システム オンライン コンビニ スーパー ホテル レストラン クリニック ケア ホーム グループ
    グループホーム ハウス シェアハウス マンション アパート ビザ カード マイナンバー テスト ケース
    ワーカー ケースワーカー ソーシャル ソーシャルワーカー ファミリー フード バンク フードバンク
    ライン メール チャット ビデオ ニュース テレビ ラジオ カフェ ショップ ストア ビル タワー
    セミナー イベント ワークショップ インターン トレーニング コミュニティ ユニオン エージェント
    ブローカー シェルター ベビーシッター ホームヘルパー アドバイザー カウンセラー カウンセリング
    ドクター ナース タクシー バス トラック フォークリフト ライセンス パスポート ポイント サイト
    アプリ スマホ パソコン インターネット ホームページ ウェブ ニューヨーク ロンドン マニラ
    ホーチミン ハノイ カトマンズ ダッカ ヤンゴン サンパウロ リマ ジャカルタ バンコク ソウル
    コロンボ ペキン シャンハイ アジア アフリカ ヨーロッパ アメリカ イギリス フランス ドイツ
    スペイン ポルトガル イタリア カナダ オーストラリア タガログ ビサヤ ネパール ベンガル
    ハラール ムスリム イスラム キリスト カトリック プロテスタント ヒンドゥー ラマダン
    コロナ ワクチン ウイルス インフルエンザ リストラ ハラスメント パワハラ セクハラ モラハラ
    ストレス トラブル ルール マニュアル チェック リスト フォーム データ ファイル メモ ノート
    ボーナス ローン クレジット キャッシュ カフェテリア キッチン トイレ シャワー ベッド ルーム
    アルバイト先 パート先 ダブルワーク シフト オーバーステイ ビジネス マネジメント
    """
    )
)

COUNTRIES_JA = _words(
    "ベトナム フィリピン ネパール スリランカ ミャンマー バングラデシュ パキスタン アフガニスタン "
    "エリトリア エチオピア ブラジル ペルー ボリビア コロンビア 中国 韓国 インドネシア タイ "
    "カンボジア ラオス モンゴル インド トルコ イラン シリア ウガンダ ナイジェリア ガーナ "
    "ウズベキスタン キルギス カメルーン コンゴ スーダン イエメン ロシア ウクライナ ケニア ソマリア"
)
COUNTRIES_EN = _words(
    "Vietnam, Vietnamese, Philippines, Filipino, Filipina, Nepal, Nepali, Nepalese, Sri Lanka, "
    "Sri Lankan, Myanmar, Burmese, Bangladesh, Bangladeshi, Pakistan, Pakistani, Afghanistan, "
    "Afghan, Eritrea, Eritrean, Ethiopia, Ethiopian, Brazil, Brazilian, Peru, Peruvian, Bolivia, "
    "Bolivian, Colombian, China, Chinese, Korea, Korean, Indonesia, Indonesian, Thailand, Thai, "
    "Cambodia, Cambodian, Laos, Laotian, Mongolia, Mongolian, India, Indian, Turkey, Turkish, "
    "Kurdish, Iran, Iranian, Syria, Syrian, Uganda, Ugandan, Nigeria, Nigerian, Ghana, Ghanaian, "
    "Uzbek, Cameroonian, Congolese, Sudanese, Yemeni, Russian, Ukrainian, Rohingya, Kenya, "
    "Kenyan, Somalia, Somali",
    ",",
)
# Nationalities so rare in Japan that, with a named small municipality, they point to a
# handful of people even without a rare language.
RARE_COUNTRIES_JA = _words(
    "ブータン マダガスカル トンガ マーシャル諸島 キリバス エリトリア キルギス タジキスタン "
    "モーリタニア スリナム フィジー サモア ツバル パラオ ナウル バヌアツ ソロモン諸島 "
    "ミクロネシア 東ティモール モルディブ コモロ ジブチ ブルンジ ルワンダ マラウイ "
    "シエラレオネ リベリア ガンビア ギニア トーゴ ベナン ニジェール 南スーダン レソト "
    "エスワティニ ボツワナ ナミビア モザンビーク ザンビア ジンバブエ アンゴラ ガボン "
    "カーボベルデ セーシェル モーリシャス トルクメニスタン アゼルバイジャン アルメニア モルドバ "
    "ベリーズ ガイアナ ハイチ ニカラグア ホンジュラス パプアニューギニア ブルネイ ソマリア"
)
RARE_COUNTRIES_EN = _words(
    "Bhutan, Bhutanese, Madagascar, Malagasy, Tonga, Tongan, Marshall Islands, Marshallese, "
    "Kiribati, I-Kiribati, Eritrea, Eritrean, Kyrgyzstan, Kyrgyz, Tajikistan, Tajik, "
    "Mauritania, Mauritanian, Suriname, Surinamese, Fiji, Fijian, Samoa, Samoan, Tuvalu, "
    "Tuvaluan, Palau, Palauan, Nauru, Nauruan, Vanuatu, Ni-Vanuatu, Solomon Islands, "
    "Solomon Islander, Micronesia, Micronesian, Timor-Leste, East Timor, East Timorese, "
    "Timorese, Maldives, Maldivian, Comoros, Comorian, Djibouti, Djiboutian, Burundi, "
    "Burundian, Rwanda, Rwandan, Malawi, Malawian, Sierra Leone, Sierra Leonean, Liberia, "
    "Liberian, Gambia, Gambian, Guinea, Guinean, Togo, Togolese, Benin, Beninese, Nigerien, "
    "South Sudan, South Sudanese, Lesotho, Basotho, Eswatini, Swazi, Botswana, Motswana, "
    "Namibia, Namibian, Mozambique, Mozambican, Zambia, Zambian, Zimbabwe, Zimbabwean, "
    "Angola, Angolan, Gabon, Gabonese, Cape Verde, Cape Verdean, Seychelles, Seychellois, "
    "Mauritius, Mauritian, Turkmenistan, Turkmen, Azerbaijan, Azerbaijani, Armenia, Armenian, "
    "Moldova, Moldovan, Belize, Belizean, Guyana, Guyanese, Haiti, Haitian, Nicaragua, "
    "Nicaraguan, Honduras, Honduran, Papua New Guinea, Papua New Guinean, Brunei, Somalia, "
    "Somali, Tajikistani, Kyrgyzstani",
    ",",
)
COUNTRIES_JA = COUNTRIES_JA + RARE_COUNTRIES_JA
COUNTRIES_EN = COUNTRIES_EN + RARE_COUNTRIES_EN
RARE_LANGUAGES_JA = _words(
    "シンハラ マイティリ ティグリニャ チン ダリー パシュトー ウルドゥー ベンガル アムハラ "
    "クメール ラオ ウイグル ロヒンギャ カレン カチン タミル テルグ スワヒリ ヨルバ ペルシャ "
    "クルド ケチュア アイマラ テトゥン ブリヤート シレット オロモ ソマリ ハウサ キクユ"
)
RARE_LANGUAGES_EN = _words(
    "Sinhala Sinhalese Maithili Tigrinya Chin Dari Pashto Urdu Bengali Sylheti Amharic Khmer "
    "Uyghur Rohingya Karen Kachin Tamil Telugu Swahili Yoruba Farsi Persian Kurmanji Sorani "
    "Quechua Aymara Tetum Buryat Oromo Somali Hausa Kikuyu"
)

# --------------------------------------------------------------------------
# Patterns (all applied to the normalised text)
# --------------------------------------------------------------------------

EMAIL_RE = _compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

# "-" after folding; the katakana long vowel "ー" is also typed between digits.
_SEP = "[-\u30fc]"
PHONE_RE = _compile(
    r"(?<![\w+\-\u30fc.,])(?:"
    r"\+81[ -]?\(?0?\)?\d{1,4}[ -]?\d{1,4}[ -]?\d{3,4}"
    rf"|\(0\d{{1,4}}\) ?\d{{1,4}}(?:{_SEP}| )?\d{{3,4}}"
    rf"|0120{_SEP}?\d{{3}}{_SEP}?\d{{3}}"
    rf"|0\d{{1,4}}{_SEP}\d{{1,4}}{_SEP}\d{{3,4}}"
    r"|0\d{1,4} \d{1,4} \d{3,4}"
    rf"|0[5789]0(?:{_SEP}| )?\d{{4}}(?:{_SEP}| )?\d{{4}}"
    r")(?![\w\-\u30fc]|[.,]\d| \d)"
)

POSTAL_MARK_RE = _compile(r"〒 ?\d{3}-?\d{4}(?!\d)")
POSTAL_BARE_RE = _compile(r"(?<![\d-])\d{3}-\d{4}(?![\d-])")
POSTAL_CONTEXT_RE = _compile(
    r"(?:郵便番号|住所|所在地|送付先|postcode|post code|postal|zip|address|"
    r"都|道|府|県|市|区|町|村|-ku|-shi|-cho|-machi|Tokyo|Osaka|Nagoya|Kyoto|Sapporo|"
    r"Fukuoka|Yokohama|Kobe|Sendai|Hiroshima|Prefecture)[^\n]{0,25}$",
    re.IGNORECASE,
)

RESIDENCE_CARD_RE = _compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}(?:\d{8}| \d{8} |-\d{8}-)[A-Z]{2}(?![A-Za-z0-9])"
)

MY_NUMBER_RE = _compile(r"(?<![\d-])(?:\d{12}|\d{4}( |-)\d{4}\1\d{4})(?![\d-])")

PASSPORT_RE = _compile(r"(?<![A-Za-z0-9])([A-Z]{1,2})\d{7}([A-Z]?)(?![A-Za-z0-9])")
PASSPORT_CONTEXT_RE = _compile(r"(?:passport|旅券|パスポート)[^\n]{0,30}$", re.IGNORECASE)

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_KNUM = "[〇一二三四五六七八九十]"
DATE_RE = _compile(
    r"(?:(?:\d{4}|(?:昭和|平成|令和)(?:\d{1,2}|元))年 ?\d{1,2}月 ?\d{1,2}日"
    rf"|(?:[〇一二三四五六七八九]{{4}}|(?:大正|昭和|平成|令和)(?:{_KNUM}{{1,3}}|元|\d{{1,2}}))"
    rf"年 ?(?:{_KNUM}{{1,3}}|\d{{1,2}})月 ?(?:{_KNUM}{{1,3}}|\d{{1,2}})日"
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)? " + _MONTHS + r",? \d{4}"
    r"|" + _MONTHS + r" \d{1,2}(?:st|nd|rd|th)?,? \d{4})"
)
BIRTH_BEFORE_RE = _compile(
    r"(?:生年月日|誕生日|出生日|born(?: on| in)?|DOB|D\.O\.B\.|date of birth|birth ?date|"
    r"birthday)[^\n。.;]{0,12}$",
    re.IGNORECASE,
)
BIRTH_AFTER_RE = _compile(r"^ ?(?:生まれ|生|出生|誕生)")

_AGE_JA_NOT_AFTER = (
    r"(?!代|以上|以下|未満|前後|くらい|ぐらい|位|頃|台|から|まで|超|程度|前|ごろ|時)"
)
AGE_JA_RE = _compile(
    r"(?<![\d.])\d{1,3} ?歳"
    + _AGE_JA_NOT_AFTER
    + r"|(?<![〇一二三四五六七八九十百何数])(?:[一二三四五六七八九]?十[一二三四五六七八九]?"
    r"|百[一二三四五六七八九十]*|[一二三四五六七八九])歳" + _AGE_JA_NOT_AFTER
)
_NUM_WORDS = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
AGE_EN_WORDS_RE = _compile(
    r"\b(?:" + _NUM_WORDS + r"-year-old|" + _NUM_WORDS + r" years? old"
    r"|\d{1,3} ?(?:y/o|y\.o\.|yo\b|yrs?\.? old)"
    r"|(?<=[,(] )\d{1,3} ?yrs?\b\.?|(?<=[,(])\d{1,3} ?yrs?\b\.?)",
    re.IGNORECASE,
)
AGE_EN_RE = _compile(
    r"\b(?:\d{1,3}-year-old"
    r"|\d{1,3} years? old"
    r"|aged \d{1,3}(?!\+| (?:and|or) (?:over|above|older|under|up|younger))"
    r"|age:? \d{1,3}(?!\+| (?:and|or) (?:over|above|older|under|up|younger)))\b",
    re.IGNORECASE,
)

# Japanese organisation: a company form before the name ...
ORG_PREFIX_RE = _compile(
    r"(?:株式会社|有限会社|合同会社|合資会社|\(株\)|\(有\))"
    rf"(?:[{HIRAGANA}]{{2,6}}(?<![はがをにでのともへやかなだ])(?=[{KANJI}{KATAKANA}]))?"
    rf"[{KANJI}{KATAKANA}A-Za-z0-9&・]{{1,15}}"
)
# A katakana or romaji business name after "the workplace is ...".
WORKPLACE_ORG_RE = _compile(
    r"(?:勤務先|勤め先|雇用主|派遣先|就労先|実習先|受入れ先|受け入れ先|受入先|職場|アルバイト先|パート先)"
    rf"(?:の|は|が|で|:|：)\s*([{KATAKANA}A-Za-z&・]{{2,20}})(?![{KATAKANA}A-Za-z])"
)
# ... or a name before a suffix that marks a company, school or hospital.
ORG_SUFFIXES = _words(
    "株式会社 有限会社 (株) 病院 クリニック 医院 診療所 小学校 中学校 高等学校 高校 大学 "
    "工業 製作所 建設 食品 商事 物産 自動車 精密 電機 電子 水産 運輸 物流 保育園 幼稚園 学園 "
    "協同組合 事業協同組合 農園 縫製 学院 専門学校 日本語教室 日本語学院 工務店 商店 興業 技研 "
    "製菓 商会 農場"
)
ORG_SUFFIX_RE = _compile("|".join(re.escape(s) for s in sorted(ORG_SUFFIXES, key=len)[::-1]))
# Characters that may form an organisation name before its suffix.
ORG_NAME_CHAR_RE = _compile(rf"[{KANJI}{KATAKANA}{HIRAGANA}A-Za-z0-9&・]")
# Particles and verb endings that mark where a kana company name cannot extend.
ORG_STOP_HIRAGANA = set("はがをにでのともへやなるたいうえけてしれだずば")
GENERIC_ORG_STEMS = {
    "総合", "大学", "市立", "県立", "国立", "私立", "公立", "都立", "府立", "町立", "村立",
    "地元", "近く", "同", "当", "各", "別", "他", "大", "小", "新", "前", "元", "附属", "付属",
    "専門", "系列", "大きな", "近所", "地域", "大手", "中小", "下請け", "下請", "自", "某",
    "精神科", "歯科", "動物", "短期", "夜間", "定時制", "通信制", "公立の", "大学附属",
    "今年", "来年", "昨年", "去年", "今春", "来春", "翌年", "当時", "現在", "将来", "地方",
    "日本語", "調理", "介護", "看護", "福祉", "美容", "理容", "製菓", "語学", "ビジネス", "情報",
    "医療", "IT", "ボランティア", "無料", "公民館", "オンライン", "市民", "町内",
    "個人", "家族", "近くの", "小さな", "同じ", "別の", "短大", "専修", "職業", "工業",
    "農業", "建設", "観光", "外食", "製造", "関連",
}  # fmt: skip
PLACEHOLDER_RE = _compile(r"^[〇○◯●×A-ZＡ-Ｚ]+$")

ORG_EN_RE = _compile(
    r"\b(?:[A-Z][A-Za-z&'-]+ ){1,4}"
    r"(?:Co\., ?Ltd\.?|Co\. Ltd\.?|Ltd\.?|Inc\.?|Corporation|Corp\.?|K\.K\.|Kogyo|Seisakusho|"
    r"Hospital|Clinic|Elementary School|Primary School|Junior High School|High School|"
    r"University|Foods|Industries|Industry|Logistics|Steel|Motors|Electric|Construction|"
    r"Kitchen|Services|Parts|Farms?|Academy|Trading|Bakery|Restaurant|Dental|Nursery|"
    r"Language School|Institute|Engineering|Manufacturing|Transport|Apparel|Textiles?)"
    r"(?![A-Za-z])"
)
ORG_EN_STOP_FIRST = {
    "The", "A", "An", "This", "That", "Our", "Her", "His", "Their", "My", "Local",
    "Japanese", "General", "Public", "Private", "Municipal", "Prefectural", "City", "National",
    "At", "In", "From", "To", "For", "With", "By", "Of", "And", "Or", "She", "He", "They", "We",
    "Its", "Some", "Many", "Several", "Another", "Each", "Every", "Both",
}  # fmt: skip
# Generic words: an English "organisation" made only of these is not a named one.
ORG_EN_GENERIC = {
    "Social", "Immigration", "Legal", "Health", "Welfare", "Employment", "Support", "Family",
    "Child", "Children", "Community", "Medical", "Language", "Emergency", "Consular", "Public",
    "Regional", "Bureau", "Services", "Service", "Care", "Nursing", "Dental", "Mental",
    "Counselling", "Counseling", "Labour", "Labor", "Standards", "Agency", "Foreign",
    "Residents", "Resident", "Government", "Japan", "Japanese", "English", "International",
    "Agricultural", "Food", "Auto", "Car", "Customer", "Financial", "Housing", "Job",
    "Training", "Technical", "Vocational", "Night", "Cooking", "Culinary", "Business",
    "Online", "Volunteer", "Free", "Hospital", "Clinic", "University", "Academy", "Kitchen",
    "Parts", "Farm", "Farms", "Elementary", "Primary", "High", "Junior", "School", "Schools",
    "Hello", "Work", "Central", "Municipal", "City", "Prefectural", "Ward", "Town", "Village",
    "Local", "General", "Private", "Tokyo", "Osaka", "Nagoya", "Pediatric",
    "District",
}  # fmt: skip

HONORIFIC_RE = _compile(r"さん|さま|様|氏|くん|君|ちゃん|先生")
TITLE_AFTER_SURNAME_RE = _compile(r"部長|課長|社長|係長|班長|主任|所長|店長|先生|医師")
NAME_FIELD_RE = _compile(
    rf"(?:氏名|名前|本名|お名前|フルネーム)\s*(?:[:：]|は)\s*"
    rf"([{KANJI}]{{2,5}}|[{KATAKANA}・]{{2,25}}|[A-Z][a-z]+(?: [A-Z][a-z]+){{1,2}})"
)
EN_TITLE_RE = _compile(
    r"\b(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.? +([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)(?![A-Za-z])"
)
EN_NAMED_RE = _compile(
    r"\b(?:named|called|name is|name was|Name:)\s+([A-Z][a-z]+(?: [A-Z][a-z]+){0,2})"
)
EN_RELATION_RE = _compile(
    r"\b(?:client|colleague|friend|wife|husband|son|daughter|mother|father|interpreter|"
    r"employer|manager|supervisor|teacher|neighbour|neighbor|landlord|partner|sister|"
    r"brother|coworker|co-worker|translator|boss|lawyer|doctor|applicant)"
    r",? +([A-Z][a-z]+ [A-Z][a-z]+(?: [A-Z][a-z]+)?)"
)
EN_FULLNAME_RE = _compile(r"\b([A-Z][a-z]+(?:-[a-z]+)?) ([A-Z][a-z]+)\b")

# Katakana name of 2-4 parts joined by ・, ＝ (folded to =) or a space.
_KATA_NAME = rf"[{KATAKANA}]{{2,12}}(?:[・= ][{KATAKANA}]{{2,12}}){{0,3}}"
KATA_JOINED_RE = _compile(
    rf"(?<![{KATAKANA}・=])[{KATAKANA}]{{2,12}}(?:・[{KATAKANA}]{{2,12}}){{1,3}}(?![{KATAKANA}・])"
)
# Relatives, parties and name fields that introduce a person's name.
_PERSON_CONTEXT = (
    r"(?:相談者|依頼者|申立人|申請人|本人|妻|夫|長男|長女|次男|次女|三男|三女|息子|娘|母親|父親|"
    r"母|父|兄|姉|弟|妹|祖母|祖父|配偶者|婚約者|交際相手|友人|知人|同僚|上司|通訳者?|相手方|"
    r"氏名|名前|本名|利用者|被害者|子ども|子供)"
)
KATA_CONTEXT_RE = _compile(
    _PERSON_CONTEXT + rf"\s*(?:の|は|が|:|：|、)\s*({_KATA_NAME})"
    rf"(?=さん|氏|は|が|を|に|と|も|の|、|,|。|\(|（|\s|$)"
)
KATA_PAREN_AGE_RE = _compile(
    rf"\(({_KATA_NAME})[、,] ?(?:\d{{1,3}}|[一二三四五六七八九十]{{1,3}})歳"
)
# A kanji surname from the list and a given name, optionally separated by a space.
_JA_ROLE_CONTEXT = (
    r"(?:相談員|支援員|社長|店長|担当者?|ケースワーカー|ワーカー|父親|母親|弁護士|通訳者?|"
    r"行政書士|社労士|司法書士|上司|工場長|課長|部長|班長|主任|所長|先生|医師|看護師|職員|"
    r"大家|管理人|保証人|雇用主|夫|妻|父|母|兄|姉|弟|妹|息子|娘|友人|知人|同僚|相談者|本人|"
    r"氏名|名前|申立人|依頼者|講師|指導員|監督|理事長|代表|代表者|院長|校長)"
)
JA_ROLE_NAME_RE = _compile(
    _JA_ROLE_CONTEXT + rf"(?:の|は|が|:|：|、| )?\s?([{KANJI}]{{1,3}}) ?([{KANJI}]{{0,3}})"
)
JA_SPACED_NAME_RE = _compile(
    rf"(?<![{KANJI}])([{KANJI}]{{1,3}})[ \u3000]([{KANJI}]{{1,3}})(?![{KANJI}])"
)
JA_NAME_BEFORE_DETAIL_RE = _compile(
    rf"(?<![{KANJI}])([{KANJI}]{{1,3}})([{KANJI}]{{1,3}})(?=\(|（|\s*(?:Tel|TEL|tel|電話|携帯|090|080|070))"
)
# Kanji that end place names, organisations and common nouns rather than given names.
_NOT_GIVEN_NAME_END = set(
    "区市町村県都府道郡駅線店社課署局所校院園会館場部室係庁省協組団業品産科港島橋寺宮川山"
    "語人国年月日時分円歳代名様氏君的性化者員長中内外前後上下等"
)
HIRAGANA_NICKNAME_RE = _compile(rf"([{HIRAGANA}]{{2,6}})(?:くん|ちゃん)")
HIRAGANA_NICKNAME_STOP = {
    "おばあ", "おじい", "おねえ", "おにい", "おかあ", "おとう", "あか", "ばあ", "じい", "ねえ",
    "にい", "かあ", "とう", "みな", "おば", "おじ", "おねえさん", "ぼっ", "お嬢", "おじょう",
    "ママ", "ぱぱ", "まま", "おちび", "ちび", "あかちゃん", "おかみ", "おぼっ",
}  # fmt: skip

# English names introduced by context; the capitalised words must not be common nouns.
EN_CONTEXT_NAME_RE = _compile(
    r"\b(?:is|was|named|called|caseworker|case worker|interpreter|translator|accompanied|"
    r"accompanied by|with (?:her|his|their) (?:friend|cousin|sister|brother|partner|neighbou?r)|"
    r"met|visited|introduced|contacted|joined by|by|and|counsellor|counselor|advisor|adviser|"
    r"social worker|volunteer|officer|lawyer|attorney|nurse|teacher|supervisor|manager|"
    r"employer|landlord|owner|student|trainee|worker|client),? +"
    r"([A-Z][a-z]+(?:-[A-Z]?[a-z]+)? [A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)\b(?! [A-Z][a-z])"
)
EN_SINGLE_NAME_RE = _compile(
    r"\b(?:accompanied by|accompanied|(?:[Hh]er|[Hh]is|[Tt]heir) (?:daughter|son|wife|husband|"
    r"partner|sister|brother|mother|father|friend|child|baby|niece|nephew|cousin)),? +"
    r"([A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)\b(?![ -][A-Z])"
)
_EN_MONTHS_DAYS = _words(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)
EN_NAME_STOP = (
    set(_EN_MONTHS_DAYS)
    | set(
        _words(
            """
    The A An This That These Those Our Her His Their My Your Its We They She He It I You
    Mr Ms Mrs Miss Mx Dr Sir Madam Client Clients Case Status Residence Card Caseworker
    Interpreter Translator Lawyer Officer Teacher Manager Supervisor Director Chief Head
    Japanese English Immigration Services Service Bureau Agency Hello Work City Hall Office
    Centre Center Labour Labor Standards Inspection Ward Prefecture Station Hospital Clinic
    School University Company College Academy Kitchen Foods Farm Parts Motors Logistics Ltd
    Inc Corporation Specified Skilled Worker Workers Technical Intern Internship Training
    Trainee Permanent Resident Residents Long Term Spouse Designated Activities Student
    Engineer Specialist Humanities International Visa Social Welfare Public Legal Aid
    Support Association Foundation Network Union Church Temple Mosque Embassy Consulate
    Ministry Justice Health Police Court Family Regional National Municipal Prefectural
    Government Japan Tokyo Osaka Nagoya Kyoto Kobe Yokohama Sapporo Fukuoka Sendai Hiroshima
    Aichi Gifu Gunma Shizuoka Saitama Chiba Kanagawa Ibaraki Tochigi Mie Nagano Hokkaido
    Okinawa Hamamatsu Toyota Station North South East West New Old Central Northern Southern
    Eastern Western Mount Lake River Island Islands Street Road Avenue Line Airport Narita
    Haneda Kansai Kanto Tohoku Kyushu Shikoku Chubu Kinki Asia Africa Europe America
    Christmas Easter Ramadan Eid New Year Golden Week Obon Covid Coronavirus Line Facebook
    Google Zoom WhatsApp Messenger Instagram Twitter Yes No Not None Also However Then After
    Before When While Because Since Although Later Today Tomorrow Yesterday Next Last First
    Second Third Monday Spanish Portuguese Tagalog Vietnamese Nepali Chinese Korean Thai
    Indonesian Burmese Sinhala Bengali Urdu Hindi French German Russian Arabic Persian
    Employment Insurance Pension Medical Care Nursing Welfare Child Children Benefit Benefits
    Emergency Shelter Housing Consultation Desk Counter Team Group Committee Board Council
    Level Test Exam Proficiency Language Certificate Form Forms Application Notice Tax
    Hotel Restaurant Shop Store Market Mart Factory Plant Site Project Program Programme
    Okay Ok Dear Thanks Thank Please Note Contact Email Tel Fax Phone Mobile Address Name
    """
        )
    )
    | set(COUNTRIES_EN)
    | set(RARE_LANGUAGES_EN)
)

ADDRESS_JA_RE = _compile(
    r"(?:北海道|東京都|京都府|大阪府|[\u4e00-\u9fff]{2,3}県)?"
    rf"[{KANJI}{KATAKANA}ヶケ]{{1,7}}?[市区町村郡]"
    rf"[{KANJI}{KATAKANA}ヶケ]{{0,12}}?"
    r"\d{1,5}(?: ?(?:丁目|番地の?|番|号|-|の) ?\d{1,5})*(?:番地|号|番)?"
)
ROOM_RE = _compile(rf"[{KANJI}{KATAKANA}A-Za-z]{{1,12}} ?\d{{1,4}}号室")
ADDRESS_EN_RE = _compile(
    r"(?<![\d\-:/.])\d{1,2}-\d{1,3}(?:-\d{1,4})?,? +"
    r"([A-Z][a-z]+(?:-[A-Z][a-z]+)*)(?:,? +\d{1,2}-chome)?"
)
ADDRESS_EN_STOP = {"Email", "Tel", "Fax", "Phone", "Mobile", "Status", "Case", "Contact"}

PREFECTURE_TAIL_RE = _compile(r".*[都道府県]")
MUNICIPALITY_JA_RE = _compile(rf"([{KANJI}ヶケ]{{1,6}}|[{KATAKANA}]{{2,8}})[市町村](?!役所|役場)")
MUNICIPALITY_STEM_STOP = {
    "同",
    "当",
    "本",
    "各",
    "他",
    "隣",
    "近隣",
    "市",
    "町",
    "村",
    "城下",
    "下",
}
MUNICIPALITY_EN_RE = _compile(
    r"\b[A-Z][a-z]+(?: City| Town| Village|-shi|-machi|-cho|-mura)\b|\b(?:city|town|village) "
    r"of [A-Z][a-z]+"
)
COUNTRY_RE = _compile(
    "|".join(map(re.escape, sorted(COUNTRIES_JA, key=len, reverse=True)))
    + r"|\b(?:"
    + "|".join(map(re.escape, sorted(COUNTRIES_EN, key=len, reverse=True)))
    + r")\b"
)
RARE_COUNTRY_RE = _compile(
    "|".join(map(re.escape, sorted(RARE_COUNTRIES_JA, key=len, reverse=True)))
    + r"|\b(?:"
    + "|".join(map(re.escape, sorted(RARE_COUNTRIES_EN, key=len, reverse=True)))
    + r")\b"
)
# A named town or village: 大泉町, "Oizumi town", "Oizumi, Gunma Prefecture".
SMALL_MUNICIPALITY_JA_RE = _compile(
    rf"([{KANJI}ヶケ]{{1,6}}|[{KATAKANA}]{{2,8}})[町村](?!内|外|会|民)"
)
SMALL_MUNICIPALITY_EN_RE = _compile(
    r"\b([A-Z][a-z]+)(?: [Tt]own| [Vv]illage|-machi|-cho|-mura|-son)\b"
    r"|\b(?:town|village) of ([A-Z][a-z]+)"
    r"|\b([A-Z][a-z]+),? (?:[A-Z][a-z]+ Prefecture|[A-Z][a-z]+-ken)\b"
)
RARE_LANGUAGE_RE = _compile(
    "(?:" + "|".join(map(re.escape, RARE_LANGUAGES_JA)) + ")語"
    r"|\b(?:" + "|".join(map(re.escape, RARE_LANGUAGES_EN)) + r")\b"
)

# --------------------------------------------------------------------------
# Detectors
# --------------------------------------------------------------------------

_SUGGESTIONS_JA = {
    "name": "Aさん",
    "phone": "[電話番号]",
    "email": "[メールアドレス]",
    "postal_code": "[郵便番号]",
    "address": "[住所]",
    "residence_card": "[在留カード番号]",
    "my_number": "[個人番号]",
    "passport": "[旅券番号]",
    "birth_date": "[生年月日]",
    "age": "30代",
    "organisation": "X社",
}
_SUGGESTIONS_EN = {
    "name": "Client A",
    "phone": "[phone]",
    "email": "[email]",
    "postal_code": "[postal code]",
    "address": "[address]",
    "residence_card": "[residence card no.]",
    "my_number": "[My Number]",
    "passport": "[passport no.]",
    "birth_date": "[date of birth]",
    "age": "in their 30s",
    "organisation": "Company X",
}


def _suggest(kind: str, matched: str, context: str) -> str:
    """A replacement hint in the language of the surrounding text."""
    japanese = _is_cjk(context)
    table = _SUGGESTIONS_JA if japanese else _SUGGESTIONS_EN
    suggestion = table[kind]
    if kind == "organisation":
        if re.search(r"病院|クリニック|医院|診療所|Hospital|Clinic", matched):
            suggestion = "X病院" if japanese else "a hospital"
        elif re.search(r"学校|高校|大学|School|University|学園", matched):
            suggestion = "X校" if japanese else "a school"
    if kind == "age":
        digits = re.search(r"\d+", _normalise(matched))
        if digits:
            decade = int(digits.group()) // 10 * 10
            if decade < 10:
                suggestion = "子ども" if japanese else "a child"
            else:
                suggestion = f"{decade}代" if japanese else f"in their {decade}s"
    return suggestion


def _spans_phone(norm: str):
    for m in PHONE_RE.finditer(norm):
        digits = re.sub(r"\D", "", m.group())
        if digits.startswith("81"):
            digits = "0" + digits[2:].lstrip("0")
        if 10 <= len(digits) <= 11:
            yield "phone", m.start(), m.end()


def _spans_postal(norm: str):
    for m in POSTAL_MARK_RE.finditer(norm):
        yield "postal_code", m.start(), m.end()
    for m in POSTAL_BARE_RE.finditer(norm):
        before = norm[max(0, m.start() - 40) : m.start()]
        after = norm[m.end() : m.end() + 4]
        if POSTAL_CONTEXT_RE.search(before) or re.match(
            r"\s*(?:北海道|東京都|京都府|大阪府|\S{2,3}県)", after
        ):
            yield "postal_code", m.start(), m.end()


def _spans_simple(norm: str):
    for m in EMAIL_RE.finditer(norm):
        yield "email", m.start(), m.end()
    for m in RESIDENCE_CARD_RE.finditer(norm):
        yield "residence_card", m.start(), m.end()
    for m in MY_NUMBER_RE.finditer(norm):
        yield "my_number", m.start(), m.end()
    for m in PASSPORT_RE.finditer(norm):
        before = norm[max(0, m.start() - 40) : m.start()]
        in_context = PASSPORT_CONTEXT_RE.search(before)
        if m.group(2) and not in_context:
            continue
        if len(m.group(1)) == 2 or in_context:
            yield "passport", m.start(), m.end()


def _spans_birth_date(norm: str):
    for m in DATE_RE.finditer(norm):
        before = norm[max(0, m.start() - 30) : m.start()]
        after = norm[m.end() : m.end() + 4]
        if BIRTH_BEFORE_RE.search(before) or BIRTH_AFTER_RE.match(after):
            yield "birth_date", m.start(), m.end()


def _spans_age(norm: str):
    for m in AGE_JA_RE.finditer(norm):
        yield "age", m.start(), m.end()
    for m in AGE_EN_RE.finditer(norm):
        yield "age", m.start(), m.end()
    for m in AGE_EN_WORDS_RE.finditer(norm):
        end = m.end() - 1 if m.group().endswith(".") and "old" not in m.group() else m.end()
        yield "age", m.start(), end


def _spans_org(norm: str):
    for m in ORG_PREFIX_RE.finditer(norm):
        if not PLACEHOLDER_RE.match(norm[m.start() + 4 : m.end()]):
            yield "organisation", m.start(), m.end()
    for m in ORG_SUFFIX_RE.finditer(norm):
        start = m.start()
        while start > 0 and start > m.start() - 12:
            prev = norm[start - 1]
            if not ORG_NAME_CHAR_RE.match(prev) or prev in ORG_STOP_HIRAGANA:
                break
            start -= 1
        stem = norm[start : m.start()]
        # Drop a leading municipality/prefecture qualifier before checking genericness.
        bare = re.sub(r"^.*?(?:市立|県立|都立|府立|町立|村立|国立|私立)", "", stem)
        if not stem or stem in GENERIC_ORG_STEMS or bare in GENERIC_ORG_STEMS:
            continue
        if PLACEHOLDER_RE.match(stem) or not bare:
            continue
        if re.search(r"株式会社|有限会社|合同会社|合資会社", stem):
            continue  # handled by the prefix pattern
        if re.match(rf"[{HIRAGANA}]", stem[-1]) and re.search(rf"[^{HIRAGANA}]", stem):
            continue  # "…を持つ専門学校": a verb, not a name
        yield "organisation", start, m.end()
    for m in ORG_EN_RE.finditer(norm):
        words = m.group().split()
        while words and words[0].rstrip(",") in ORG_EN_STOP_FIRST:
            words = words[1:]
        if len(words) < 2:
            continue
        if all(w.rstrip(",.") in ORG_EN_GENERIC for w in words):
            continue
        if re.match(
            r" (?:Bureau|Office|Agency|Center|Centre|Department|Division)\b", norm[m.end() :]
        ):
            continue  # a public body such as "... Immigration Services Bureau"
        if PLACEHOLDER_RE.match(words[0]) or words[0] in ("Company", "Firm"):
            continue
        offset = m.group().index(words[0])
        yield "organisation", m.start() + offset, m.end()
    for m in WORKPLACE_ORG_RE.finditer(norm):
        name = m.group(1)
        parts = [p for p in re.split(r"[・ ]", name) if p]
        if PLACEHOLDER_RE.match(name) or len(name) < 3:
            continue
        if any(p in KATAKANA_STOP for p in parts) or name in KATAKANA_STOP:
            continue
        yield "organisation", m.start(1), m.end(1)


def _kanji_run_before(norm: str, pos: int, limit: int = 6) -> int:
    start = pos
    while start > 0 and pos - start < limit and re.match(rf"[{KANJI}]", norm[start - 1]):
        start -= 1
    return start


def _katakana_run_before(norm: str, pos: int) -> int:
    start = pos
    while start > 0 and re.match(rf"[{KATAKANA}・]", norm[start - 1]):
        start -= 1
    while start < pos and norm[start] == "・":
        start += 1
    return start


def _surname_prefix(run: str) -> str | None:
    """Return the run if it is (or starts with) a listed surname followed by a short given name."""
    for length in (3, 2, 1):
        head = run[:length]
        if head in SURNAMES_JA and len(run) - length <= 3:
            return run
    return None


def _spans_name_ja(norm: str):
    for m in HONORIFIC_RE.finditer(norm):
        pos = m.start()
        kstart = _kanji_run_before(norm, pos)
        run = norm[kstart:pos]
        if run:
            stripped = run
            # "相談者田中さん" -> keep the part after a role word
            for role in sorted(ROLE_WORDS, key=len, reverse=True):
                if stripped.startswith(role) and len(stripped) > len(role):
                    stripped = stripped[len(role) :]
                    kstart += len(role)
                    break
            if stripped in ROLE_WORDS or any(stripped.endswith(r) for r in ROLE_WORDS):
                continue
            if len(stripped) >= 2 or stripped in SURNAMES_JA:
                yield "name", kstart, pos
            continue
        kstart = _katakana_run_before(norm, pos)
        run = norm[kstart:pos]
        if len(run) >= 2 and run not in KATAKANA_ROLE_WORDS:
            yield "name", kstart, pos
    for m in TITLE_AFTER_SURNAME_RE.finditer(norm):
        kstart = _kanji_run_before(norm, m.start(), limit=5)
        run = norm[kstart : m.start()]
        if run and _surname_prefix(run):
            yield "name", kstart, m.start()
    for m in NAME_FIELD_RE.finditer(norm):
        yield "name", m.start(1), m.end(1)
    yield from _spans_name_katakana(norm)
    yield from _spans_name_kanji(norm)
    for m in HIRAGANA_NICKNAME_RE.finditer(norm):
        start = m.start(1)
        run = m.group(1)
        if start > 0 and re.match(rf"[{KANJI}]", norm[start - 1]) and run[0] in "のはがと":
            start, run = start + 1, run[1:]
        if len(run) >= 2 and run not in HIRAGANA_NICKNAME_STOP and not run.startswith("お"):
            yield "name", start, m.end(1)


def _katakana_name_ok(name: str) -> bool:
    parts = [p for p in re.split(r"[・= ]", name) if p]
    if not parts or any(p in KATAKANA_STOP for p in parts):
        return False
    return not any(p in COUNTRIES_JA or p in RARE_LANGUAGES_JA for p in parts)


def _spans_name_katakana(norm: str):
    for m in KATA_JOINED_RE.finditer(norm):
        if norm[m.end() : m.end() + 1] in ("語", "人", "系", "国", "料", "風", "産", "製", "式"):
            continue
        if _katakana_name_ok(m.group()):
            yield "name", m.start(), m.end()
    for regex in (KATA_CONTEXT_RE, KATA_PAREN_AGE_RE):
        for m in regex.finditer(norm):
            name = m.group(1).rstrip(" ")
            if len(name) >= 2 and _katakana_name_ok(name):
                yield "name", m.start(1), m.start(1) + len(name)


def _kanji_name_span(norm: str, start: int, surname: str, given: str, end: int):
    """Accept a listed surname (optionally with a given name) as a name span."""
    if surname not in SURNAMES_JA:
        # The surname may be the head of a longer run ("森田健太" read as 森田+健太).
        run = surname + given
        for length in (3, 2, 1):
            if run[:length] in SURNAMES_JA and 0 < len(run) - length <= 3:
                surname, given = run[:length], run[length:]
                break
        else:
            return None
    if given and (given[-1] in _NOT_GIVEN_NAME_END or given in ROLE_WORDS):
        return None
    if not given and len(surname) < 2:
        return None
    return ("name", start, end)


def _spans_name_kanji(norm: str):
    for m in JA_ROLE_NAME_RE.finditer(norm):
        surname, given = m.group(1), m.group(2)
        after = norm[m.end() : m.end() + 1]
        if after and re.match(rf"[{KANJI}]", after):
            continue
        if not given and not re.match(r"[はがをにとも、。,(（さ氏]|$", after):
            continue
        span = _kanji_name_span(norm, m.start(1), surname, given, m.end())
        if span:
            yield span
    for regex in (JA_SPACED_NAME_RE, JA_NAME_BEFORE_DETAIL_RE):
        for m in regex.finditer(norm):
            surname, given = m.group(1), m.group(2)
            if surname not in SURNAMES_JA or len(surname) + len(given) < 3:
                continue
            span = _kanji_name_span(norm, m.start(1), surname, given, m.end(2))
            if span:
                yield span


def _spans_name_en(norm: str):
    for regex in (EN_TITLE_RE, EN_NAMED_RE, EN_RELATION_RE):
        for m in regex.finditer(norm):
            yield "name", m.start(1), m.end(1)
    for m in EN_FULLNAME_RE.finditer(norm):
        first, last = m.group(1), m.group(2)
        if first in FIRST_NAMES or (first in SURNAMES_ROMAJI and last in FIRST_NAMES):
            yield "name", m.start(), m.end()
    for regex in (EN_CONTEXT_NAME_RE, EN_SINGLE_NAME_RE):
        for m in regex.finditer(norm):
            words = re.split(r"[ -]", m.group(1))
            if any(w in EN_NAME_STOP for w in words):
                continue
            # Weaker contexts ("by", "and", "met") also need a known first name or surname.
            weak = regex is EN_CONTEXT_NAME_RE and m.group().split()[0] in ("by", "and", "met")
            if weak and not (set(words) & (FIRST_NAMES | SURNAMES_ROMAJI)):
                continue
            yield "name", m.start(1), m.end(1)


def _spans_address(norm: str):
    for m in ADDRESS_JA_RE.finditer(norm):
        text = m.group()
        # Require a real town/street part: a prefecture or a ward/city and a number.
        if not re.search(r"[都道府県市区郡]", text) or not re.search(r"\d", text):
            continue
        start = m.start()
        yield "address", start, m.end()
    for m in ROOM_RE.finditer(norm):
        yield "address", m.start(), m.end()
    for m in ADDRESS_EN_RE.finditer(norm):
        if m.group(1) in ADDRESS_EN_STOP:
            continue
        yield "address", m.start(), m.end()


def _first_match(regex: re.Pattern, norm: str, accept=None) -> re.Match | None:
    for m in regex.finditer(norm):
        if accept is None or accept(m):
            return m
    return None


def _real_municipality(m: re.Match) -> bool:
    stem = m.group(1) if m.lastindex else m.group()
    stem = PREFECTURE_TAIL_RE.sub("", stem)
    return bool(stem) and stem not in MUNICIPALITY_STEM_STOP


def _real_small_municipality(m: re.Match) -> bool:
    stem = next(g for g in m.groups() if g)
    if m.re is SMALL_MUNICIPALITY_JA_RE:
        stem = PREFECTURE_TAIL_RE.sub("", stem)
        return bool(stem) and stem not in MUNICIPALITY_STEM_STOP and not PLACEHOLDER_RE.match(stem)
    return stem not in EN_NAME_STOP and stem not in ("Small", "Rural", "Mountain", "Coastal")


def _spans_quasi(norm: str):
    rare = _first_match(RARE_COUNTRY_RE, norm)
    if rare:
        town = _first_match(
            SMALL_MUNICIPALITY_JA_RE, norm, _real_small_municipality
        ) or _first_match(SMALL_MUNICIPALITY_EN_RE, norm, _real_small_municipality)
        if town:
            first = min((rare, town), key=lambda m: m.start())
            yield "quasi_identifier", first.start(), first.end()
            return
    country = _first_match(COUNTRY_RE, norm)
    language = _first_match(RARE_LANGUAGE_RE, norm)
    if not country or not language:
        return
    municipality = _first_match(MUNICIPALITY_JA_RE, norm, _real_municipality) or _first_match(
        MUNICIPALITY_EN_RE, norm
    )
    if not municipality:
        return
    first = min((country, municipality, language), key=lambda m: m.start())
    yield "quasi_identifier", first.start(), first.end()


_DETECTORS = (
    _spans_simple,
    _spans_phone,
    _spans_postal,
    _spans_birth_date,
    _spans_age,
    _spans_address,
    _spans_org,
    _spans_name_ja,
    _spans_name_en,
)

# Used to break ties between overlapping spans of different kinds.
_PRIORITY = {
    "email": 0,
    "residence_card": 1,
    "my_number": 2,
    "passport": 3,
    "phone": 4,
    "postal_code": 5,
    "birth_date": 6,
    "address": 7,
    "organisation": 8,
    "name": 9,
    "age": 10,
}


def _resolve(spans: set[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Keep the longest (then most specific) span wherever spans overlap."""
    chosen: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(spans, key=lambda s: (-(s[2] - s[1]), _PRIORITY[s[0]], s[1])):
        if any(start < c_end and c_start < end for _, c_start, c_end in chosen):
            continue
        chosen.append((kind, start, end))
    return chosen


def scan(text: str) -> list[Finding]:
    """Return the personal-data findings in ``text``, sorted by start offset."""
    if not text:
        return []
    norm = _normalise(text)
    spans: set[tuple[str, int, int]] = set()
    for detector in _DETECTORS:
        for kind, start, end in detector(norm):
            # Trim whitespace the patterns may have swallowed at the edges.
            while start < end and norm[start].isspace():
                start += 1
            while end > start and norm[end - 1].isspace():
                end -= 1
            if start < end:
                spans.add((kind, start, end))
    findings = [
        Finding(
            kind,
            start,
            end,
            HIGH,
            _suggest(kind, text[start:end], text[max(0, start - 10) : end + 10]),
        )
        for kind, start, end in _resolve(spans)
    ]
    for kind, start, end in _spans_quasi(norm):
        findings.append(Finding(kind, start, end, WARNING, str(QUASI_SUGGESTION)))
    findings.sort(key=lambda f: (f.start, f.end, f.kind))
    return findings
