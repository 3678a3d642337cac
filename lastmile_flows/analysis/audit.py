"""The failure-ownership audit: who owns every edge case after the redesign, and what else a
committee must know before launch (unsupervised AI, unstaffed reviews, savings eaten).

The edge-case rules live in :mod:`~lastmile_flows.analysis.ownership`, the AI and review rules
in :mod:`~lastmile_flows.analysis.supervision`; role capacity and the step changes are here.
"""

from __future__ import annotations

from lastmile_flows.analysis.auditbase import AuditInput, FindingList, people, role_text
from lastmile_flows.analysis.findings import Finding, sort_findings
from lastmile_flows.analysis.likeness import look_alike
from lastmile_flows.analysis.metrics import monthly_hours, review_minutes, rounded
from lastmile_flows.analysis.ownership import audit_edge_cases
from lastmile_flows.analysis.rules import Severity
from lastmile_flows.analysis.supervision import audit_ai_steps, audit_trust

__all__ = ["audit"]


GAP_SHARE = 0.5
"""productivity.gap fires when added work eats this share of the step-level savings or more."""


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
            metrics_current=data.metrics_current,
            metrics_redesigned=data.metrics_current,
        ),
        severities,
    )
    before = {(f.name, f.element_ids) for f in baseline}
    marked = [
        f.model_copy(update={"introduced": (f.name, f.element_ids) not in before}) for f in found
    ]
    return sort_findings(marked)


def _run(data: AuditInput, severities: dict[str, Severity]) -> list[Finding]:
    out = FindingList(severities)
    audit_edge_cases(data, out)
    audit_ai_steps(data, out)
    flagged = audit_trust(data, out)
    _capacity(data, out, flagged)
    _changes(data, out)
    return out.found


def _capacity(data: AuditInput, out: FindingList, flagged: set[str]) -> None:
    """Each human role's review hours, then all its hours, against what its headcount gives, as
    the redesign's metrics count them (hours and FTE are the role's in ``metrics.roles``); a
    role already named, here or by the trust rules, is not named again."""
    volume = data.volume_per_month
    if volume is None:
        return
    process = data.redesigned
    per_fte = data.hours_per_fte_month
    flagged = set(flagged)
    for role_id, (minutes, steps) in review_minutes(process, data.visits_redesigned).items():
        role = process.role(role_id)
        hours = rounded(monthly_hours(minutes, volume), 2)
        capacity = _too_few(hours, role.headcount, per_fte)
        if capacity is None or role_id in flagged:
            continue
        flagged.add(role_id)
        out.add(
            "review.over_capacity",
            f"Reviewing AI output takes {role_text(role, role_id)} {hours:,.0f} hours a month "
            f"({hours / per_fte:.2f} FTE) at {volume:,.0f} cases, but the role has "
            f"{people(role.headcount)} ({capacity:,.0f} hours): the review queue will grow or "
            "be skipped.",
            role_id,
            *steps,
        )
    for load in data.metrics_redesigned.roles:
        hours = load.hours_per_month or 0.0
        capacity = _too_few(hours, load.headcount, per_fte)
        if capacity is None or load.role in flagged:
            continue
        out.add(
            "role.over_capacity",
            f"{role_text(process.role(load.role), load.role)} needs {hours:,.0f} hours a month "
            f"({load.fte_needed or 0.0:.2f} FTE) in the redesign but has "
            f"{people(load.headcount)} ({capacity:,.0f} hours).",
            load.role,
        )


def _too_few(hours: float, headcount: float | None, per_fte: float) -> float | None:
    """The hours a month a headcount gives, when they are too few for ``hours``; none when they
    are enough or the headcount is not stated."""
    if headcount is None:
        return None
    capacity = headcount * per_fte
    return capacity if hours > capacity + 1e-9 else None


def _changes(data: AuditInput, out: FindingList) -> None:
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


def _suggest_replaces(data: AuditInput, out: FindingList) -> None:
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
