"""Which removed and added steps look alike: the bound skips no pair that reaches its floor."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lastmile_flows.analysis import likeness
from lastmile_flows.analysis.likeness import OTHER_ROLE, SAME_ROLE, lcs_length, look_alike
from lastmile_flows.model import Step
from tests.support import examples

LABELS = st.text(alphabet="abcde 1Z", max_size=12)
LONG_LABELS = st.text(alphabet="ab ", min_size=60, max_size=80)


def _lcs_table(first: str, second: str) -> int:
    previous = [0] * (len(second) + 1)
    for char in first:
        row = [0]
        for j, other in enumerate(second):
            row.append(previous[j] + 1 if char == other else max(previous[j + 1], row[j]))
        previous = row
    return previous[-1]


def _every_pair(removed: list[Step], added: list[Step]) -> list[tuple[Step, Step]]:
    """The rule without any bound: difflib's ratio of every pair."""
    found = []
    for old in removed:
        for new in added:
            floor = SAME_ROLE if old.role == new.role else OTHER_ROLE
            ratio = difflib.SequenceMatcher(None, old.label.lower(), new.label.lower()).ratio()
            if ratio >= floor:
                found.append((old, new))
    return found


def _steps(prefix: str, labels: list[str], roles: list[bool]) -> list[Step]:
    return [
        Step(id=f"{prefix}{n}", name=label, role="a" if role else "b")
        for n, (label, role) in enumerate(zip(labels, roles, strict=True))
    ]


@given(LABELS, LABELS)
def test_lcs_length_is_the_longest_common_subsequence(first: str, second: str) -> None:
    assert lcs_length(first, second) == _lcs_table(first, second)


@given(LONG_LABELS, LONG_LABELS)
@settings(max_examples=examples(30))
def test_lcs_length_holds_for_labels_longer_than_a_machine_word(first: str, second: str) -> None:
    assert lcs_length(first, second) == _lcs_table(first, second)


@pytest.mark.parametrize("vectorised", [False, True], ids=["python", "numpy"])
@given(
    labels=st.lists(st.tuples(LABELS | LONG_LABELS, st.booleans()), min_size=2, max_size=14),
    cut=st.integers(min_value=1, max_value=13),
)
@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_look_alike_finds_what_comparing_every_pair_finds(
    vectorised: bool, labels: list[tuple[str, bool]], cut: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(likeness, "_VECTORISED_PAIRS", 0 if vectorised else 10**9)
    cut = min(cut, len(labels) - 1)
    names, roles = [label for label, _ in labels], [role for _, role in labels]
    removed = _steps("r", names[:cut], roles[:cut])
    added = _steps("a", names[cut:], roles[cut:])
    assert look_alike(removed, added) == _every_pair(removed, added)


def test_look_alike_pairs_same_role_steps_at_half_and_others_at_four_fifths() -> None:
    old = Step(id="key", name="Key order", role="clerk")
    same = Step(id="key_in", name="Key order in", role="clerk")
    other = Step(id="keyed", name="Keyed by the portal", role="portal")
    assert look_alike([old], [same, other]) == [(old, same)]
