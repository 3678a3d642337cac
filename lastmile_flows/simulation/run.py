"""``simulate``: replications of a process, or of both sides of a redesign, in parallel.

Each replication draws from its own numpy generator, seeded by ``SeedSequence(seed)`` spawned
once per side and once per replication, so the same seed gives the same result, byte for
byte, however the replications are spread over processes or machines. They run through any
standard :class:`concurrent.futures.Executor` (a Dask cluster's ``Client.get_executor()``
too); by default a process pool over all cores (spawn context, its workers end with the
parent), or in this process when the run is small.

Near saturation single runs disagree widely, so more replications are run there
automatically: while a queue's offered load is between :data:`SATURATION` and 1, or the mean
cycle time's interval is wider than 10 % of it, the replications double, up to
``max_replications`` (four times ``replications`` unless given).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from lastmile_flows.errors import SimulationError
from lastmile_flows.lifeline import die_with_parent
from lastmile_flows.model import Process, Redesign
from lastmile_flows.model.problems import choices, did_you_mean
from lastmile_flows.model.process import DEFAULT_HOURS_PER_FTE_MONTH
from lastmile_flows.simulation.calendar import ArrivalProfile, Calendar
from lastmile_flows.simulation.engine import Raw, run_plan
from lastmile_flows.simulation.plan import AnyShape, compile_plan
from lastmile_flows.simulation.results import SideResult, SimulationResult
from lastmile_flows.simulation.summarise import SATURATION, summarise

__all__ = ["Job", "RunSetup", "SerialExecutor", "default_executor", "run_jobs", "simulate"]

SERIAL_CASES = 60_000
"""Runs simulating fewer cases than this (over all replications) stay in this process."""


@dataclass(frozen=True)
class Job:
    """One replication to run: everything a worker needs, picklable."""

    process: Process
    seed: Any
    calendar: Calendar
    months: float
    volume_per_month: float
    hours_per_fte_month: float
    profile: ArrivalProfile | None
    distributions: Mapping[str, AnyShape]


class SerialExecutor(Executor):
    """Runs each call at once, in this process: for debugging, profiling and small runs."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to the caller through the future
            future.set_exception(error)
        return future


def run_job(job: Job) -> Raw:
    """Run one replication (the function workers call)."""
    plan = compile_plan(
        job.process,
        calendar=job.calendar,
        hours_per_fte_month=job.hours_per_fte_month,
        distributions=dict(job.distributions),
    )
    return run_plan(
        plan,
        seed=job.seed,
        calendar=job.calendar,
        months=job.months,
        volume_per_month=job.volume_per_month,
        profile=job.profile,
    )


def default_executor(workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool over all cores (or ``workers``), spawn context, dying with its parent."""
    import multiprocessing

    return ProcessPoolExecutor(
        max_workers=workers or os.cpu_count() or 1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )


@contextmanager
def pool_for(given: Executor | None, cases: float) -> Iterator[Executor | None]:
    if given is not None or cases < SERIAL_CASES or (os.cpu_count() or 1) < 2:
        yield given
        return
    pool = default_executor()
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_jobs(jobs: Sequence[Job], executor: Executor | None) -> list[Raw]:
    """Run replications in order: through ``executor``, or here when it is none."""
    if executor is None or isinstance(executor, SerialExecutor):
        return [run_job(job) for job in jobs]
    return list(executor.map(run_job, jobs))


def _check_distributions(
    processes: Sequence[Process], distributions: Mapping[str, AnyShape]
) -> None:
    steps = sorted({step.id for process in processes for step in process.steps})
    for step_id in distributions:
        if step_id not in steps:
            raise SimulationError(
                f"a distribution is given for unknown step {step_id!r}"
                f"{did_you_mean(step_id, steps)}; valid: {choices(steps)}"
            )


def simulate(
    obj: Process | Redesign,
    *,
    months: float = 3.0,
    seed: int = 0,
    replications: int = 10,
    max_replications: int | None = None,
    executor: Executor | None = None,
    calendar: Calendar | None = None,
    profile: ArrivalProfile | None = None,
    distributions: Mapping[str, AnyShape] | None = None,
    sla_hours: float | None = None,
    volume_per_month: float | None = None,
    hours_per_fte_month: float | None = None,
) -> SimulationResult:
    """Simulate a process, or both sides of a redesign, for ``months`` at its volume.

    ``distributions`` maps step ids to a touch-time shape (the step's minutes stay the mean
    otherwise, exponentially spread); ``sla_hours`` is an end-to-end target in calendar hours.
    A :class:`Process` needs ``volume_per_month``; a :class:`Redesign` brings its own
    (which ``volume_per_month`` and ``hours_per_fte_month`` override).
    """
    if max_replications is None:
        max_replications = 4 * replications
    _check_options(months, replications, max_replications, sla_hours)
    sides, volume, hours, limit = _sides(obj, volume_per_month, hours_per_fte_month)
    setup = RunSetup(
        calendar or Calendar(),
        months,
        volume,
        hours,
        profile,
        dict(distributions or {}),
        sla_hours,
    )
    _check_distributions([process for _, process in sides], setup.shapes)
    import numpy as np

    roots = np.random.SeedSequence(seed).spawn(len(sides))
    seeds = [root.spawn(max_replications) for root in roots]
    with pool_for(executor, volume * months * replications * len(sides)) as pool:
        results = _replicate(setup, sides, seeds, replications, max_replications, pool)
    return SimulationResult(
        id=obj.id,
        name=obj.label,
        months=months,
        seed=seed,
        calendar=setup.calendar,
        profile=profile,
        sla_hours=sla_hours,
        hours_per_fte_month=hours,
        max_escaped_errors_per_month=limit,
        sides=tuple(results),
    )


def _check_options(
    months: float, replications: int, max_replications: int, sla_hours: float | None
) -> None:
    """A run needs some months, at least one replication and an SLA above 0, if any."""
    if months <= 0 or replications < 1 or max_replications < replications:
        raise SimulationError(
            f"months must be above 0 and 1 <= replications <= max_replications; got months "
            f"{months:g}, replications {replications}, max_replications {max_replications}"
        )
    if sla_hours is not None and sla_hours <= 0:
        raise SimulationError(f"sla_hours must be above 0; got {sla_hours:g}")


def _sides(
    obj: Process | Redesign, volume_per_month: float | None, hours_per_fte_month: float | None
) -> tuple[list[tuple[str, Process]], float, float, float | None]:
    """The labelled processes to simulate, the volume, the hours per FTE-month and the limit
    on escaped errors: a redesign's own, unless given; a process has no volume of its own."""
    if isinstance(obj, Redesign):
        given = obj.volume_per_month if volume_per_month is None else volume_per_month
        hours = hours_per_fte_month or obj.hours_per_fte_month
        sides = [("current", obj.current), ("redesigned", obj.redesigned)]
        limit = obj.max_escaped_errors_per_month
    else:
        given = volume_per_month
        hours = hours_per_fte_month or DEFAULT_HOURS_PER_FTE_MONTH
        sides = [("process", obj)]
        limit = None
    if given is None:
        raise SimulationError(
            f"{'redesign' if isinstance(obj, Redesign) else 'process'} {obj.id!r} has no "
            "volume: pass volume_per_month (--volume on the command line)"
        )
    return sides, given, hours, limit


@dataclass(frozen=True)
class RunSetup:
    """What every replication of one simulation shares."""

    calendar: Calendar
    months: float
    volume: float
    hours: float
    profile: ArrivalProfile | None
    shapes: dict[str, AnyShape]
    sla_hours: float | None

    def jobs(self, process: Process, seeds: Sequence[Any], first: int, last: int) -> list[Job]:
        """Replications ``first`` to ``last`` (excluded) of ``process``, each with its seed."""
        return [
            Job(
                process,
                seeds[n],
                self.calendar,
                self.months,
                self.volume,
                self.hours,
                self.profile,
                self.shapes,
            )
            for n in range(first, last)
        ]

    def summary(self, label: str, process: Process, raws: list[Raw]) -> SideResult:
        """What the replications ``raws`` of ``process`` come to."""
        plan = compile_plan(process, calendar=self.calendar, hours_per_fte_month=self.hours)
        return summarise(
            label,
            process,
            plan,
            raws,
            calendar=self.calendar,
            months=self.months,
            volume_per_month=self.volume,
            hours_per_fte_month=self.hours,
            sla_hours=self.sla_hours,
        )


def _replicate(
    setup: RunSetup,
    sides: list[tuple[str, Process]],
    seeds: list[Any],
    replications: int,
    max_replications: int,
    pool: Executor | None,
) -> list[SideResult]:
    """Each side's summary: ``replications`` runs of every side in one batch, then more
    (doubling, up to ``max_replications``) while a side is unsettled (see :func:`_unsettled`)."""
    batch = [
        job
        for side, (_, process) in enumerate(sides)
        for job in setup.jobs(process, seeds[side], 0, replications)
    ]
    done = run_jobs(batch, pool)
    results: list[SideResult] = []
    for side, (label, process) in enumerate(sides):
        raws = done[side * replications : (side + 1) * replications]
        result = setup.summary(label, process, raws)
        while _unsettled(result) and len(raws) < max_replications:
            have = len(raws)
            more = min(max_replications, 2 * have)
            raws += run_jobs(setup.jobs(process, seeds[side], have, more), pool)
            result = setup.summary(label, process, raws)
        results.append(result)
    return results


def _unsettled(result: SideResult) -> bool:
    """Near saturation, or the mean cycle time still uncertain by more than 10 %."""
    for queue in result.queues:
        load = queue.offered_load
        if load is not None and SATURATION <= load.mean < 1.0:
            return True
    cycle = result.cycle_hours_mean
    if cycle is None or cycle.mean <= 0:
        return False
    return (cycle.high - cycle.low) / 2 > 0.1 * cycle.mean
