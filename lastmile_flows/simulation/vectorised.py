"""What needs no queues, for many cases at once with numpy: capacity-free cycle times and the
escape rate of AI errors.

Capacity-free: every case moves through the process as if each person were free the moment
work arrives, so its time is the sum of the waits, touch times and edge-case handling along
its path (working minutes). Set against :func:`~lastmile_flows.simulation.simulate`, the
difference is what queues add. All cases advance together, one node a round, so the cost is
a few array operations per node and round, not per case. Exclusive routing only: a process
with parallel or inclusive gateways needs the event engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from lastmile_flows.errors import SimulationError
from lastmile_flows.model import Process
from lastmile_flows.simulation.calendar import Calendar
from lastmile_flows.simulation.plan import (
    AND,
    END,
    OR,
    STEP,
    XOR,
    AnyShape,
    Plan,
    Sampler,
    compile_plan,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["capacity_free_cycle_times", "escape_rates"]

MAX_ROUNDS = 100_000


def _draw(rng: np.random.Generator, sample: Sampler, size: int) -> NDArray[np.float64]:
    import numpy as np

    shape, a, b, c = sample
    if shape == 1:
        return a * rng.standard_exponential(size)
    if shape == 3:
        return np.exp(a + b * rng.standard_normal(size))
    if shape == 2:
        return rng.triangular(a, b, c, size) if c > a else np.full(size, a)
    return np.full(size, a)


def capacity_free_cycle_times(
    process: Process,
    *,
    cases: int = 100_000,
    seed: int = 0,
    distributions: Mapping[str, AnyShape] | None = None,
) -> NDArray[np.float64]:
    """Working minutes from start to end of ``cases`` cases with no queue anywhere."""
    import numpy as np

    plan = compile_plan(
        process,
        calendar=Calendar(),
        hours_per_fte_month=140,
        distributions=dict(distributions or {}),
    )
    if any(kind in (AND, OR) for kind in plan.kind):
        raise SimulationError(
            f"process {process.id!r} has parallel or inclusive gateways: the capacity-free path "
            "follows one branch per case; use simulate() for it"
        )
    rng = np.random.default_rng(seed)
    start = plan.starts[0]
    position = np.full(cases, start, dtype=np.int64)
    if len(plan.starts) > 1:
        position = rng.choice(np.asarray(plan.starts), size=cases)
    elapsed = np.zeros(cases)
    done = np.zeros(cases, dtype=bool)
    for _ in range(MAX_ROUNDS):
        if done.all():
            return elapsed
        following = position.copy()
        for node in np.unique(position[~done]):
            here = np.nonzero((position == node) & ~done)[0]
            kind = plan.kind[node]
            if kind == END:
                done[here] = True
            elif kind == XOR:
                bounds = np.asarray(plan.prob[node])
                choice = np.minimum(np.searchsorted(bounds, rng.random(here.size), side="right"),
                                    len(bounds) - 1)  # fmt: skip
                following[here] = np.asarray(plan.succ[node])[choice]
            elif kind == STEP:
                following[here] = _step(plan, int(node), here, elapsed, rng)
            else:
                following[here] = plan.succ[node][0] if plan.succ[node] else node
                done[here] |= not plan.succ[node]
        position = following
    raise SimulationError(f"cases of {process.id!r} did not finish in {MAX_ROUNDS} rounds")


def _step(
    plan: Plan, node: int, here: NDArray[np.int64], elapsed: NDArray[np.float64],
    rng: np.random.Generator,
) -> NDArray[np.int64]:  # fmt: skip
    """Advance the cases ``here`` through one step: wait, work, edge cases; their next node."""
    import numpy as np

    size = here.size
    work = _draw(rng, plan.touch[node], size)
    rate = plan.review_rate[node]
    if rate < 1:
        work *= rng.random(size) < rate
    elapsed[here] += plan.wait[node] + work
    following = np.full(size, plan.succ[node][0] if plan.succ[node] else node, dtype=np.int64)
    if plan.recovering[node]:
        u = rng.random(size)
        low = 0.0
        for bound, number in plan.recovering[node]:
            hit = (u >= low) & (u < bound)
            case = plan.cases[number]
            if not case.unhandled:
                elapsed[here[hit]] += _draw(rng, case.handling, int(hit.sum()))
            if case.recovery >= 0:
                following[hit] = case.recovery
            low = bound
    for number in plan.independent[node]:
        case = plan.cases[number]
        hit = rng.random(size) < case.rate
        if not case.unhandled:
            elapsed[here[hit]] += _draw(rng, case.handling, int(hit.sum()))
    return following


def escape_rates(process: Process, *, cases: int = 1_000_000, seed: int = 0) -> dict[str, float]:
    """Escaped errors per output of each AI step stating an error rate, drawn for ``cases``
    outputs at once: reviewed with its review share, wrong as the routing curve says for
    reviewed and unreviewed output, caught at the review's catch rate."""
    import numpy as np

    plan = compile_plan(process, calendar=Calendar(), hours_per_fte_month=140)
    rng = np.random.default_rng(seed)
    catch = {
        plan.review_trust[node]: plan.catch[node]
        for node in range(len(plan.kind))
        if plan.review_trust[node] >= 0
    }
    found = {}
    for number, trust in enumerate(plan.trust):
        reviewed = rng.random(cases) < trust.share
        wrong = rng.random(cases) < np.where(
            reviewed, trust.error_if_reviewed, trust.error_if_unreviewed
        )
        caught = reviewed & wrong & (rng.random(cases) < catch.get(number, 1.0))
        found[trust.step] = float((wrong & ~caught).mean())
    return found
