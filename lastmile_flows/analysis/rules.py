"""The audit's rules: stable codes and names, default severities, and what each one means.

Codes never change meaning once released; new rules get new codes. Severity is configurable per
call (``compare(..., severity={...})``) and in ``[tool.lastmile_flows.severity]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lastmile_flows.errors import ConfigError
from lastmile_flows.severity import SEVERITIES, Severity
from lastmile_flows.suggest import choices, did_you_mean

__all__ = [
    "GROUPS",
    "RULES",
    "SEVERITIES",
    "ConfigError",
    "Rule",
    "Severity",
    "resolve_severities",
    "rule",
]


GROUPS: dict[str, str] = {
    "ownership": "Who owns the failures",
    "ai_governance": "AI governance",
    "review_capacity": "Review capacity",
    "workload": "Workload and savings",
    "structure": "How the redesign is written",
}
"""What findings mean to a committee, in the order reports show them, with their headings."""


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    remedy: str
    """What to change in the redesign (or in the plan around it) to clear the finding."""
    group: str
    """A key of :data:`GROUPS`: what the finding means to a committee."""
    unowned: bool = False
    """A finding of this rule, at whatever severity, means some failure has no staffed owner:
    a report then never says that every failure has one."""


RULES: tuple[Rule, ...] = (
    Rule(
        "LM101",
        "edge_case.no_owner",
        "error",
        "An edge case has no failure owner.",
        "Name a staffed human role as the edge case's owner (who is called when it happens) "
        "and, where handling takes work, its recovery_step and handling_minutes.",
        group="ownership",
        unowned=True,
    ),
    Rule(
        "LM102",
        "edge_case.owner_removed",
        "error",
        "An edge case's owner role is gone from the redesign or has no headcount left "
        "(the efficiency trap).",
        "Keep headcount in the owner role until the exception is handled elsewhere, or move the "
        "edge case to a role that stays staffed and budget its handling minutes there.",
        group="ownership",
        unowned=True,
    ),
    Rule(
        "LM103",
        "edge_case.dropped",
        "warning",
        "A current-state edge case that the redesign neither restates nor retires, and whose "
        "step is gone, replaced, merged or handed to another role, an AI or a system: nobody "
        "is set up to handle it.",
        "Restate the exception on the step that now carries it (replaces: [its id]) with a "
        "staffed owner, or list it under retired_edge_cases with the reason it can no longer "
        "happen.",
        group="ownership",
        unowned=True,
    ),
    Rule(
        "LM104",
        "edge_case.tribal_knowledge_at_risk",
        "warning",
        "Know-how that lives only in people, owned by a role that loses headcount.",
        "Write the handling down (a procedure, a rule, a test case for the AI) and have the "
        "people who know it train its new owner before their role shrinks.",
        group="ownership",
    ),
    Rule(
        "LM105",
        "edge_case.owner_not_human",
        "warning",
        "An edge case is owned by an AI or system role: nobody is accountable.",
        "Make a human role the owner: the AI or system may detect the failure, but someone must "
        "be accountable for recovering the case.",
        group="ownership",
        unowned=True,
    ),
    Rule(
        "LM106",
        "edge_case.carried_implicitly",
        "info",
        "A current edge case is carried by its step, which survives with the same id and the "
        "same role, without being restated: confirm how it is handled now.",
        "Restate the exception on the step with its owner, so the redesign says who handles it "
        "instead of assuming it.",
        group="ownership",
    ),
    Rule(
        "LM107",
        "edge_case.retired",
        "info",
        "The redesign says a current edge case can no longer happen; check the reason given.",
        "Check the reason with the people who handle the exception today; if it can still happen, "
        "restate it with an owner instead.",
        group="ownership",
    ),
    Rule(
        "LM201",
        "ai.no_fallback",
        "error",
        "An AI step has no edge case describing its own failure, or that failure has no owner.",
        "Describe how the AI step fails (wrong output, low confidence, outage) as an edge case "
        "with ai_failure: true, a staffed human owner and a recovery step.",
        group="ownership",
        unowned=True,
    ),
    Rule(
        "LM202",
        "ai.acts_unsupervised",
        "error",
        "An AI step acts on its own with neither a review step nor an accountable human role.",
        "Add a review step (kind: review, reviews: this step) or name an accountable human role "
        "for the step's output.",
        group="ai_governance",
    ),
    Rule(
        "LM203",
        "ai.no_human_decision",
        "warning",
        "An AI step suggests or drafts, but no review step takes the decision: its output "
        "goes on unchecked.",
        "Add a review step that takes the decision on the AI's suggestion or draft, and staff it.",
        group="ai_governance",
    ),
    Rule(
        "LM204",
        "ai.errors_escape",
        "error",
        "More of an AI step's errors reach customers a month than the redesign accepts.",
        "Review more of the AI's output (a larger review share, or confidence routing that "
        "sends the riskiest cases to review), raise the reviewers' catch rate (a checklist, "
        "the source beside the output), or lower the AI's error rate before launch; "
        "lastmile simulate sweeps the review share against reviewer FTE.",
        group="ai_governance",
    ),
    Rule(
        "LM301",
        "review.over_capacity",
        "error",
        "The review load exceeds what the reviewer role's headcount can give.",
        "Add headcount to the reviewer role, review a sample (review_rate) instead of every case, "
        "or raise the AI's confidence threshold so fewer cases need review.",
        group="review_capacity",
    ),
    Rule(
        "LM302",
        "role.over_capacity",
        "warning",
        "A human role's total work in the redesign exceeds its headcount.",
        "Add headcount to the role or move work off it; the numbers show its monthly hours "
        "against its headcount.",
        group="workload",
    ),
    Rule(
        "LM303",
        "review.backlog_unbounded",
        "error",
        "The share of AI output sent to review is more than the staffed reviewers can sustain: "
        "the review queue grows without bound.",
        "Staff the reviewer role for the review share (lastmile simulate shows the FTE needed "
        "at each share), or review less and accept the escaped errors that follow; decide "
        "before launch, not when the backlog is weeks deep.",
        group="review_capacity",
    ),
    Rule(
        "LM401",
        "step.assisted_without_saving",
        "warning",
        "AI assists a human step, but the human minutes there do not fall.",
        "Either lower the step's touch_minutes to what the pilot measured, or ask why the "
        "assistance does not save time before counting on it.",
        group="workload",
    ),
    Rule(
        "LM402",
        "productivity.gap",
        "warning",
        "Reviews, new steps and exceptions eat half or more of the step-level savings.",
        "Look at what eats the savings (review, new steps, exceptions) in the step table: "
        "simplify the review or sample it, or revise the business case.",
        group="workload",
    ),
    Rule(
        "LM501",
        "compare.suggest_replaces",
        "info",
        "A removed and an added step look alike: say so with replaces, if one carries the other.",
        "If the added step does the removed step's work, say so with replaces: [removed id], so "
        "its edge cases and minutes are compared like for like.",
        group="structure",
    ),
    Rule(
        "LM601",
        "practice.undocumented_near_automation",
        "warning",
        "An event log shows a frequent activity the model lacks next to a step the redesign "
        "automates or removes: an exception practice handles that the redesign does not mention.",
        "Ask the people who do the activity what it handles; write it into the redesign as an "
        "edge case of the step that now carries the work, with a staffed owner and its handling "
        "minutes, or retire it with the reason it cannot happen any more.",
        group="ownership",
    ),
)

_BY_KEY: dict[str, Rule] = {r.name: r for r in RULES} | {r.code: r for r in RULES}


def rule(key: str) -> Rule:
    """The rule with this name or code."""
    found = _BY_KEY.get(key)
    if found is None:
        names = [r.name for r in RULES]
        raise ConfigError(
            f"unknown rule {key!r}{did_you_mean(key, names)}; valid: {choices(names)}"
        )
    return found


def resolve_severities(overrides: Mapping[str, str] | None = None) -> dict[str, Severity]:
    """Severity by rule name: the defaults, with overrides (by name or code) applied."""
    resolved: dict[str, Severity] = {r.name: r.severity for r in RULES}
    for key, value in (overrides or {}).items():
        target = rule(key)
        if value not in SEVERITIES:
            raise ConfigError(
                f"invalid severity {value!r} for {target.name}"
                f"{did_you_mean(str(value), SEVERITIES)}; "
                f"valid: {choices(SEVERITIES)}"
            )
        resolved[target.name] = value
    return resolved
