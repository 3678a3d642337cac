"""Variants: the distinct activity sequences of a log, each with how many cases follow it.

The engine groups cases by an order-sensitive fingerprint (the sum of a hash of each activity
with its position), so only one example case per variant is read back in full. Everything that
depends on the order of activities in a case (directly-follows counts, start and end
activities, conformance) is computed from the variants, weighted by their case counts.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lastmile_flows.evidence.engine import rows
from lastmile_flows.evidence.queries import for_engine
from lastmile_flows.evidence.read import EventLog

__all__ = ["Variant", "directly_follows", "project", "variants"]


@dataclass(frozen=True)
class Variant:
    """One activity sequence, the number of cases that follow it, and one of them."""

    activities: tuple[str, ...]
    cases: int
    example: str


def variants(log: EventLog) -> tuple[Variant, ...]:
    """Every variant, most frequent first (ties by example case id)."""
    connection = log.connection
    connection.execute("DROP TABLE IF EXISTS variant_examples")
    connection.execute(f"CREATE TEMP TABLE variant_examples AS {for_engine('variants')}")
    found = rows(connection, "SELECT * FROM variant_examples ORDER BY cases DESC, example")
    sequences: dict[str, list[str]] = {}
    for case_id, activity in log.query("traces"):
        sequences.setdefault(str(case_id), []).append(str(activity))
    connection.execute("DROP TABLE variant_examples")
    merged: Counter[tuple[str, ...]] = Counter()
    examples: dict[tuple[str, ...], str] = {}
    for _, cases, example, _ in found:
        sequence = tuple(sequences[str(example)])
        merged[sequence] += int(cases)  # two fingerprints for one sequence: never, but merge
        examples[sequence] = min(examples.get(sequence, str(example)), str(example))
    return tuple(
        sorted(
            (Variant(seq, count, examples[seq]) for seq, count in merged.items()),
            key=lambda v: (-v.cases, v.example),
        )
    )


def project(found: Iterable[Variant], mapping: Mapping[str, str | None]) -> tuple[Variant, ...]:
    """Variants with each activity renamed by ``mapping`` (``None``: dropped), merged where
    they become the same; activities the mapping does not name are kept as they are."""
    merged: Counter[tuple[str, ...]] = Counter()
    examples: dict[tuple[str, ...], str] = {}
    for variant in found:
        renamed = tuple(
            target
            for activity in variant.activities
            if (target := mapping.get(activity, activity)) is not None
        )
        merged[renamed] += variant.cases
        examples[renamed] = min(examples.get(renamed, variant.example), variant.example)
    return tuple(
        sorted(
            (Variant(seq, count, examples[seq]) for seq, count in merged.items()),
            key=lambda v: (-v.cases, v.example),
        )
    )


def directly_follows(found: Iterable[Variant]) -> Counter[tuple[str, str]]:
    """How often each activity directly follows another; ``""`` stands for the start and the
    end of a case (``("", a)``: cases starting with ``a``)."""
    counts: Counter[tuple[str, str]] = Counter()
    for variant in found:
        sequence = ("", *variant.activities, "")
        for pair in itertools.pairwise(sequence):
            counts[pair] += variant.cases
    return counts
