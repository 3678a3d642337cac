"""The words on the diagrams: step facts, owners, tooltips. (Wrapping to a width is the
layout's: :func:`lastmile_flows.layout.text.wrap_to_width`.)"""

from __future__ import annotations

from collections.abc import Sequence

from lastmile_flows.escape import plain_text
from lastmile_flows.model import EdgeCase, Gateway, Process, Role, Step
from lastmile_flows.numbers import duration, percent

__all__ = [
    "edge_case_lines",
    "edge_case_title",
    "gateway_title",
    "minutes_text",
    "owner_text",
    "step_facts",
    "step_title",
]


def minutes_text(value: float) -> str:
    """``6 min``, ``0.5 min``, ``2.0 h``: short enough for a node."""
    if 0 < value < 1:
        return f"{value:.1f} min"
    return duration(value)


def _wait_text(step: Step) -> str:
    """A wait as the model says it runs: working time, or calendar days (``1 calendar day``)."""
    if not step.wait_calendar:
        return minutes_text(step.wait_minutes)
    days = step.wait_minutes / (24 * 60)
    if days < 1:
        return f"{step.wait_minutes / 60:.1f} calendar h"
    return "1 calendar day" if days == 1 else f"{days:,.1f} calendar days"


def step_facts(step: Step) -> str:
    """One line under a step's name: kind, AI mode, minutes, review share."""
    parts: list[str] = []
    if step.kind == "ai":
        parts.append(f"AI \u00b7 {step.ai_mode or 'no mode'}")
    elif step.kind == "system":
        parts.append("system")
    elif step.kind == "review":
        parts.append("review" if step.review_rate == 1 else f"review {percent(step.review_rate)}")
    parts.append(minutes_text(step.touch_minutes))
    if step.wait_minutes:
        parts.append(f"wait {_wait_text(step)}")
    return " \u00b7 ".join(parts)


def _role_name(process: Process, role_id: str | None) -> str:
    for role in process.roles:
        if role.id == role_id:
            return role.label
    return role_id or ""


def step_title(process: Process, step: Step) -> str:
    """The tooltip of a step: everything the model says about it."""
    lines = [
        f"{plain_text(step.label)} ({step.id})",
        f"Role: {plain_text(_role_name(process, step.role))}",
        f"Kind: {step.kind}" + (f", AI mode {step.ai_mode}" if step.ai_mode else ""),
        f"Touch: {step.touch_minutes:g} min per case",
        f"Wait before: {step.wait_minutes:g} min"
        + (f" on the calendar ({_wait_text(step)})" if step.wait_calendar else ""),
    ]
    if step.accountable:
        lines.append(f"Accountable: {plain_text(_role_name(process, step.accountable))}")
    if step.reviews:
        lines.append(f"Reviews: {step.reviews}, {percent(step.review_rate)} of cases")
    if step.replaces:
        lines.append(f"Replaces: {', '.join(step.replaces)}")
    if step.notes:
        lines.append(f"Notes: {plain_text(step.notes)}")
    return "\n".join(lines)


def owner_text(process: Process, case: EdgeCase, former: Sequence[Role] = ()) -> tuple[str, bool]:
    """Who owns an edge case, in words, and whether that owner can actually handle it.

    ``former`` are the current roles, for a redesigned process whose edge cases may name a
    role the redesign removed."""
    if case.owner is None:
        return "nobody owns it", False
    role: Role | None = next((r for r in process.roles if r.id == case.owner), None)
    if role is None:
        gone = next((r for r in former if r.id == case.owner), None)
        return f"owner: {gone.label if gone else case.owner}, role removed", False
    if role.headcount == 0:
        return f"owner: {role.label}, nobody staffed", False
    return f"owner: {role.label}", True


def edge_case_lines(
    process: Process, case: EdgeCase, former: Sequence[Role] = ()
) -> tuple[str, str, str, bool]:
    """An edge case's name, its facts (rate, AI failure, tribal), its owner in words, and
    whether it has a working owner."""
    owner, owned = owner_text(process, case, former)
    tags = [percent(case.rate)]
    if case.ai_failure:
        tags.append("AI failure")
    if case.tribal:
        tags.append("know-how in heads")
    name = ("\u26a0 " if not owned else "") + plain_text(case.label)
    return name, " \u00b7 ".join(tags), owner, owned


def edge_case_title(
    process: Process, step: Step, case: EdgeCase, former: Sequence[Role] = ()
) -> str:
    owner, _ = owner_text(process, case, former)
    lines = [
        f"Edge case: {plain_text(case.label)} ({case.id})",
        f"At step: {plain_text(step.label)} ({step.id})",
        f"Rate: {percent(case.rate)} of cases reaching the step",
        f"Failure owner: {plain_text(owner)}",
    ]
    if case.handling_minutes:
        lines.append(f"Handling: {case.handling_minutes:g} min each")
    if case.recovery:
        lines.append(f"Recovery: {plain_text(case.recovery)}")
    if case.recovery_step:
        lines.append(f"Recovery step: {case.recovery_step}")
    if case.tribal:
        lines.append("Tribal knowledge: the know-how lives only in people")
    if case.ai_failure:
        lines.append("A failure mode of this AI step")
    return "\n".join(lines)


def gateway_title(gateway: Gateway) -> str:
    lines = [f"{plain_text(gateway.label)} ({gateway.id})", f"Gateway: {gateway.kind}"]
    for branch in gateway.branches:
        share = "" if branch.probability is None else f" {percent(branch.probability)}"
        label = f" {plain_text(branch.label)}" if branch.label else ""
        lines.append(f"\u2192 {branch.to}{share}{label}")
    return "\n".join(lines)
