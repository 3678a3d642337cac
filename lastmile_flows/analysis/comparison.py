"""``compare(current, redesigned)``: the step changes, hand-offs, audit findings and metrics of a
redesign, as one immutable result."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr

from lastmile_flows.analysis.align import (
    CHANGE_KINDS,
    HandOff,
    StepChange,
    align,
    handoffs,
)
from lastmile_flows.analysis.audit import audit
from lastmile_flows.analysis.auditbase import AuditInput
from lastmile_flows.analysis.fates import EdgeCaseFate, carried_cases, trace_edge_cases
from lastmile_flows.analysis.findings import Finding
from lastmile_flows.analysis.flowmath import AnalysisError, FlowFacts
from lastmile_flows.analysis.metrics import (
    Metrics,
    MetricsDelta,
    delta,
    measure,
    rounded,
)
from lastmile_flows.analysis.rules import resolve_severities
from lastmile_flows.analysis.stepchanges import step_changes
from lastmile_flows.model import EdgeCase, Process, Redesign
from lastmile_flows.model.base import MAX_HOURS_PER_FTE_MONTH, MAX_VOLUME, MIN_HOURS_PER_FTE_MONTH
from lastmile_flows.model.process import DEFAULT_HOURS_PER_FTE_MONTH, DEFAULT_HOURS_PER_WORKING_DAY
from lastmile_flows.severity import Severity, at_or_worse

__all__ = [
    "SCHEMA_VERSION",
    "Comparison",
    "HandOffChanges",
    "MetricSet",
    "ProductivityGap",
    "VersionInfo",
    "compare",
]

SCHEMA_VERSION = 1


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class VersionInfo(_Result):
    id: str
    name: str
    version: str


class HandOffChanges(_Result):
    """Hand-offs by role pair: pairs only the redesign has, pairs it no longer has."""

    added: tuple[HandOff, ...]
    removed: tuple[HandOff, ...]
    kept: int


class MetricSet(_Result):
    current: Metrics
    redesigned: Metrics
    delta: MetricsDelta
    dropped_exceptions_per_case: float = 0.0
    """Current exception cases per case that the redesign drops (nobody is set up to handle
    them; see :mod:`~lastmile_flows.analysis.fates`)."""
    dropped_exceptions_per_month: float | None = None


class ProductivityGap(_Result):
    """Step-level savings next to the end-to-end change: what reviews and new work eat."""

    step_savings_minutes: float
    """Human minutes per case saved at the steps where they fell."""
    added_minutes: float
    """Human minutes per case added where they rose: reviews, new steps, slower steps."""
    added_by_change: dict[str, float]
    """``added_minutes`` split by the kind of change that added them."""
    end_to_end_savings_minutes: float
    """Human minutes per case, current minus redesigned (savings minus what was added)."""
    eaten_share: float | None
    """Share of the step-level savings eaten (none when nothing was saved)."""
    step_elapsed_savings_minutes: float
    """Wait + touch minutes per case saved at the steps where they fell."""
    cycle_time_savings_minutes: float
    """Cycle time (slowest path), current minus redesigned."""


class Comparison(_Result):
    """What a redesign does, in business terms. ``to_json`` / ``to_markdown`` / ``to_text``."""

    schema_version: Literal[1] = 1
    id: str
    name: str
    current: VersionInfo
    redesigned: VersionInfo
    volume_per_month: float | None
    volume_source: Literal["redesign", "given", "none"] = "none"
    """Where the volume comes from: the redesign's volume_per_month, or one given to compare
    (``--volume``), which wins over the redesign's."""
    hours_per_fte_month: float
    hours_per_working_day: float = DEFAULT_HOURS_PER_WORKING_DAY
    currency: str = ""
    """The currency of every cost (the redesigned process's, else the current one's)."""
    steps: tuple[StepChange, ...]
    handoffs: HandOffChanges
    edge_cases: tuple[EdgeCaseFate, ...] = ()
    """What becomes of every current edge case: restated, carried, retired or dropped."""
    findings: tuple[Finding, ...]
    metrics: MetricSet
    productivity_gap: ProductivityGap
    _sources: Redesign | None = PrivateAttr(default=None)

    def model_post_init(self, context: Any, /) -> None:
        """Keep the redesign compared, when the validation context gives it (:func:`compare`
        does; a comparison read back from JSON has none)."""
        if isinstance(context, Mapping):
            self._sources = context.get("sources")

    @property
    def sources(self) -> Redesign | None:
        """The redesign compared (``None`` for a comparison read back from JSON): what the
        diagrams of a comparison are drawn from."""
        return self._sources

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, str]:
        """Jupyter shows the diff diagram (``to_markdown()`` gives the report)."""
        from lastmile_flows.render.jupyter import mimebundle

        return mimebundle(self, include, exclude)

    def findings_at_or_above(self, level: Severity) -> tuple[Finding, ...]:
        """Findings whose severity is ``level`` or worse."""
        return tuple(f for f in self.findings if at_or_worse(f.severity, level))

    def count(self, change: str) -> int:
        return sum(1 for step in self.steps if step.change == change)

    def to_json(self) -> str:
        from lastmile_flows.report.jsonreport import comparison_json

        return comparison_json(self)

    def to_markdown(self) -> str:
        from lastmile_flows.report.markdown import comparison_markdown

        return comparison_markdown(self)

    def to_text(self) -> str:
        from lastmile_flows.report.text import comparison_text

        return comparison_text(self)


def _check_figure(name: str, value: float | None, low: float, high: float) -> None:
    """A figure given to ``compare`` must be a finite number in its range."""
    if value is not None and not (math.isfinite(value) and low <= value <= high):
        raise AnalysisError(
            f"{name} = {value!r} is not valid; give a number from {low:g} to {high:,g}"
        )


@dataclass(frozen=True)
class _Settings:
    """What is compared, and with which figures, once ``compare``'s options are settled."""

    current: Process
    redesigned: Process
    redesign: Redesign | None
    name: str
    ident: str
    volume: float | None
    source: Literal["redesign", "given", "none"]
    hours: float
    day: float


def compare(
    current: Process | Redesign,
    redesigned: Process | None = None,
    *,
    volume_per_month: float | None = None,
    hours_per_fte_month: float | None = None,
    hours_per_working_day: float | None = None,
    severity: Mapping[str, str] | None = None,
) -> Comparison:
    """Compare a current process with its redesign (or one :class:`Redesign` holding both).

    ``volume_per_month`` and ``hours_per_fte_month`` default to the redesign's; without a volume,
    monthly figures and capacity findings are left out. ``hours_per_working_day`` tells cycle
    times in days (the redesign's, else 8). ``severity`` overrides rule severities by name or
    code, e.g. ``{"edge_case.carried_implicitly": "warning"}``.
    """
    settings = _settle(
        current, redesigned, volume_per_month, hours_per_fte_month, hours_per_working_day
    )
    severities = resolve_severities(severity)
    current, redesigned = settings.current, settings.redesigned
    flows_before, flows_after = FlowFacts(current), FlowFacts(redesigned)
    seen_before, seen_after = flows_before.visits, flows_after.visits
    aligned = align(current, redesigned)
    fates = trace_edge_cases(current, redesigned, aligned, seen_before)
    carried = carried_cases(current, fates)
    changes = step_changes(
        current, redesigned, aligned, seen_before, seen_after, carried, settings.day
    )
    metrics = _metric_set(settings, flows_before, flows_after, carried, fates)
    findings = _findings(settings, changes, fates, metrics, flows_before, flows_after, severities)
    redesign = settings.redesign
    return Comparison.model_validate(
        dict(
            id=settings.ident or redesigned.id,
            name=settings.name or redesigned.label,
            current=_info(current),
            redesigned=_info(redesigned),
            volume_per_month=settings.volume,
            volume_source=settings.source,
            hours_per_fte_month=settings.hours,
            hours_per_working_day=settings.day,
            currency=redesigned.currency or current.currency,
            steps=changes,
            handoffs=_handoff_changes(flows_before, flows_after),
            edge_cases=fates,
            findings=tuple(findings),
            metrics=metrics,
            productivity_gap=_gap(changes, metrics.current, metrics.redesigned),
        ),
        context={"sources": redesign if redesign is not None else _unchecked_redesign(settings)},
    )


def _findings(
    settings: _Settings,
    changes: tuple[StepChange, ...],
    fates: tuple[EdgeCaseFate, ...],
    metrics: MetricSet,
    flows_before: FlowFacts,
    flows_after: FlowFacts,
    severities: dict[str, Severity],
) -> list[Finding]:
    """The audit of the redesign, at the user's severities, reading the metrics measured."""
    redesign = settings.redesign
    return audit(
        AuditInput(
            settings.current,
            settings.redesigned,
            changes,
            flows_before.visits,
            flows_after.visits,
            settings.volume,
            settings.hours,
            redesign.max_escaped_errors_per_month if redesign is not None else None,
            fates,
            flows_before,
            flows_after,
            metrics_current=metrics.current,
            metrics_redesigned=metrics.redesigned,
        ),
        severities,
    )


def _unchecked_redesign(settings: _Settings) -> Redesign:
    """The two processes compared, as a redesign (not checked again: each one was) for the
    diagrams of the comparison."""
    return Redesign.model_construct(
        id=settings.redesigned.id,
        current=settings.current,
        redesigned=settings.redesigned,
        volume_per_month=settings.volume,
        hours_per_fte_month=settings.hours,
    )


def _settle(
    current: Process | Redesign,
    redesigned: Process | None,
    volume_per_month: float | None,
    hours_per_fte_month: float | None,
    hours_per_working_day: float | None,
) -> _Settings:
    """The two processes and the figures to compare them with: those given, else the
    redesign's, else the defaults; a figure out of range is an :class:`AnalysisError`."""
    name, ident = "", ""
    redesign: Redesign | None = None
    source: Literal["redesign", "given", "none"] = (
        "given" if volume_per_month is not None else "none"
    )
    if isinstance(current, Redesign):
        if redesigned is not None:
            raise TypeError("give a Redesign, or a current and a redesigned Process, not both")
        redesign = current
        current, redesigned = redesign.current, redesign.redesigned
        if volume_per_month is None and redesign.volume_per_month is not None:
            volume_per_month, source = redesign.volume_per_month, "redesign"
        hours_per_fte_month = hours_per_fte_month or redesign.hours_per_fte_month
        hours_per_working_day = hours_per_working_day or redesign.hours_per_working_day
        name, ident = redesign.label, redesign.id
    if redesigned is None:
        raise TypeError("compare() needs a Redesign, or a current and a redesigned Process")
    _check_figure("volume_per_month", volume_per_month, 0.0, MAX_VOLUME)
    _check_figure(
        "hours_per_fte_month", hours_per_fte_month, MIN_HOURS_PER_FTE_MONTH, MAX_HOURS_PER_FTE_MONTH
    )
    _check_figure("hours_per_working_day", hours_per_working_day, 1.0, 24.0)
    return _Settings(
        current=current,
        redesigned=redesigned,
        redesign=redesign,
        name=name,
        ident=ident,
        volume=volume_per_month,
        source=source,
        hours=hours_per_fte_month or DEFAULT_HOURS_PER_FTE_MONTH,
        day=hours_per_working_day or DEFAULT_HOURS_PER_WORKING_DAY,
    )


def _metric_set(
    settings: _Settings,
    flows_before: FlowFacts,
    flows_after: FlowFacts,
    carried: tuple[tuple[str, EdgeCase], ...],
    fates: tuple[EdgeCaseFate, ...],
) -> MetricSet:
    """Both versions' metrics, their difference, and the exceptions the redesign drops."""
    volume = settings.volume
    at = partial(
        measure,
        volume_per_month=volume,
        hours_per_fte_month=settings.hours,
        hours_per_working_day=settings.day,
    )
    measured_before = at(settings.current, facts=flows_before)
    measured_after = at(settings.redesigned, carried=carried, facts=flows_after)
    dropped = math.fsum(f.cases_per_case for f in fates if f.fate == "dropped")
    return MetricSet(
        current=measured_before,
        redesigned=measured_after,
        delta=delta(measured_before, measured_after),
        dropped_exceptions_per_case=rounded(dropped, 6),
        dropped_exceptions_per_month=(rounded(dropped * volume, 2) if volume is not None else None),
    )


def _info(process: Process) -> VersionInfo:
    return VersionInfo(id=process.id, name=process.label, version=process.version)


def _handoff_changes(current: FlowFacts, redesigned: FlowFacts) -> HandOffChanges:
    before = handoffs(current.process, facts=current)
    after = handoffs(redesigned.process, facts=redesigned)
    pairs_before = {(h.from_role, h.to_role) for h in before}
    pairs_after = {(h.from_role, h.to_role) for h in after}
    return HandOffChanges(
        added=tuple(h for h in after if (h.from_role, h.to_role) not in pairs_before),
        removed=tuple(h for h in before if (h.from_role, h.to_role) not in pairs_after),
        kept=len(pairs_before & pairs_after),
    )


def _gap(changes: tuple[StepChange, ...], before: Metrics, after: Metrics) -> ProductivityGap:
    saved = added = elapsed = 0.0
    by_change: dict[str, float] = {}
    for change in changes:
        difference = change.human_minutes_after - change.human_minutes_before
        if difference < 0:
            saved -= difference
        elif difference > 0:
            added += difference
            by_change[change.change] = by_change.get(change.change, 0.0) + difference
        elapsed += max(0.0, change.elapsed_minutes_before - change.elapsed_minutes_after)
    ordered = {kind: rounded(by_change[kind]) for kind in CHANGE_KINDS if kind in by_change}
    return ProductivityGap(
        step_savings_minutes=rounded(saved),
        added_minutes=rounded(added),
        added_by_change=ordered,
        end_to_end_savings_minutes=rounded(
            before.human_minutes_per_case - after.human_minutes_per_case
        ),
        eaten_share=rounded(added / saved) if saved > 0 else None,
        step_elapsed_savings_minutes=rounded(elapsed),
        cycle_time_savings_minutes=rounded(before.cycle_time_minutes - after.cycle_time_minutes),
    )
