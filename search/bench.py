"""The search benchmark (``manage.py bench_search``): a generated corpus of Japanese and English
documents of realistic length, indexed through the project's backend, then timed queries.

The corpus is stored as partner records (``directory.Partner``: name as title, notes as body),
created with ``bulk_create`` under a ``bench-`` slug prefix and indexed with the backend's own
``add_bulk``, so what is timed is exactly what the site runs: the backend's ``search(q,
queryset)`` over live partners. The
"floor" is one raw full-text statement over the same index table (FTS5 ``MATCH`` ordered by
``bm25`` on SQLite, ``@@`` ordered by ``ts_rank`` on PostgreSQL) with the same terms, and no
ORM, no ranking in Python, no recency tie-break.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from modelsearch.backends import get_search_backend
from modelsearch.query import PlainText
from wagtail.search.models import IndexEntry

from search.backends.common import compile_query, fts5_expression, tsquery_expression

PREFIX = "bench-"
BATCH = 2000

# Sentences the generator draws from: the domain's vocabulary, so bigrams and stems repeat as in
# real notices and case summaries.
JA_SENTENCES = (
    "在留資格の更新手続きについて相談を受けた。",
    "技能実習生が職場での賃金未払いについて相談に来た。",
    "ハローワークと連携して就職先を探した。",
    "医療通訳を手配し、受診に同行した。",
    "国民健康保険の加入手続きを案内した。",
    "子どもの就学について教育委員会に確認した。",
    "法テラスの無料法律相談につないだ。",
    "永住許可の要件について説明した。",
    "住民税の納付について市役所に問い合わせた。",
    "災害時の避難所の情報を多言語で提供した。",
    "妊娠中の相談者に母子手帳の取得方法を伝えた。",
    "特定技能への移行について登録支援機関と調整した。",
    "家賃の滞納で退去を求められた相談者を支援した。",
    "年金の脱退一時金の請求手続きを手伝った。",
    "日本語教室の開催日程を調べて紹介した。",
    "労働基準監督署への申告について助言した。",
    "配偶者からの暴力について女性相談支援センターにつないだ。",
    "在留カードの住所変更の届出を案内した。",
)
JA_COMMON = "相談窓口で対応した。"  # in every Japanese document: the worst case
EN_WORDS = (  # noqa: SIM905 - a word list is easier to read as text
    "residence status renewal consultation employer wages unpaid interpreter clinic insurance "
    "pension school enrolment housing rent eviction refugee application support centre legal "
    "advice labour inspection office disaster shelter pregnancy childcare language classes "
    "municipality office visa permanent residence skilled worker technical intern training "
    "hello work job search contract dismissal harassment tax payment certificate procedure"
).split()


# Filler: common kanji and kana, so that most bigrams are rare and a domain word hits only the
# documents that mention it, as in a real corpus.
FILLER_KANJI = (
    "日一国会人年大十二本中長出三同時政事自行社見月分議後前民生連五発間対上部東者党地合市業内相"
    "場四定金員新子立回文化区品体語方代外北入重予性名的電力明京通言理感点海報実公意教最心強手保"
    "野和世期週活取信当物有来所治山家平続成約元下水話近集決戦全関係改正法制度申請確認手続届出住"
    "所変更期間許可資料提出窓口説明利用機関支援生活医療福祉教育就労雇用賃金契約保険年金税務納付"
)
FILLER_KANA = "のにはをがでとへもからまでよりやねよかなてしたりますです"
EN_FILLER = tuple(
    a + b + c
    for a in ("ba", "ko", "mi", "ser", "tan", "vel", "dor", "pri", "lun", "gra")
    for b in ("ri", "to", "mel", "san", "de", "vo", "ka", "li", "nu", "pe")
    for c in ("n", "s", "ty", "al", "er", "ing", "ed", "ion", "a", "o")
)


def _filler_ja(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(4, 9)):
        parts.append("".join(rng.choice(FILLER_KANJI) for _ in range(rng.randint(2, 4))))
        parts.append(rng.choice(FILLER_KANA))
    return "".join(parts) + "。"


def ja_document(rng: random.Random) -> tuple[str, str]:
    sentences = [_filler_ja(rng) for _ in range(rng.randint(8, 40))]
    for _ in range(rng.randint(1, 3)):
        sentences.insert(rng.randrange(len(sentences)), rng.choice(JA_SENTENCES))
    sentences.insert(rng.randrange(len(sentences)), JA_COMMON)
    title = rng.choice(JA_SENTENCES).rstrip("。")[:40]
    return title, "".join(sentences)


def en_document(rng: random.Random) -> tuple[str, str]:
    words = [rng.choice(EN_FILLER) for _ in range(rng.randint(60, 260))]
    for _ in range(rng.randint(2, 6)):
        words[rng.randrange(len(words))] = rng.choice(EN_WORDS)
    for at in range(rng.randint(4, 12), len(words), rng.randint(9, 16)):
        words[at] = words[at] + "."
    title = " ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(2, 4))).capitalize()
    return title, " ".join(words)


# Typical queries: two-character and longer Japanese words, one character, English words, synonyms.
QUERIES = (
    "在留",
    "更新",
    "通訳",
    "在留資格",
    "技能実習",
    "税",
    "ハローワーク",
    "はろーわーく",
    "母子手帳",
    "労働基準監督署",
    "pension",
    "interpreters",
    "eviction",
    "visa",
    "Hello Work",
    "refugee application",
)
WORST = "相談"  # every Japanese document, and its synonyms bring in English ones


@dataclass
class Timing:
    label: str
    values: list[float]
    by_query: dict[str, list[float]] = field(default_factory=dict)

    def median_of(self, query: str) -> float:
        return statistics.median(self.by_query[query]) * 1000

    @property
    def median(self) -> float:
        return statistics.median(self.values) * 1000

    @property
    def p95(self) -> float:
        ordered = sorted(self.values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def clear():
    """Remove an earlier corpus and its index entries."""
    from directory.models import Partner

    content_type = ContentType.objects.get_for_model(Partner)
    ids = list(Partner.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        IndexEntry.objects.filter(
            content_type=content_type, object_id__in=[str(pk) for pk in chunk]
        ).delete()
        # Benchmark rows have no revisions, workflow states or relations: delete them directly.
        Partner.objects.filter(pk__in=chunk)._raw_delete(connection.alias)


def build(count: int, seed: int = 11) -> float:
    """Create and index ``count`` documents; returns documents per second of the indexing."""
    from directory.models import Partner

    rng = random.Random(seed)  # noqa: S311 - generated text, not security
    backend = get_search_backend()
    indexing = 0.0
    for start in range(0, count, BATCH):
        rows = []
        for n in range(start, min(count, start + BATCH)):
            title, body = ja_document(rng) if n % 2 == 0 else en_document(rng)
            rows.append(
                Partner(
                    slug=f"{PREFIX}{n}",
                    name_ja=title,
                    notes=body,
                    kind="other",
                    level="municipal",
                    live=True,
                )
            )
        with transaction.atomic():
            created = Partner.objects.bulk_create(rows)
            began = time.perf_counter()
            backend.add_bulk(Partner, created)
            indexing += time.perf_counter() - began
    began = time.perf_counter()
    settle_index()
    indexing += time.perf_counter() - began
    with connection.cursor() as cursor:
        # The database's own maintenance (not timed): planner statistics and, on PostgreSQL, the
        # vacuum that autovacuum would otherwise start in the middle of the timed queries.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            for model in (Partner, IndexEntry):
                cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
        cursor.execute("ANALYZE")
    return count / indexing if indexing else 0.0


def settle_index():
    """PostgreSQL: merge the GIN indexes' pending lists (entries inserted but not yet sorted
    into the index, which every query would otherwise scan), counted as part of indexing."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE i.indrelid = %s::regclass AND a.amname = 'gin'",
            [IndexEntry._meta.db_table],
        )


def project_search(query: str):
    from directory.models import Partner

    return list(get_search_backend().search(query, Partner.objects.filter(live=True))[:10])


def floor_search(query: str):
    """The same terms in one raw full-text statement over the index table (no ORM, no tie-break)."""
    from directory.models import Partner

    tree = compile_query(PlainText(query))
    content_type = ContentType.objects.get_for_model(Partner).pk
    entries = IndexEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            expression = tsquery_expression(tree)
            cursor.execute(
                f"SELECT e.object_id FROM {entries} e "  # noqa: S608 - table name from the model
                "WHERE e.content_type_id = %s "
                "AND portal_search_match(e.body) @@ to_tsquery('simple', %s) "
                "ORDER BY ts_rank(e.body, to_tsquery('simple', %s)) DESC LIMIT 10",
                [content_type, expression, expression],
            )
        else:
            from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry

            fts = SQLiteFTSIndexEntry._meta.db_table
            cursor.execute(
                f"SELECT e.object_id FROM {fts} CROSS JOIN {entries} e ON e.id = {fts}.rowid "  # noqa: S608
                f"WHERE {fts} MATCH %s AND e.content_type_id = %s ORDER BY bm25({fts}) LIMIT 10",
                ["{title body} : (" + fts5_expression(tree) + ")", content_type],
            )
        return cursor.fetchall()


def hits(query: str) -> int:
    from directory.models import Partner

    return get_search_backend().search(query, Partner.objects.filter(live=True)).count()


def time_queries(fn, queries, repeat: int) -> Timing:
    values = []
    by_query = {}
    for query in queries:
        fn(query)  # warm the cache of the statement and the pages
        for _ in range(repeat):
            began = time.perf_counter()
            fn(query)
            values.append(time.perf_counter() - began)
            by_query.setdefault(query, []).append(values[-1])
    return Timing(fn.__name__, values, by_query)
