"""What becomes of every current-state edge case in a redesign: one fate each, which the audit
and the metrics both read (so a finding and a number can never tell two stories).

- **restated**: the redesign lists it (the same id, or an edge case whose ``replaces`` names it);
  its owner and minutes are the redesign's.
- **carried**: the redesign does not list it, but its step survives with the same id and the same
  performer (role), so the same people meet it as before: its current owner is assumed
  (``edge_case.carried_implicitly``) and its minutes are counted at that step.
- **retired**: ``retired_edge_cases`` says it can no longer happen, and why.
- **dropped**: anything else: its step is gone, or replaced, merged or handed to another role,
  an AI or a system, and the redesign neither restates nor retires it. Nobody is set up to handle
  it (``edge_case.dropped``); its minutes are not counted, and how often it happens is shown
  beside the headline figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from lastmile_flows.model import EdgeCase, Process, Step

__all__ = ["FATES", "EdgeCaseFate", "Fate", "carried_cases", "trace_edge_cases"]

Fate = Literal["restated", "carried", "retired", "dropped"]
FATES: tuple[Fate, ...] = ("restated", "carried", "retired", "dropped")


class EdgeCaseFate(BaseModel):
    """One current-state edge case and what the redesign does with it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    edge_case: str
    step: str
    """Its step in the current process."""
    fate: Fate
    now_at: tuple[str, ...] = ()
    """Redesigned steps: where it is restated or carried; for a dropped edge case, the steps
    that replaced its step (none when the step is simply gone)."""
    owner: str | None = None
    """Who owns it in the redesign (restated: as the redesign says; carried: the current owner);
    none when retired or dropped."""
    reason: str = ""
    """Why a retired edge case can no longer happen."""
    cases_per_case: float = 0.0
    """How often it happened per case in the current process (rate x visits of its step)."""


def trace_edge_cases(
    current: Process,
    redesigned: Process,
    aligned: Iterable[tuple[list[Step], list[Step]]],
    visits_current: dict[str, float],
) -> tuple[EdgeCaseFate, ...]:
    """The fate of every current edge case, in the current process's order. ``aligned`` are
    the groups of current and redesigned steps (:func:`~lastmile_flows.analysis.align.align`)."""
    restated_at: dict[str, list[str]] = defaultdict(list)
    owners: dict[str, str | None] = {}
    for step, case in redesigned.edge_cases():
        for old in (case.id, *case.replaces):
            restated_at[old].append(step.id)
            owners.setdefault(old, case.owner)
    retired = {item.id: item.reason for item in redesigned.retired_edge_cases}
    surviving = {step.id: step.role for step in redesigned.steps}
    successors: dict[str, list[str]] = defaultdict(list)
    for before, after in aligned:
        for gone in before:
            successors[gone.id] = [new.id for new in after]
    fates = []
    for step, case in current.edge_cases():
        often = case.rate * visits_current.get(step.id, 0.0)
        common = {"edge_case": case.id, "step": step.id, "cases_per_case": often}
        if case.id in restated_at:
            fate = EdgeCaseFate(
                fate="restated",
                now_at=tuple(dict.fromkeys(restated_at[case.id])),
                owner=owners[case.id],
                **common,
            )
        elif case.id in retired:
            fate = EdgeCaseFate(fate="retired", reason=retired[case.id], **common)
        elif surviving.get(step.id) == step.role:
            fate = EdgeCaseFate(fate="carried", now_at=(step.id,), owner=case.owner, **common)
        else:
            fate = EdgeCaseFate(fate="dropped", now_at=tuple(successors[step.id]), **common)
        fates.append(fate)
    return tuple(fates)


def carried_cases(
    current: Process, fates: Iterable[EdgeCaseFate]
) -> tuple[tuple[str, EdgeCase], ...]:
    """The carried edge cases as (redesigned step id, the current edge case): work the redesign
    still has at that step, though it does not list it."""
    cases = {case.id: case for _, case in current.edge_cases()}
    return tuple((f.now_at[0], cases[f.edge_case]) for f in fates if f.fate == "carried")
