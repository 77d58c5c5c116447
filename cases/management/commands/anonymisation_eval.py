"""Measure the anonymisation assistant against a labelled corpus.

The corpus is a JSON Lines file; each line is an object
``{"text": "...", "spans": [[start, end, kind], ...]}`` with character offsets
into ``text`` (end exclusive). A finding counts as a true positive when its
kind equals a gold span's kind and the two character ranges overlap; every gold
span can be matched once. ``quasi_identifier`` findings are warnings, so they
only count as predictions when the corpus labels that kind.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.anonymisation import DIRECT_IDENTIFIERS, KIND_LABELS, scan

WARNING_KINDS = frozenset({"quasi_identifier"})


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def load_corpus(path: Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    if not path.is_file():
        raise CommandError(f"Corpus file not found: {path}")
    items = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text = record["text"]
                if not isinstance(text, str):
                    raise ValueError("'text' must be a string")
                spans = []
                for span in record.get("spans", []):
                    start, end, kind = span
                    if not (isinstance(start, int) and isinstance(end, int)):
                        raise ValueError("span offsets must be integers")
                    if not 0 <= start < end <= len(text):
                        raise ValueError(f"span {span!r} is outside the text")
                    if kind not in KIND_LABELS:
                        raise ValueError(f"unknown kind {kind!r}")
                    spans.append((start, end, kind))
            except (ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"{path}: malformed line {number}: {exc}") from exc
            items.append((text, spans))
    return items


class Command(BaseCommand):
    help = "Evaluate the case-study anonymisation assistant on a labelled JSONL corpus."

    def add_arguments(self, parser):
        parser.add_argument("corpus", help="Path to a JSON Lines corpus")

    def handle(self, *args, **options):
        corpus = load_corpus(Path(options["corpus"]))
        gold_kinds = {kind for _, spans in corpus for _, _, kind in spans}
        gold, predicted, true_pos = Counter(), Counter(), Counter()
        for text, spans in corpus:
            for _, _, kind in spans:
                gold[kind] += 1
            matched = [False] * len(spans)
            for finding in scan(text):
                if finding.kind in WARNING_KINDS and finding.kind not in gold_kinds:
                    continue
                predicted[finding.kind] += 1
                for index, (start, end, kind) in enumerate(spans):
                    if matched[index] or kind != finding.kind:
                        continue
                    if finding.start < end and start < finding.end:
                        matched[index] = True
                        true_pos[kind] += 1
                        break

        write = self.stdout.write
        header = f"{'kind':<20}{'gold':>6}{'pred':>6}{'tp':>6}{'precision':>11}{'recall':>8}"
        write(header)
        write("-" * len(header))
        kinds = [k for k in KIND_LABELS if gold[k] or predicted[k]]
        for kind in kinds:
            write(self._row(kind, gold[kind], predicted[kind], true_pos[kind]))
        write("-" * len(header))

        def group(name, members):
            members = [k for k in kinds if k in members]
            return self._row(
                name,
                sum(gold[k] for k in members),
                sum(predicted[k] for k in members),
                sum(true_pos[k] for k in members),
            )

        write(group("direct identifiers", DIRECT_IDENTIFIERS))
        write(group("other identifiers", set(KIND_LABELS) - DIRECT_IDENTIFIERS))
        total_gold = sum(gold.values())
        total_pred = sum(predicted.values())
        total_tp = sum(true_pos.values())
        write(
            f"overall precision: {_ratio(total_tp, total_pred):.2f} "
            f"recall: {_ratio(total_tp, total_gold):.2f}"
        )

    @staticmethod
    def _row(name: str, gold: int, predicted: int, true_pos: int) -> str:
        return (
            f"{name:<20}{gold:>6}{predicted:>6}{true_pos:>6}"
            f"{_ratio(true_pos, predicted):>11.2f}{_ratio(true_pos, gold):>8.2f}"
        )
