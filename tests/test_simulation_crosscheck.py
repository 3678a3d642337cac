"""Independent checks of the engine: an M/M/c queue against the Erlang-C formula, a small
review process against a model written directly in simpy, and replications through a Dask
local cluster's executor giving the same bytes."""

from __future__ import annotations

import math
import statistics
from collections.abc import Generator
from typing import Any

import pytest

from lastmile_flows import Process
from lastmile_flows.simulation import Calendar, Estimate, simulate
from lastmile_flows.simulation.calendar import MINUTES_PER_MONTH
from lastmile_flows.simulation.stats import estimate

pytestmark = pytest.mark.slow

ALWAYS = Calendar.always_open()
FULL_SPEED = ALWAYS.open_hours_per_month  # one FTE works every open hour: no slowing down


def erlang_c_wait(servers: int, rate: float, mean_service: float) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C)."""
    offered = rate * mean_service
    rho = offered / servers
    top = offered**servers / math.factorial(servers) / (1 - rho)
    bottom = sum(offered**k / math.factorial(k) for k in range(servers)) + top
    return (top / bottom) * mean_service / (servers - offered)


def test_an_m_m_c_queue_waits_as_erlang_c_says() -> None:
    rate, service, servers = 0.4, 6.0, 3  # 80 % load
    process = Process.parse(
        {
            "id": "mmc",
            "roles": [{"id": "desk", "headcount": servers}],
            "steps": [{"id": "serve", "role": "desk", "touch_minutes": service}],
        }
    )
    result = simulate(
        process,
        calendar=ALWAYS,
        hours_per_fte_month=FULL_SPEED,
        volume_per_month=rate * MINUTES_PER_MONTH,
        months=1,
        replications=10,
        max_replications=10,
        seed=11,
    )
    queue = result.sides[0].queue("desk")
    expected = erlang_c_wait(servers, rate, service)  # about 5.2 minutes
    assert queue.wait_mean_minutes is not None
    assert queue.wait_mean_minutes.covers(expected, slack=0.05 * expected), (queue, expected)
    assert queue.utilisation is not None
    assert queue.utilisation.covers(0.8, slack=0.01)


# The small review process: an AI drafts (2 min), 40 % go to review by 2 reviewers (6 min),
# then done; everything exponential, around the clock.
RATE, SHARE, DRAFT, REVIEW, REVIEWERS = 0.5, 0.4, 2.0, 6.0, 2
HORIZON = 20_000.0


def review_process() -> Process:
    return Process.parse(
        {
            "id": "small_review",
            "roles": [{"id": "reviewer", "headcount": REVIEWERS}, {"id": "bot", "kind": "ai"}],
            "steps": [
                {"id": "draft", "role": "bot", "kind": "ai", "ai_mode": "draft",
                 "touch_minutes": DRAFT, "next": "check"},
                {"id": "review", "role": "reviewer", "kind": "review", "reviews": "draft",
                 "touch_minutes": REVIEW, "next": "end"},
            ],
            "gateways": [{"id": "check", "branches": [
                {"to": "review", "probability": SHARE}, {"to": "end", "probability": 1 - SHARE}]}],
        }
    )  # fmt: skip


def simpy_run(seed: int) -> dict[str, float]:
    """The same process written directly in simpy: mean and P90 cycle time, mean review wait,
    reviewer utilisation."""
    import numpy as np
    import simpy

    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    reviewers = simpy.Resource(env, capacity=REVIEWERS)
    cycles: list[float] = []
    waits: list[float] = []
    busy = [0.0]

    def case() -> Generator[simpy.Event, Any, None]:
        start = env.now
        yield env.timeout(rng.exponential(DRAFT))
        if rng.random() < SHARE:
            asked = env.now
            with reviewers.request() as request:
                yield request
                waits.append(env.now - asked)
                work = rng.exponential(REVIEW)
                busy[0] += min(work, HORIZON - env.now)
                yield env.timeout(work)
        cycles.append(env.now - start)

    def arrivals() -> Generator[simpy.Event, Any, None]:
        while True:
            yield env.timeout(rng.exponential(1 / RATE))
            env.process(case())

    env.process(arrivals())
    env.run(until=HORIZON)
    return {
        "mean": statistics.fmean(cycles),
        "p90": float(np.quantile(cycles, 0.9)),
        "wait": statistics.fmean(waits),
        "utilisation": busy[0] / (REVIEWERS * HORIZON),
    }


def _overlap(ours: Estimate | None, theirs: Estimate | None) -> bool:
    assert ours is not None
    assert theirs is not None
    return ours.low <= theirs.high and theirs.low <= ours.high


def test_the_engine_agrees_with_an_independent_simpy_model() -> None:
    replications = 12
    ours = simulate(
        review_process(),
        calendar=ALWAYS,
        hours_per_fte_month=FULL_SPEED,
        volume_per_month=RATE * MINUTES_PER_MONTH,
        months=HORIZON / MINUTES_PER_MONTH,
        replications=replications,
        max_replications=replications,
        seed=21,
    ).sides[0]
    runs = [simpy_run(seed) for seed in range(replications)]
    theirs = {key: estimate([run[key] for run in runs]) for key in runs[0]}
    assert ours.cycle_hours_mean is not None
    assert ours.cycle_hours_p90 is not None
    in_minutes = {
        "mean": ours.cycle_hours_mean.model_copy(
            update={k: getattr(ours.cycle_hours_mean, k) * 60 for k in ("mean", "low", "high")}
        ),
        "p90": ours.cycle_hours_p90.model_copy(
            update={k: getattr(ours.cycle_hours_p90, k) * 60 for k in ("mean", "low", "high")}
        ),
    }
    assert _overlap(in_minutes["mean"], theirs["mean"]), (in_minutes, theirs)
    assert _overlap(in_minutes["p90"], theirs["p90"]), (in_minutes, theirs)
    reviewer = ours.queue("reviewer")
    assert _overlap(reviewer.wait_mean_minutes, theirs["wait"]), (reviewer, theirs)
    assert _overlap(reviewer.utilisation, theirs["utilisation"]), (reviewer, theirs)
    # and both against the textbook: 0.5 x 0.4 x 6 / 2 = 60 % load
    assert reviewer.utilisation is not None
    assert reviewer.utilisation.covers(0.6, slack=0.02)


def test_replications_run_the_same_on_a_dask_local_cluster() -> None:
    distributed = pytest.importorskip("distributed")
    process = review_process()
    options: dict[str, Any] = {
        "calendar": ALWAYS,
        "hours_per_fte_month": FULL_SPEED,
        "volume_per_month": RATE * MINUTES_PER_MONTH,
        "months": 0.2,
        "replications": 4,
        "max_replications": 4,
        "seed": 3,
    }
    here = simulate(process, **options)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = simulate(process, executor=client.get_executor(), **options)
    assert on_dask.to_json() == here.to_json()
