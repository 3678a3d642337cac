"""Every current edge case has exactly one fate in a redesign, and the audit and the metrics
read the same one (restated, carried, retired or dropped)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from lastmile_flows import Redesign, compare
from lastmile_flows.analysis.fates import FATES
from lastmile_flows.analysis.flowmath import visits
from lastmile_flows.analysis.headlines import headlines
from lastmile_flows.numbers import plain
from tests.builders import process, redesign, step
from tests.strategies import edge_case_redesigns
from tests.support import examples

FINDING_OF = {
    "carried": "edge_case.carried_implicitly",
    "retired": "edge_case.retired",
    "dropped": "edge_case.dropped",
}


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edge_case_redesigns())
def test_every_current_edge_case_is_restated_carried_retired_or_dropped(
    model: Redesign,
) -> None:
    current, redesigned = model.current, model.redesigned
    comparison = compare(model)
    fates = {f.edge_case: f for f in comparison.edge_cases}
    current_cases = [case.id for _, case in current.edge_cases()]
    assert sorted(fates) == sorted(current_cases)  # each one, exactly once
    listed = {c.id for _, c in redesigned.edge_cases()}
    listed |= {old for _, c in redesigned.edge_cases() for old in c.replaces}
    retired = {r.id for r in redesigned.retired_edge_cases}
    steps_now = {s.id: s.role for s in redesigned.steps}
    for _step, case in current.edge_cases():
        fate = fates[case.id]
        assert fate.fate in FATES
        assert (fate.fate == "restated") == (case.id in listed)
        assert (fate.fate == "retired") == (case.id in retired and case.id not in listed)
        if fate.fate == "carried":
            assert steps_now.get(_step.id) == _step.role  # same id, same performer
    # each fate but restated has its finding, and only those
    for kind, name in FINDING_OF.items():
        found = {f.element_ids[0] for f in comparison.findings if f.name == name}
        assert found == {i for i, f in fates.items() if f.fate == kind}, kind
    # the metrics count what the redesign lists and what it carries, never what it drops
    seen = visits(redesigned)
    cases = {case.id: case for _, case in current.edge_cases()}
    expected = math.fsum(
        seen.get(s.id, 0.0) * c.rate * c.handling_minutes for s, c in redesigned.edge_cases()
    ) + math.fsum(
        seen.get(f.now_at[0], 0.0) * cases[i].rate * cases[i].handling_minutes
        for i, f in fates.items()
        if f.fate == "carried"
    )
    exceptions = comparison.metrics.redesigned.exception_minutes_per_case
    assert exceptions == pytest.approx(expected, abs=1e-3)
    # the dropped volume is in the headlines
    before = visits(current)
    dropped = math.fsum(
        before.get(s.id, 0.0) * c.rate
        for s, c in current.edge_cases()
        if fates[c.id].fate == "dropped"
    )
    assert comparison.metrics.dropped_exceptions_per_month == pytest.approx(
        dropped * (model.volume_per_month or 0), abs=0.01
    )
    rows = {h.label.strip(): h for h in headlines(comparison)}
    if dropped:
        shown = rows["of which the redesign drops"].after
        assert shown == plain(comparison.metrics.dropped_exceptions_per_month or 0)


ODD_SKU = {
    "id": "odd_sku",
    "name": "Own part numbers",
    "rate": 0.1,
    "owner": "lead",
    "handling_minutes": 10,
}
CURRENT = process(step("key", touch_minutes=5, edge_cases=[ODD_SKU]), step("post", touch_minutes=1))


def _pair(*redesigned_steps: dict[str, Any]) -> Redesign:
    return redesign(CURRENT, list(redesigned_steps))


def test_an_edge_case_the_ai_step_does_not_restate_is_dropped_not_carried() -> None:
    extract = step(
        "extract", "bot", kind="ai", ai_mode="act", accountable="clerk", replaces=["key"]
    )
    comparison = compare(_pair(extract, step("post", touch_minutes=1)))
    (fate,) = comparison.edge_cases
    assert (fate.fate, fate.now_at) == ("dropped", ("extract",))
    (finding,) = [f for f in comparison.findings if f.name == "edge_case.dropped"]
    assert finding.severity == "warning"
    assert "'Own part numbers' (odd_sku)" in finding.message
    assert "at 'key'" in finding.message
    assert "'extract' (extract)" in finding.message
    assert not any(f.name == "edge_case.carried_implicitly" for f in comparison.findings)
    # its minutes are not counted, and 100 exception cases a month are dropped
    assert comparison.metrics.redesigned.exception_minutes_per_case == 0
    assert comparison.metrics.dropped_exceptions_per_month == 100


def test_a_step_kept_with_the_same_role_carries_its_edge_case_and_its_minutes() -> None:
    comparison = compare(_pair(step("key", touch_minutes=3), step("post", touch_minutes=1)))
    (fate,) = comparison.edge_cases
    assert (fate.fate, fate.owner) == ("carried", "lead")
    assert comparison.metrics.redesigned.exception_minutes_per_case == pytest.approx(1.0)
    assert comparison.metrics.dropped_exceptions_per_month == 0
    (change,) = [c for c in comparison.steps if c.redesigned == ("key",)]
    assert change.human_minutes_after == pytest.approx(3 + 1.0)


def test_a_step_kept_by_another_role_drops_its_edge_case() -> None:
    comparison = compare(_pair(step("key", "lead", touch_minutes=3), step("post", touch_minutes=1)))
    assert [f.fate for f in comparison.edge_cases] == ["dropped"]
