"""Semantic rules of a process and a redesign, beyond what field types can say.

Every rule adds to one list, so a user sees all problems at once. Each problem names the rule,
the element id, where it is (``loc``) and what would be valid.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Literal, Union

from lastmile_flows.model.elements import NOBODY, STEP_ROLE_KIND, Role, Step
from lastmile_flows.model.graph import (
    Edge,
    adjacency,
    edges,
    events,
    nodes,
    reachable,
    recovery_links,
)
from lastmile_flows.model.problems import Loc, Problem, choices, did_you_mean
from lastmile_flows.model.rulebook import validation_rule
from lastmile_flows.model.trust import check_trust

if TYPE_CHECKING:
    from lastmile_flows.model.process import Process, Redesign

__all__ = [
    "PROBABILITY_TOLERANCE",
    "FormerRoles",
    "check_process",
    "check_redesign",
    "former_roles",
]

PROBABILITY_TOLERANCE = 1e-6
DECISIONS = ("exclusive", "inclusive", "event_based")
"""Gateways whose branches carry a probability (the share of cases taking each)."""


class _Report:
    """Collects problems, describing each location against the model."""

    def __init__(self, model: object) -> None:
        self.model = model
        self.problems: list[Problem] = []

    def add(
        self,
        rule: str,
        message: str,
        *,
        element_id: str | None,
        loc: Loc,
    ) -> None:
        """A problem of a rule of :data:`~lastmile_flows.model.rulebook.VALIDATION_RULES`, at
        the rule's severity."""
        severity = validation_rule(rule).severity
        problem = Problem(rule, message, element_id, severity=severity)
        self.problems.append(problem.located(loc, self.model))

    def reference(
        self,
        value: str | None,
        valid: Collection[str],
        *,
        rule: str,
        what: str,
        element_id: str | None,
        loc: Loc,
    ) -> None:
        """An unknown reference: name it, list the valid choices, suggest a close one.
        (``valid`` is a set or a dict where a process can be large: only a reference that
        fails is sorted and searched.)"""
        if value is None or value in valid:
            return
        names = sorted(set(valid))
        self.add(
            rule,
            f"unknown {what} {value!r}{did_you_mean(value, names)}; valid: {choices(names)}",
            element_id=element_id,
            loc=loc,
        )


FormerRoles = Union[frozenset[str], Literal["any"]]


def check_process(process: Process, *, former_roles: FormerRoles = frozenset()) -> list[Problem]:
    """Every problem in one process, errors and warnings, in model order.

    ``former_roles`` are roles of the current process that a redesign removed: an edge case of
    the redesign may still name one as its owner (the audit reports that; it is not invalid).
    ``"any"`` accepts every owner, for when the current process could not be read.
    """
    report = _Report(process)
    roles = {role.id: role for role in process.roles}
    _check_ids(process, report)
    if not process.steps:
        report.add("no-steps", "a process needs at least one step", element_id=process.id, loc=())
    for index, role in enumerate(process.roles):
        _check_role(role, ("roles", index), report)
    facts = _Facts(process, former_roles)
    for index, step in enumerate(process.steps):
        _check_step(process, step, ("steps", index), roles, facts, report)
    _check_flows(process, report)
    _check_evidence(process, report)
    return report.problems


def _check_evidence(process: Process, report: _Report) -> None:
    """Evidence that names no element or field of the model (left over after an edit) is a
    warning: the figure it measured is gone, so the record vouches for nothing."""
    from lastmile_flows.model.evidence import model_value

    seen: set[tuple[str, str, str | None]] = set()
    for index, record in enumerate(process.evidence):
        loc: Loc = ("evidence", index)
        if record.key in seen:
            report.add(
                "evidence-duplicate",
                f"a second record for {record.field} of {record.element!r}; keep one",
                element_id=record.element,
                loc=loc,
            )
        seen.add(record.key)
        if model_value(process, record.element, record.field, record.target) is None:
            target = f" (branch to {record.target!r})" if record.target else ""
            report.add(
                "evidence-stale",
                f"evidence for {record.field}{target} of {record.element!r}, which the model "
                "does not have (left over from an edit?); remove it or measure again",
                element_id=record.element,
                loc=loc,
            )


def _check_ids(process: Process, report: _Report) -> None:
    first: dict[str, Loc] = {}
    for index, role in enumerate(process.roles):
        loc: Loc = ("roles", index, "id")
        if role.id in first:
            report.add(
                "duplicate-id",
                f"duplicate role id {role.id!r} at {_where(loc, process)}: "
                f"already used at {_where(first[role.id], process)}",
                element_id=role.id,
                loc=loc,
            )
        first.setdefault(role.id, loc)
    first.clear()
    located: list[tuple[str, Loc]] = []
    located += [(event.id, ("events", index, "id")) for index, event in enumerate(process.events)]
    for index, step in enumerate(process.steps):
        located.append((step.id, ("steps", index, "id")))
        located += [
            (case.id, ("steps", index, "edge_cases", number, "id"))
            for number, case in enumerate(step.edge_cases)
        ]
    located += [(gw.id, ("gateways", index, "id")) for index, gw in enumerate(process.gateways)]
    if not process.events:
        located = [("start", ()), ("end", ()), *located]
    for element_id, loc in located:
        if element_id in first:
            earlier = _where(first[element_id], process) or "the default start/end event"
            report.add(
                "duplicate-id",
                f"duplicate id {element_id!r} at {_where(loc, process)}: already used at {earlier} "
                "(steps, gateways, events and edge cases share one set of ids)",
                element_id=element_id,
                loc=loc,
            )
        first.setdefault(element_id, loc)


def _where(loc: Loc, process: Process) -> str:
    """``steps[0].id``: by position, since the id itself is what is ambiguous."""
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in loc).lstrip(".")


def _check_role(role: Role, loc: Loc, report: _Report) -> None:
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


class _Facts:
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


def _check_step(
    process: Process,
    step: Step,
    loc: Loc,
    roles: dict[str, Role],
    facts: _Facts,
    report: _Report,
) -> None:
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
    owner: str | None, facts: _Facts, element_id: str, loc: Loc, report: _Report
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


def _check_running_cost(step: Step, loc: Loc, report: _Report) -> None:
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
    step: Step, loc: Loc, roles: dict[str, Role], facts: _Facts, report: _Report
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


def _check_review(step: Step, loc: Loc, facts: _Facts, report: _Report) -> None:
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


def _node_ids(process: Process) -> dict[str, object]:
    """Node ids to look references up in (a dict: ``in`` is a lookup, not a scan)."""
    return dict(nodes(process))


def _check_flows(process: Process, report: _Report) -> None:
    locs = _locations(process)
    all_events = events(process)
    kinds: dict[str, str] = {event.id: event.kind for event in all_events}
    kinds.update({step.id: "step" for step in process.steps})
    kinds.update({gateway.id: gateway.kind for gateway in process.gateways})
    node_ids = _node_ids(process)
    if not any(event.kind == "start" for event in all_events):
        report.add(
            "no-start", "the process has no start event", element_id=process.id, loc=("events",)
        )
    if not any(event.kind == "end" for event in all_events):
        report.add("no-end", "the process has no end event", element_id=process.id, loc=("events",))
    resolved = edges(process)
    outgoing: dict[str, list[str]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for edge in resolved:
        if edge.source not in kinds:  # only an explicit flow can start at an unknown node
            report.reference(
                edge.source,
                node_ids,
                rule="unknown-node",
                what="node",
                element_id=None,
                loc=(*edge.origin, "source"),
            )
            continue
        if edge.target not in kinds:
            report.reference(
                edge.target,
                node_ids,
                rule="unknown-node",
                what="node",
                element_id=edge.source,
                loc=_target_loc(edge),
            )
            continue
        if (edge.source, edge.target) in seen:
            report.add(
                "duplicate-flow",
                f"the flow {edge.source!r} → {edge.target!r} is given twice",
                element_id=edge.source,
                loc=edge.origin,
            )
        seen.add((edge.source, edge.target))
        outgoing[edge.source].append(edge.target)
        if kinds.get(edge.source) == "end":
            report.add(
                "flow-from-end",
                f"nothing flows out of end event {edge.source!r}",
                element_id=edge.source,
                loc=edge.origin,
            )
        if kinds[edge.target] == "start":
            report.add(
                "flow-into-start",
                f"nothing flows into start event {edge.target!r}",
                element_id=edge.source,
                loc=edge.origin,
            )
        if edge.probability is not None and kinds.get(edge.source) not in DECISIONS:
            report.add(
                "probability-off-exclusive",
                "only branches of an exclusive, inclusive or event-based gateway carry a "
                "probability; "
                f"{edge.source!r} is {_kind_phrase(kinds.get(edge.source))}",
                element_id=edge.source,
                loc=(*edge.origin, "probability"),
            )
    for node_id, targets in outgoing.items():
        if kinds.get(node_id) in ("step", "start", "intermediate") and len(targets) > 1:
            report.add(
                "step-fans-out",
                f"{node_id!r} flows to {len(targets)} places ({', '.join(map(repr, targets))}); "
                "route them through an exclusive or parallel gateway",
                element_id=node_id,
                loc=locs.get(node_id, ()),
            )
    _check_gateways(process, resolved, report)
    _check_review_routing(process, resolved, locs, report)
    _check_reachability(process, resolved, kinds, locs, report)
    _check_messages(process, {*kinds, *(role.id for role in process.roles)}, report)


def _check_messages(process: Process, known: set[str], report: _Report) -> None:
    for index, message in enumerate(process.messages):
        for field in ("source", "target"):
            report.reference(
                getattr(message, field),
                known,
                rule="unknown-message-endpoint",
                what="step, event or role",
                element_id=None,
                loc=("messages", index, field),
            )


def _target_loc(edge: Edge) -> Loc:
    if edge.origin[:1] == ("flows",):
        return (*edge.origin, "target")
    if edge.origin[:1] == ("gateways",):
        return (*edge.origin, "to")
    return edge.origin


def _kind_phrase(kind: str | None) -> str:
    phrases = {
        "step": "a step",
        "parallel": "a parallel gateway",
        "start": "a start event",
        "intermediate": "an intermediate event",
    }
    return phrases.get(kind or "", "not a gateway")


def _check_gateways(process: Process, resolved: Iterable[Edge], report: _Report) -> None:
    by_source: dict[str, list[Edge]] = defaultdict(list)
    for edge in resolved:
        by_source[edge.source].append(edge)
    for index, gateway in enumerate(process.gateways):
        loc: Loc = ("gateways", index)
        branches = by_source.get(gateway.id, [])
        if not branches:
            report.add(
                "gateway-without-branches",
                "a gateway needs at least one branch (branches: or flows:)",
                element_id=gateway.id,
                loc=(*loc, "branches"),
            )
            continue
        if gateway.kind not in DECISIONS or len(branches) < 2:
            continue
        missing = [edge.target for edge in branches if edge.probability is None]
        if missing:
            report.add(
                "probability-missing",
                f"every branch of {_article(gateway.kind)} gateway needs a probability; missing "
                f"on the branch{'es' if len(missing) > 1 else ''} to "
                f"{', '.join(map(repr, missing))}",
                element_id=gateway.id,
                loc=(*loc, "branches"),
            )
            continue
        if gateway.kind == "inclusive":
            continue  # each branch's share of the cases: they need not sum to 1
        total = math.fsum(edge.probability or 0.0 for edge in branches)
        if abs(total - 1.0) > PROBABILITY_TOLERANCE:
            parts = " + ".join(f"{edge.probability:g} ({edge.target})" for edge in branches)
            report.add(
                "probabilities-not-one",
                f"branch probabilities sum to {total:.6g}, not 1: {parts}",
                element_id=gateway.id,
                loc=(*loc, "branches"),
            )


def _check_review_routing(
    process: Process, resolved: Iterable[Edge], locs: dict[str, Loc], report: _Report
) -> None:
    """A review step reached only through shares below 1 (a decision's branch, an edge case's
    recovery) that samples the same share again with review_rate reviews share x share."""
    sampled = {s.id: s for s in process.steps if s.kind == "review" and s.review_rate < 1.0}
    if not sampled:
        return
    gateways = {g.id: g for g in process.gateways}
    ways_in: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for edge in resolved:
        if edge.target in sampled:
            gateway = gateways.get(edge.source)
            decides = gateway is not None and gateway.kind in DECISIONS
            share = edge.probability if decides else None
            ways_in[edge.target].append((f"the branch of {edge.source!r}", share))
    for step, case in process.edge_cases():
        if case.recovery_step in sampled:
            ways_in[case.recovery_step].append((f"edge case {case.id!r} of {step.id!r}", case.rate))
    for step_id, ways in ways_in.items():
        review = sampled[step_id]
        if any(share is None or share >= 1.0 for _, share in ways):
            continue  # some cases arrive whole: sampling them is what review_rate is for
        same = [(name, share) for name, share in ways if share == review.review_rate]
        if not same:
            continue
        name, share = same[0]
        assert share is not None
        report.add(
            "review-rate-applied-twice",
            f"review step {step_id!r} is reached only through {name} ({share:g} of the cases) and "
            f"samples review_rate {review.review_rate:g} of those again: it reviews "
            f"{share:g} x {review.review_rate:g} = {share * review.review_rate:.2%} of the cases "
            f"there, not {share:.0%}; set review_rate to 1 if the routing already picks the cases "
            "to review",
            element_id=step_id,
            loc=(*locs.get(step_id, ()), "review_rate"),
        )


def _article(kind: str) -> str:
    words = {
        "exclusive": "an exclusive",
        "inclusive": "an inclusive",
        "event_based": "an event-based",
    }
    return words.get(kind, f"a {kind}")


def _check_reachability(
    process: Process,
    resolved: Iterable[Edge],
    kinds: dict[str, str],
    locs: dict[str, Loc],
    report: _Report,
) -> None:
    pairs = [(e.source, e.target) for e in resolved if e.source in kinds and e.target in kinds]
    pairs += [(s, t) for s, t in recovery_links(process) if t in kinds]
    starts = [event.id for event in events(process) if event.kind == "start"]
    ends = [event.id for event in events(process) if event.kind == "end"]
    leaving = adjacency(pairs)
    forward = reachable(starts, leaving)
    backward = reachable(ends, adjacency(pairs, reverse=True))
    for node_id, kind in kinds.items():
        loc = locs.get(node_id, ())
        if kind in ("start", "end") and not process.events:
            continue
        if node_id not in forward:
            report.add(
                "unreachable",
                f"{node_id!r} cannot be reached from a start event: no flow leads to it "
                "(give the step before it a next:, or name it as an edge case's recovery_step)",
                element_id=node_id,
                loc=loc,
            )
        elif node_id not in backward:
            report.add(
                "dead-end",
                f"{node_id!r} never reaches an end event: no path from it leads to "
                f"{choices(ends)} (give it a next:)",
                element_id=node_id,
                loc=loc,
            )
    live = reachable(ends, adjacency(_live_pairs(process, resolved, kinds), reverse=True))
    trapped = [n for n in kinds if n in backward and n not in live and n in forward]
    closed = set(trapped)
    exits = [n for n in trapped if any(t not in closed for t in leaving.get(n, ()))]
    for node_id in exits or trapped[:1]:
        report.add(
            "loop-without-exit",
            f"cases at {node_id!r} never reach an end event: every way out of the loop it is "
            "in has probability 0 (give a way out a probability above zero)",
            element_id=node_id,
            loc=locs.get(node_id, ()),
        )


def _live_pairs(
    process: Process, resolved: Iterable[Edge], kinds: dict[str, str]
) -> list[tuple[str, str]]:
    """The flows that carry a share of cases above zero (a branch with probability 0 and a
    step's way on when its edge cases divert every case carry none)."""
    steps = {step.id: step for step in process.steps}
    diverted = {
        step.id: math.fsum(c.rate for c in step.edge_cases if c.recovery_step)
        for step in process.steps
    }
    outgoing: dict[str, int] = defaultdict(int)
    for edge in resolved:
        outgoing[edge.source] += 1
    pairs = []
    for edge in resolved:
        if edge.source not in kinds or edge.target not in kinds:
            continue
        if edge.source in steps and diverted[edge.source] >= 1.0:
            continue
        decision = kinds[edge.source] in DECISIONS and outgoing[edge.source] > 1
        if decision and not edge.probability:
            continue
        pairs.append((edge.source, edge.target))
    pairs += [
        (step.id, case.recovery_step)
        for step in process.steps
        for case in step.edge_cases
        if case.recovery_step in kinds and case.rate > 0
    ]
    return pairs


def _locations(process: Process) -> dict[str, Loc]:
    """Node id -> (field, index), for the flow rules to point at elements."""
    table: dict[str, Loc] = {}
    for field in ("events", "steps", "gateways"):
        for index, node in enumerate(getattr(process, field)):
            table.setdefault(node.id, (field, index))
    return table


def former_roles(current: Process, redesigned: Process) -> frozenset[str]:
    """Roles of the current process that the redesigned one no longer has."""
    return frozenset(r.id for r in current.roles) - {r.id for r in redesigned.roles}


def check_redesign(redesign: Redesign) -> list[Problem]:
    """Problems that need both versions: ``replaces`` must name current-state elements."""
    report = _Report(redesign)
    current_steps = {step.id for step in redesign.current.steps}
    current_cases = {case.id for step in redesign.current.steps for case in step.edge_cases}
    for index, step in enumerate(redesign.redesigned.steps):
        loc: Loc = ("redesigned", "steps", index)
        for number, replaced in enumerate(step.replaces):
            report.reference(
                replaced,
                current_steps,
                rule="unknown-current-step",
                what="current step",
                element_id=step.id,
                loc=(*loc, "replaces", number),
            )
        for case_index, case in enumerate(step.edge_cases):
            for number, replaced in enumerate(case.replaces):
                report.reference(
                    replaced,
                    current_cases,
                    rule="unknown-current-edge-case",
                    what="current edge case",
                    element_id=case.id,
                    loc=(*loc, "edge_cases", case_index, "replaces", number),
                )
    before, after = redesign.current.currency, redesign.redesigned.currency
    if before and after and before != after:
        report.add(
            "currency-mismatch",
            f"the current process states its costs in {before} and the redesigned one in "
            f"{after}; state one currency for both (costs are never converted)",
            element_id=redesign.redesigned.id,
            loc=("redesigned", "currency"),
        )
    still_there = {case.id: step.id for step, case in redesign.redesigned.edge_cases()}
    for index, retired in enumerate(redesign.redesigned.retired_edge_cases):
        loc = ("redesigned", "retired_edge_cases", index, "id")
        report.reference(
            retired.id,
            current_cases,
            rule="unknown-current-edge-case",
            what="current edge case",
            element_id=retired.id,
            loc=loc,
        )
        if retired.id in still_there:
            report.add(
                "retired-edge-case-still-listed",
                f"edge case {retired.id!r} is retired but still listed at step "
                f"{still_there[retired.id]!r}; keep one of the two",
                element_id=retired.id,
                loc=loc,
            )
    return report.problems
