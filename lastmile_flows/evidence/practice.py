"""The audit hook: what the log says the redesign forgets (rule LM601).

``practice_findings(redesign, conformance)`` returns a finding for each activity practice does
often (in at least ``min_share`` of the cases) that the current model lacks, next to a step the
redesign automates or eliminates, unless an edge case of either process already names it. Such
an activity is usually an exception someone handles by hand today: automating the step next to
it drops the handling without a word. ``with_practice(comparison, conformance)`` returns the
comparison with those findings among its own, sorted as ``compare`` sorts them.
"""

from __future__ import annotations

from collections.abc import Mapping

from lastmile_flows.analysis import Comparison, Finding, compare
from lastmile_flows.analysis.findings import sort_findings
from lastmile_flows.analysis.rules import resolve_severities, rule
from lastmile_flows.evidence.columns import normalised
from lastmile_flows.evidence.conform import Conformance
from lastmile_flows.model import Process, Redesign

__all__ = ["MIN_SHARE", "practice_findings", "with_practice"]

MIN_SHARE = 0.05
"""An undocumented activity counts as frequent in this share of the cases or more."""
NAME = "practice.undocumented_near_automation"
REMOVING = ("automated", "eliminated")
VERBS = {"automated": "automates", "eliminated": "eliminates"}


def _mentioned(activity: str, *processes: Process) -> bool:
    wanted = normalised(activity)
    return any(
        wanted in (normalised(case.id), normalised(case.name))
        for process in processes
        for _, case in process.edge_cases()
    )


def practice_findings(
    model: Redesign | Comparison | tuple[Process, Process],
    conformance: Conformance,
    *,
    min_share: float = MIN_SHARE,
    severity: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Findings of rule LM601 (see the module docstring), about the current process's ids."""
    if isinstance(model, Comparison):
        comparison = model
    elif isinstance(model, Redesign):
        comparison = compare(model)
    else:
        comparison = compare(model[0], model[1])
    sources = comparison.sources
    processes = (sources.current, sources.redesigned) if sources is not None else ()
    removed: dict[str, str] = {}
    names: dict[str, str] = {}
    for change in comparison.steps:
        for step_id, label in zip(change.current, change.current_names, strict=True):
            names[step_id] = label
            if change.change in REMOVING:
                removed[step_id] = change.change
    level = resolve_severities(severity)[NAME]
    found: list[Finding] = []
    for deviation in conformance.undocumented:
        if deviation.share < min_share or _mentioned(deviation.name, *processes):
            continue
        for where, near in (("after", deviation.after), ("before", deviation.before)):
            if near is None or near not in removed:
                continue
            step_id = near
            examples = ", ".join(deviation.examples)
            found.append(
                Finding(
                    code=rule(NAME).code,
                    name=NAME,
                    severity=level,
                    message=(
                        f"Practice does {deviation.name!r} in {deviation.share:.1%} of the cases "
                        f"in {conformance.source} ({deviation.cases:,}), mostly {where} "
                        f"'{names[step_id]}' ({step_id}), which the redesign "
                        f"{VERBS[removed[step_id]]}; neither process mentions it "
                        f"(e.g. cases {examples})."
                    ),
                    element_ids=(step_id,),
                    version="current",
                )
            )
            break
    return found


def with_practice(
    comparison: Comparison,
    conformance: Conformance,
    *,
    min_share: float = MIN_SHARE,
    severity: Mapping[str, str] | None = None,
) -> Comparison:
    """``comparison`` with the LM601 findings added (same sources, findings re-sorted)."""
    extra = practice_findings(comparison, conformance, min_share=min_share, severity=severity)
    if not extra:
        return comparison
    combined = sort_findings([*comparison.findings, *extra])
    result = comparison.model_copy(update={"findings": tuple(combined)})
    return result
