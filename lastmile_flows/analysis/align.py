"""Which redesigned steps carry which current steps, and what kind of change each is.

Alignment is explicit, never guessed: a redesigned step carries a current step when it has the
same id or lists it in ``replaces``. Steps linked that way form one group (a connected set of
current and redesigned steps); each group is one :class:`StepChange`, so every step of both
versions appears exactly once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from lastmile_flows.analysis.flowmath import FlowFacts
from lastmile_flows.model import Process, Step
from lastmile_flows.model.elements import HUMAN_STEP_KINDS as HUMAN

__all__ = [
    "CHANGE_KINDS",
    "ChangeKind",
    "HandOff",
    "StepChange",
    "align",
    "classify",
    "handoffs",
]

ChangeKind = Literal[
    "eliminated",
    "automated",
    "assisted",
    "review_added",
    "added",
    "reassigned",
    "retimed",
    "merged",
    "split",
    "unchanged",
]
CHANGE_KINDS: tuple[ChangeKind, ...] = (
    "eliminated",
    "automated",
    "assisted",
    "review_added",
    "added",
    "merged",
    "split",
    "reassigned",
    "retimed",
    "unchanged",
)


class StepChange(BaseModel):
    """One group of aligned steps and the change it represents."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    change: ChangeKind
    current: tuple[str, ...]
    """Current-state step ids in the group, in process order."""
    redesigned: tuple[str, ...]
    """Redesigned step ids in the group, in process order."""
    current_names: tuple[str, ...] = ()
    redesigned_names: tuple[str, ...] = ()
    """The steps' names (or ids, where a step has no name), matching the id tuples."""
    also: tuple[ChangeKind, ...] = ()
    """Further changes in the same group (a merge that also automates, a move that retimes)."""
    human_minutes_before: float = 0.0
    human_minutes_after: float = 0.0
    """Expected human minutes per case at these steps (touch, review and edge-case handling)."""
    elapsed_minutes_before: float = 0.0
    elapsed_minutes_after: float = 0.0
    """Expected wait + touch minutes per case at these steps."""
    roles_before: tuple[str, ...] = ()
    roles_after: tuple[str, ...] = ()
    ai_mode: str | None = None
    """The AI mode of an AI step in the redesigned group (the most autonomous, if several)."""


def align(current: Process, redesigned: Process) -> list[tuple[list[Step], list[Step]]]:
    """Groups of (current steps, redesigned steps), in process order."""
    current_ids = {step.id for step in current.steps}
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for step in current.steps:
        find(f"c:{step.id}")
    for step in redesigned.steps:
        find(f"r:{step.id}")
        carried = {*step.replaces, *([step.id] if step.id in current_ids else [])}
        for replaced in sorted(carried & current_ids):
            union(f"r:{step.id}", f"c:{replaced}")
    groups: dict[str, tuple[list[Step], list[Step]]] = {}
    for step in current.steps:
        groups.setdefault(find(f"c:{step.id}"), ([], []))[0].append(step)
    for step in redesigned.steps:
        groups.setdefault(find(f"r:{step.id}"), ([], []))[1].append(step)
    return _in_process_order(list(groups.values()), current, redesigned)


def _in_process_order(
    groups: list[tuple[list[Step], list[Step]]], current: Process, redesigned: Process
) -> list[tuple[list[Step], list[Step]]]:
    """Groups in redesigned order; a group with only current steps goes right after the group
    holding the current step listed before it (after the groups of that kind already there)."""
    current_at = {step.id: index for index, step in enumerate(current.steps)}
    redesigned_at = {step.id: index for index, step in enumerate(redesigned.steps)}
    placed = sorted(
        (group for group in groups if group[1]),
        key=lambda group: min(redesigned_at[step.id] for step in group[1]),
    )
    orphans = sorted(
        (group for group in groups if not group[1]),
        key=lambda group: min(current_at[step.id] for step in group[0]),
    )
    # each placed group is followed by a run of the orphans placed after it; run -1 leads
    holder: dict[int, int] = {}  # current step's index -> the run its group is in
    for position, group in enumerate(placed):
        holder.update((current_at[step.id], position) for step in group[0])
    runs: dict[int, list[tuple[list[Step], list[Step]]]] = defaultdict(list)
    for orphan in orphans:
        first = min(current_at[step.id] for step in orphan[0])
        run = holder.get(first - 1, -1)
        if first == 0:
            runs[run].insert(0, orphan)
        else:
            runs[run].append(orphan)
        holder.update((current_at[step.id], run) for step in orphan[0])
    found = list(runs[-1])
    for position, group in enumerate(placed):
        found.append(group)
        found += runs[position]
    return found


def classify(before: list[Step], after: list[Step]) -> tuple[ChangeKind, tuple[ChangeKind, ...]]:
    """The change a group represents, and the further changes it also makes."""
    if not after:
        return "eliminated", ()
    if not before:
        reviews = all(step.kind == "review" for step in after)
        return ("review_added" if reviews else "added"), ()
    human_before = any(step.kind in HUMAN for step in before)
    human_after = [step for step in after if step.kind in HUMAN]
    machine_after = [step for step in after if step.kind not in HUMAN]
    shape: list[ChangeKind] = []
    if len(before) > 1 and len(before) >= len(after):
        shape.append("merged")
    elif len(after) > 1:
        shape.append("split")
    if {step.role for step in before} != {step.role for step in after}:
        shape.append("reassigned")
    if _minutes(before) != _minutes(after):
        shape.append("retimed")
    primary: ChangeKind | None = None
    if human_before and not human_after:
        primary = "automated"
    elif human_before and (
        len(machine_after) > sum(step.kind not in HUMAN for step in before)
        or _reviews(human_after) > _reviews(before)
    ):
        primary = "assisted"  # the person stays; AI now does part of it, or they now check AI
    if primary == "automated":  # a new role and new timing go without saying
        return primary, tuple(kind for kind in shape if kind not in ("reassigned", "retimed"))
    if primary is not None:
        return primary, tuple(shape)
    if not shape:
        return "unchanged", ()
    return shape[0], tuple(shape[1:])


def _reviews(steps: Iterable[Step]) -> int:
    return sum(step.kind == "review" for step in steps)


def _minutes(steps: Iterable[Step]) -> tuple[float, float]:
    chosen = list(steps)
    return (sum(s.touch_minutes for s in chosen), sum(s.wait_minutes for s in chosen))


class HandOff(BaseModel):
    """Work passing from one role to another between two steps."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    from_role: str
    to_role: str
    from_step: str
    to_step: str
    human: bool
    """Both roles are human (the hand-offs that queue and lose work)."""


def handoffs(process: Process, *, facts: FlowFacts | None = None) -> list[HandOff]:
    """Every step-to-step flow that crosses roles, in process order."""
    role_of = {step.id: step.role for step in process.steps}
    humans = {role.id for role in process.roles if role.kind == "human"}
    return [
        HandOff(
            from_role=role_of[a],
            to_role=role_of[b],
            from_step=a,
            to_step=b,
            human=role_of[a] in humans and role_of[b] in humans,
        )
        for a, b in (facts or FlowFacts(process)).step_successors
        if role_of[a] != role_of[b]
    ]
