"""One-line summaries of models, for ``lastmile validate`` and the demo."""

from __future__ import annotations

from lastmile_flows.model import Process, Redesign

__all__ = ["summarise"]


def _process_line(process: Process) -> str:
    cases = [case for _, case in process.edge_cases()]
    unowned = sum(1 for case in cases if case.owner is None)
    ai_steps = sum(1 for step in process.steps if step.kind == "ai")
    reviews = sum(1 for step in process.steps if step.kind == "review")
    label = f"{process.label} [{process.version}]" if process.version else process.label
    return (
        f"{label}: {len(process.steps)} steps ({ai_steps} AI, {reviews} review), "
        f"{len(process.roles)} roles, {len(cases)} edge cases ({unowned} without owner)"
    )


def summarise(model: Process | Redesign) -> list[str]:
    """A few lines describing the model: its size, AI use and unowned edge cases."""
    if isinstance(model, Process):
        return [f"process {_process_line(model)}"]
    return [
        f"redesign {model.label}: "
        + (
            f"{model.volume_per_month:g} cases/month, "
            if model.volume_per_month is not None
            else "no volume (per-case figures only), "
        )
        + f"{model.hours_per_fte_month:g} h per FTE-month",
        f"  current    {_process_line(model.current)}",
        f"  redesigned {_process_line(model.redesigned)}",
    ]
