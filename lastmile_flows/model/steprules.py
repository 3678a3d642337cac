"""The rules of one step, its role and its edge cases.

A step's role exists and is of the kind the step needs; only AI steps say ``ai_mode``, only
review steps say what they review; the accountable role is human; running costs belong to AI
and system steps; an edge case's owner is a role of the process, one the redesign removed, or
nobody; a recovery step exists.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Literal, Union

from lastmile_flows.model.collector import Collector
from lastmile_flows.model.elements import NOBODY, STEP_ROLE_KIND, Role, Step
from lastmile_flows.model.problems import Loc, choices, did_you_mean
from lastmile_flows.model.trust import check_trust

if TYPE_CHECKING:
    from lastmile_flows.model.process import Process

__all__ = ["FormerRoles", "StepFacts", "check_role", "check_step"]

FormerRoles = Union[frozenset[str], Literal["any"]]


def check_role(role: Role, loc: Loc, report: Collector) -> None:
    if role.id == NOBODY:
        report.add(
            "reserved-id",
            f"a role may not be called {NOBODY!r}: an edge case's owner: {NOBODY} means "
            "deliberately nobody",
            element_id=role.id,
            loc=(*loc, "id"),
        )
    if role.kind == "human":
        return
    for field in ("cost_per_hour", "headcount"):
        if getattr(role, field) is not None:
            report.add(
                "non-human-staffing",
                f"{field} is for human roles; role {role.id!r} is of kind {role.kind!r}",
                element_id=role.id,
                loc=(*loc, field),
            )


class StepFacts:
    """What the per-step rules look up, worked out once per process (so checking stays linear
    in the number of steps)."""

    def __init__(self, process: Process, former_roles: FormerRoles) -> None:
        self.humans = [role.id for role in process.roles if role.kind == "human"]
        others = {role.id for role in process.roles if role.kind != "human"}
        self.by_kind: dict[str, list[str]] = defaultdict(list)
        for role in process.roles:
            self.by_kind[role.kind].append(role.id)
        self.steps = {step.id: step for step in process.steps}
        self.ai_steps = [step.id for step in process.steps if step.kind == "ai"]
        self.reviewed = {step.reviews for step in process.steps if step.kind == "review"}
        self.former_roles = former_roles
        self.owners = (
            {role.id for role in process.roles} | set(former_roles)
            if former_roles != "any"
            else set()
        )
        self.listed_owners = [*self.humans, *(set(self.owners) - others - set(self.humans))]
        """The owners a message offers: human roles (AI and system roles cannot catch their own
        failures; naming one is accepted, and the audit reports it)."""


def check_step(
    process: Process,
    step: Step,
    loc: Loc,
    roles: dict[str, Role],
    facts: StepFacts,
    report: Collector,
) -> None:
    """Every rule of one step at ``loc``, its edge cases' included, in that order."""
    _check_step_role(step, loc, roles, facts, report)
    _check_ai_mode(step, loc, report)
    _check_accountable(step, loc, roles, facts, report)
    _check_review(step, loc, facts, report)
    _check_running_cost(step, loc, report)
    for problem in check_trust(step):
        report.add(
            problem.rule,
            problem.message,
            element_id=problem.element_id,
            loc=(*loc, *problem.loc),
        )
    _check_edge_cases(step, loc, facts, report)


def _check_step_role(
    step: Step, loc: Loc, roles: dict[str, Role], facts: StepFacts, report: Collector
) -> None:
    """The step's role exists and is of the kind its step kind needs."""
    report.reference(
        step.role, roles, rule="unknown-role", what="role", element_id=step.id, loc=(*loc, "role")
    )
    role = roles.get(step.role)
    wanted = STEP_ROLE_KIND[step.kind]
    if role is not None and role.kind != wanted:
        fitting = facts.by_kind[wanted]
        report.add(
            "step-role-kind",
            f"a {step.kind} step needs a {wanted} role, but {step.role!r} is {role.kind}; "
            f"{wanted} roles: {choices(fitting)}",
            element_id=step.id,
            loc=(*loc, "role"),
        )


def _check_ai_mode(step: Step, loc: Loc, report: Collector) -> None:
    """An AI step says its ``ai_mode``; no other step does."""
    if step.kind == "ai" and step.ai_mode is None:
        report.add(
            "ai-mode-missing",
            "an AI step needs ai_mode; valid: 'act', 'draft', 'suggest'",
            element_id=step.id,
            loc=(*loc, "ai_mode"),
        )
    if step.kind != "ai" and step.ai_mode is not None:
        report.add(
            "ai-mode-on-non-ai-step",
            f"ai_mode is only for AI steps; this step is of kind {step.kind!r}",
            element_id=step.id,
            loc=(*loc, "ai_mode"),
        )


def _check_edge_cases(step: Step, loc: Loc, facts: StepFacts, report: Collector) -> None:
    """Each edge case's owner and recovery step exist; only an AI step has AI failures."""
    for number, case in enumerate(step.edge_cases):
        case_loc: Loc = (*loc, "edge_cases", number)
        if facts.former_roles != "any":
            # a removed role is not a broken model: the audit reports edge_case.owner_removed
            _check_owner(case.owner, facts, case.id, (*case_loc, "owner"), report)
        report.reference(
            case.recovery_step,
            facts.steps,
            rule="unknown-step",
            what="step",
            element_id=case.id,
            loc=(*case_loc, "recovery_step"),
        )
        if case.ai_failure and step.kind != "ai":
            report.add(
                "ai-failure-on-non-ai-step",
                f"ai_failure marks a failure mode of an AI step; step {step.id!r} is {step.kind}",
                element_id=case.id,
                loc=(*case_loc, "ai_failure"),
            )


def _check_owner(
    owner: str | None, facts: StepFacts, element_id: str, loc: Loc, report: Collector
) -> None:
    """An owner names a role of the process (or one the redesign removed), or ``none``; the
    message lists the human roles."""
    if owner is None or owner in facts.owners:
        return
    names = sorted(set(facts.listed_owners))
    report.add(
        "unknown-role",
        f"unknown role {owner!r}{did_you_mean(owner, [*names, NOBODY])}; valid owners: "
        f"{choices(names)} (human roles), or {NOBODY!r} for deliberately nobody",
        element_id=element_id,
        loc=loc,
    )


def _check_running_cost(step: Step, loc: Loc, report: Collector) -> None:
    if step.kind in ("ai", "system"):
        return
    for field in ("run_cost_per_execution", "run_cost_per_month"):
        if getattr(step, field) is not None:
            report.add(
                "running-cost-on-human-step",
                f"{field} is the running cost of an AI or system step; this step is {step.kind} "
                f"(people's work costs the cost_per_hour of role {step.role!r})",
                element_id=step.id,
                loc=(*loc, field),
            )


def _check_accountable(
    step: Step, loc: Loc, roles: dict[str, Role], facts: StepFacts, report: Collector
) -> None:
    humans = facts.humans
    if step.accountable is not None:
        if step.kind not in ("ai", "system"):
            report.add(
                "accountable-on-human-step",
                f"accountable names the human answerable for an AI or system step; "
                f"this step is {step.kind} and already done by {step.role!r}",
                element_id=step.id,
                loc=(*loc, "accountable"),
            )
        elif step.accountable in roles and roles[step.accountable].kind != "human":
            report.add(
                "accountable-not-human",
                f"the accountable role must be human; {step.accountable!r} is "
                f"{roles[step.accountable].kind}; human roles: {choices(humans)}",
                element_id=step.id,
                loc=(*loc, "accountable"),
            )
        else:
            report.reference(
                step.accountable,
                humans,
                rule="unknown-role",
                what="role",
                element_id=step.id,
                loc=(*loc, "accountable"),
            )
    reviewed = step.id in facts.reviewed
    if step.kind == "ai" and step.ai_mode == "act" and step.accountable is None and not reviewed:
        report.add(
            "ai-act-unaccountable",
            "this AI step acts on its own with no accountable human role and no review step; "
            f"set accountable to one of {choices(humans)} or add a review step",
            element_id=step.id,
            loc=(*loc, "accountable"),
        )


def _check_review(step: Step, loc: Loc, facts: StepFacts, report: Collector) -> None:
    ai_steps = facts.ai_steps
    if step.kind == "review":
        if step.reviews is None:
            report.add(
                "review-target-missing",
                f"a review step must name the AI step it checks (reviews); AI steps: "
                f"{choices(ai_steps)}",
                element_id=step.id,
                loc=(*loc, "reviews"),
            )
            return
        target = facts.steps.get(step.reviews)
        if target is None:
            report.reference(
                step.reviews,
                facts.steps,
                rule="unknown-step",
                what="step",
                element_id=step.id,
                loc=(*loc, "reviews"),
            )
        elif target.kind != "ai":
            report.add(
                "review-of-non-ai-step",
                f"a review step checks an AI step's output; {step.reviews!r} is a {target.kind} "
                f"step; AI steps: {choices(ai_steps)}",
                element_id=step.id,
                loc=(*loc, "reviews"),
            )
        return
    for field in ("reviews", "review_rate", "catch_rate"):
        if step.says(field):
            report.add(
                "review-field-on-non-review-step",
                f"{field} is only for review steps; this step is of kind {step.kind!r} "
                "(set kind: review)",
                element_id=step.id,
                loc=(*loc, field),
            )
