"""What each aligned group of steps becomes: its change kind, the human minutes and elapsed
minutes of a case there before and after (visits and edge cases counted, carried ones too), the
roles doing it, and the most autonomous AI mode among the new steps."""

from __future__ import annotations

from collections.abc import Iterable

from lastmile_flows.analysis.align import StepChange, classify
from lastmile_flows.analysis.metrics import rounded, step_human_minutes
from lastmile_flows.model import EdgeCase, Process, Step
from lastmile_flows.model.elements import working_wait

__all__ = ["step_changes"]


def step_changes(
    current: Process,
    redesigned: Process,
    aligned: Iterable[tuple[list[Step], list[Step]]],
    seen_before: dict[str, float],
    seen_after: dict[str, float],
    carried: Iterable[tuple[str, EdgeCase]],
    day: float,
) -> tuple[StepChange, ...]:
    """One change for each aligned group, in alignment order; ``carried`` edge cases count at
    the redesigned step that carries them."""
    at_step: dict[str, list[EdgeCase]] = {}
    for step_id, case in carried:
        at_step.setdefault(step_id, []).append(case)
    return tuple(
        _change(before, after, current, redesigned, seen_before, seen_after, at_step, day)
        for before, after in aligned
    )


def _change(
    before: list[Step],
    after: list[Step],
    current: Process,
    redesigned: Process,
    seen_before: dict[str, float],
    seen_after: dict[str, float],
    carried: dict[str, list[EdgeCase]],
    day: float,
) -> StepChange:
    kind, also = classify(before, after)
    modes = [step.ai_mode for step in after if step.ai_mode is not None]
    autonomy = ("suggest", "draft", "act")
    return StepChange(
        change=kind,
        current=tuple(step.id for step in before),
        redesigned=tuple(step.id for step in after),
        current_names=tuple(step.label for step in before),
        redesigned_names=tuple(step.label for step in after),
        also=also,
        human_minutes_before=rounded(
            sum(step_human_minutes(s, seen_before.get(s.id, 0.0)) for s in before)
        ),
        human_minutes_after=rounded(
            sum(
                step_human_minutes(s, seen_after.get(s.id, 0.0), carried.get(s.id, ()))
                for s in after
            )
        ),
        elapsed_minutes_before=rounded(
            sum(
                seen_before.get(s.id, 0.0) * (working_wait(s, day) + s.touch_minutes)
                for s in before
            )
        ),
        elapsed_minutes_after=rounded(
            sum(seen_after.get(s.id, 0.0) * (working_wait(s, day) + s.touch_minutes) for s in after)
        ),
        roles_before=tuple(dict.fromkeys(step.role for step in before)),
        roles_after=tuple(dict.fromkeys(step.role for step in after)),
        ai_mode=max(modes, key=autonomy.index) if modes else None,
    )
