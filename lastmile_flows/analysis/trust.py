"""Trust calibration in closed form: how many of an AI step's errors reach the customer, and
whether the reviewers can keep up with the share of its output sent to them.

The rules, per AI step that states ``error_rate`` (or ``accuracy``):

- its **review share** ``r`` is the share of its output that a review step of it actually
  reviews: the review step's visits times its ``review_rate``, over the AI step's visits (so a
  review reached through a low-confidence edge case or a gateway branch counts at that rate);
- the **share of its errors in the reviewed output** ``f(r)`` is ``r`` when review picks cases
  at random, and otherwise the step's ``confidence_routing`` curve read at ``r``, linearly
  between its points and the corners (0, 0) and (1, 1);
- a review catches ``c`` of the errors it sees (the review step's ``catch_rate``; a review step
  that states none is assumed to catch every error, and the figure says so);
- errors escape at ``e x (1 - f(r) x c)`` per visit of the AI step: ``e x (1 - r x c)`` for
  random review; times the step's visits per case and the volume, a month.

Whether the reviewers can sustain it: the reviewer role's work a month (every step and edge
case it owns, as :func:`~lastmile_flows.analysis.metrics.measure` counts it) against its
headcount. Above it, the backlog grows without bound; at a working calendar of
``days_per_week`` days, it passes one day of the role's work (one person's day when the role
has nobody) in the week :attr:`ReviewCapacity.week_backlog_passes_a_day` says.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from lastmile_flows.analysis.flowmath import FlowFacts
from lastmile_flows.analysis.flowmath import visits as compute_visits
from lastmile_flows.analysis.metrics import Metrics, measure
from lastmile_flows.model import Process, Step

__all__ = [
    "ReviewCapacity",
    "TrustFigure",
    "error_rate_of",
    "errors_in_review",
    "review_capacity",
    "review_share",
    "reviews_of",
    "trust_figures",
]

WEEKS_PER_MONTH = 52 / 12


def error_rate_of(step: Step) -> float | None:
    """The AI step's error rate, from ``error_rate`` or ``1 - accuracy``; none when unstated."""
    if step.error_rate is not None:
        return step.error_rate
    if step.accuracy is not None:
        return 1.0 - step.accuracy
    return None


def errors_in_review(step: Step, share: float) -> float:
    """``f(r)``: the share of the step's errors in the ``share`` of its output reviewed."""
    share = min(1.0, max(0.0, share))
    points = [(0.0, 0.0)]
    points += [(p.review_share, p.error_share) for p in step.confidence_routing]
    points.append((1.0, 1.0))
    if not step.confidence_routing:
        return share
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x0 <= share <= x1:
            if x1 == x0:
                return max(y0, y1)
            found = y0 + (y1 - y0) * (share - x0) / (x1 - x0)
            # rounding may carry the line past its ends (1.0000000000000002 at share 1)
            return min(max(found, min(y0, y1)), max(y0, y1))
    return share  # unreachable: the points span 0 to 1


def reviews_of(process: Process, step_id: str) -> tuple[Step, ...]:
    """The review steps that check one AI step, in model order."""
    return tuple(s for s in process.steps if s.kind == "review" and s.reviews == step_id)


def _reviews_by_step(process: Process) -> dict[str, tuple[Step, ...]]:
    """:func:`reviews_of` for every AI step at once (one pass over the steps)."""
    found: dict[str, list[Step]] = defaultdict(list)
    for step in process.steps:
        if step.kind == "review" and step.reviews is not None:
            found[step.reviews].append(step)
    return {step_id: tuple(reviews) for step_id, reviews in found.items()}


def review_share(
    process: Process, step_id: str, *, visits: Mapping[str, float] | None = None
) -> float:
    """The share of an AI step's output that its review steps actually review (0 to 1)."""
    seen = compute_visits(process) if visits is None else visits
    return _share(step_id, reviews_of(process, step_id), seen)


def _share(step_id: str, reviews: tuple[Step, ...], seen: Mapping[str, float]) -> float:
    own = seen.get(step_id, 0.0)
    if own <= 0:
        return 0.0
    reviewed = sum(seen.get(r.id, 0.0) * r.review_rate for r in reviews)
    return min(1.0, max(0.0, reviewed / own))


@dataclass(frozen=True)
class TrustFigure:
    """Errors of one AI step, per case and (with a volume) a month."""

    step: str
    error_rate: float
    review_share: float
    errors_in_review: float
    """``f(r)``: the share of the step's errors that reach a reviewer."""
    catch_rate: float
    catch_rate_assumed: bool
    """No review step of it states a catch rate: every reviewed error is assumed caught."""
    errors_per_case: float
    escaped_per_case: float
    errors_per_month: float | None
    escaped_per_month: float | None
    escaped_by_failure_mode: tuple[tuple[str, float], ...]
    """(edge case id, escaped errors a month) by the step's ``error_share``; the rest is
    ``(unclassified)``. Empty without a volume."""


def _catch_rate(reviews: tuple[Step, ...], visits: Mapping[str, float]) -> tuple[float, bool]:
    stated = [r for r in reviews if r.catch_rate is not None]
    if not stated:
        return 1.0, True
    if len(stated) == 1:
        return stated[0].catch_rate or 0.0, len(reviews) > 1
    weights = [visits.get(r.id, 0.0) * r.review_rate for r in stated]
    total = sum(weights)
    rates = [r.catch_rate or 0.0 for r in stated]
    if total <= 0:
        return sum(rates) / len(rates), len(stated) < len(reviews)
    return sum(w * c for w, c in zip(weights, rates, strict=True)) / total, len(stated) < len(
        reviews
    )


def trust_figures(
    process: Process,
    *,
    volume_per_month: float | None = None,
    shares: Mapping[str, float] | None = None,
    visits: Mapping[str, float] | None = None,
) -> tuple[TrustFigure, ...]:
    """The error figures of every AI step that states an error rate, in model order.

    ``shares`` overrides the review share of named AI steps (a what-if, as the review-share
    sweep uses); otherwise each step's review share comes from the model.
    """
    seen = compute_visits(process) if visits is None else visits
    by_step = _reviews_by_step(process)
    found = []
    for step in process.steps:
        rate = error_rate_of(step) if step.kind == "ai" else None
        if rate is None:
            continue
        reviews = by_step.get(step.id, ())
        share = (shares or {}).get(step.id)
        if share is None:
            share = _share(step.id, reviews, seen)
        caught_share = errors_in_review(step, share) if reviews else 0.0
        catch, assumed = _catch_rate(reviews, seen)
        per_visit = rate * (1.0 - caught_share * catch)
        visit = seen.get(step.id, 0.0)
        volume = volume_per_month
        escaped_month = None if volume is None else per_visit * visit * volume
        found.append(
            TrustFigure(
                step=step.id,
                error_rate=rate,
                review_share=share,
                errors_in_review=caught_share,
                catch_rate=catch,
                catch_rate_assumed=assumed,
                errors_per_case=rate * visit,
                escaped_per_case=per_visit * visit,
                errors_per_month=None if volume is None else rate * visit * volume,
                escaped_per_month=escaped_month,
                escaped_by_failure_mode=_by_mode(step, escaped_month),
            )
        )
    return tuple(found)


def _by_mode(step: Step, escaped: float | None) -> tuple[tuple[str, float], ...]:
    if escaped is None:
        return ()
    modes = [(c.id, c.error_share) for c in step.edge_cases if c.error_share is not None]
    named = sum(share for _, share in modes)
    found = [(case_id, escaped * share) for case_id, share in modes]
    if named < 1.0 - 1e-9:
        found.append(("(unclassified)", escaped * (1.0 - named)))
    return tuple(found)


@dataclass(frozen=True)
class ReviewCapacity:
    """Whether a reviewer role keeps up with everything it is given."""

    role: str
    review_steps: tuple[str, ...]
    hours_needed_per_month: float
    hours_staffed_per_month: float
    headcount: float
    sustainable: bool
    week_backlog_passes_a_day: int | None
    """The week (1 = the first) in which the backlog passes one day of the role's work;
    none when the role keeps up."""


def review_capacity(
    process: Process,
    *,
    volume_per_month: float,
    hours_per_fte_month: float,
    days_per_week: float = 5.0,
    facts: FlowFacts | None = None,
    metrics: Metrics | None = None,
) -> tuple[ReviewCapacity, ...]:
    """Each role that reviews an AI step stating an error rate, against its headcount.
    ``metrics`` are the process's at this volume when the caller has them already (a
    comparison's count the redesign's carried edge cases too); else they are measured here."""
    steps = {step.id: step for step in process.steps}
    reviewing: dict[str, list[str]] = {}
    for step in process.steps:
        target = steps.get(step.reviews or "")
        if step.kind == "review" and target is not None and error_rate_of(target) is not None:
            reviewing.setdefault(step.role, []).append(step.id)
    if not reviewing:
        return ()
    if metrics is None:
        metrics = measure(
            process,
            volume_per_month=volume_per_month,
            hours_per_fte_month=hours_per_fte_month,
            facts=facts,
        )
    loads = {load.role: load for load in metrics.roles}
    days_per_month = days_per_week * WEEKS_PER_MONTH
    found = []
    for role_id, review_steps in reviewing.items():
        load = loads.get(role_id)
        headcount = (load.headcount if load is not None else None) or 0.0
        needed = (load.hours_per_month if load is not None else None) or 0.0
        staffed = headcount * hours_per_fte_month
        sustainable = needed <= staffed + 1e-9
        week = None
        if not sustainable:
            excess_per_day = (needed - staffed) / days_per_month
            one_day = max(headcount, 1.0) * hours_per_fte_month / days_per_month
            days = one_day / excess_per_day
            week = max(1, math.ceil(days / days_per_week))
        found.append(
            ReviewCapacity(
                role=role_id,
                review_steps=tuple(review_steps),
                hours_needed_per_month=needed,
                hours_staffed_per_month=staffed,
                headcount=headcount,
                sustainable=sustainable,
                week_backlog_passes_a_day=week,
            )
        )
    return tuple(found)
