"""The text pipeline shared by indexing and querying.

Every piece of text that goes into a search index, and every query, passes through the same steps,
so that what a reader types meets what an author wrote:

1. **Normalisation** (:func:`normalize`): Unicode NFKC, which unifies full-width and half-width forms
   (``ＡＢＣ`` → ``ABC``, ``ｶﾀｶﾅ`` → ``カタカナ``, ``１２３`` → ``123``, ideographic space → space);
   case folding; katakana folded to hiragana; runs of whitespace collapsed.

   *Why fold katakana to hiragana.* Loanwords and the names of schemes are written in katakana by
   convention, but members also type them in hiragana (input-method habit, plain-Japanese texts
   written for clients, mobile keyboards), and the reverse happens with words such as
   ``ごみ``/``ゴミ`` or ``すまい``/``スマイ``. Folding gives recall for the same word typed in either
   script. The cost is that the rare pairs that are distinct words only by script (mostly
   onomatopoeia and emphasis) become one word; for a portal of notices, cases and partner listings
   that precision loss is negligible beside the recall gained. The long-vowel mark ``ー`` is kept and
   treated as a kana letter, so ``サーバー`` and ``さーばー`` still meet, and ``ー`` never splits a
   word.

2. **Segmentation** (:func:`index_terms`): the normalised text is split into runs. A run of CJK
   letters (kanji, kana, ``ー``, ``々``) gives each overlapping pair of characters (bigrams) and its
   last character (a unigram). Japanese is written without spaces, so this is what makes any word
   of one or more characters inside a sentence findable: ``在留資格`` inside
   ``在留資格の更新手続きについて相談を受けた`` is found through its bigrams ``在留 留資 資格``; a
   one-character word is found as the first character of a bigram (``税`` in ``税金``) or, at the
   end of a run, through its unigram (``税`` in ``住民税。``), which is why a one-character query
   term matches stored terms by prefix (:func:`is_prefix_term`). Storing every character's unigram
   as well would find the same documents with about a quarter more terms per Japanese text (more
   to write into and keep in each index). A run of Latin letters and digits
   (``N2``, ``JLPT``, ``2024``, English words), also when it sits inside a Japanese sentence, is a
   word of its own and is reduced to its English Snowball stem (``consultations`` → ``consult``).
   Punctuation separates runs and is never indexed.

3. **Querying** (:func:`parse_query`): the query is an AND over its words; each word is an OR over
   alternatives (the word itself and its synonyms from :mod:`search.synonyms`); each alternative is
   an AND over terms: a one-character CJK word is its unigram (matched as a prefix), a longer CJK
   word its overlapping bigrams, a Latin word its stem. English stop words are dropped from queries and synonym phrases
   (unless the query consists only of stop words), never from the index. Synonyms are applied at
   query time only, to each word and to every run of consecutive words that forms a synonym phrase
   (``status of residence`` → the ``在留資格`` group).
"""

from __future__ import annotations

import functools
import html
import operator
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import snowballstemmer

__all__ = [
    "STOP_WORDS",
    "QueryPlan",
    "Word",
    "highlight_html",
    "highlight_spans",
    "highlight_terms",
    "index_terms",
    "index_text",
    "is_prefix_term",
    "normalize",
    "parse_query",
    "phrase_key",
    "phrase_terms",
    "query_terms",
    "stem",
]

# --- character classes ------------------------------------------------------------------------

# Letters that are segmented into unigrams and bigrams: hiragana (without the stand-alone voicing
# marks), katakana (without the middle dot ・ and ゠), the long-vowel mark and iteration marks,
# katakana phonetic extensions, 々〆〇〻, CJK unified ideographs (extension A, the basic block,
# compatibility ideographs and the supplementary planes).
_CJK = (
    "\u3041-\u3096\u309d-\u309f"
    "\u30a1-\u30fa\u30fc-\u30ff"
    "\u31f0-\u31ff"
    "\u3005-\u3007\u303b"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
_RUN_RE = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+(?:'[^\W_{_CJK}]+)*)")
_CJK_RE = re.compile(rf"[{_CJK}]")
_SPACE_RE = re.compile(r"\s+")

# Katakana → hiragana (ァ..ヶ → ぁ..ゖ, ヽヾ → ゝゞ); curly apostrophes → ASCII so that
# "coordinator’s" and "coordinator's" stem alike.
_FOLD = {cp: cp - 0x60 for cp in range(0x30A1, 0x30F7)}
_FOLD.update({0x30FD: 0x309D, 0x30FE: 0x309E, 0x2019: 0x27, 0x2018: 0x27})
_FOLD_APOSTROPHES = {0x2019: 0x27, 0x2018: 0x27}

# English stop words dropped from queries and synonym phrases (kept in the index). Deliberately
# short: words such as "it", "us", "no" are left alone because they are also abbreviations.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "these",
        "this",
        "those",
        "to",
        "was",
        "were",
        "with",
    ]
)

# --- normalisation and stemming ---------------------------------------------------------------


# Characters that NFKC leaves unchanged and that never compose with a neighbour: ASCII, most CJK
# punctuation, kana (without the voicing marks, ゟ and ヿ) and the basic block of ideographs.
# Only the stretches between them go through NFKC, which is several times faster on Japanese text.
_NFKC_STABLE = (
    "\x00-\x7f\u3001-\u3029\u3030-\u3035\u3037\u303b-\u3098\u309d\u309e\u30a0-\u30fe\u4e00-\u9fff"
)
# One stable character before each unstable stretch, so that e + U+0301 still composes to é.
_NFKC_UNSTABLE_RE = re.compile(f"[{_NFKC_STABLE}]?[^{_NFKC_STABLE}]+")
_KATAKANA_RE = re.compile("[\u30a1-\u30f6\u30fd\u30fe\u2018\u2019]+")


def _nfkc_match(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def _fold_match(match: re.Match[str]) -> str:
    return match.group().translate(_FOLD)


def _fold(text: str) -> str:
    """NFKC, case folding and katakana → hiragana (no whitespace handling)."""
    if text.isascii():
        return text.lower()
    text = _NFKC_UNSTABLE_RE.sub(_nfkc_match, text).casefold()
    return _KATAKANA_RE.sub(_fold_match, text)


def normalize(text: str) -> str:
    """NFKC, case folding, katakana → hiragana, whitespace collapsed and stripped."""
    if not text:
        return ""
    return _SPACE_RE.sub(" ", _fold(text)).strip()


_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English Snowball stem of a normalised Latin/digit word (digits pass through)."""
    if word.isdigit():
        return word
    return _stemmer().stemWord(word)


# --- indexing ---------------------------------------------------------------------------------


def _runs(normalized: str) -> Iterator[tuple[bool, str]]:
    """(is_cjk, run) for each run of an already normalised text."""
    for match in _RUN_RE.finditer(normalized):
        cjk = match.group("cjk")
        if cjk is not None:
            yield True, cjk
        else:
            yield False, match.group("word")


def index_terms(text: str) -> list[str]:
    """The terms stored for ``text``: the bigrams of each CJK run and its last character, English
    stems (duplicates kept, so that term frequency still counts for ranking)."""
    terms: list[str] = []
    extend = terms.extend
    append = terms.append
    for match in _RUN_RE.finditer(_fold(text)):
        run = match.group("cjk")
        if run is not None:
            if len(run) > 1:
                extend(map(operator.add, run, run[1:]))
            append(run[-1])
        else:
            append(stem(match.group("word")))
    return terms


def is_prefix_term(term: str) -> bool:
    """Whether a query term matches the stored terms that begin with it rather than only itself:
    a one-character CJK term, whose unigram is stored only at the end of a run (elsewhere the
    character begins a bigram, see :func:`index_terms`)."""
    return len(term) == 1 and _CJK_RE.match(term) is not None


def index_text(text: str) -> str:
    """The string written into a full-text column or an Elasticsearch field."""
    return " ".join(index_terms(text))


def _cjk_query_terms(run: str) -> tuple[str, ...]:
    if len(run) == 1:
        return (run,)
    return tuple(dict.fromkeys(map(operator.add, run, run[1:])))


def _word_terms(is_cjk: bool, run: str) -> tuple[str, ...]:
    return _cjk_query_terms(run) if is_cjk else (stem(run),)


def _is_stop(is_cjk: bool, run: str) -> bool:
    return not is_cjk and run in STOP_WORDS


def _word_key(is_cjk: bool, run: str) -> str:
    """What identifies a query word when matching synonym phrases (stem or normalised run)."""
    return run if is_cjk else stem(run)


@functools.lru_cache(maxsize=4096)
def phrase_key(text: str) -> tuple[str, ...]:
    """The identity of a word or phrase for synonym matching: its words' keys, stop words left out.

    ``"Status of Residence"`` and ``"statuses of residence"`` both give ``("status", "resid")``.
    """
    runs = list(_runs(normalize(text)))
    kept = [run for run in runs if not _is_stop(*run)] or runs
    return tuple(_word_key(*run) for run in kept)


@functools.lru_cache(maxsize=4096)
def phrase_terms(text: str) -> tuple[str, ...]:
    """The terms that must all match for a word or phrase at query time (one alternative)."""
    runs = list(_runs(normalize(text)))
    kept = [run for run in runs if not _is_stop(*run)] or runs
    return tuple(dict.fromkeys(t for run in kept for t in _word_terms(*run)))


def query_terms(text: str) -> tuple[str, ...]:
    """Every term of a query (all words, all alternatives), for callers that need a flat list."""
    return tuple(sorted(parse_query(text).all_terms()))


# --- query plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """One query word: it matches when any alternative matches, an alternative when all its terms
    match. ``text`` is the word as typed (width-unified), ``synonyms_used`` the synonym entries that
    were added as alternatives."""

    text: str
    alternatives: tuple[tuple[str, ...], ...]
    synonyms_used: tuple[str, ...] = ()

    def terms(self) -> set[str]:
        return {term for alternative in self.alternatives for term in alternative}


@dataclass(frozen=True)
class QueryPlan:
    """A query: all words must match."""

    words: tuple[Word, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.words

    def all_terms(self) -> set[str]:
        return {term for word in self.words for term in word.terms()}

    @property
    def synonyms_used(self) -> tuple[str, ...]:
        """Every synonym entry the plan applied, in query order, without repeats."""
        return tuple(dict.fromkeys(s for word in self.words for s in word.synonyms_used))


@dataclass
class _Token:
    text: str  # as typed, width-unified (NFKC only)
    is_cjk: bool
    run: str  # normalised
    stop: bool


def _query_tokens(text: str) -> list[_Token]:
    surface = _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    normalized = normalize(text)
    runs = list(_runs(normalized))
    surfaces = [m.group(0) for m in _RUN_RE.finditer(surface.translate(_FOLD_APOSTROPHES))]
    if len(surfaces) != len(runs):  # case folding changed the segmentation: show normalised text
        surfaces = [run for _, run in runs]
    tokens = [
        _Token(text=s, is_cjk=is_cjk, run=run, stop=_is_stop(is_cjk, run))
        for s, (is_cjk, run) in zip(surfaces, runs, strict=True)
    ]
    if all(token.stop for token in tokens):  # "the who": keep the words rather than nothing
        for token in tokens:
            token.stop = False
    return tokens


def _make_word(text: str, own: tuple[str, ...], synonyms: Iterable[str]) -> Word:
    alternatives: dict[frozenset[str], tuple[str, ...]] = {frozenset(own): own}
    used: list[str] = []
    for entry in synonyms:
        terms = phrase_terms(entry)
        if not terms:
            continue
        key = frozenset(terms)
        if key not in alternatives:
            alternatives[key] = terms
        used.append(entry)
    return Word(text=text, alternatives=tuple(alternatives.values()), synonyms_used=tuple(used))


def parse_query(text: str) -> QueryPlan:
    """Turn a query into a :class:`QueryPlan` (see the module docstring)."""
    from search import synonyms

    tokens = _query_tokens(text or "")
    index = synonyms.phrase_index()
    longest = synonyms.longest_phrase()
    # Positions of the words that count (stop words only take part in a phrase's display text).
    content = [i for i, token in enumerate(tokens) if not token.stop]
    keys = [_word_key(tokens[i].is_cjk, tokens[i].run) for i in content]
    words: list[Word] = []
    seen: set[tuple[frozenset[str], ...]] = set()
    position = 0
    while position < len(content):
        span = 1
        expansions: tuple[str, ...] = index.get((keys[position],), ())
        for length in range(min(longest, len(content) - position), 1, -1):
            found = index.get(tuple(keys[position : position + length]))
            if found is not None:
                span, expansions = length, found
                break
        first, last = content[position], content[position + span - 1]
        own = tuple(
            dict.fromkeys(
                term
                for i in content[position : position + span]
                for term in _word_terms(tokens[i].is_cjk, tokens[i].run)
            )
        )
        if span == 1:
            display = tokens[first].text
        else:
            display = " ".join(token.text for token in tokens[first : last + 1])
        word = _make_word(display, own, expansions)
        identity = tuple(frozenset(alternative) for alternative in word.alternatives)
        if identity not in seen:
            seen.add(identity)
            words.append(word)
        position += span
    return QueryPlan(words=tuple(words))


# --- highlighting -----------------------------------------------------------------------------


def highlight_terms(plan: QueryPlan) -> list[str]:
    """Surface strings to mark in snippets: the query words and the synonyms used, normalised,
    longest first (so that a regex alternation built from them prefers the longest match)."""
    surfaces: dict[str, None] = {}
    for word in plan.words:
        for candidate in (word.text, *word.synonyms_used):
            normalized = normalize(candidate)
            if normalized:
                surfaces[normalized] = None
    return sorted(surfaces, key=lambda s: (-len(s), s))


def _normalize_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """Normalise ``text`` character by character, keeping for each output character the span of
    input characters it came from (used for snippets, which are short)."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            out = char.lower()
        else:
            out = unicodedata.normalize("NFKC", char).casefold().translate(_FOLD)
            if out and chars and unicodedata.combining(out[0]):
                # a half-width voicing mark (ｶﾞ): compose it with the previous character
                composed = unicodedata.normalize("NFC", chars[-1] + out)
                if len(composed) == 1:
                    chars[-1] = composed
                    ends[-1] = index + 1
                    continue
        chars.extend(out)
        starts.extend([index] * len(out))
        ends.extend([index + 1] * len(out))
    return "".join(chars), starts, ends


def highlight_spans(text: str, plan: QueryPlan) -> list[tuple[int, int]]:
    """``(start, end)`` offsets in ``text`` (not normalised) of what the plan matched, merged and
    sorted: CJK terms of every alternative as substrings, Latin words whose stem is a plan term."""
    if not text or plan.is_empty:
        return []
    terms = plan.all_terms()
    cjk_terms = sorted((t for t in terms if _CJK_RE.match(t)), key=len, reverse=True)
    normalized, starts, ends = _normalize_with_offsets(text)
    spans: list[tuple[int, int]] = []
    if cjk_terms:
        pattern = re.compile("|".join(map(re.escape, cjk_terms)))
        # Overlapping bigrams (在留, 留資, 資格) are found one start position at a time.
        position = 0
        while True:
            match = pattern.search(normalized, position)
            if match is None:
                break
            spans.append((match.start(), match.end()))
            position = match.start() + 1
    for match in _RUN_RE.finditer(normalized):
        word = match.group("word")
        if word is not None and stem(word) in terms:
            spans.append((match.start(), match.end()))
    if not spans:
        return []
    spans.sort()
    merged: list[list[int]] = [list(spans[0])]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    result = []
    for start, end in merged:
        original_start = starts[start]
        original_end = ends[end - 1]
        if result and original_start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], original_end))
        else:
            result.append((original_start, original_end))
    return result


def highlight_html(text: str, plan: QueryPlan, tag: str = "mark") -> str:
    """``text`` HTML-escaped, then the matched parts wrapped in ``<mark>`` (safe to mark_safe)."""
    parts: list[str] = []
    position = 0
    for start, end in highlight_spans(text, plan):
        parts.append(html.escape(text[position:start]))
        parts.append(f"<{tag}>{html.escape(text[start:end])}</{tag}>")
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)
