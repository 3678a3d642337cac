"""Which removed and added steps look alike, by their labels, for ``compare.suggest_replaces``.

Two steps look alike when ``difflib.SequenceMatcher(None, old, new).ratio()`` of their
lower-cased labels reaches :data:`SAME_ROLE` (both done by one role) or :data:`OTHER_ROLE`.

Comparing every removed step with every added one is quadratic, and difflib's ratio is slow, so
each pair is first given an exact upper bound of its ratio, and the real ratio is computed only
where the bound reaches the pair's floor. The bound: the ratio is ``2 M / T``, where ``T`` is
the two labels' total length and ``M`` the size of difflib's matching blocks; those blocks lie
in increasing order in both labels, so they form a common subsequence, and ``M`` is at most the
length ``L`` of the longest common subsequence (difflib's "junk" heuristics only lower ``M``).
``2 L / T`` below the floor therefore proves ``2 M / T`` below it: no pair that can reach its
floor is skipped, and the findings are those of comparing every pair.

``L`` is computed bit-parallel (Hyyrö's algorithm, one machine word per label): in Python
integers for a few pairs, and in numpy for all pairs of a large redesign at once. Identical
pairs of labels are compared once.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from lastmile_flows.model import Step

__all__ = ["OTHER_ROLE", "SAME_ROLE", "lcs_length", "look_alike"]

SAME_ROLE = 0.5
"""The ratio at which a removed and an added step done by the same role look alike."""
OTHER_ROLE = 0.8
"""The ratio at which steps done by different roles look alike."""

_VECTORISED_PAIRS = 4096
"""From this many pairs on, the bounds are computed in numpy (imported only then)."""
_WORD = 63
"""The longest label numpy bounds in one unsigned 64-bit word (longer ones: Python integers)."""


def look_alike(removed: Sequence[Step], added: Sequence[Step]) -> list[tuple[Step, Step]]:
    """Every (removed, added) pair whose labels look alike, removed steps in order, then added."""
    olds = [step.label.lower() for step in removed]
    news = [step.label.lower() for step in added]
    if len(olds) * len(news) >= _VECTORISED_PAIRS:
        pairs = _candidates_numpy(olds, news, [s.role for s in removed], [s.role for s in added])
    else:
        pairs = [
            (i, j)
            for i, old in enumerate(olds)
            for j, new in enumerate(news)
            if _may_reach(lcs_length(old, new), len(old) + len(new), _floor(removed[i], added[j]))
        ]
    ratios: dict[tuple[str, str], float] = {}
    found = []
    for i, j in pairs:
        key = (olds[i], news[j])
        if key not in ratios:
            ratios[key] = difflib.SequenceMatcher(None, *key).ratio()
        if ratios[key] >= _floor(removed[i], added[j]):
            found.append((removed[i], added[j]))
    return found


def _floor(old: Step, new: Step) -> float:
    return SAME_ROLE if old.role == new.role else OTHER_ROLE


def _may_reach(bound: int, total: int, floor: float) -> bool:
    """Whether a ratio of at most ``2 bound / total`` may reach ``floor``."""
    return not total or 2.0 * bound / total >= floor


def lcs_length(first: str, second: str) -> int:
    """The length of the longest common subsequence of two strings (bit-parallel)."""
    masks = _masks(first)
    full = (1 << len(first)) - 1
    row = full
    for char in second:
        matched = row & masks.get(char, 0)
        row = ((row + matched) | (row - matched)) & full
    return len(first) - bin(row).count("1")


def _masks(text: str) -> dict[str, int]:
    """Each character's positions in ``text``, as bits."""
    masks: dict[str, int] = {}
    for position, char in enumerate(text):
        masks[char] = masks.get(char, 0) | 1 << position
    return masks


def _candidates_numpy(
    olds: list[str], news: list[str], old_roles: list[str], new_roles: list[str]
) -> list[tuple[int, int]]:
    """The pairs :func:`_may_reach` keeps (the same float arithmetic, elementwise), with
    :func:`lcs_length` computed for each removed label against all added ones at once."""
    import numpy as np

    alphabet: dict[str, int] = {}  # code 0 pads the shorter labels: it matches nothing
    width = max(len(text) for text in news)
    codes = np.zeros((width, len(news)), dtype=np.intp)
    for j, text in enumerate(news):
        codes[: len(text), j] = [alphabet.setdefault(char, len(alphabet) + 1) for char in text]
    bounds = np.empty((len(olds), len(news)), dtype=np.int64)
    for i, old in enumerate(olds):
        if len(old) > _WORD:
            bounds[i] = [lcs_length(old, new) for new in news]
            continue
        masks = np.zeros(len(alphabet) + 1, dtype=np.uint64)
        for char, bits in _masks(old).items():
            if char in alphabet:
                masks[alphabet[char]] = bits
        full = np.uint64((1 << len(old)) - 1)
        row = np.full(len(news), full, dtype=np.uint64)
        for column in codes:
            matched = row & masks[column]
            row = ((row + matched) | (row - matched)) & full
        bounds[i] = len(old) - np.unpackbits(row.view(np.uint8)).reshape(len(news), 64).sum(1)
    role_ids = {role: number for number, role in enumerate(sorted({*old_roles, *new_roles}))}
    same = np.equal.outer([role_ids[r] for r in old_roles], [role_ids[r] for r in new_roles])
    floors = np.where(same, SAME_ROLE, OTHER_ROLE)
    totals = np.add.outer([len(old) for old in olds], [len(new) for new in news])
    keep = (totals == 0) | (2.0 * bounds / np.maximum(totals, 1) >= floors)
    rows, columns = np.nonzero(keep)
    return list(zip(rows.tolist(), columns.tolist(), strict=True))
