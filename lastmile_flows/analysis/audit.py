"""The failure-ownership audit: who owns every edge case after the redesign, and what else a
committee must know before launch (unsupervised AI, unstaffed reviews, savings eaten).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from lastmile_flows.analysis.align import StepChange
from lastmile_flows.analysis.fates import EdgeCaseFate
from lastmile_flows.analysis.findings import Finding, sort_findings
from lastmile_flows.analysis.flowmath import FlowFacts
from lastmile_flows.analysis.likeness import look_alike
from lastmile_flows.analysis.rules import Severity, rule
from lastmile_flows.analysis.trust import review_capacity, reviews_of, trust_figures
from lastmile_flows.model import EdgeCase, Process, Role, Step
from lastmile_flows.model.elements import HUMAN_STEP_KINDS

__all__ = ["AuditInput", "audit"]

GAP_SHARE = 0.5
"""productivity.gap fires when added work eats this share of the step-level savings or more."""


@dataclass(frozen=True)
class AuditInput:
    current: Process
    redesigned: Process
    changes: tuple[StepChange, ...]
    visits_current: dict[str, float]
    visits_redesigned: dict[str, float]
    volume_per_month: float | None
    hours_per_fte_month: float
    max_escaped_errors_per_month: float | None = None
    fates: tuple[EdgeCaseFate, ...] = ()
    """What becomes of each current edge case (:func:`~lastmile_flows.analysis.fates.
    trace_edge_cases`); none for the self-comparison, where every one is restated."""
    flows_current: FlowFacts | None = None
    flows_redesigned: FlowFacts | None = None
    """The versions' flow figures, when the caller has them already (else worked out here)."""


class _Collector:
    def __init__(self, severities: dict[str, Severity]) -> None:
        self.severities = severities
        self.found: list[Finding] = []

    def add(self, name: str, message: str, *ids: str, version: str = "redesigned") -> None:
        found = rule(name)
        self.found.append(
            Finding(
                code=found.code,
                name=found.name,
                severity=self.severities[found.name],
                message=message,
                element_ids=tuple(ids),
                version="current" if version == "current" else "redesigned",
            )
        )


def audit(data: AuditInput, severities: dict[str, Severity]) -> list[Finding]:
    """Every finding, sorted by severity and rule; ``introduced`` set against a self-comparison."""
    found = _run(data, severities)
    baseline = _run(
        AuditInput(
            data.current,
            data.current,
            (),
            data.visits_current,
            data.visits_current,
            data.volume_per_month,
            data.hours_per_fte_month,
            flows_current=data.flows_current,
            flows_redesigned=data.flows_current,
        ),
        severities,
    )
    before = {(f.name, f.element_ids) for f in baseline}
    marked = [
        f.model_copy(update={"introduced": (f.name, f.element_ids) not in before}) for f in found
    ]
    return sort_findings(marked)


def _run(data: AuditInput, severities: dict[str, Severity]) -> list[Finding]:
    out = _Collector(severities)
    _edge_cases(data, out)
    _ai_steps(data, out)
    flagged = _trust(data, out)
    _capacity(data, out, flagged)
    _changes(data, out)
    return out.found


def _people(count: float | None) -> str:
    """``1 person``, ``0 people``, ``2.5 people``."""
    if count is None:
        return "some people"
    return "1 person" if count == 1 else f"{count:g} people"


def _role_text(role: Role | None, role_id: str) -> str:
    return f"{role.label} ({role_id})" if role is not None and role.label != role_id else role_id


def _how_often(rate: float, visit: float, volume: float | None) -> str:
    share = rate * visit
    text = f"{share:.1%} of cases"
    if volume is not None:
        text += f", about {share * volume:,.0f} a month"
    return text


@dataclass(frozen=True)
class _Traced:
    """An edge case as it stands in the redesign: where it sits, and who owns it now."""

    case: EdgeCase
    step: Step
    version: str
    owner: str | None
    tribal: bool
    visit: float


def _steps_text(steps: dict[str, Step], ids: tuple[str, ...]) -> str:
    return ", ".join(f"'{steps[i].label}' ({i})" for i in ids)


def _trace(data: AuditInput, out: _Collector) -> list[_Traced]:
    """Every edge case the redesign must handle: its own, and current ones it carries; the
    current ones it retires or drops are reported (see :mod:`lastmile_flows.analysis.fates`)."""
    traced = [
        _Traced(
            case,
            step,
            "redesigned",
            case.owner,
            case.tribal,
            data.visits_redesigned.get(step.id, 0.0),
        )
        for step, case in data.redesigned.edge_cases()
    ]
    cases = {case.id: (step, case) for step, case in data.current.edge_cases()}
    steps_now = {step.id: step for step in data.redesigned.steps}
    for fate in data.fates:
        step, case = cases[fate.edge_case]
        if fate.fate == "retired":
            out.add(
                "edge_case.retired",
                f"Exception '{case.label}' ({case.id}) of '{step.label}' is retired by the "
                f"redesign: {fate.reason}",
                case.id,
                step.id,
                version="current",
            )
        elif fate.fate == "dropped":
            often = _how_often(
                case.rate, data.visits_current.get(step.id, 0.0), data.volume_per_month
            )
            fate_of_step = (
                f"its step is now done by {_steps_text(steps_now, fate.now_at)}, which "
                "neither restates nor retires it"
                if fate.now_at
                else "its step is gone and no step of the redesign handles it"
            )
            out.add(
                "edge_case.dropped",
                f"Exception '{case.label}' ({case.id}) at '{step.label}' ({often}) is dropped: "
                f"{fate_of_step}, so nobody is set up to handle it (owner today: "
                f"{case.owner or 'nobody'}).",
                case.id,
                step.id,
                version="current",
            )
        elif fate.fate == "carried":
            carrier = steps_now[fate.now_at[0]]
            out.add(
                "edge_case.carried_implicitly",
                f"Exception '{case.label}' ({case.id}) of '{step.label}' is carried by the same "
                f"step, done by the same role, without being restated; confirm who handles it "
                f"now (assumed: {case.owner or 'nobody'}).",
                case.id,
                carrier.id,
            )
            traced.append(
                _Traced(
                    case,
                    carrier,
                    "carried",
                    case.owner,
                    case.tribal,
                    data.visits_redesigned.get(carrier.id, 0.0),
                )
            )
    return traced


def _edge_cases(data: AuditInput, out: _Collector) -> None:
    roles_now = {role.id: role for role in data.redesigned.roles}
    roles_before = {role.id: role for role in data.current.roles}
    for item in _trace(data, out):
        case, step = item.case, item.step
        where = f"Exception '{case.label}' ({case.id}) at '{step.label}'"
        often = _how_often(case.rate, item.visit, data.volume_per_month)
        if item.owner is None:
            out.add(
                "edge_case.no_owner",
                f"{where} ({often}) has no failure owner: when it happens, nobody is "
                "accountable for recovering the case.",
                case.id,
                step.id,
            )
            continue
        role = roles_now.get(item.owner)
        former = roles_before.get(item.owner)
        if role is None or role.headcount == 0:
            what = "a role the redesign removes" if role is None else "a role with no one in it"
            out.add(
                "edge_case.owner_removed",
                f"{where} ({often}) is owned by {_role_text(role or former, item.owner)}, {what}: "
                "nobody is left to handle it.",
                case.id,
                step.id,
                item.owner,
            )
        elif role.kind != "human":
            out.add(
                "edge_case.owner_not_human",
                f"{where} is owned by {_role_text(role, item.owner)}, a {role.kind} role: name the "
                "person accountable when it goes wrong.",
                case.id,
                step.id,
                item.owner,
            )
        if item.tribal and former is not None and _loses_headcount(former, role):
            before = f"{former.headcount:g}" if former.headcount is not None else "some"
            after = _people(
                role.headcount if role is not None and role.headcount is not None else 0
            )
            out.add(
                "edge_case.tribal_knowledge_at_risk",
                f"{where} is handled from know-how that lives only in people, and its owner "
                f"{_role_text(former, item.owner)} goes from {before} to {after}: "
                "write the handling down before the change.",
                case.id,
                step.id,
                item.owner,
            )


def _loses_headcount(before: Role, after: Role | None) -> bool:
    if after is None or after.headcount == 0:
        return True
    if before.headcount is None or after.headcount is None:
        return False
    return after.headcount < before.headcount


def _ai_steps(data: AuditInput, out: _Collector) -> None:
    process = data.redesigned
    roles = {role.id: role for role in process.roles}
    reviewed = {step.reviews for step in process.steps if step.kind == "review"}
    for step in process.steps:
        if step.kind != "ai":
            continue
        failures = [case for case in step.edge_cases if case.ai_failure]
        owned = [
            case for case in failures if case.owner in roles and roles[case.owner].headcount != 0
        ]
        if not failures:
            out.add(
                "ai.no_fallback",
                f"AI step '{step.label}' ({step.id}) has no edge case describing how it fails "
                "(wrong output, low confidence, outage), so nobody is set up to catch it.",
                step.id,
            )
        elif not owned:
            out.add(
                "ai.no_fallback",
                f"AI step '{step.label}' ({step.id}) describes how it fails "
                f"({', '.join(case.id for case in failures)}), but no staffed role owns the "
                "failure.",
                step.id,
                *(case.id for case in failures),
            )
        if step.ai_mode in ("suggest", "draft") and step.id not in reviewed:
            out.add(
                "ai.no_human_decision",
                f"AI step '{step.label}' ({step.id}) is meant to {step.ai_mode}, but no review "
                "step checks its output: in practice it acts, unreviewed.",
                step.id,
            )
        if step.ai_mode == "act" and step.accountable is None and step.id not in reviewed:
            out.add(
                "ai.acts_unsupervised",
                f"AI step '{step.label}' ({step.id}) acts on its own with no review step and no "
                "accountable human role: name who answers for what it does.",
                step.id,
            )


def _trust(data: AuditInput, out: _Collector) -> set[str]:
    """Escaped errors over the redesign's limit; review shares the reviewers cannot sustain
    (the reviewer roles reported here are not reported again as review.over_capacity)."""
    if data.volume_per_month is None:
        return set()
    process = data.redesigned
    limit = data.max_escaped_errors_per_month
    figures = trust_figures(
        process, volume_per_month=data.volume_per_month, visits=data.visits_redesigned
    )
    steps = {step.id: step for step in process.steps}
    for figure in figures:
        escaped = figure.escaped_per_month or 0.0
        if limit is None or escaped <= limit + 1e-9:
            continue
        step = steps[figure.step]
        assumed = " (catch rate not stated: every reviewed error assumed caught)"
        out.add(
            "ai.errors_escape",
            f"AI step '{step.label}' ({step.id}) gets {figure.error_rate:.1%} of its output "
            f"wrong; reviewing {figure.review_share:.0%} of it reaches "
            f"{figure.errors_in_review:.0%} of the errors and catches {figure.catch_rate:.0%} "
            f"of those{assumed if figure.catch_rate_assumed else ''}, so about {escaped:,.1f} "
            f"errors a month reach customers, above the {limit:g} the redesign accepts.",
            step.id,
            *(r.id for r in reviews_of(process, step.id)),
        )
    flagged: set[str] = set()
    capacities = review_capacity(
        process,
        volume_per_month=data.volume_per_month,
        hours_per_fte_month=data.hours_per_fte_month,
        facts=data.flows_redesigned,
    )
    for capacity in capacities:
        if capacity.sustainable:
            continue
        flagged.add(capacity.role)
        role = process.role(capacity.role)
        out.add(
            "review.backlog_unbounded",
            f"{_role_text(role, role.id)} needs {capacity.hours_needed_per_month:,.0f} hours a "
            f"month for the review share the redesign sends it "
            f"({', '.join(capacity.review_steps)}) and its other work, but has "
            f"{_people(capacity.headcount)} ({capacity.hours_staffed_per_month:,.0f} hours): "
            "its queue grows without bound, passing one day of work in week "
            f"{capacity.week_backlog_passes_a_day} after launch.",
            role.id,
            *capacity.review_steps,
        )
    return flagged


def _capacity(data: AuditInput, out: _Collector, flagged: set[str]) -> None:
    if data.volume_per_month is None:
        return
    process = data.redesigned
    volume = data.volume_per_month
    review_hours: dict[str, float] = defaultdict(float)
    review_steps: dict[str, list[str]] = defaultdict(list)
    total_hours: dict[str, float] = defaultdict(float)
    roles = {role.id: role for role in process.roles}
    flagged = set(flagged)
    for step in process.steps:
        visit = data.visits_redesigned.get(step.id, 0.0)
        if step.kind in HUMAN_STEP_KINDS:
            rate = step.review_rate if step.kind == "review" else 1.0
            hours = visit * rate * step.touch_minutes * volume / 60
            total_hours[step.role] += hours
            if step.kind == "review":
                review_hours[step.role] += hours
                review_steps[step.role].append(step.id)
        for case in step.edge_cases:
            if case.owner in roles:
                total_hours[case.owner] += visit * case.rate * case.handling_minutes * volume / 60
    for role_id, hours in review_hours.items():
        role = roles[role_id]
        if role.headcount is None or role_id in flagged:
            continue
        capacity = role.headcount * data.hours_per_fte_month
        if hours > capacity + 1e-9:
            flagged.add(role_id)
            out.add(
                "review.over_capacity",
                f"Reviewing AI output takes {_role_text(role, role_id)} {hours:,.0f} hours a month "
                f"({hours / data.hours_per_fte_month:.2f} FTE) at {volume:,.0f} cases, but the "
                "role "
                f"has {_people(role.headcount)} ({capacity:,.0f} hours): the review queue will "
                "grow or be skipped.",
                role_id,
                *review_steps[role_id],
            )
    for role in process.roles:
        hours = total_hours.get(role.id, 0.0)
        if role.kind != "human" or role.headcount is None or role.id in flagged:
            continue
        capacity = role.headcount * data.hours_per_fte_month
        if hours > capacity + 1e-9:
            out.add(
                "role.over_capacity",
                f"{_role_text(role, role.id)} needs {hours:,.0f} hours a month "
                f"({hours / data.hours_per_fte_month:.2f} FTE) in the redesign but has "
                f"{_people(role.headcount)} ({capacity:,.0f} hours).",
                role.id,
            )


def _changes(data: AuditInput, out: _Collector) -> None:
    saved = added = 0.0
    for change in data.changes:
        difference = change.human_minutes_after - change.human_minutes_before
        if difference < 0:
            saved -= difference
        else:
            added += difference
        if change.change == "assisted" and difference >= 0:
            out.add(
                "step.assisted_without_saving",
                f"AI now assists {', '.join(change.current)}, but the human minutes there go from "
                f"{change.human_minutes_before:.1f} to {change.human_minutes_after:.1f} per case: "
                "the assist adds checking instead of removing work.",
                *change.redesigned,
            )
    if saved > 0 and added >= GAP_SHARE * saved:
        out.add(
            "productivity.gap",
            f"Steps the redesign speeds up save {saved:.1f} human minutes per case, but reviews, "
            f"new steps and slower steps add {added:.1f} back ({added / saved:.0%}): the "
            f"end-to-end saving is {saved - added:.1f} minutes per case.",
            *(
                c.redesigned[0]
                for c in data.changes
                if c.redesigned and c.human_minutes_after > c.human_minutes_before
            ),
        )
    _suggest_replaces(data, out)


def _suggest_replaces(data: AuditInput, out: _Collector) -> None:
    removed = [c for c in data.changes if c.change == "eliminated"]
    added = [c for c in data.changes if c.change in ("added", "review_added")]
    if not removed or not added:
        return
    old_steps = {step.id: step for step in data.current.steps}
    new_steps = {step.id: step for step in data.redesigned.steps}
    olds = [old_steps[change.current[0]] for change in removed]
    news = [new_steps[change.redesigned[0]] for change in added]
    for old, new in look_alike(olds, news):
        out.add(
            "compare.suggest_replaces",
            f"Removed step '{old.label}' ({old.id}) and added step '{new.label}' ({new.id}) "
            f"look alike; if one carries the other, add replaces: [{old.id}] to {new.id}.",
            old.id,
            new.id,
        )
