"""The simulation's charts as SVG text: backlog over time (current beside redesigned), cycle
time distributions, and the review-share trade-off. Same result, same bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lastmile_flows.simulation.svgchart import PALETTE, Canvas, Panel

if TYPE_CHECKING:
    from lastmile_flows.simulation.results import SimulationResult
    from lastmile_flows.simulation.sweep import ReviewShareSweep

__all__ = ["backlog_chart", "cycle_time_chart", "tradeoff_chart"]

SIDE_TITLES = {"current": "Current process", "redesigned": "Redesigned", "process": "Process"}


def _colours(result: SimulationResult) -> dict[str, str]:
    roles: list[str] = []
    for side in result.sides:
        roles += [q.role for q in side.queues if q.role not in roles]
    return {role: PALETTE[n % len(PALETTE)] for n, role in enumerate(roles)}


def backlog_chart(result: SimulationResult) -> str:
    """Hours of work waiting in each role's queue at the end of each working day, one panel
    per side on a shared scale; a queue that grows without bound is labelled so."""
    canvas = Canvas(f"backlog-{result.id}", f"{result.name}: backlog of work waiting, by queue")
    canvas.text(40, 42, f"{result.name}: work waiting in each queue", size=24, weight="bold")
    canvas.text(
        40, 70, f"mean of the replications, end of each working day, {result.months:g} months",
        size=16, fill="#475569",
    )  # fmt: skip
    colours = _colours(result)
    top = max(
        (max(q.backlog_hours, default=0.0) for s in result.sides for q in s.queues), default=0.0
    )
    days = max((max(s.sample_days, default=0.0) for s in result.sides), default=1.0)
    count = len(result.sides)
    width = (1200 - 120 - 90 * (count - 1)) / count
    for number, side in enumerate(result.sides):
        left = 110 + number * (width + 90)
        panel = Panel(
            canvas, (left, 130, width, 360), (0, days), (0, max(top, 1.0)),
            x_label="day", y_label="hours of work waiting",
            title=SIDE_TITLES.get(side.side, side.side),
        )  # fmt: skip
        group = canvas.group("series", ident=f"backlog-{side.side}")
        for queue in side.queues:
            points = [
                (panel.x(day), panel.y(hours))
                for day, hours in zip(side.sample_days, queue.backlog_hours, strict=False)
            ]
            label = f"{queue.role}: {_headcount(queue.headcount)}"
            canvas.polyline(points, stroke=colours[queue.role], parent=group, title=label)
            if queue.unbounded and points:
                x, y = points[-1]
                canvas.text(x - 6, max(y - 10, 150), f"{queue.role}: grows without bound",
                            anchor="end", weight="bold", fill="#b91c1c", parent=group)  # fmt: skip
    _legend(canvas, colours, result, 560)
    return canvas.to_string()


def _headcount(value: float | None) -> str:
    return "nobody" if not value else _people(value)


def _people(value: float) -> str:
    return f"{value:g} person" if value == 1 else f"{value:g} people"


def _legend(canvas: Canvas, colours: dict[str, str], result: SimulationResult, y: float) -> None:
    heads: dict[str, str] = {}
    for side in result.sides:
        for queue in side.queues:
            heads[queue.role] = heads.get(queue.role, "")
            heads[queue.role] += ("" if not heads[queue.role] else " -> ") + _headcount(
                queue.headcount
            )
    group = canvas.group("legend")
    for number, (role, colour) in enumerate(colours.items()):
        x = 40 + (number % 3) * 380
        row = y + (number // 3) * 30
        canvas.line(x, row - 5, x + 30, row - 5, stroke=colour, width=4, parent=group)
        canvas.text(x + 38, row, f"{role} ({heads.get(role, '')})", parent=group)


def cycle_time_chart(result: SimulationResult) -> str:
    """The share of completed cases done within each number of calendar hours (one curve per
    side), with the SLA target when one is given."""
    canvas = Canvas(f"cycle-time-{result.id}", f"{result.name}: cycle time distribution")
    canvas.text(40, 42, f"{result.name}: end-to-end cycle time", size=24, weight="bold")
    canvas.text(40, 70, "share of completed cases done within the hours shown (calendar hours)",
                size=16, fill="#475569")  # fmt: skip
    top = max((max(s.cycle_hours_quantiles, default=0.0) for s in result.sides), default=1.0)
    if result.sla_hours:
        top = max(top, result.sla_hours)
    panel = Panel(
        canvas, (110, 120, 1040, 400), (0, max(top, 1.0)), (0, 1),
        x_label="hours from arrival to done", y_label="share of cases",
        y_format=lambda v: f"{v:.0%}",
    )  # fmt: skip
    styles = {"current": ("#64748b", "8 6"), "redesigned": ("#1f5fa8", None)}
    for number, side in enumerate(result.sides):
        colour, dash = styles.get(side.side, (PALETTE[number], None))
        points = [
            (panel.x(hours), panel.y((n + 1) / 100))
            for n, hours in enumerate(side.cycle_hours_quantiles)
        ]
        group = canvas.group("series", ident=f"cycle-{side.side}")
        canvas.polyline(points, stroke=colour, dash=dash, parent=group,
                        title=f"{side.side} cycle time")  # fmt: skip
        row = 590 + number * 30
        canvas.line(110, row - 5, 150, row - 5, stroke=colour, width=4, dash=dash, parent=group)
        p50 = side.cycle_hours_p50.mean if side.cycle_hours_p50 else float("nan")
        p90 = side.cycle_hours_p90.mean if side.cycle_hours_p90 else float("nan")
        done = side.completed_share.mean if side.completed_share else float("nan")
        canvas.text(160, row, f"{SIDE_TITLES.get(side.side, side.side)}: P50 {p50:.1f} h, "
                    f"P90 {p90:.1f} h; {done:.0%} of cases completed in the run",
                    parent=group)  # fmt: skip
    if result.sla_hours:
        x = panel.x(result.sla_hours)
        canvas.line(x, 120, x, 520, stroke="#b91c1c", width=2, dash="4 4")
        canvas.text(x + 6, 140, f"SLA {result.sla_hours:g} h", fill="#b91c1c", weight="bold")
    return canvas.to_string()


def tradeoff_chart(sweep: ReviewShareSweep) -> str:
    """Escaped errors a month, reviewer FTE needed and P90 cycle time against the review
    share, the model's chosen share marked."""
    canvas = Canvas(f"review-share-{sweep.id}-{sweep.step}",
                    f"Review share of {sweep.step}: trade-off")  # fmt: skip
    canvas.text(40, 38, f"How much of {sweep.step} to review", size=24, weight="bold")
    canvas.text(40, 64, f"reviewers: {sweep.reviewer_role} at {_people(sweep.reviewers)}; "
                "x marks a review queue that grows without bound", size=16,
                fill="#475569")  # fmt: skip
    shares = [p.review_share for p in sweep.points] or [sweep.chosen.review_share]
    rows = [
        ("errors reaching customers / month", [p.escaped_per_month for p in sweep.points],
         sweep.max_escaped_errors_per_month, "limit"),
        ("reviewer FTE needed", [p.reviewer_fte_needed for p in sweep.points], sweep.reviewers,
         "staffed"),
        ("P90 cycle time, hours", [_p90(p) for p in sweep.points], None, ""),
    ]  # fmt: skip
    chosen_values = [
        sweep.chosen.escaped_per_month, sweep.chosen.reviewer_fte_needed, _p90(sweep.chosen)
    ]  # fmt: skip
    for number, (label, values, line, line_label) in enumerate(rows):
        top = 100 + number * 185
        finite = [v for v in [*values, chosen_values[number]] if v == v]
        finite += [line] if line is not None else []
        panel = Panel(
            canvas, (110, top, 1040, 130), (0, 1), (0, max(finite, default=1.0) or 1.0),
            x_label="" if number < 2 else "share of the AI's output reviewed", y_label="",
            x_format=lambda v: f"{v:.0%}", title=label,
        )  # fmt: skip
        group = canvas.group("series", ident=f"tradeoff-{number}")
        points = [(panel.x(s), panel.y(v)) for s, v in zip(shares, values, strict=False) if v == v]
        canvas.polyline(points, stroke=PALETTE[number], parent=group, title=label)
        for point, share in zip(sweep.points, shares, strict=False):
            if point.unbounded and number == 2:
                canvas.text(panel.x(share), top + 20, "x", anchor="middle", fill="#b91c1c",
                            weight="bold", parent=group)  # fmt: skip
        if line is not None:
            canvas.line(110, panel.y(line), 1150, panel.y(line), stroke="#b91c1c", dash="6 4",
                        width=2, parent=group)  # fmt: skip
            canvas.text(1146, panel.y(line) - 6, f"{line_label} {line:g}", anchor="end",
                        fill="#b91c1c", parent=group)  # fmt: skip
        value = chosen_values[number]
        x = panel.x(sweep.chosen.review_share)
        canvas.line(x, top, x, top + 130, stroke="#0f172a", dash="3 3", width=2, parent=group)
        if value == value:
            canvas.circle(x, panel.y(value), 7, fill="#0f172a", parent=group,
                          title=f"the model: {sweep.chosen.review_share:.0%} reviewed")  # fmt: skip
        if number == 0:
            canvas.text(x + 8, top + 20, f"the model: {sweep.chosen.review_share:.0%}",
                        weight="bold", parent=group)  # fmt: skip
    return canvas.to_string()


def _p90(point: object) -> float:
    estimate = getattr(point, "cycle_hours_p90", None)
    return float("nan") if estimate is None or getattr(point, "unbounded", False) else estimate.mean
