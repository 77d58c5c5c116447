"""Elasticsearch 9 with the portal's Japanese text pipeline, using built-in analysis only.

``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.backends.elasticsearch"`` (set by
``portal.settings.base`` when ``PORTAL_ELASTICSEARCH_URL`` is given). The index settings mirror
:mod:`search.analysis` step by step, so a query finds on Elasticsearch what it finds on the
database backends:

==============================  ==========================================================
search.analysis                 Elasticsearch analysis (no plugin required)
==============================  ==========================================================
NFKC width unification          ``cjk_width`` (full-width ASCII → ASCII, half-width kana →
                                full-width) and, for half-width katakana, the fold below
case folding                    ``lowercase``
katakana → hiragana             ``mapping`` char filter built from ``search.analysis``'s
                                fold table (and its normalisation of half-width katakana)
CJK unigrams + bigrams          ``standard`` tokenizer + ``cjk_bigram`` with
                                ``output_unigrams: true`` when indexing
query: bigrams (unigram for a   ``cjk_bigram`` with ``output_unigrams: false`` at search
one-character word)             time (a lone CJK character stays a unigram)
English Snowball stem           ``stemmer`` ``porter2`` (the Snowball English stemmer)
synonyms at query time          ``synonym_graph`` with the groups of
                                :func:`search.synonyms.synonym_groups` inline
AND over the query's words      ``operator: and`` in the compiled query
==============================  ==========================================================

Differences: English stop words are not removed (a stop word typed in a query must then occur in
the document, which English text nearly always satisfies), and a synonym phrase matches as a
phrase. With ``KUROMOJI: True`` (only when the ``analysis-kuromoji`` plugin is installed) the
catch-all field gets a morphological sub-field that adds to the score of documents whose words
(not just bigrams) match, for precision in the ranking; recall still comes from the bigrams.

Index updates that fail because the server is unreachable are logged by Wagtail and queued in
:class:`search.models.PendingIndexOperation` (``manage.py search_reindex_pending`` retries them);
the save itself goes through. Searches that fail are answered by the database backend through
:func:`search.backends.fallback.search_with_fallback`.
"""

from __future__ import annotations

import copy
import functools

import elastic_transport
import elasticsearch
from modelsearch.backends.elasticsearch9 import (
    Elasticsearch9AutocompleteQueryCompiler,
    Elasticsearch9Mapping,
    Elasticsearch9SearchBackend,
    Elasticsearch9SearchQueryCompiler,
)
from modelsearch.query import PlainText

from search import analysis
from search.synonyms import synonym_groups

__all__ = [
    "INDEX_ANALYZER",
    "REMOTE_ERRORS",
    "SEARCH_ANALYZER",
    "JapaneseElasticsearch9Backend",
    "build_index_settings",
    "kana_fold_mappings",
    "synonym_rules",
]

INDEX_ANALYZER = "portal_ja"
SEARCH_ANALYZER = "portal_ja_search"
AUTOCOMPLETE_SEARCH_ANALYZER = "portal_autocomplete_search"
MORPH_ANALYZER = "portal_ja_morph"
MORPH_SUBFIELD = "morph"

KANA_FOLD = "portal_kana_fold"
BIGRAM_INDEX = "portal_cjk_bigram_index"
BIGRAM_SEARCH = "portal_cjk_bigram_search"
ENGLISH_STEMMER = "portal_english_stemmer"
SYNONYMS = "portal_synonyms"

# Errors of the server or of the connection to it: a save queues the object for re-indexing, a
# search falls back to the database backend.
REMOTE_ERRORS = (elastic_transport.TransportError, elasticsearch.ApiError)

# Half-width katakana (ｦ..ﾝ and the prolonged sound mark ｰ) and the voicing marks ﾞﾟ that combine
# with the preceding letter.
_HALF_WIDTH_KANA = range(0xFF66, 0xFF9E)
_HALF_WIDTH_VOICING = ("\uff9e", "\uff9f")


def kana_fold_mappings() -> list[str]:
    """Rules of the ``mapping`` char filter: katakana → hiragana exactly as ``search.analysis``
    folds it, plus half-width katakana (with their voicing marks) → hiragana, which
    ``search.analysis`` reaches through NFKC and Elasticsearch would otherwise only widen (to
    katakana) after the char filter has run."""
    rules: dict[str, str] = {}
    for source, target in sorted(analysis._FOLD.items()):
        rules[chr(source)] = chr(target)
    for code in _HALF_WIDTH_KANA:
        char = chr(code)
        folded = analysis.normalize(char)
        if folded and folded != char:
            rules[char] = folded
        for mark in _HALF_WIDTH_VOICING:
            folded = analysis.normalize(char + mark)
            if len(folded) == 1:  # ｶﾞ → が; ｱﾞ does not compose and is left alone
                rules[char + mark] = folded
    return [
        f"{_escape_mapping(source)} => {_escape_mapping(target)}"
        for source, target in rules.items()
    ]


def _escape_mapping(text: str) -> str:
    # The mapping char filter reads backslash escapes; "'" needs none but a backslash would.
    return text.replace("\\", "\\\\")


def _escape_synonym(entry: str) -> str:
    # Solr synonym format: "," separates entries, "=>" maps, "\" escapes.
    return entry.replace("\\", "\\\\").replace(",", "\\,").replace("=>", "\\=>")


def synonym_rules() -> list[str]:
    """One equivalence rule per group of the maintained synonym file (Solr format)."""
    return [", ".join(_escape_synonym(entry) for entry in group) for group in synonym_groups()]


@functools.lru_cache(maxsize=2)
def _cached_index_settings(kuromoji: bool) -> dict:
    char_filter = {KANA_FOLD: {"type": "mapping", "mappings": kana_fold_mappings()}}
    token_filter = {
        BIGRAM_INDEX: {"type": "cjk_bigram", "output_unigrams": True},
        BIGRAM_SEARCH: {"type": "cjk_bigram", "output_unigrams": False},
        ENGLISH_STEMMER: {"type": "stemmer", "language": "porter2"},
        SYNONYMS: {"type": "synonym_graph", "synonyms": synonym_rules(), "lenient": True},
        # Wagtail's own filters for the ngram/edgengram analyzers.
        "ngram": {"type": "ngram", "min_gram": 3, "max_gram": 15},
        "edgengram": {"type": "edge_ngram", "min_gram": 1, "max_gram": 15},
    }
    index_analyzer = {
        "type": "custom",
        "char_filter": [KANA_FOLD],
        "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase", BIGRAM_INDEX, ENGLISH_STEMMER],
    }
    # Synonym entries are parsed by the filters before synonym_graph, so they are folded, widened,
    # bigrammed and stemmed exactly like the query (which is why this chain uses the
    # bigram filter without unigrams: Elasticsearch refuses to parse synonyms through one with).
    search_analyzer = {
        "type": "custom",
        "char_filter": [KANA_FOLD],
        "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase", BIGRAM_SEARCH, ENGLISH_STEMMER, SYNONYMS],
    }
    analyzers = {
        INDEX_ANALYZER: index_analyzer,
        SEARCH_ANALYZER: search_analyzer,
        # Any text field without an explicit analyzer (e.g. added by hand) behaves the same.
        "default": copy.deepcopy(index_analyzer),
        "default_search": copy.deepcopy(search_analyzer),
        # Wagtail's autocomplete analyzers, made width/kana/bigram aware.
        "edgengram_analyzer": {
            "type": "custom",
            "char_filter": [KANA_FOLD],
            "tokenizer": "standard",
            "filter": ["cjk_width", "lowercase", "asciifolding", BIGRAM_INDEX, "edgengram"],
        },
        AUTOCOMPLETE_SEARCH_ANALYZER: {
            "type": "custom",
            "char_filter": [KANA_FOLD],
            "tokenizer": "standard",
            "filter": ["cjk_width", "lowercase", "asciifolding", BIGRAM_SEARCH],
        },
        "ngram_analyzer": {
            "type": "custom",
            "char_filter": [KANA_FOLD],
            "tokenizer": "standard",
            "filter": ["cjk_width", "lowercase", "asciifolding", "ngram"],
        },
    }
    if kuromoji:
        analyzers[MORPH_ANALYZER] = {
            "type": "custom",
            "tokenizer": "kuromoji_tokenizer",
            "filter": [
                "kuromoji_baseform",
                "kuromoji_part_of_speech",
                "cjk_width",
                "ja_stop",
                "kuromoji_stemmer",
                "lowercase",
                ENGLISH_STEMMER,
            ],
        }
    return {
        "settings": {
            "analysis": {
                "char_filter": char_filter,
                "filter": token_filter,
                "analyzer": analyzers,
            },
            "index": {"max_ngram_diff": 12},
        }
    }


def build_index_settings(*, kuromoji: bool = False) -> dict:
    """The body of the index-creation request (``{"settings": {"analysis": …, "index": …}}``)."""
    return copy.deepcopy(_cached_index_settings(bool(kuromoji)))


def clear_caches() -> None:
    """Forget the built settings (after the synonym file changed in a running process)."""
    _cached_index_settings.cache_clear()


# --- mapping ----------------------------------------------------------------------------------


class JapaneseElasticsearchMapping(Elasticsearch9Mapping):
    """Wagtail's mapping with the portal analyzers on every full-text field."""

    edgengram_analyzer_config = {
        "analyzer": "edgengram_analyzer",
        "search_analyzer": AUTOCOMPLETE_SEARCH_ANALYZER,
    }

    def get_mapping(self):
        mapping = super().get_mapping()
        _set_text_analyzers(mapping["properties"])
        return mapping


def _set_text_analyzers(properties: dict) -> None:
    for field_mapping in properties.values():
        if field_mapping.get("type") == "text" and "analyzer" not in field_mapping:
            field_mapping["analyzer"] = INDEX_ANALYZER
            field_mapping["search_analyzer"] = SEARCH_ANALYZER
        if "properties" in field_mapping:
            _set_text_analyzers(field_mapping["properties"])


class KuromojiElasticsearchMapping(JapaneseElasticsearchMapping):
    """Adds a morphological sub-field to the catch-all field (kuromoji plugin required)."""

    def get_mapping(self):
        mapping = super().get_mapping()
        mapping["properties"]["_all_text"]["fields"] = {
            MORPH_SUBFIELD: {"type": "text", "analyzer": MORPH_ANALYZER}
        }
        return mapping


# --- queries ----------------------------------------------------------------------------------


class JapaneseSearchQueryCompiler(Elasticsearch9SearchQueryCompiler):
    """All words of the query must match (as in :func:`search.analysis.parse_query`), analysed by
    the search analyzer (bigrams, stems, synonyms)."""

    mapping_class = JapaneseElasticsearchMapping
    DEFAULT_OPERATOR = "and"

    def _compile_plaintext_query(self, query, fields, boost=1.0):
        compiled = super()._compile_plaintext_query(query, fields, boost)
        clause = compiled.get("multi_match") or next(iter(compiled["match"].values()))
        clause["analyzer"] = SEARCH_ANALYZER
        return compiled


class KuromojiSearchQueryCompiler(JapaneseSearchQueryCompiler):
    mapping_class = KuromojiElasticsearchMapping

    def get_inner_query(self):
        inner = super().get_inner_query()
        if not isinstance(self.query, PlainText):
            return inner
        morph_field = f"_all_text.{MORPH_SUBFIELD}"
        return {
            "bool": {
                "must": inner,
                "should": [{"match": {morph_field: {"query": self.query.query_string}}}],
            }
        }


class JapaneseAutocompleteQueryCompiler(Elasticsearch9AutocompleteQueryCompiler):
    mapping_class = JapaneseElasticsearchMapping


# --- backend ----------------------------------------------------------------------------------


class JapaneseElasticsearch9Backend(Elasticsearch9SearchBackend):
    """Wagtail's Elasticsearch 9 backend with the portal's analysis and outage handling.

    Extra parameters: ``INDEX`` (names the indexes ``<INDEX>_<app>_<model>`` unless
    ``INDEX_PREFIX`` is given), ``KUROMOJI`` (bool, default off). ``OPTIONS`` defaults to no
    retries, so that a save during an outage waits at most ``TIMEOUT`` seconds."""

    mapping_class = JapaneseElasticsearchMapping
    query_compiler_class = JapaneseSearchQueryCompiler
    autocomplete_query_compiler_class = JapaneseAutocompleteQueryCompiler
    # search.pending and search.backends.fallback recognise remote backends by this flag.
    is_remote = True

    def __init__(self, params):
        params = dict(params)
        self.kuromoji = bool(params.pop("KUROMOJI", False))
        index = params.pop("INDEX", None)
        if index and "INDEX_PREFIX" not in params:
            params["INDEX_PREFIX"] = f"{index}_"
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("max_retries", 0)
        options.setdefault("retry_on_timeout", False)
        params["OPTIONS"] = options
        # The base class deep-copies self.settings and merges INDEX_SETTINGS into it.
        self.settings = build_index_settings(kuromoji=self.kuromoji)
        super().__init__(params)
        if self.kuromoji:
            self.mapping_class = KuromojiElasticsearchMapping
            self.query_compiler_class = KuromojiSearchQueryCompiler

    # Index updates: record what failed, then let Wagtail log and swallow the error as usual
    # (modelsearch.index.insert_or_update_object / remove_object, catch_indexing_errors).

    def add(self, obj):
        try:
            self.add_without_queue(obj)
        except REMOTE_ERRORS as error:
            from search.pending import record_failure

            record_failure(obj, "add", error)
            raise

    def delete(self, obj):
        try:
            self.delete_without_queue(obj)
        except REMOTE_ERRORS as error:
            from search.pending import record_failure

            record_failure(obj, "delete", error)
            raise

    def add_without_queue(self, obj):
        super().add(obj)

    def delete_without_queue(self, obj):
        super().delete(obj)


SearchBackend = JapaneseElasticsearch9Backend
