"""Bilingual synonyms for official terms, applied at query time.

The groups live in ``search/data/synonyms.txt``: one group per line, entries separated by ``|``,
``#`` starts a comment. An entry may be a phrase (``status of residence``); entries are compared
through the analysis pipeline, so case, width, katakana/hiragana, English inflection and English
stop words do not matter (``Statuses of Residence`` is the entry ``status of residence``).

Keep the file to terms a member would reasonably use interchangeably (official Japanese names,
their official English names, established abbreviations and spelling variants). A word that is a
member of several groups expands to all of them.
"""

from __future__ import annotations

import functools
from pathlib import Path

from search.analysis import phrase_key

__all__ = ["SYNONYMS_FILE", "expand", "longest_phrase", "phrase_index", "synonym_groups"]

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonyms.txt"


def parse_groups(text: str) -> list[tuple[str, ...]]:
    """The groups in the synonym file format (entries stripped, empty entries and lines skipped,
    groups of a single entry ignored)."""
    groups: list[tuple[str, ...]] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        entries = tuple(dict.fromkeys(e.strip() for e in line.split("|") if e.strip()))
        if len(entries) > 1:
            groups.append(entries)
    return groups


@functools.lru_cache(maxsize=1)
def synonym_groups() -> list[tuple[str, ...]]:
    """Every synonym group of the maintained file, in file order (read once per process)."""
    return parse_groups(SYNONYMS_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def phrase_index() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Analysed key of every entry → the other entries of every group the entry belongs to."""
    members: dict[tuple[str, ...], dict[str, None]] = {}
    for group in synonym_groups():
        keys = [phrase_key(entry) for entry in group]
        for key in keys:
            if not key:
                continue
            bucket = members.setdefault(key, {})
            for entry, other in zip(group, keys, strict=True):
                if other != key:
                    bucket[entry] = None
    return {key: tuple(bucket) for key, bucket in members.items()}


@functools.lru_cache(maxsize=1)
def longest_phrase() -> int:
    """The number of words of the longest entry (how far phrase matching has to look ahead)."""
    return max((len(key) for key in phrase_index()), default=1)


def expand(word_or_phrase: str) -> tuple[str, ...]:
    """The synonyms of a word or phrase as written in the file (the input itself excluded);
    ``()`` when it belongs to no group."""
    return phrase_index().get(phrase_key(word_or_phrase), ())


def clear_caches() -> None:
    """Forget the loaded file (after editing it in a running process, and in tests)."""
    synonym_groups.cache_clear()
    phrase_index.cache_clear()
    longest_phrase.cache_clear()
