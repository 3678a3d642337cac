"""``lastmile simulate``: queues, backlogs and escaped errors of a process or a redesign."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from lastmile_flows.cli.common import echo, emit, exit_input_error, notes, write_output
from lastmile_flows.cli.exitcodes import ExitCode
from lastmile_flows.cli.group import main
from lastmile_flows.cli.options import model_argument
from lastmile_flows.errors import LastmileError

__all__ = ["simulate"]


def _touch(values: tuple[str, ...]) -> dict[str, Any]:
    from lastmile_flows.simulation import parse_distribution

    shapes: dict[str, Any] = {}
    for value in values:
        step, sep, spec = value.partition("=")
        if not sep:
            raise click.BadParameter(
                f"{value!r}: use STEP=SHAPE, e.g. key_order=lognormal:4:12", param_hint="--touch"
            )
        shapes[step.strip()] = parse_distribution(spec)
    return shapes


@main.command(context_settings={"show_default": True})
@model_argument
@click.option(
    "--months",
    type=click.FloatRange(min=0, min_open=True),
    default=3.0,
    help="Simulated months.",
)
@click.option(
    "--replications",
    type=click.IntRange(min=1),
    default=10,
    help="Replications (more are run near saturation, up to --max-replications).",
)
@click.option(
    "--max-replications",
    type=click.IntRange(min=1),
    help="At most this many near saturation [default: 4 x --replications].",
)
@click.option("--seed", type=int, default=0, help="Same seed, same result.")
@click.option(
    "--sla-hours",
    type=click.FloatRange(min=0, min_open=True),
    help="End-to-end target in calendar hours: report the share of cases over it.",
)
@click.option(
    "--hours-per-day",
    type=click.FloatRange(min=0, min_open=True, max=24),
    default=8.0,
    help="Working hours a day.",
)
@click.option("--days-per-week", type=click.IntRange(1, 7), default=5)
@click.option(
    "--day-starts-at",
    type=click.FloatRange(0, 24, max_open=True),
    default=9.0,
    help="Hour the working day starts.",
)
@click.option(
    "--touch",
    "touches",
    multiple=True,
    metavar="STEP=SHAPE",
    help="A step's touch-time distribution (repeatable): fixed, exponential, "
    "triangular:LOW:MODE:HIGH or lognormal:MEDIAN:P90 (minutes).",
)
@click.option(
    "--volume", type=click.FloatRange(min=0), help="Cases a month (needed for a process)."
)
@click.option(
    "--hours-per-fte",
    type=click.FloatRange(min=0, min_open=True),
    help="Productive hours per FTE-month (overrides the file).",
)
@click.option(
    "--sweep",
    type=click.IntRange(min=0),
    default=0,
    help="Also sweep the review share of the first reviewed AI step over N points.",
)
@click.option(
    "--reviewers",
    type=click.FloatRange(min=0),
    help="Reviewer headcount for the sweep (default: the model's).",
)
@click.option("--format", "form", type=click.Choice(["markdown", "json"]), default="markdown")
@click.option(
    "--svg-dir",
    type=click.Path(file_okay=False),
    help="Write the charts here: ID.backlog.svg, ID.cycle-time.svg (and "
    "ID.review-share.svg with --sweep).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["findings", "never"]),
    default="findings",
    help="Exit 1 when a queue grows without bound or errors escape over the limit.",
)
def simulate(
    model_path: str,
    months: float,
    replications: int,
    max_replications: int | None,
    seed: int,
    sla_hours: float | None,
    hours_per_day: float,
    days_per_week: int,
    day_starts_at: float,
    touches: tuple[str, ...],
    volume: float | None,
    hours_per_fte: float | None,
    sweep: int,
    reviewers: float | None,
    form: str,
    svg_dir: str | None,
    fail_on: str,
) -> None:
    """Simulate a process or both sides of a redesign: queues, backlogs, cycle times, SLA
    breaches, unhandled exceptions and AI errors reaching customers.

    Prints a Markdown summary (or JSON) on stdout. Exit 0 when nothing needs acting on, 1 when
    a queue grows without bound or more errors escape than the redesign accepts (unless
    --fail-on never), 2 for unreadable or invalid input or options.
    """
    from lastmile_flows.files import load
    from lastmile_flows.simulation import simulate as run

    if max_replications is not None and max_replications < replications:
        max_replications = replications
    calendar = _calendar(hours_per_day, days_per_week, day_starts_at)
    try:
        shapes = _touch(touches)
        with notes():
            loaded = load(model_path)
        result = run(
            loaded,
            months=months,
            seed=seed,
            replications=replications,
            max_replications=max_replications,
            calendar=calendar,
            distributions=shapes,
            sla_hours=sla_hours,
            volume_per_month=volume,
            hours_per_fte_month=hours_per_fte,
        )
        swept = _sweep(loaded, sweep, reviewers, months, seed, calendar, volume, hours_per_fte)
    except LastmileError as error:
        exit_input_error(error)
    _print(result, swept, form)
    if svg_dir is not None:
        _write_charts(result, swept, svg_dir)
    if fail_on == "findings" and _needs_action(result):
        sys.exit(ExitCode.FINDINGS)
    sys.exit(ExitCode.OK)


def _calendar(hours_per_day: float, days_per_week: int, day_starts_at: float) -> Any:
    """The working calendar of the options; a bad combination is a usage error."""
    from pydantic import ValidationError

    from lastmile_flows.simulation import Calendar

    try:
        return Calendar(
            hours_per_day=hours_per_day, days_per_week=days_per_week, day_starts_at=day_starts_at
        )
    except ValidationError as error:
        raise click.BadParameter(
            str(error.errors()[0]["msg"]).removeprefix("Value error, "), param_hint="calendar"
        ) from None


def _print(result: Any, swept: Any, form: str) -> None:
    """The result, and the sweep if there is one, on stdout as ``form`` (JSON or Markdown)."""
    if form == "json":
        document = result.model_dump(mode="json")
        if swept is not None:
            document["sweep"] = swept.model_dump(mode="json")
        emit(json.dumps(document, indent=2) + "\n")
    else:
        text = result.to_markdown()
        if swept is not None:
            from lastmile_flows.simulation.sweep import sweep_markdown

            text += "\n" + sweep_markdown(swept)
        emit(text)


def _write_charts(result: Any, swept: Any, svg_dir: str) -> None:
    """The charts as SVG files in ``svg_dir`` (made if missing; exit 2 if it cannot be)."""
    folder = Path(svg_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        echo(f"error: cannot write to {svg_dir}: {error.strerror or error}", err=True)
        sys.exit(ExitCode.USAGE)
    charts = [
        (f"{result.id}.backlog.svg", result.backlog_svg()),
        (f"{result.id}.cycle-time.svg", result.cycle_time_svg()),
    ]
    if swept is not None:
        charts.append((f"{result.id}.review-share.svg", swept.svg()))
    for name, svg in charts:
        write_output(str(folder / name), svg, default_name=name)


def _sweep(
    loaded: Any,
    points: int,
    reviewers: float | None,
    months: float,
    seed: int,
    calendar: Any,
    volume: float | None,
    hours_per_fte: float | None,
) -> Any:
    if not points:
        return None
    from lastmile_flows.simulation.sweep import sweep_review_share

    return sweep_review_share(
        loaded,
        points=points,
        reviewers=reviewers,
        months=months,
        seed=seed,
        calendar=calendar,
        volume_per_month=volume,
        hours_per_fte_month=hours_per_fte,
    )


def _needs_action(result: Any) -> bool:
    limit = result.max_escaped_errors_per_month
    for side in result.sides:
        if side.side == "current":
            continue
        if any(queue.unbounded for queue in side.queues):
            return True
        if limit is not None and any(t.escaped_per_month_exact > limit for t in side.trust):
            return True
    return False
