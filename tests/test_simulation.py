"""The simulation engine: what it models, that it agrees with the static metrics where they
overlap, that unbounded queues end the run instead of hanging it, and determinism."""

from __future__ import annotations

import math
import subprocess
import sys
from typing import Any

import pytest

from lastmile_flows import Process, Redesign, load, measure
from lastmile_flows.analysis.flowmath import visits
from lastmile_flows.analysis.trust import trust_figures
from lastmile_flows.errors import SimulationError
from lastmile_flows.simulation import (
    ArrivalProfile,
    Calendar,
    Lognormal,
    SerialExecutor,
    Triangular,
    capacity_free_cycle_times,
    escape_rates,
    parse_distribution,
    simulate,
)
from lastmile_flows.simulation.calendar import Clock
from lastmile_flows.simulation.stats import estimate
from tests.builders import reviewed_process
from tests.support import PROCESSES

ALWAYS = Calendar.always_open()


def _invoices(**lead: Any) -> Process:
    """Key (clerk), match with an exception owned by the lead, approve (lead)."""
    return Process.parse(
        {
            "id": "invoices",
            "roles": [
                {"id": "clerk", "headcount": 3},
                {"id": "lead", "headcount": 1} | lead,
            ],
            "steps": [
                {"id": "key", "role": "clerk", "touch_minutes": 6},
                {
                    "id": "match",
                    "role": "clerk",
                    "touch_minutes": 4,
                    "edge_cases": [
                        {"id": "odd", "rate": 0.1, "owner": "lead", "handling_minutes": 15},
                        {"id": "lost", "rate": 0.05, "handling_minutes": 5},
                    ],
                },
                {"id": "approve", "role": "lead", "touch_minutes": 2},
            ],
        }
    )


def test_simulated_work_and_load_agree_with_the_static_metrics() -> None:
    process = _invoices()
    static = measure(process, volume_per_month=2000, hours_per_fte_month=140)
    result = simulate(
        process, volume_per_month=2000, months=1, replications=6, max_replications=6, seed=3
    )
    side = result.side("process")
    assert side.human_minutes_per_case is not None
    assert side.human_minutes_per_case.covers(static.human_minutes_per_case, slack=0.3)
    for role_load in static.roles:
        queue = side.queue(role_load.role)
        assert queue.offered_load is not None
        assert role_load.utilisation is not None
        assert queue.offered_load.covers(role_load.utilisation, slack=0.02), role_load.role
        assert queue.utilisation is not None
        assert queue.utilisation.covers(role_load.utilisation, slack=0.03), role_load.role
        assert not queue.unbounded


def test_unowned_exceptions_are_counted_as_unhandled_each_month() -> None:
    side = simulate(
        _invoices(), volume_per_month=2000, months=1, replications=3, max_replications=3
    ).sides[0]
    lost = next(c for c in side.edge_cases if c.edge_case == "lost")
    odd = next(c for c in side.edge_cases if c.edge_case == "odd")
    assert lost.unhandled_per_month is not None
    assert odd.unhandled_per_month is not None
    assert lost.unhandled_per_month.covers(100, slack=15)  # 5 % of 2000
    assert odd.unhandled_per_month.mean == 0


@pytest.mark.slow
@pytest.mark.parametrize("headcount", [0, None])
def test_a_role_with_nobody_collects_an_unbounded_queue_and_the_run_still_ends(
    headcount: float | None,
) -> None:
    result = simulate(
        _invoices(headcount=headcount), volume_per_month=2000, months=3, replications=2
    )
    queue = result.side("process").queue("lead")
    assert queue.unbounded
    assert queue.people == 0
    assert queue.week_backlog_passes_a_day == 1
    assert queue.backlog_hours[-1] > queue.backlog_hours[len(queue.backlog_hours) // 2] > 0
    assert queue.waiting_at_end is not None
    assert queue.waiting_at_end.mean > 4000
    completed = result.side("process").completed_share
    assert completed is not None
    assert completed.mean < 0.01


def test_littles_law_holds_on_every_run() -> None:
    for example in (_invoices(), Process.parse(reviewed_process())):
        side = simulate(
            example, volume_per_month=1500, months=1, replications=2, max_replications=2
        ).sides[0]
        assert side.little is not None
        assert side.little.worst_relative_gap < 0.05
        assert side.little.wip == pytest.approx(side.little.rate_times_time, rel=0.05)


@pytest.mark.slow
def test_the_simulated_escape_rate_matches_the_closed_form() -> None:
    process = Process.parse(reviewed_process())
    side = simulate(
        process, volume_per_month=3000, months=2, replications=6, max_replications=6, seed=5
    ).sides[0]
    trust = side.trust[0]
    assert trust.escaped_per_month_exact == pytest.approx(3000 * 0.05 * (1 - 0.6 * 0.8))
    assert trust.escaped_per_month is not None
    assert trust.errors_per_month is not None
    assert trust.escaped_per_month.covers(trust.escaped_per_month_exact, slack=2)
    assert trust.errors_per_month.covers(trust.errors_per_month_exact, slack=3)


@pytest.mark.slow
def test_same_seed_same_bytes_other_seed_other_numbers() -> None:
    model = load(PROCESSES / "order_entry" / "redesign.yaml")
    assert isinstance(model, Redesign)
    options: dict[str, Any] = {"months": 0.5, "replications": 2, "max_replications": 2}
    first = simulate(model, seed=7, **options)
    again = simulate(model, seed=7, executor=SerialExecutor(), **options)
    other = simulate(model, seed=8, **options)
    assert first.to_json() == again.to_json()
    assert first.backlog_svg() == again.backlog_svg()
    assert first.to_json() != other.to_json()


@pytest.mark.slow
def test_order_entry_shows_the_unstaffed_review_desk_and_the_escaped_errors() -> None:
    model = load(PROCESSES / "order_entry" / "redesign.yaml")
    assert isinstance(model, Redesign)
    result = simulate(model, months=2, replications=2, max_replications=2, sla_hours=48)
    desk = result.side("redesigned").queue("order_desk")
    assert desk.unbounded
    assert desk.headcount == 0
    assert desk.week_backlog_passes_a_day == 1
    assert not any(q.unbounded for q in result.side("current").queues)
    trust = result.side("redesigned").trust[0]
    assert trust.step == "extract_order"
    assert trust.escaped_per_month_exact == pytest.approx(2400 * 0.04 * (1 - 0.6 * 0.9), abs=0.01)
    text = result.to_markdown()
    assert "the `order_desk` queue (nobody) grows without bound" in text
    assert "above the 25 accepted" in text


@pytest.mark.slow
def test_more_replications_run_near_saturation() -> None:
    # the clerks at about 89 % load: single runs disagree, so replications double
    process = _invoices()
    result = simulate(process, volume_per_month=2250, months=1, replications=2, max_replications=8)
    side = result.sides[0]
    load = side.queue("clerk").offered_load
    assert load is not None
    assert 0.85 <= load.mean < 1
    assert side.replications == 8


def test_sla_breach_share_counts_open_cases_past_the_target() -> None:
    stuck = simulate(
        _invoices(headcount=0), volume_per_month=500, months=1, replications=2, sla_hours=24
    ).sides[0]
    assert stuck.sla_breach_share is not None
    assert stuck.sla_breach_share.mean > 0.9
    quick = simulate(_invoices(), volume_per_month=500, months=1, replications=2, sla_hours=500)
    assert quick.sides[0].sla_breach_share is not None
    assert quick.sides[0].sla_breach_share.mean == 0


def test_work_stops_outside_the_calendar() -> None:
    clock = Clock(Calendar(hours_per_day=8, days_per_week=5, day_starts_at=9))
    monday_10 = 10 * 60
    assert clock.to_open(monday_10) == 60
    assert clock.to_open(20 * 60) == 480  # Monday evening: the whole day
    assert clock.at_open(480) == 24 * 60 + 9 * 60  # the next opening, Tuesday 9:00
    assert clock.finish(480) == 17 * 60  # work ending at closing ends that evening
    assert clock.at_open(5 * 480) == 7 * 1440 + 9 * 60  # a week of work: next Monday
    assert clock.to_open(6 * 1440) == 5 * 480  # Saturday: the week's open minutes
    for minutes in (0.0, 1.0, 479.0, 480.5, 2399.0, 4000.0):
        assert clock.to_open(clock.at_open(minutes)) == pytest.approx(minutes)


def test_a_working_day_must_end_by_midnight() -> None:
    with pytest.raises(ValueError, match="runs past midnight"):
        Calendar(hours_per_day=10, day_starts_at=20)


def test_arrival_profile_shifts_arrivals_not_volume() -> None:
    morning = ArrivalProfile(hourly=tuple(1.0 if 8 <= h < 12 else 0.0 for h in range(24)))
    result = simulate(
        _invoices(),
        volume_per_month=2000,
        months=1,
        replications=3,
        max_replications=3,
        profile=morning,
    )
    arrivals = result.sides[0].arrivals_per_month
    assert arrivals is not None
    assert arrivals.covers(2000, slack=60)
    with pytest.raises(ValueError, match="24 hourly and 7 daily weights"):
        ArrivalProfile(hourly=(1.0,) * 12)


@pytest.mark.parametrize(
    ("text", "mean"),
    [
        ("fixed:3", 3.0),
        ("exponential:4", 4.0),
        ("triangular:1:2:6", 3.0),
        ("lognormal:4:12", 4 * math.exp((math.log(3) / 1.2815515655446004) ** 2 / 2)),
    ],
)
def test_distributions_parse_and_keep_their_mean(text: str, mean: float) -> None:
    assert parse_distribution(text).mean(99.0) == pytest.approx(mean)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("normal:3", "unknown distribution 'normal'"),
        ("triangular:1:2", "triangular:LOW:MODE:HIGH"),
        ("lognormal:4:2", "below the median"),
        ("triangular:3:2:6", "low <= mode <= high"),
        ("fixed:x", "the numbers must be minutes"),
    ],
)
def test_bad_distributions_say_what_is_valid(text: str, message: str) -> None:
    with pytest.raises(SimulationError, match=message):
        parse_distribution(text)


def test_touch_distributions_change_the_spread_not_the_mean() -> None:
    process = _invoices()
    shapes: dict[str, Lognormal | Triangular] = {
        "key": Lognormal(median=4, p90=14),
        "approve": Triangular(low=1, mode=2, high=3),
    }
    result = simulate(
        process,
        volume_per_month=1500,
        months=1,
        replications=2,
        max_replications=2,
        distributions=shapes,
    )
    key = next(s for s in result.sides[0].steps if s.step == "key")
    assert key.p95 is not None
    assert key.p50 is not None
    assert key.p95.mean > 3 * key.p50.mean
    with pytest.raises(SimulationError, match="unknown step 'kye' \\(did you mean 'key'\\?\\)"):
        simulate(process, volume_per_month=100, distributions={"kye": Lognormal(median=1, p90=2)})


def test_bad_options_are_simulation_errors() -> None:
    with pytest.raises(SimulationError, match="has no volume"):
        simulate(_invoices())
    with pytest.raises(SimulationError, match="months must be above 0"):
        simulate(_invoices(), volume_per_month=10, months=0)


def test_parallel_branches_join_before_going_on() -> None:
    process = Process.parse(
        {
            "id": "fork",
            "roles": [{"id": "a", "headcount": 2}, {"id": "b", "headcount": 2}],
            "steps": [
                {"id": "left", "role": "a", "touch_minutes": 5, "next": "join"},
                {"id": "right", "role": "b", "touch_minutes": 5, "next": "join"},
                {"id": "last", "role": "a", "touch_minutes": 1, "next": "end"},
            ],
            "events": [
                {"id": "start", "kind": "start", "next": "split"},
                {"id": "end", "kind": "end"},
            ],
            "gateways": [
                {"id": "split", "kind": "parallel", "branches": ["left", "right"]},
                {"id": "join", "kind": "parallel", "branches": ["last"]},
            ],
        }
    )
    side = simulate(process, volume_per_month=1000, months=1, replications=2).sides[0]
    last = next(s for s in side.steps if s.step == "last")
    assert last.visits_per_case == 1
    assert side.completed_share is not None
    assert side.completed_share.mean > 0.95
    assert side.little is not None
    assert side.little.worst_relative_gap < 0.05


def test_result_shows_in_jupyter_as_its_backlog_chart() -> None:
    result = simulate(_invoices(), volume_per_month=500, months=1, replications=2)
    bundle = result._repr_mimebundle_()
    assert bundle["image/svg+xml"].startswith("<?xml")
    assert "text/markdown" in bundle
    assert set(result._repr_mimebundle_(include={"text/markdown"})) == {"text/markdown"}


def test_capacity_free_cycle_times_average_the_static_path_minutes() -> None:
    process = _invoices()
    minutes = capacity_free_cycle_times(process, cases=40_000, seed=2)
    # 6 + 4 + 2 minutes of work, and the owned exception: 0.1 x 15
    expected = 6 + 4 + 2 + 0.1 * 15
    assert minutes.mean() == pytest.approx(expected, rel=0.02)
    assert (minutes >= 0).all()
    looped = Process.parse(reviewed_process())
    seen = visits(looped)
    expected = sum(
        seen[step.id]
        * (
            step.wait_minutes
            + step.touch_minutes * (step.review_rate if step.kind == "review" else 1)
        )
        for step in looped.steps
    )
    assert capacity_free_cycle_times(looped, cases=40_000).mean() == pytest.approx(
        expected, rel=0.02
    )


def test_vectorised_escape_rate_matches_the_closed_form() -> None:
    process = Process.parse(reviewed_process())
    drawn = escape_rates(process, cases=400_000, seed=4)
    exact = trust_figures(process)[0].escaped_per_case
    assert drawn["draft"] == pytest.approx(exact, rel=0.05)


def test_capacity_free_path_refuses_parallel_gateways() -> None:
    process = Process.parse(
        {
            "id": "fork",
            "roles": [{"id": "a", "headcount": 1}],
            "steps": [
                {"id": "left", "role": "a", "next": "join"},
                {"id": "right", "role": "a", "next": "join"},
            ],
            "events": [
                {"id": "start", "kind": "start", "next": "split"},
                {"id": "end", "kind": "end"},
            ],
            "gateways": [
                {"id": "split", "kind": "parallel", "branches": ["left", "right"]},
                {"id": "join", "kind": "parallel", "branches": ["end"]},
            ],
        }
    )
    with pytest.raises(SimulationError, match="use simulate\\(\\) for it"):
        capacity_free_cycle_times(process, cases=10)


@pytest.mark.slow
def test_importing_the_package_loads_neither_numpy_nor_simpy() -> None:
    code = (
        "import sys, lastmile_flows, lastmile_flows.simulation, lastmile_flows.cli; "
        "print(sorted(m for m in ('numpy', 'simpy', 'distributed') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_estimates_are_t_intervals_that_never_go_below_zero_for_counts() -> None:
    found = estimate([1.0, 2.0, 3.0])
    assert found is not None
    assert found.mean == 2.0
    assert found.high == pytest.approx(2 + 4.303 * 1 / math.sqrt(3), abs=1e-3)
    counts = estimate([0.0, 0.0, 9.0])
    assert counts is not None
    assert counts.low == 0.0
    signed = estimate([-1.0, 1.0])
    assert signed is not None
    assert signed.low < -1
    assert estimate([float("nan")]) is None
