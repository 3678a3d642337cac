"""A simulation as a Markdown summary: what a committee can act on first, then the tables."""

from __future__ import annotations

from lastmile_flows.escape import markdown as md
from lastmile_flows.escape import markdown_code as code
from lastmile_flows.simulation.results import SideResult, SimulationResult
from lastmile_flows.simulation.stats import Estimate

__all__ = ["markdown", "verdict_lines"]


def _e(value: Estimate | None, unit: str = "", places: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{value.mean:,.{places}f}{unit} ({value.low:,.{places}f} to {value.high:,.{places}f})"


def _share(value: Estimate | None) -> str:
    if value is None:
        return "n/a"
    return f"{value.mean:.1%} ({value.low:.1%} to {value.high:.1%})"


def verdict_lines(result: SimulationResult) -> list[str]:
    """One line per thing to act on: unbounded queues, escaped errors over the limit,
    unhandled exceptions, SLA breaches."""
    lines = []
    for side in result.sides:
        where = "" if side.side == "process" else f"{side.side}: "
        for queue in side.queues:
            if queue.unbounded:
                week = (
                    f", passing one day of work in week {queue.week_backlog_passes_a_day}"
                    if queue.week_backlog_passes_a_day
                    else ""
                )
                people = "nobody" if not queue.headcount else f"{queue.headcount:g} FTE"
                lines.append(
                    f"{where}the {code(queue.role)} queue ({people}) grows without bound"
                    f"{week}; {queue.waiting_at_end.mean if queue.waiting_at_end else 0:,.0f} "
                    f"items waiting after {result.months:g} month"
                    f"{'' if result.months == 1 else 's'}."
                )
        for trust in side.trust:
            limit = result.max_escaped_errors_per_month
            over = limit is not None and trust.escaped_per_month_exact > limit
            lines.append(
                f"{where}{code(trust.step)} lets about {trust.escaped_per_month_exact:,.1f} "
                f"errors a month reach customers at a review share of {trust.review_share:.0%}"
                + (f", above the {limit:g} accepted." if over else ".")
            )
        unhandled = sum(
            c.unhandled_per_month.mean for c in side.edge_cases if c.unhandled_per_month
        )
        if unhandled > 0:
            lines.append(
                f"{where}{unhandled:,.0f} exception cases a month have no owner in the process "
                "(unhandled)."
            )
        if side.sla_breach_share is not None and side.sla_breach_share.mean > 0:
            lines.append(
                f"{where}{side.sla_breach_share.mean:.0%} of cases miss the "
                f"{result.sla_hours:g}-hour target."
            )
    return lines


def markdown(result: SimulationResult) -> str:
    """The summary: verdict, then per side the figures, queues, steps and exceptions."""
    out = [f"# Simulation: {md(result.name)}", ""]
    cal = result.calendar
    out.append(
        f"{result.months:g} month{'' if result.months == 1 else 's'}, seed {result.seed}; "
        "working calendar "
        f"{cal.hours_per_day:g} h a day from {cal.day_starts_at:g}:00, {cal.days_per_week} days "
        f"a week; {result.hours_per_fte_month:g} productive hours per FTE-month. Figures are "
        "means over the replications with 95 % confidence intervals."
    )
    out.append("")
    verdict = verdict_lines(result)
    if verdict:
        out += ["## What to act on", ""] + [f"- {line}" for line in verdict] + [""]
    for side in result.sides:
        out += _side(side, result)
    return "\n".join(out).rstrip("\n") + "\n"


def _side(side: SideResult, result: SimulationResult) -> list[str]:
    """One side's section: its figures, queues, steps, exceptions and AI errors."""
    out = [f"## {side.side.capitalize()}: {md(side.label)}", ""]
    out.append(
        f"{side.replications} replications at {side.volume_per_month:,.0f} cases a month; "
        f"{_share(side.completed_share)} of cases completed within the run."
    )
    out += _figures(side, result)
    out += _queue_table(side)
    out += [
        "",
        "| step | visits per case | P50, working min | P90 | P95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for step in side.steps:
        out.append(
            f"| {code(step.step)} | {step.visits_per_case:g} | {_e(step.p50)} | {_e(step.p90)} "
            f"| {_e(step.p95)} |"
        )
    cases = [c for c in side.edge_cases if c.per_month is not None]
    if cases:
        out += ["", "| exception | step | a month | unhandled a month |", "|---|---|---:|---:|"]
        for case in cases:
            out.append(
                f"| {code(case.edge_case)} | {code(case.step)} | {_e(case.per_month, '', 0)} "
                f"| {_e(case.unhandled_per_month, '', 0)} |"
            )
    for trust in side.trust:
        assumed = " (assumed: no catch rate stated)" if trust.catch_rate_assumed else ""
        out += [
            "",
            f"AI errors of {code(trust.step)}: error rate {trust.error_rate:.1%}, "
            f"{trust.review_share:.0%} of output reviewed, catch rate {trust.catch_rate:.0%}"
            f"{assumed}: {trust.errors_per_month_exact:,.1f} errors a month, "
            f"{trust.escaped_per_month_exact:,.1f} reach customers (closed form); simulated "
            f"{_e(trust.escaped_per_month)} over completed cases.",
        ]
    out.append("")
    return out


def _figures(side: SideResult, result: SimulationResult) -> list[str]:
    """The table of a side's end-to-end figures (the SLA and Little's law when there)."""
    out = ["", "| figure | value |", "|---|---:|"]
    rows = [
        ("cycle time P50, hours", _e(side.cycle_hours_p50)),
        ("cycle time P90, hours", _e(side.cycle_hours_p90)),
        ("cycle time P95, hours", _e(side.cycle_hours_p95)),
        ("mean cycle time, hours", _e(side.cycle_hours_mean)),
        ("human minutes per case", _e(side.human_minutes_per_case)),
        ("work in progress (mean cases)", _e(side.wip_mean)),
    ]
    if side.sla_breach_share is not None:
        rows.append((f"cases over {result.sla_hours:g} h", _share(side.sla_breach_share)))
    if side.little is not None:
        rows.append(
            (
                "Little's law: L vs lambda x W",
                f"{side.little.wip:,.1f} vs {side.little.rate_times_time:,.1f}",
            )
        )
    return out + [f"| {name} | {value} |" for name, value in rows]


def _queue_table(side: SideResult) -> list[str]:
    """The table of a side's queues, one row a role."""
    out = [
        "",
        "| queue | people | offered load | utilisation | mean wait, min | P90 wait, min "
        "| waiting at end | grows without bound |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for q in side.queues:
        grows = "no"
        if q.unbounded:
            week = q.week_backlog_passes_a_day
            grows = f"yes, a day of work by week {week}" if week else "yes"
        cells = [
            code(q.role),
            str(q.people),
            _share(q.offered_load),
            _share(q.utilisation),
            _e(q.wait_mean_minutes),
            _e(q.wait_p90_minutes),
            _e(q.waiting_at_end, "", 0),
            grows,
        ]
        out.append("| " + " | ".join(cells) + " |")
    return out
