"""Titles and snippets of search results with the matched words marked.

Order of work: find what matched in the plain text, HTML-escape the text, then wrap the matched
parts in ``<mark>``. Matching happens on the normalised text (the analysis pipeline's
:func:`~search.analysis.normalize`: full/half width, case, katakana/hiragana alike) and is mapped
back to the characters as written, so ``ｻﾞｲﾘｭｳ`` in a text is marked for a query ``ザイリュウ``.
Every piece of text, marked or not, is escaped on its own: a mark never lands inside an entity,
and nothing of the original text is ever emitted unescaped.

What is marked: the strings of :func:`search.analysis.highlight_terms` (the query words and the
synonyms used, normalised); English words are also marked when their stem is a query term, so
``visa`` marks ``visas``. Without the analysis module the query's own words are marked.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe

try:  # the text pipeline of the search backends
    from . import analysis
except ImportError:  # pragma: no cover - only while the pipeline is not installed
    analysis = None

SNIPPET_LENGTH = 160
SNIPPET_LEAD = 40  # characters kept before the first match
MAX_TEXT = 20_000  # longer texts are cut before matching (a snippet needs the start of a match)
ELLIPSIS = "…"

_VOICING = {"\uff9e", "\uff9f", "\u3099", "\u309a"}
_LATIN_WORD_RE = re.compile(r"[0-9a-z]+(?:'[0-9a-z]+)*")
_LATIN_TERM_RE = re.compile(r"[0-9a-z][0-9a-z' ]*")
_KATAKANA = {cp: cp - 0x60 for cp in range(0x30A1, 0x30F7)}


def _fallback_normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_KATAKANA)
    return " ".join(text.split())


def _normalize(text: str) -> str:
    if analysis is not None:
        return analysis.normalize(text)
    return _fallback_normalize(text)


def _clusters(text: str) -> Iterable[tuple[int, int]]:
    """(start, end) of each character with the combining or voicing marks that follow it."""
    start = 0
    length = len(text)
    while start < length:
        end = start + 1
        while end < length and (text[end] in _VOICING or unicodedata.combining(text[end])):
            end += 1
        yield start, end
        start = end


def _normalized_with_map(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The normalised text and, for each of its characters, the span of ``text`` it comes from."""
    out: list[str] = []
    origin: list[tuple[int, int]] = []
    for start, end in _clusters(text):
        piece = text[start:end]
        if piece.isspace():
            folded = " "
        elif piece.isascii():
            folded = piece.lower()
        else:
            folded = _normalize(piece)
        out.append(folded)
        origin.extend([(start, end)] * len(folded))
    return "".join(out), origin


def _is_latin(term: str) -> bool:
    return bool(_LATIN_TERM_RE.fullmatch(term))


class Highlighter:
    """Marks what a query matched; built once per search (:func:`highlighter`)."""

    def __init__(self, terms: Iterable[str], stems: Iterable[str] = ()):
        self.terms = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
        self.stems = frozenset(stems)
        parts = []
        for term in self.terms:
            if _is_latin(term):
                words = r"\s+".join(re.escape(w) for w in term.split())
                parts.append(rf"(?<![0-9a-z]){words}[0-9a-z]*")
            else:
                parts.append(re.escape(term))
        self.pattern = re.compile("|".join(parts)) if parts else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Merged, sorted ``(start, end)`` offsets in ``text`` of the matched parts."""
        if not text or (self.pattern is None and not self.stems):
            return []
        normalized, origin = _normalized_with_map(text)
        found: list[tuple[int, int]] = []
        if self.pattern is not None:
            found.extend((m.start(), m.end()) for m in self.pattern.finditer(normalized))
        if self.stems and analysis is not None:
            for match in _LATIN_WORD_RE.finditer(normalized):
                if analysis.stem(match.group()) in self.stems:
                    found.append((match.start(), match.end()))
        spans: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if end <= start:
                continue
            original = (origin[start][0], origin[end - 1][1])
            if spans and original[0] <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], original[1]))
            else:
                spans.append(original)
        return spans

    def mark(self, text: str) -> SafeString:
        """All of ``text``, escaped, with the matched parts in ``<mark>``."""
        return _render(text, self.spans(text))

    def snippet(self, texts: Iterable[str], length: int = SNIPPET_LENGTH) -> SafeString:
        """About ``length`` characters around the first match in the first text that has one
        (texts in order of preference); the start of the first non-empty text otherwise."""
        first = ""
        for raw in texts:
            text = " ".join((raw or "").split())[:MAX_TEXT]
            if not text:
                continue
            first = first or text
            spans = self.spans(text)
            if spans:
                return _window(text, spans, length)
        return _window(first, [], length) if first else mark_safe("")  # noqa: S308


def _window(text: str, spans: list[tuple[int, int]], length: int) -> SafeString:
    start = 0
    if spans:
        start = max(0, spans[0][0] - SNIPPET_LEAD)
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    inside = [
        (max(s, start), min(e, end)) for s, e in spans if e > start and s < end and min(e, end) > s
    ]
    shifted = [(s - start, e - start) for s, e in inside]
    body = _render(text[start:end], shifted)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308 - built by _render from escaped parts


def _render(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """``text`` escaped piece by piece, the ``spans`` wrapped in ``<mark>`` after escaping."""
    parts: list[str] = []
    position = 0
    for start, end in spans:
        parts.append(html.escape(text[position:start]))
        parts.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        position = end
    parts.append(html.escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def highlighter(query: str, plan=None) -> Highlighter:
    """The highlighter of ``query`` (``plan``: its :func:`search.analysis.parse_query`, when the
    caller has it already)."""
    if analysis is None:
        return Highlighter(_fallback_normalize(query).split())
    if plan is None:
        plan = analysis.parse_query(query)
    terms = getattr(analysis, "highlight_terms", None)
    surfaces = terms(plan) if terms is not None else _normalize(query).split()
    latin_terms = {t for t in plan.all_terms() if _is_latin(t)}
    return Highlighter(surfaces, latin_terms)
