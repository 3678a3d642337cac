"""Who watches the AI: every AI step has an owned fallback, a reviewed one decides nothing on
its own, one that acts answers to a person; errors reaching customers stay within the
redesign's limit; reviewers can keep up with the review share sent to them."""

from __future__ import annotations

from lastmile_flows.analysis.auditbase import AuditInput, FindingList, people, role_text
from lastmile_flows.analysis.trust import review_capacity, reviews_of, trust_figures

__all__ = ["audit_ai_steps", "audit_trust"]


def audit_ai_steps(data: AuditInput, out: FindingList) -> None:
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


def audit_trust(data: AuditInput, out: FindingList) -> set[str]:
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
        metrics=data.metrics_redesigned,
    )
    for capacity in capacities:
        if capacity.sustainable:
            continue
        flagged.add(capacity.role)
        role = process.role(capacity.role)
        out.add(
            "review.backlog_unbounded",
            f"{role_text(role, role.id)} needs {capacity.hours_needed_per_month:,.0f} hours a "
            f"month for the review share the redesign sends it "
            f"({', '.join(capacity.review_steps)}) and its other work, but has "
            f"{people(capacity.headcount)} ({capacity.hours_staffed_per_month:,.0f} hours): "
            "its queue grows without bound, passing one day of work in week "
            f"{capacity.week_backlog_passes_a_day} after launch.",
            role.id,
            *capacity.review_steps,
        )
    return flagged
