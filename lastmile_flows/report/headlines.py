"""The headline numbers of a comparison, shared by the Markdown and the text report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lastmile_flows.report.numbers import duration, money, percent, plain, signed

if TYPE_CHECKING:
    from lastmile_flows.analysis.comparison import Comparison
    from lastmile_flows.analysis.findings import Finding

__all__ = [
    "CHANGE_WORDS",
    "Headline",
    "gap_sentence",
    "headlines",
    "is_ownership",
]

CHANGE_WORDS = {
    "eliminated": "eliminated",
    "automated": "automated",
    "assisted": "AI-assisted",
    "review_added": "review added",
    "added": "added",
    "reassigned": "reassigned",
    "retimed": "retimed",
    "merged": "merged",
    "split": "split",
    "unchanged": "unchanged",
}


@dataclass(frozen=True)
class Headline:
    label: str
    before: str
    after: str
    change: str


def _relative(before: float, after: float) -> str:
    if not before:
        return ""
    share = (after - before) / before
    return f" ({signed(share * 100, 0)}%)"


def headlines(comparison: Comparison) -> list[Headline]:
    m = comparison.metrics
    a, b, d = m.current, m.redesigned, m.delta
    rows = [
        Headline(
            "Human work per case (min)",
            plain(a.human_minutes_per_case),
            plain(b.human_minutes_per_case),
            signed(d.human_minutes_per_case)
            + _relative(a.human_minutes_per_case, b.human_minutes_per_case),
        ),
        Headline(
            "Review of AI output per case (min)",
            plain(a.review_minutes_per_case),
            plain(b.review_minutes_per_case),
            signed(d.review_minutes_per_case),
        ),
        Headline(
            "Exception handling per case (min)",
            plain(a.exception_minutes_per_case),
            plain(b.exception_minutes_per_case),
            signed(d.exception_minutes_per_case),
        ),
        Headline(
            "  of which nobody owns (min)",
            plain(a.unowned_exception_minutes_per_case),
            plain(b.unowned_exception_minutes_per_case),
            signed(d.unowned_exception_minutes_per_case),
        ),
        Headline(
            "Cycle time, slowest path",
            duration(a.cycle_time_minutes),
            duration(b.cycle_time_minutes),
            signed(d.cycle_time_minutes / 60) + " h",
        ),
        Headline(
            "Hand-offs between roles (human to human)",
            f"{a.handoffs} ({a.human_handoffs})",
            f"{b.handoffs} ({b.human_handoffs})",
            f"{signed(d.handoffs, 0)} ({signed(d.human_handoffs, 0)})",
        ),
        Headline(
            "Steps: human / AI / system",
            f"{a.human_steps} / {a.ai_steps} / {a.system_steps}",
            f"{b.human_steps} / {b.ai_steps} / {b.system_steps}",
            f"{signed(d.human_steps, 0)} / {signed(d.ai_steps, 0)} / {signed(d.system_steps, 0)}",
        ),
    ]
    if a.fte is not None and b.fte is not None and d.fte is not None:
        volume = f"{comparison.volume_per_month:,.0f}"
        rows += [
            Headline(
                f"Human hours a month at {volume} cases",
                plain(a.human_hours_per_month or 0, 0),
                plain(b.human_hours_per_month or 0, 0),
                signed(d.human_hours_per_month or 0, 0),
            ),
            Headline("FTE needed", plain(a.fte), plain(b.fte), signed(d.fte)),
            Headline(
                "Labour cost a month",
                money(a.labour_cost_per_month or 0),
                money(b.labour_cost_per_month or 0),
                signed(d.labour_cost_per_month or 0, 0),
            ),
        ]
    return rows


def gap_sentence(comparison: Comparison) -> str:
    gap = comparison.productivity_gap
    if gap.step_savings_minutes == 0 and gap.added_minutes == 0:
        return "No step's human minutes change."
    parts = ", ".join(
        f"{CHANGE_WORDS[kind]} {plain(value)}" for kind, value in gap.added_by_change.items()
    )
    eaten = f" ({percent(gap.eaten_share)})" if gap.eaten_share is not None else ""
    return (
        f"The steps it speeds up save {plain(gap.step_savings_minutes)} human minutes per case; "
        f"{plain(gap.added_minutes)} come back elsewhere{eaten}"
        + (f" ({parts})" if parts else "")
        + f", so the end-to-end saving is {plain(gap.end_to_end_savings_minutes)} minutes per "
        f"case. Waits and touch time at those steps fall by "
        f"{plain(gap.step_elapsed_savings_minutes)} minutes per case; the slowest case gets "
        f"{plain(gap.cycle_time_savings_minutes / 60)} h faster."
    )


def is_ownership(finding: Finding) -> bool:
    """Findings about who owns a failure come first in every report."""
    return finding.name.startswith("edge_case.") or finding.name == "ai.no_fallback"
