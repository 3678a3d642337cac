"""From the replications of one process to its figures (a :class:`SideResult`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lastmile_flows.analysis.flowmath import visits
from lastmile_flows.analysis.trust import trust_figures
from lastmile_flows.model import Process
from lastmile_flows.simulation.calendar import WEEK, Calendar
from lastmile_flows.simulation.engine import Raw
from lastmile_flows.simulation.plan import Plan
from lastmile_flows.simulation.results import (
    EdgeCaseFigures,
    LittleCheck,
    QueueFigures,
    SideResult,
    StepFigures,
    TrustResult,
)
from lastmile_flows.simulation.stats import estimate, percentile, rounded

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["SATURATION", "summarise"]

SATURATION = 0.85
"""Offered load from which a queue is near saturation (more replications are run)."""

WEEKS_PER_MONTH = 52 / 12


def summarise(
    side: str,
    process: Process,
    plan: Plan,
    raws: Sequence[Raw],
    *,
    calendar: Calendar,
    months: float,
    volume_per_month: float,
    hours_per_fte_month: float,
    sla_hours: float | None,
) -> SideResult:
    """The figures of one process over its replications."""
    import numpy as np

    # per-month figures divide by the months of working time the run had (a run of whole
    # calendar months may hold a few working days more or fewer than the average month)
    open_month = calendar.open_hours_per_month * 60
    spans = [raw.open_minutes / open_month for raw in raws]
    hours = [raw.cycle / 60 for raw in raws]
    sample = raws[0].sample_times if raws else np.zeros(0)
    length = min((raw.backlog_work.shape[0] for raw in raws), default=0)
    return SideResult(
        side=side,
        process_id=process.id,
        label=process.label,
        volume_per_month=volume_per_month,
        replications=len(raws),
        arrivals_per_month=estimate([r.arrivals / m for r, m in zip(raws, spans, strict=True)], 2),
        completed_share=estimate([raw.completed / max(raw.arrivals, 1) for raw in raws]),
        open_at_end=estimate([float(raw.open_ages.size) for raw in raws], 2),
        cycle_hours_mean=estimate([_mean(h) for h in hours], 3),
        cycle_hours_p50=estimate([percentile(h, 0.5) for h in hours], 3),
        cycle_hours_p90=estimate([percentile(h, 0.9) for h in hours], 3),
        cycle_hours_p95=estimate([percentile(h, 0.95) for h in hours], 3),
        cycle_hours_quantiles=_percentiles(hours),
        sla_breach_share=_sla(raws, sla_hours),
        human_minutes_per_case=estimate([raw.human_minutes / max(raw.arrivals, 1) for raw in raws]),
        wip_mean=estimate([raw.wip_area / raw.open_minutes for raw in raws], 2),
        little=_little(raws),
        sample_days=tuple(rounded(float(t) / 1440, 3) for t in sample[:length]),
        wip=tuple(rounded(float(v), 2) for v in np.mean([raw.wip[:length] for raw in raws], axis=0))
        if raws and length
        else (),
        steps=_steps(process, plan, raws),
        queues=_queues(plan, raws, length, calendar, spans, hours_per_fte_month),
        edge_cases=_edge_cases(plan, raws, spans),
        trust=_trust(process, plan, raws, spans, volume_per_month),
    )


def _percentiles(hours: list[NDArray[np.float64]]) -> tuple[float, ...]:
    """The 1st to 99th percentiles of every replication's cycle hours pooled (none without
    a completed case)."""
    import numpy as np

    pooled = np.concatenate(hours) if hours else np.zeros(0)
    if not pooled.size:
        return ()
    return tuple(rounded(float(q), 3) for q in np.quantile(pooled, np.arange(1, 100) / 100))


def _steps(process: Process, plan: Plan, raws: Sequence[Raw]) -> tuple[StepFigures, ...]:
    """Each step's visits per case and its time percentiles (working minutes)."""
    seen = visits(process)
    return tuple(
        StepFigures(
            step=step_id,
            visits_per_case=rounded(seen.get(step_id, 0.0)),
            p50=estimate([percentile(raw.step_times[n], 0.5) for raw in raws], 2),
            p90=estimate([percentile(raw.step_times[n], 0.9) for raw in raws], 2),
            p95=estimate([percentile(raw.step_times[n], 0.95) for raw in raws], 2),
        )
        for n, step_id in enumerate(plan.step_ids)
    )


def _edge_cases(
    plan: Plan, raws: Sequence[Raw], spans: Sequence[float]
) -> tuple[EdgeCaseFigures, ...]:
    """How often a month each edge case happens, and happens with nobody to handle it."""
    return tuple(
        EdgeCaseFigures(
            edge_case=case.id,
            step=case.step,
            per_month=estimate(
                [r.case_occurrences[n] / m for r, m in zip(raws, spans, strict=True)], 2
            ),
            unhandled_per_month=estimate(
                [r.case_unhandled[n] / m for r, m in zip(raws, spans, strict=True)], 2
            ),
        )
        for n, case in enumerate(plan.cases)
    )


def _mean(values: object) -> float:
    import numpy as np

    array = np.asarray(values)
    return float(array.mean()) if array.size else math.nan


def _sla(raws: Sequence[Raw], sla_hours: float | None) -> object:
    if sla_hours is None:
        return None
    limit = sla_hours * 60
    shares = []
    for raw in raws:
        late_open = int((raw.open_ages > limit).sum())
        late = int((raw.cycle > limit).sum()) + late_open
        counted = raw.cycle.size + late_open
        shares.append(late / counted if counted else math.nan)
    return estimate(shares)


def _little(raws: Sequence[Raw]) -> LittleCheck | None:
    pairs = []
    for raw in raws:
        if raw.completed == 0 or raw.open_minutes <= 0:
            continue
        wip = raw.wip_area / raw.open_minutes
        flow = raw.completed / raw.open_minutes * float(raw.cycle_open.mean())
        pairs.append((wip, flow))
    if not pairs:
        return None
    worst = max(abs(w - f) / max(w, 1e-9) for w, f in pairs)
    return LittleCheck(
        wip=rounded(sum(w for w, _ in pairs) / len(pairs), 3),
        rate_times_time=rounded(sum(f for _, f in pairs) / len(pairs), 3),
        worst_relative_gap=rounded(worst),
    )


def _queues(
    plan: Plan,
    raws: Sequence[Raw],
    length: int,
    calendar: Calendar,
    spans: Sequence[float],
    hours_per_fte_month: float,
) -> tuple[QueueFigures, ...]:
    import numpy as np

    found = []
    days_per_month = calendar.days_per_week * WEEKS_PER_MONTH
    for n, role in enumerate(plan.roles):
        capacity = (role.headcount or 0.0) * hours_per_fte_month * 60
        offered = (
            [r.role_demand[n] / (capacity * m) for r, m in zip(raws, spans, strict=True)]
            if capacity
            else []
        )
        utilisation = (
            [raw.role_busy[n] / (role.servers * raw.open_minutes) for raw in raws]
            if role.servers
            else []
        )
        work, count = _backlog(raws, length, n)
        load = estimate(offered)
        demand = sum(raw.role_demand[n] for raw in raws)
        unbounded = (role.servers == 0 and demand > 0) or (load is not None and load.mean >= 1)
        one_day = max(role.headcount or 0.0, 1.0) * hours_per_fte_month / days_per_month
        week = None
        if unbounded:
            over = np.nonzero(work > one_day)[0]
            if over.size:
                week = int(raws[0].sample_times[int(over[0])] // WEEK) + 1
        found.append(
            QueueFigures(
                role=role.id,
                headcount=role.headcount,
                people=role.servers,
                offered_load=load,
                utilisation=estimate(utilisation),
                hours_given_per_month=estimate(
                    [r.role_demand[n] / 60 / m for r, m in zip(raws, spans, strict=True)], 2
                ),
                wait_mean_minutes=estimate([_mean(raw.role_waits[n]) for raw in raws], 2),
                wait_p90_minutes=estimate([percentile(raw.role_waits[n], 0.9) for raw in raws], 2),
                waiting_at_end=estimate([float(raw.role_waiting_at_end[n]) for raw in raws], 2),
                unbounded=bool(unbounded),
                week_backlog_passes_a_day=week,
                backlog_hours=tuple(rounded(float(v), 2) for v in work),
                backlog_cases=tuple(rounded(float(v), 2) for v in count),
            )
        )
    return tuple(found)


def _backlog(
    raws: Sequence[Raw], length: int, n: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Role ``n``'s backlog at each sample time, averaged over the replications: hours of work
    and cases."""
    import numpy as np

    if not (raws and length):
        return np.zeros(0), np.zeros(0)
    work = np.mean([raw.backlog_work[:length, n] for raw in raws], axis=0) / 60
    count = np.mean([raw.backlog_count[:length, n] for raw in raws], axis=0)
    return work, count


def _trust(
    process: Process, plan: Plan, raws: Sequence[Raw], spans: Sequence[float], volume: float
) -> tuple[TrustResult, ...]:
    exact = {figure.step: figure for figure in trust_figures(process, volume_per_month=volume)}
    found = []
    for n, item in enumerate(plan.trust):
        figure = exact[item.step]
        found.append(
            TrustResult(
                step=item.step,
                error_rate=rounded(figure.error_rate),
                review_share=rounded(figure.review_share),
                catch_rate=rounded(figure.catch_rate),
                catch_rate_assumed=figure.catch_rate_assumed,
                errors_per_month_exact=rounded(figure.errors_per_month or 0.0, 2),
                escaped_per_month_exact=rounded(figure.escaped_per_month or 0.0, 2),
                errors_per_month=estimate(
                    [r.errors[n] / m for r, m in zip(raws, spans, strict=True)], 2
                ),
                escaped_per_month=estimate(
                    [r.escaped[n] / m for r, m in zip(raws, spans, strict=True)], 2
                ),
                escaped_by_failure_mode=tuple(
                    (mode, rounded(value, 2)) for mode, value in figure.escaped_by_failure_mode
                ),
            )
        )
    return tuple(found)
