"""compare(): properties that hold for every model, and metrics computed by hand."""

from __future__ import annotations

import math
import random
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lastmile_flows import Comparison, InvalidModelError, Process, Redesign, compare, measure
from lastmile_flows.analysis.flowmath import visits
from lastmile_flows.analysis.metrics import MONTHLY_FIGURES, review_minutes, step_human_minutes
from lastmile_flows.errors import AnalysisError
from tests.builders import process, step
from tests.strategies import edge_case_redesigns, process_data, processes
from tests.support import examples


@settings(max_examples=examples(80), deadline=None)
@given(processes)
def test_a_process_compared_with_itself_is_unchanged_with_no_redesign_findings(
    proc: Process,
) -> None:
    comparison = compare(proc, proc, volume_per_month=500)
    assert {change.change for change in comparison.steps} <= {"unchanged"}
    assert [f for f in comparison.findings if f.introduced] == []
    assert comparison.handoffs.added == comparison.handoffs.removed == ()
    assert comparison.metrics.delta.human_minutes_per_case == 0


@settings(max_examples=examples(80), deadline=None)
@given(process_data("a"), process_data("b"))
def test_every_step_of_both_versions_appears_exactly_once(
    a: dict[str, Any], b: dict[str, Any]
) -> None:
    current, redesigned = Process.parse(a), Process.parse(b)
    comparison = compare(current, redesigned)
    before = Counter(i for change in comparison.steps for i in change.current)
    after = Counter(i for change in comparison.steps for i in change.redesigned)
    assert before == Counter(step.id for step in current.steps)
    assert after == Counter(step.id for step in redesigned.steps)


@settings(max_examples=examples(80), deadline=None)
@given(process_data("a"), process_data("b"))
def test_swapping_the_versions_swaps_added_and_removed(
    a: dict[str, Any], b: dict[str, Any]
) -> None:
    first, second = Process.parse(a), Process.parse(b)
    forward, backward = compare(first, second), compare(second, first)
    groups = {(c.current, c.redesigned) for c in forward.steps}
    assert groups == {(c.redesigned, c.current) for c in backward.steps}
    removed = {c.current for c in forward.steps if c.change == "eliminated"}
    assert removed == {
        c.redesigned for c in backward.steps if c.change in ("added", "review_added")
    }
    assert forward.handoffs.added == backward.handoffs.removed
    assert forward.handoffs.removed == backward.handoffs.added
    # edge cases each side carries without listing count on the side that carries them
    extra = _carried_minutes(first, second, forward) + _carried_minutes(second, first, backward)
    assert forward.metrics.delta.human_minutes_per_case == pytest.approx(
        extra - backward.metrics.delta.human_minutes_per_case, abs=3e-4
    )


def _carried_minutes(current: Process, redesigned: Process, comparison: Comparison) -> float:
    seen = visits(redesigned)
    cases = {case.id: case for _, case in current.edge_cases()}
    return sum(
        seen.get(f.now_at[0], 0.0) * cases[f.edge_case].rate * cases[f.edge_case].handling_minutes
        for f in comparison.edge_cases
        if f.fate == "carried"
    )


def _explicit(data: dict[str, Any]) -> dict[str, Any]:
    """The same process with every flow written out, so the order of steps no longer matters."""
    flows = []
    for edge in Process.parse(data).edges():
        flow: dict[str, Any] = {"source": edge.source, "target": edge.target}
        if edge.probability is not None:
            flow["probability"] = edge.probability
        flows.append(flow)
    return {
        **data,
        "steps": [{k: v for k, v in s.items() if k != "next"} for s in data["steps"]],
        "gateways": [
            {k: v for k, v in g.items() if k != "branches"} for g in data.get("gateways", [])
        ],
        "flows": flows,
    }


@settings(max_examples=examples(60), deadline=None)
@given(process_data(), st.randoms(use_true_random=False))
def test_metrics_do_not_depend_on_the_order_steps_are_listed(
    data: dict[str, Any], rnd: random.Random
) -> None:
    explicit = _explicit(data)
    shuffled = {**explicit, "steps": rnd.sample(explicit["steps"], len(explicit["steps"]))}
    listed, reordered = Process.parse(explicit), Process.parse(shuffled)
    assert measure(listed, volume_per_month=100) == measure(reordered, volume_per_month=100)
    assert measure(listed) == measure(Process.parse(data))


@settings(max_examples=examples(60), deadline=None)
@given(processes)
def test_the_minutes_of_the_steps_add_up_to_the_metrics(proc: Process) -> None:
    measured = measure(proc, volume_per_month=1000)
    seen = visits(proc)
    steps = math.fsum(step_human_minutes(s, seen.get(s.id, 0.0)) for s in proc.steps)
    assert measured.human_minutes_per_case == pytest.approx(steps, rel=1e-9, abs=1e-4)
    reviewing = review_minutes(proc, seen)
    reviews = math.fsum(minutes for minutes, _ in reviewing.values())
    assert measured.review_minutes_per_case == pytest.approx(reviews, rel=1e-9, abs=1e-4)
    loads = {load.role: load for load in measured.roles}
    for role, (minutes, at) in reviewing.items():
        assert {proc.step(s).kind for s in at} == {"review"}
        assert minutes <= loads[role].minutes_per_case * (1 + 1e-9) + 1e-4


@settings(max_examples=examples(60), deadline=None)
@given(edge_case_redesigns())
def test_the_step_changes_add_up_to_the_metrics_carried_edge_cases_too(model: Redesign) -> None:
    comparison = compare(model)
    changes, metrics = comparison.steps, comparison.metrics
    slack = 1e-4 * len(changes)  # each change is rounded to 4 places
    before = math.fsum(c.human_minutes_before for c in changes)
    after = math.fsum(c.human_minutes_after for c in changes)
    assert before == pytest.approx(metrics.current.human_minutes_per_case, rel=1e-9, abs=slack)
    assert after == pytest.approx(metrics.redesigned.human_minutes_per_case, rel=1e-9, abs=slack)


def test_metrics_of_a_small_process_computed_by_hand() -> None:
    # start -> a (clerk 2 min, waits 30) -> extract (bot, 10% misread handled by clerk in 6 min)
    #   -> check (lead reviews 40% of extractions, 5 min) -> decide: 80% done / 20% fix
    # fix (lead, 10 min, waits 60) -> done (clerk 1 min) -> end
    proc = process(
        step("a", touch_minutes=2, wait_minutes=30),
        step(
            "extract",
            "bot",
            ai_mode="draft",
            touch_minutes=0.5,
            edge_cases=[
                {
                    "id": "misread",
                    "rate": 0.1,
                    "owner": "clerk",
                    "handling_minutes": 6,
                    "ai_failure": True,
                }
            ],
        ),
        step(
            "check",
            "lead",
            kind="review",
            reviews="extract",
            review_rate=0.4,
            touch_minutes=5,
            next="decide",
        ),
        step("fix", "lead", touch_minutes=10, wait_minutes=60, next="done"),
        step("done", touch_minutes=1),
        gateways=[
            {
                "id": "decide",
                "branches": [{"to": "done", "probability": 0.8}, {"to": "fix", "probability": 0.2}],
            }
        ],
    )
    m = measure(proc, volume_per_month=3000, hours_per_fte_month=150)
    # clerk: 2 + 0.1 * 6 + 1 = 3.6; lead: 0.4 * 5 + 0.2 * 10 = 4.0; total 7.6 min per case
    assert m.human_minutes_per_case == 7.6
    assert m.review_minutes_per_case == 2.0
    assert m.exception_minutes_per_case == 0.6
    # slowest path: a (30 + 2) + extract 0.5 + check 5 + fix (60 + 10) + done 1 = 108.5
    assert m.cycle_time_minutes == 108.5
    assert m.critical_path == ("a", "extract", "check", "fix", "done")
    # 7.6 min x 3000 / 60 = 380 h; / 150 = 2.533 FTE
    assert m.human_hours_per_month == 380.0
    assert m.fte == 2.533
    # clerk 3.6 x 3000 / 60 x 40 = 7200; lead 4.0 x 3000 / 60 x 60 = 12000
    assert m.labour_cost_per_month == 19200.0
    loads = {load.role: (load.hours_per_month, load.utilisation) for load in m.roles}
    # clerk 180 h of 2 x 150; lead 200 h of 1 x 150
    assert loads == {"clerk": (180.0, 0.6), "lead": (200.0, 1.3333)}
    # hand-offs: clerk->bot, bot->lead, lead->clerk (check->done) and (fix->done);
    # check->fix stays with the lead
    assert (m.handoffs, m.human_handoffs) == (4, 2)
    assert (m.human_steps, m.ai_steps, m.system_steps, m.review_steps) == (4, 1, 0, 1)


def test_per_case_metrics_have_no_monthly_figure_and_divide_by_nothing() -> None:
    proc = process(step("a", touch_minutes=2), step("b", touch_minutes=3))
    # without a volume no monthly figure is computed, so not even an hours-per-FTE of 0 (which
    # models refuse, but a caller of measure can pass) is divided by
    per_case = measure(proc, hours_per_fte_month=0)
    assert per_case.human_minutes_per_case == 5.0
    assert {name: getattr(per_case, name) for name in MONTHLY_FIGURES} == dict.fromkeys(
        MONTHLY_FIGURES
    )
    monthly = measure(proc, volume_per_month=960, hours_per_fte_month=160)
    assert (monthly.human_hours_per_month, monthly.fte) == (80.0, 0.5)  # 5 x 960 / 60; / 160
    assert all(getattr(monthly, name) is not None for name in MONTHLY_FIGURES)


def test_rework_loops_are_counted_by_expected_visits() -> None:
    # draft -> review -> 25% back to draft: draft is visited 1 / (1 - 0.25) = 4/3 times
    proc = process(
        step("draft", touch_minutes=30),
        step("review", "lead", touch_minutes=10, next="ok"),
        step("send", touch_minutes=1),
        gateways=[
            {
                "id": "ok",
                "branches": [
                    {"to": "send", "probability": 0.75},
                    {"to": "draft", "probability": 0.25},
                ],
            }
        ],
    )
    seen = visits(proc)
    assert seen["draft"] == pytest.approx(4 / 3)
    assert measure(proc).human_minutes_per_case == pytest.approx(round(40 * 4 / 3 + 1, 4))
    assert measure(proc).cycle_time_minutes == 41.0  # the loop is counted once


def test_a_loop_no_case_leaves_is_invalid() -> None:
    with pytest.raises(InvalidModelError, match="loop-without-exit"):
        process(
            step("a", next="g"),
            step("b", next="end"),
            gateways=[
                {
                    "id": "g",
                    "branches": [{"to": "a", "probability": 1.0}, {"to": "b", "probability": 0.0}],
                }
            ],
        )


def test_an_inclusive_loop_every_case_takes_back_is_an_analysis_error() -> None:
    proc = process(
        step("a", next="g"),
        step("b", next="end"),
        gateways=[
            {
                "id": "g",
                "kind": "inclusive",
                "branches": [{"to": "a", "probability": 1.0}, {"to": "b", "probability": 1.0}],
            }
        ],
    )
    with pytest.raises(AnalysisError, match="never leave the loop"):
        visits(proc)


def test_parallel_branches_all_run_and_the_join_passes_one_case_on() -> None:
    proc = process(
        step("a", next="fork"),
        step("b", touch_minutes=10, next="join"),
        step("c", "lead", touch_minutes=20, next="join"),
        step("d", touch_minutes=1, next="end"),
        gateways=[
            {"id": "fork", "kind": "parallel", "branches": ["b", "c"]},
            {"id": "join", "kind": "parallel", "branches": ["d"]},
        ],
    )
    seen = visits(proc)
    assert (seen["b"], seen["c"], seen["d"]) == (1.0, 1.0, 1.0)
    assert measure(proc).cycle_time_minutes == 21.0


def test_redesign_compare_method_and_function_agree() -> None:
    proc = process(step("a", touch_minutes=3))
    model = Redesign(id="r", current=proc, redesigned=proc, volume_per_month=10)
    assert model.compare() == compare(model)
    assert model.compare(volume_per_month=20).volume_per_month == 20


def test_compare_needs_a_redesign_or_two_processes() -> None:
    proc = process(step("a"))
    with pytest.raises(TypeError, match="needs a Redesign"):
        compare(proc)
