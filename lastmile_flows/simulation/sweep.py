"""The review-share sweep: how much of an AI step's output to review, traded against reviewer
FTE, errors that reach customers, and cycle time.

Each point sets the share of the step's output sent to review (see :func:`with_review_share`),
then reads the reviewer FTE needed and the escaped errors in closed form and simulates the
redesigned process for its cycle time and whether the review queue holds at the staffed
headcount (or at ``reviewers``). The model's own share is the chosen point.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Executor
from typing import Any

from pydantic import BaseModel, ConfigDict

from lastmile_flows.analysis.metrics import measure
from lastmile_flows.analysis.trust import error_rate_of, review_share, reviews_of, trust_figures
from lastmile_flows.errors import SimulationError
from lastmile_flows.model import Gateway, Process, Redesign
from lastmile_flows.model.problems import choices, did_you_mean
from lastmile_flows.simulation.calendar import Calendar
from lastmile_flows.simulation.run import RunSetup, pool_for, run_jobs
from lastmile_flows.simulation.stats import Estimate, rounded

__all__ = [
    "ReviewShareSweep",
    "SweepPoint",
    "sweep_markdown",
    "sweep_review_share",
    "with_review_share",
]


class SweepPoint(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    review_share: float
    reviewer_fte_needed: float
    """FTE the reviewer role needs for all its work at this share."""
    escaped_per_month: float
    """Closed form."""
    escaped_per_month_simulated: Estimate | None
    cycle_hours_p90: Estimate | None
    unbounded: bool
    """The reviewer queue grows without bound at the staffed headcount."""


class ReviewShareSweep(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    step: str
    reviewer_role: str
    reviewers: float
    """Headcount of the reviewer role the points were simulated with."""
    max_escaped_errors_per_month: float | None
    chosen: SweepPoint
    """The model's own review share."""
    points: tuple[SweepPoint, ...]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"

    def svg(self) -> str:
        from lastmile_flows.simulation.charts import tradeoff_chart

        return tradeoff_chart(self)

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, str]:
        return {"image/svg+xml": self.svg()}


def with_review_share(process: Process, step_id: str, share: float) -> Process:
    """A validated copy of ``process`` sending ``share`` of an AI step's output to review.

    Where the model routes to the review: through an edge case of the AI step whose
    ``recovery_step`` is the review (its rate becomes the share), through a gateway branch
    into the review (its probability becomes the share, the other branches scaled to the
    rest), or, failing those, the review step's ``review_rate``.
    """
    if not 0 <= share <= 1:
        raise SimulationError(f"a review share is between 0 and 1; got {share:g}")
    reviews = reviews_of(process, step_id)
    if not reviews:
        reviewed = [s.reviews for s in process.steps if s.kind == "review" and s.reviews]
        raise SimulationError(
            f"no review step checks {step_id!r}; reviewed AI steps: {choices(reviewed)}"
        )
    ids = {review.id for review in reviews}
    step = process.step(step_id)
    routed = [case for case in step.edge_cases if case.recovery_step in ids]
    if routed:
        others = sum(c.rate for c in step.edge_cases if c.recovery_step and c is not routed[0])
        return process.with_edge_case(routed[0].id, rate=min(share, max(0.0, 1 - others)))
    for number, gateway in enumerate(process.gateways):
        into = [n for n, branch in enumerate(gateway.branches) if branch.to in ids]
        if into and gateway.kind == "exclusive" and len(gateway.branches) > 1:
            return process.replace(
                gateways=[
                    *process.gateways[:number],
                    _rerouted(gateway, into[0], share),
                    *process.gateways[number + 1 :],
                ]
            )
    return process.with_step(reviews[0].id, review_rate=share)


def _rerouted(gateway: Gateway, branch: int, share: float) -> dict[str, Any]:
    old = gateway.branches[branch].probability or 0.0
    rest = len(gateway.branches) - 1
    branches = []
    for number, item in enumerate(gateway.branches):
        if number == branch:
            probability = share
        elif old < 1:
            probability = (item.probability or 0.0) * (1 - share) / (1 - old)
        else:
            probability = (1 - share) / rest
        branches.append({**item.model_dump(), "probability": probability})
    return {**gateway.model_dump(), "branches": branches}


def _ai_step(process: Process, step: str | None) -> str:
    reviewed = [
        s.id
        for s in process.steps
        if s.kind == "ai" and error_rate_of(s) is not None and reviews_of(process, s.id)
    ]
    if step is None:
        if not reviewed:
            raise SimulationError(
                f"process {process.id!r} has no AI step with an error_rate (or accuracy) that a "
                "review step checks: state them to sweep the review share"
            )
        return reviewed[0]
    if step not in reviewed:
        raise SimulationError(
            f"cannot sweep {step!r}{did_you_mean(step, reviewed)}: AI steps with an error rate "
            f"and a review step: {choices(reviewed)}"
        )
    return step


def sweep_review_share(
    obj: Redesign | Process,
    *,
    step: str | None = None,
    points: int = 50,
    reviewers: float | None = None,
    months: float = 3.0,
    replications: int = 2,
    seed: int = 0,
    executor: Executor | None = None,
    calendar: Calendar | None = None,
    volume_per_month: float | None = None,
    hours_per_fte_month: float | None = None,
) -> ReviewShareSweep:
    """Review shares from 0 to 1 (``points`` of them) for one AI step of the redesigned
    process (the first reviewed one stating an error rate, unless ``step`` says)."""
    if points < 1 or replications < 1:
        raise SimulationError(
            f"points and replications must be 1 or more; got {points}, {replications}"
        )
    process, volume, hours, limit = _subject(obj, volume_per_month, hours_per_fte_month)
    setup = RunSetup(calendar or Calendar(), months, volume, hours, None, {}, None)
    target = _ai_step(process, step)
    role = reviews_of(process, target)[0].role
    if reviewers is not None:
        process = process.with_role(role, headcount=reviewers)
    staffed = process.role(role).headcount or 0.0
    chosen = review_share(process, target)
    shares = [n / (points - 1) for n in range(points)] if points > 1 else []
    variants = [with_review_share(process, target, share) for share in shares]
    variants.append(process)
    import numpy as np

    seeds = [root.spawn(replications) for root in np.random.SeedSequence(seed).spawn(len(variants))]
    jobs = [
        job
        for variant, children in zip(variants, seeds, strict=True)
        for job in setup.jobs(variant, children, 0, replications)
    ]
    with pool_for(executor, volume * months * len(jobs)) as pool:
        raws = run_jobs(jobs, pool)
    found = []
    for number, variant in enumerate(variants):
        mine = raws[number * replications : (number + 1) * replications]
        side = setup.summary("redesigned", variant, mine)
        found.append(_point(variant, target, role, side, volume, hours))
    return ReviewShareSweep(
        id=process.id,
        step=target,
        reviewer_role=role,
        reviewers=staffed,
        max_escaped_errors_per_month=limit,
        chosen=found[-1].model_copy(update={"review_share": rounded(chosen)}),
        points=tuple(found[:-1]),
    )


def _subject(
    obj: Redesign | Process, volume_per_month: float | None, hours_per_fte_month: float | None
) -> tuple[Process, float, float, float | None]:
    """The process to sweep (a redesign's redesigned one), its volume, hours per FTE-month and
    limit on escaped errors: those given, else the redesign's; a process has no volume."""
    if isinstance(obj, Redesign):
        process, volume = obj.redesigned, obj.volume_per_month
        hours, limit = obj.hours_per_fte_month, obj.max_escaped_errors_per_month
    else:
        process, volume, hours, limit = obj, None, 140.0, None
    volume = volume if volume_per_month is None else volume_per_month
    if volume is None:
        raise SimulationError(
            f"process {process.id!r} has no volume: pass "
            "volume_per_month (--volume on the command line)"
        )
    return process, volume, hours_per_fte_month or hours, limit


def _point(
    process: Process, step: str, role: str, side: Any, volume: float, hours: float
) -> SweepPoint:
    figures: Mapping[str, Any] = {
        f.step: f for f in trust_figures(process, volume_per_month=volume)
    }
    loads = {
        load.role: load
        for load in measure(process, volume_per_month=volume, hours_per_fte_month=hours).roles
    }
    trust = next(t for t in side.trust if t.step == step)
    return SweepPoint(
        review_share=rounded(review_share(process, step)),
        reviewer_fte_needed=rounded(loads[role].fte_needed or 0.0, 3),
        escaped_per_month=rounded(figures[step].escaped_per_month or 0.0, 2),
        escaped_per_month_simulated=trust.escaped_per_month,
        cycle_hours_p90=side.cycle_hours_p90,
        unbounded=side.queue(role).unbounded,
    )


def sweep_markdown(sweep: ReviewShareSweep) -> str:
    """The sweep as a Markdown table, the model's own share first."""
    from lastmile_flows.escape import markdown_code

    out = [
        f"## Review share of {markdown_code(sweep.step)}",
        "",
        f"Reviewers: {markdown_code(sweep.reviewer_role)} at {sweep.reviewers:g} FTE"
        + (
            f"; at most {sweep.max_escaped_errors_per_month:g} escaped errors a month accepted."
            if sweep.max_escaped_errors_per_month is not None
            else "."
        ),
        "",
        "| review share | reviewer FTE needed | escaped errors / month | P90 cycle, hours "
        "| review queue |",
        "|---:|---:|---:|---:|---|",
    ]
    for label, point in [("the model: ", sweep.chosen), *(("", p) for p in sweep.points)]:
        p90 = point.cycle_hours_p90
        out.append(
            f"| {label}{point.review_share:.0%} | {point.reviewer_fte_needed:.2f} "
            f"| {point.escaped_per_month:,.1f} "
            f"| {'n/a' if p90 is None or point.unbounded else f'{p90.mean:,.1f}'} "
            f"| {'grows without bound' if point.unbounded else 'holds'} |"
        )
    return "\n".join(out) + "\n"
