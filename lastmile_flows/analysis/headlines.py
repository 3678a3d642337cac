"""The headline numbers of a comparison, each row with a key, shared by every report and the
diagrams; and the wording of findings counts and groups around them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lastmile_flows.analysis.rules import GROUPS, rule
from lastmile_flows.numbers import duration, money, percent, plain, plural, signed

if TYPE_CHECKING:
    from lastmile_flows.analysis.comparison import Comparison, VersionInfo
    from lastmile_flows.analysis.findings import Finding

__all__ = [
    "CHANGE_WORDS",
    "EMPTY_GROUP",
    "Headline",
    "counted",
    "gap_sentence",
    "grouped",
    "headlines",
    "is_ownership",
    "notes",
    "unowned_failures",
    "version_title",
]

EMPTY_GROUP = {
    "ownership": "Every current and new edge case has a staffed owner.",
    "ai_governance": "Every AI step has a human who decides or answers for it.",
    "review_capacity": "No finding on review capacity.",
    "workload": "No finding on workload or savings.",
    "structure": "No finding on how the redesign is written.",
}
"""What a group with no finding says (each claim holds only when its group is empty)."""

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
    """One row of headline numbers: ``key`` names the figure (stable, for code to pick rows
    by), ``label`` says it to people."""

    key: str
    label: str
    before: str
    after: str
    change: str


def _relative(before: float, after: float) -> str:
    if not before:
        return ""
    share = (after - before) / before
    return f" ({signed(share * 100, 0)}%)"


def version_title(info: VersionInfo, fallback: str) -> str:
    """``Order entry (current)``: the name and version, the version left out when the name
    already ends with it."""
    version = info.version or fallback
    if info.name == version or info.name.endswith(f"({version})"):
        return info.name
    return f"{info.name} ({version})"


def headlines(comparison: Comparison) -> list[Headline]:
    """The rows of every report: the per-case figures, then the monthly ones (at a volume) or
    the running cost per case."""
    return [*_per_case_rows(comparison), *_cost_rows(comparison)]


def _per_case_rows(comparison: Comparison) -> list[Headline]:
    """Minutes, unowned exceptions, cycle time, hand-offs and steps of one case."""
    m = comparison.metrics
    a, b, d = m.current, m.redesigned, m.delta
    return [
        Headline(
            "human_minutes",
            "Human work per case (min)",
            plain(a.human_minutes_per_case),
            plain(b.human_minutes_per_case),
            signed(d.human_minutes_per_case)
            + _relative(a.human_minutes_per_case, b.human_minutes_per_case),
        ),
        Headline(
            "review_minutes",
            "Review of AI output per case (min)",
            plain(a.review_minutes_per_case),
            plain(b.review_minutes_per_case),
            signed(d.review_minutes_per_case),
        ),
        Headline(
            "exception_minutes",
            "Exception handling per case (min)",
            plain(a.exception_minutes_per_case),
            plain(b.exception_minutes_per_case),
            signed(d.exception_minutes_per_case),
        ),
        Headline(
            "unowned_exception_minutes",
            "  of which nobody staffed owns (min)",
            plain(a.unowned_exception_minutes_per_case),
            plain(b.unowned_exception_minutes_per_case),
            signed(d.unowned_exception_minutes_per_case),
        ),
        *_unowned_cases(comparison),
        Headline(
            "cycle_time",
            "Cycle time, slowest path",
            duration(a.cycle_time_minutes, comparison.hours_per_working_day),
            duration(b.cycle_time_minutes, comparison.hours_per_working_day),
            signed(d.cycle_time_minutes / 60) + " h",
        ),
        Headline(
            "handoffs",
            "Hand-offs between roles (human to human)",
            f"{a.handoffs} ({a.human_handoffs})",
            f"{b.handoffs} ({b.human_handoffs})",
            f"{signed(d.handoffs, 0)} ({signed(d.human_handoffs, 0)})",
        ),
        Headline(
            "steps",
            "Steps: human / AI / system",
            f"{a.human_steps} / {a.ai_steps} / {a.system_steps}",
            f"{b.human_steps} / {b.ai_steps} / {b.system_steps}",
            f"{signed(d.human_steps, 0)} / {signed(d.ai_steps, 0)} / {signed(d.system_steps, 0)}",
        ),
    ]


def _cost_rows(comparison: Comparison) -> list[Headline]:
    """Hours, FTE and costs a month at a volume; without one, the running cost per case (if
    any)."""
    m = comparison.metrics
    a, b, d = m.current, m.redesigned, m.delta
    money_of = comparison.currency
    rows: list[Headline] = []
    if a.fte is not None and b.fte is not None and d.fte is not None:
        volume = f"{comparison.volume_per_month:,.0f}"
        rows = [
            Headline(
                "human_hours",
                f"Human hours a month at {volume} cases",
                plain(a.human_hours_per_month or 0, 0),
                plain(b.human_hours_per_month or 0, 0),
                signed(d.human_hours_per_month or 0, 0),
            ),
            Headline("fte", "FTE needed", plain(a.fte), plain(b.fte), signed(d.fte)),
            _monthly_cost("labour_cost", "Labour cost a month", comparison),
        ]
        if a.running_cost_per_month or b.running_cost_per_month:
            rows += [
                _monthly_cost("running_cost", "AI and system running cost a month", comparison),
                _monthly_cost("total_cost", "Total cost a month (labour and running)", comparison),
            ]
    elif a.running_cost_per_case or b.running_cost_per_case:
        rows.append(
            Headline(
                "running_cost_per_case",
                "AI and system running cost per case",
                _money_exact(a.running_cost_per_case, money_of),
                _money_exact(b.running_cost_per_case, money_of),
                _signed_money(b.running_cost_per_case - a.running_cost_per_case, money_of, 2),
            )
        )
    return rows


def _monthly_cost(key: str, what: str, comparison: Comparison) -> Headline:
    """The row of the metric ``{key}_per_month``: before, after and the change, in money."""
    m = comparison.metrics
    before, after, change = (
        getattr(side, f"{key}_per_month") or 0 for side in (m.current, m.redesigned, m.delta)
    )
    money_of = comparison.currency
    return Headline(
        key, what, money(before, money_of), money(after, money_of), _signed_money(change, money_of)
    )


def _signed_money(value: float, currency: str, places: int = 0) -> str:
    return f"{signed(value, places)} {currency}".rstrip()


def _money_exact(value: float, currency: str) -> str:
    return f"{value:,.2f} {currency}".rstrip()


def unowned_failures(comparison: Comparison) -> tuple[str, float, float, float]:
    """Exception cases nobody staffed owns, ``(per, before, after, dropped)``: ``per`` is
    ``a month``, or ``per 1,000 cases`` without a volume; ``after`` counts in the ``dropped``
    ones the redesign no longer mentions (a failure with no handling minutes given still
    happens to customers)."""
    m = comparison.metrics
    a, b = m.current, m.redesigned
    if a.unowned_exceptions_per_month is not None and b.unowned_exceptions_per_month is not None:
        dropped = m.dropped_exceptions_per_month or 0.0
        before, after = a.unowned_exceptions_per_month, b.unowned_exceptions_per_month
        return "a month", before, after + dropped, dropped
    dropped = m.dropped_exceptions_per_case * 1000
    before, after = a.unowned_exceptions_per_case * 1000, b.unowned_exceptions_per_case * 1000
    return "per 1,000 cases", before, after + dropped, dropped


def _unowned_cases(comparison: Comparison) -> list[Headline]:
    """The rows of :func:`unowned_failures` (the dropped ones on a row of their own)."""
    label, before, after, dropped = unowned_failures(comparison)
    rows = [
        Headline(
            "unowned_cases",
            f"Exception cases nobody staffed owns, {label}",
            plain(before),
            plain(after),
            signed(after - before),
        )
    ]
    if dropped or any(f.fate == "dropped" for f in comparison.edge_cases):
        rows.append(
            Headline(
                "dropped_cases",
                "  of which the redesign drops",
                plain(0),
                plain(dropped),
                signed(dropped),
            )
        )
    return rows


def notes(comparison: Comparison) -> list[str]:
    """What the numbers rest on that a reader could not guess: where the volume comes from,
    what a day is, the currency, and the roles whose cost is not known."""
    found = []
    volume = comparison.volume_per_month
    if comparison.volume_source == "given" and volume is not None:
        sources = comparison.sources
        said = sources.volume_per_month if sources is not None else None
        stated = "; the redesign gives none"
        if said is not None:
            stated = f"; the redesign says {said:,.0f}" if said != volume else ""
        found.append(f"Volume: {volume:,.0f} cases a month, as given for this comparison{stated}.")
    elif comparison.volume_source == "redesign" and volume is not None:
        found.append(f"Volume: {volume:,.0f} cases a month, as the redesign says.")
    else:
        found.append("No volume given: monthly figures are left out (per-case figures only).")
    sources = comparison.sources
    steps = [*sources.current.steps, *sources.redesigned.steps] if sources is not None else []
    calendar = [s.id for s in steps if s.wait_calendar]
    found.append(
        f"A day is a working day of {comparison.hours_per_working_day:g} hours "
        "(hours_per_working_day); waits are working time"
        + (
            f", except at {', '.join(dict.fromkeys(calendar))}, whose waits run on the calendar "
            "(wait_calendar) and count one working day per calendar day."
            if calendar
            else "."
        )
    )
    costs = comparison.metrics.current.labour_cost_per_month is not None
    if costs and not comparison.currency:
        found.append("No currency stated (currency): costs are shown as plain numbers.")
    unpriced = dict.fromkeys(
        [
            *comparison.metrics.current.roles_without_cost,
            *comparison.metrics.redesigned.roles_without_cost,
        ]
    )
    if unpriced:
        found.append(
            f"No cost per hour for {', '.join(unpriced)}: their work counts as 0 in the labour "
            "cost."
        )
    return found


def counted(findings: list[Finding]) -> str:
    """``2 errors, 1 warning, 3 info``: every severity, so a heading counts all it holds."""
    severities = [f.severity for f in findings]
    return (
        f"{plural(severities.count('error'), 'error')}, "
        f"{plural(severities.count('warning'), 'warning')}, {severities.count('info')} info"
    )


def grouped(findings: tuple[Finding, ...]) -> list[tuple[str, str, list[Finding]]]:
    """(group, heading, findings) for every group of :data:`~lastmile_flows.analysis.rules.
    GROUPS`, in order, from each rule's own group (empty groups included: their verdict is
    :data:`EMPTY_GROUP`)."""
    return [
        (key, title, [f for f in findings if rule(f.name).group == key])
        for key, title in GROUPS.items()
    ]


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
    """A finding about who owns a failure (its rule's group is ``ownership``)."""
    return rule(finding.name).group == "ownership"
