"""The search text pipeline and the synonym file (pure unit tests, no database)."""

import dataclasses

import pytest

from search import synonyms
from search.analysis import (
    QueryPlan,
    Word,
    highlight_html,
    highlight_spans,
    highlight_terms,
    index_terms,
    index_text,
    is_prefix_term,
    normalize,
    parse_query,
    phrase_key,
    stem,
)

SENTENCE = "在留資格の更新手続きについて相談を受けた"


def matches(query: str, document: str) -> bool:
    """What every backend does with a plan: all words, any alternative, all its terms."""
    plan = parse_query(query)
    stored = set(index_terms(document))

    def found(term):
        if is_prefix_term(term):
            return any(stored_term.startswith(term) for stored_term in stored)
        return term in stored

    return not plan.is_empty and all(
        any(all(map(found, alternative)) for alternative in word.alternatives)
        for word in plan.words
    )


# --- normalisation ---------------------------------------------------------------------------


def test_normalize_unifies_width_case_kana_and_spaces():
    assert normalize("ＡＢＣ") == "abc"
    assert normalize("ｶﾀｶﾅ") == normalize("カタカナ") == normalize("かたかな") == "かたかな"
    assert normalize("ｶﾞｲﾄﾞ") == "がいど"
    assert normalize("サーバー") == "さーばー"
    assert normalize("  Status\u3000of\t\nResidence  ") == "status of residence"
    assert normalize("２０２４年（令和６年）") == "2024年(令和6年)"
    assert normalize("coordinator’s") == "coordinator's"
    assert normalize("") == ""


# --- indexing ---------------------------------------------------------------------------------


def test_cjk_run_gives_overlapping_bigrams_and_its_last_character():
    assert index_terms("在留資格") == ["在留", "留資", "資格", "格"]
    assert index_terms("税") == ["税"]
    assert index_terms("住民税と税金。") == ["住民", "民税", "税と", "と税", "税金", "金"]


def test_one_character_word_is_found_anywhere_in_a_run():
    # Begins a bigram (税金), ends a run (住民税。), is a run of its own (税 / tax).
    for document in ("税金の相談", "住民税。", "税 / tax", "源泉徴収の税額"):
        assert matches("税", document), document
    assert not matches("税", "住民票の写し")
    assert is_prefix_term("税") and is_prefix_term("ぜ")
    assert not is_prefix_term("税金") and not is_prefix_term("x")


def test_index_text_is_the_terms_joined_by_spaces():
    text = "在留資格の更新。Consultations at Hello Work (N2)."
    assert index_text(text) == " ".join(index_terms(text))
    assert index_text("") == ""


def test_punctuation_separates_runs_and_is_not_indexed():
    terms = index_terms("更新、在留。「通訳」・相談！")
    assert "新在" not in terms and "新、" not in terms
    assert {"更新", "在留", "通訳", "相談"} <= set(terms)
    assert not {"、", "。", "「", "」", "・", "!"} & set(terms)


def test_long_vowel_mark_belongs_to_the_kana_run():
    terms = index_terms("サーバーの設定")
    assert "さー" in terms and "ーば" in terms and "ばー" in terms
    assert matches("サーバー", "サーバーの設定を確認した")
    assert matches("さーばー", "ｻｰﾊﾞｰの設定を確認した")


def test_latin_letters_and_digits_inside_japanese_are_words_of_their_own():
    document = "JLPTのN2に合格したので、2024年に転職した。"
    terms = index_terms(document)
    assert {"jlpt", "n2", "2024"} <= set(terms)
    assert not [term for term in terms if "n" in term and term != "n2"]  # no "のn" bigram
    assert matches("N2", document)
    assert matches("ＪＬＰＴ", document)
    assert matches("ｎ２ 合格", document)
    assert not matches("N3", document)


# --- Japanese recall ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["在留資格", "在留", "更新", "資格", "相談", "手続き", "在留資格の更新"]
)
def test_word_inside_a_japanese_sentence_is_found(query):
    assert matches(query, SENTENCE)


@pytest.mark.parametrize("query", ["永住", "資格外", "更新料", "通訳"])
def test_words_not_in_the_sentence_are_not_found(query):
    assert not matches(query, SENTENCE)


def test_two_character_query_is_its_bigram():
    plan = parse_query("更新")
    assert plan.words[0].alternatives == (("更新",),)


def test_longer_query_needs_all_its_bigrams():
    plan = parse_query("在留資格")
    assert plan.words[0].alternatives[0] == ("在留", "留資", "資格")
    assert not matches("在留資格", "資格の在留について")  # 留資 is missing


def test_one_character_query_matches_inside_a_compound():
    assert parse_query("税").words[0].alternatives[0] == ("税",)
    assert matches("税", "住民税の納付について相談した")
    assert not matches("税", "住民票の写しを取得した")


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("ＡＢＣ", "abc 株式会社"),
        ("abc", "ＡＢＣ株式会社"),
        ("ｶﾀｶﾅ", "カタカナで書かれた案内"),
        ("カタカナ", "ｶﾀｶﾅで書かれた案内"),
        ("ハローワーク", "はろーわーくで求職相談"),
        ("はろーわーく", "ハローワークで求職相談"),
        ("２０２４", "2024年度の研修"),
        ("Ｖｉｓａ", "VISA renewal"),
    ],
)
def test_width_case_and_kana_variants_meet(query, document):
    assert matches(query, document)


# --- English --------------------------------------------------------------------------------------


def test_english_words_are_stemmed():
    assert stem("consultations") == stem("consulting") == stem("consult") == "consult"
    assert index_terms("Consultations") == ["consult"]
    assert matches("consultations", "She was consulting a lawyer.")
    assert matches("consulting", "Consultations are free.")
    assert matches("interpreters", "Interpretation is available in 14 languages.")


def test_english_stop_words_are_dropped_from_queries_but_kept_in_the_index():
    assert "the" in index_terms("the pension")
    plan = parse_query("the pension of")
    assert [word.text for word in plan.words] == ["pension"]
    assert parse_query("the").words[0].alternatives == (("the",),)  # nothing else to search


# --- synonyms -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("japanese", "english"),
    [
        ("在留資格", "status of residence"),
        ("在留資格", "visa"),
        ("特定技能", "Specified Skilled Worker"),
        ("技能実習", "Technical Intern Training"),
        ("育成就労", "Employment for Skill Development"),
        ("永住", "permanent residence"),
        ("ハローワーク", "Hello Work"),
        ("法テラス", "Japan Legal Support Center"),
        ("在留カード", "residence card"),
        ("国民健康保険", "National Health Insurance"),
        ("年金", "pension"),
        ("労働基準監督署", "Labour Standards Inspection Office"),
        ("難民", "refugee"),
        ("通訳", "interpreter"),
        ("通訳", "interpretation"),
        ("外国人在留支援センター", "FRESC"),
    ],
)
def test_synonyms_expand_in_both_directions(japanese, english):
    assert english in synonyms.expand(japanese)
    assert japanese in synonyms.expand(english)
    assert matches(japanese, f"Questions about {english} were answered.")
    assert matches(english, f"{japanese}について説明を受けた")


def test_expand_ignores_case_width_inflection_and_stop_words():
    expected = synonyms.expand("status of residence")
    assert synonyms.expand("STATUSES OF THE RESIDENCE") == expected
    assert synonyms.expand("ｽﾃｰﾀｽ") == ()
    assert synonyms.expand("びざ") == synonyms.expand("ビザ")
    assert "在留資格" in synonyms.expand("ｖｉｓａｓ")
    assert "status of residence" not in expected  # the word itself is not its own synonym


def test_word_alternatives_and_synonyms_used():
    word = parse_query("visa").words[0]
    assert word.text == "visa"
    assert word.alternatives[0] == ("visa",)
    assert ("在留", "留資", "資格") in word.alternatives
    assert ("status", "resid") in word.alternatives
    assert "在留資格" in word.synonyms_used
    assert parse_query("更新").words[0].synonyms_used == ()


def test_multi_word_synonym_phrase_becomes_one_word():
    plan = parse_query("status of residence")
    assert len(plan.words) == 1
    word = plan.words[0]
    assert word.text == "status of residence"
    assert word.alternatives[0] == ("status", "resid")
    assert ("在留", "留資", "資格") in word.alternatives
    assert "在留資格" in word.synonyms_used
    assert matches("status of residence", SENTENCE)
    assert matches("Status of Residence", "Renewing a residence status takes two weeks.")


def test_synonym_phrase_inside_a_longer_query():
    plan = parse_query("Japan Legal Support Center 通訳")
    assert [word.text for word in plan.words] == ["Japan Legal Support Center", "通訳"]
    assert "法テラス" in plan.words[0].synonyms_used
    assert "interpreter" in plan.words[1].synonyms_used
    assert matches("Japan Legal Support Center 通訳", "法テラスの通訳サービスを紹介した")
    assert plan.synonyms_used[0] == plan.words[0].synonyms_used[0]


def test_longest_synonym_phrase_wins():
    plan = parse_query("renewal of status of residence")
    assert len(plan.words) == 1
    assert "在留期間更新" in plan.words[0].synonyms_used


def test_words_that_only_form_part_of_a_phrase_are_not_expanded():
    assert parse_query("residence").words[0].synonyms_used == ()
    assert parse_query("在留").words[0].synonyms_used == ()


def test_synonym_file_is_bilingual_and_large_enough():
    groups = synonyms.synonym_groups()
    assert len(groups) >= 37
    for group in groups:
        keys = [phrase_key(entry) for entry in group]
        assert all(keys), group
        assert any(not entry.isascii() for entry in group), group
        assert any(entry.isascii() for entry in group), group


def test_synonym_file_format():
    text = "# comment\n\n在留資格 | status of residence |visa # trailing\nlonely\n a || b \n"
    assert synonyms.parse_groups(text) == [("在留資格", "status of residence", "visa"), ("a", "b")]


def test_synonym_file_is_read_once():
    synonyms.clear_caches()
    first = synonyms.synonym_groups()
    assert synonyms.synonym_groups() is first
    assert synonyms.phrase_index() is synonyms.phrase_index()


# --- query plan -----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\u3000\u3000", "、。！？", "--- !!! ...", "「」・"])
def test_empty_queries_give_an_empty_plan(query):
    plan = parse_query(query)
    assert plan.is_empty
    assert plan.words == ()
    assert plan.all_terms() == set()
    assert highlight_terms(plan) == []
    assert not matches(query, SENTENCE)


def test_plan_is_an_and_of_words():
    plan = parse_query("在留資格 永住")
    assert len(plan.words) == 2
    assert not matches("在留資格 永住", SENTENCE)
    assert matches("在留資格　更新", SENTENCE)  # ideographic space separates words too


def test_repeated_words_are_searched_once():
    assert len(parse_query("visa visa VISAS").words) == 1


def test_plan_is_frozen_and_reports_its_terms():
    plan = parse_query("ｶﾀｶﾅ consultations")
    assert isinstance(plan, QueryPlan) and all(isinstance(w, Word) for w in plan.words)
    assert plan.words[0].text == "カタカナ"  # width unified, script as typed
    assert {"かた", "たか", "かな", "consult"} <= plan.all_terms()
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.words = ()


# --- highlighting ---------------------------------------------------------------------------------


def test_highlight_terms_are_the_normalised_words_and_synonyms():
    terms = highlight_terms(parse_query("ｶﾀｶﾅ visa"))
    assert "かたかな" in terms
    assert "visa" in terms
    assert "在留資格" in terms
    assert "status of residence" in terms
    assert terms == sorted(terms, key=lambda term: (-len(term), term))


def test_highlight_spans_point_into_the_original_text():
    text = "ｶﾞｲﾄﾞと在留資格、Visas"
    spans = highlight_spans(text, parse_query("ガイド visa"))
    assert [text[start:end] for start, end in spans] == ["ｶﾞｲﾄﾞ", "在留資格", "Visas"]


def test_highlight_html_escapes_then_marks():
    html = highlight_html(
        "<b>在留資格</b>の更新 & consulting", parse_query("在留資格 consultations")
    )
    assert html == ("&lt;b&gt;<mark>在留資格</mark>&lt;/b&gt;の更新 &amp; <mark>consulting</mark>")
    assert highlight_html("<i>x</i>", parse_query("")) == "&lt;i&gt;x&lt;/i&gt;"
