"""``lastmile log summary | discover | calibrate | conform``: evidence from event logs."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from lastmile_flows.cli.common import echo, emit, exit_input_error, notes, write_output
from lastmile_flows.cli.exitcodes import ExitCode
from lastmile_flows.cli.group import main
from lastmile_flows.cli.options import Command, model_argument
from lastmile_flows.errors import LastmileError, LogError
from lastmile_flows.limits import DEFAULT_MEMORY_LIMIT, checked_size

__all__ = ["log"]

# The arguments and options more than one ``log`` command takes, declared once.
log_argument = click.argument(
    "log_path", metavar="LOG", type=click.Path(exists=True, dir_okay=False)
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
)
output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here (.yaml, .json)."
)
map_option = click.option(
    "--map",
    "mapping",
    type=click.Path(exists=True, dir_okay=False),
    help="YAML: activities to step or edge-case ids, resources to role ids.",
)


@main.group(context_settings={"show_default": True})
def log() -> None:
    """Evidence from event logs (CSV, Parquet, XES): summarise a log, draft a model from it,
    calibrate a model's numbers with their evidence, check a model against practice."""


def log_options(command: Command) -> Command:
    """The options of ``read_log``: its columns, for logs whose columns have other names, the
    time format, and the engine's memory cap and threads."""
    columns = [
        ("--case", "case", "the case id"),
        ("--activity", "activity", "the activity"),
        ("--start", "start", "the start time"),
        ("--end", "end", "the (completion) timestamp"),
        ("--resource", "resource", "the resource (who did it)"),
        ("--role", "role", "the role or group"),
        ("--lifecycle", "lifecycle", "the lifecycle transition (start/complete)"),
    ]
    options: list[Callable[[Command], Command]] = [
        click.option(flag, name, metavar="COLUMN", help=f"The column holding {what}.")
        for flag, name, what in columns
    ]
    options.append(
        click.option(
            "--time-format",
            metavar="FORMAT",
            help="strptime codes for times in another spelling, e.g. '%d.%m.%Y %H:%M'.",
        )
    )
    options.append(
        click.option(
            "--memory-limit",
            metavar="SIZE",
            default=DEFAULT_MEMORY_LIMIT,
            callback=_size,
            help="The query engine's memory cap (e.g. 4GB); past it, it spills to the temp "
            "folder, so a log larger than memory still reads.",
        )
    )
    options.append(
        click.option(
            "--threads",
            type=click.IntRange(min=1),
            help="Threads for the query engine [default: one per core].",
        )
    )
    for option in reversed(options):
        command = option(command)
    return command


def _size(context: click.Context, parameter: click.Parameter, value: str) -> str:
    try:
        checked_size(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    return value


@contextmanager
def _input_errors() -> Iterator[None]:
    """Every failure to read or query a log is exit 2 with a message, never a traceback."""
    import duckdb

    from lastmile_flows.evidence.engine import first_line

    try:
        yield
    except LastmileError as error:
        exit_input_error(error)
    except duckdb.OutOfMemoryException as error:
        exit_input_error(
            LogError(
                f"the query engine ran out of memory ({first_line(error)}): give "
                "--memory-limit a larger size, or fewer --threads"
            )
        )
    except duckdb.Error as error:
        exit_input_error(LogError(f"the query engine failed: {first_line(error)}"))
    except (OSError, MemoryError) as error:
        exit_input_error(LogError(f"{type(error).__name__}: {error}"))


def _read(path: str, options: dict[str, Any]) -> Any:
    from lastmile_flows.evidence import read_log

    log_log = read_log(path, **options)
    for bad in log_log.bad_rows:
        echo(
            f"note: {path}: {bad.count:,} rows left out: {bad.reason} (first at data row "
            f"{bad.first_line:,})",
            err=True,
        )
    return log_log


def _mapping(path: str | None) -> dict[str, Any] | None:
    if path is None:
        return None
    from lastmile_flows.evidence.mapping import read_mapping

    return read_mapping(path)


@log.command("summary")
@log_argument
@format_option
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=10,
    help="How many variants to list.",
)
@log_options
def summary(log_path: str, fmt: str, top: int, **options: Any) -> None:
    """Cases, events, activities, variants, resources, time span, throughput per month and
    what timing the log has. Exit 0, or 2 when the log cannot be read."""
    from lastmile_flows.evidence.summary import summarise_log

    with _input_errors():
        result = summarise_log(_read(log_path, options), top=top)
    text = {"text": result.to_text, "json": result.to_json, "markdown": result.to_markdown}[fmt]()
    emit(text)
    sys.exit(ExitCode.OK)


@log.command("discover")
@log_argument
@output_option
@click.option("--id", "process_id", metavar="ID", help="The process id (default: from the file).")
@click.option("--name", default="", show_default=False, help="The process name.")
@click.option(
    "--min-activity-share",
    type=click.FloatRange(0, 1),
    default=0.05,
    help="An activity in fewer cases than this share is an edge case, not a step.",
)
@click.option(
    "--min-flow-share",
    type=click.FloatRange(0, 1),
    default=0.05,
    help="A flow taken by fewer of its source's passes than this share is left out.",
)
@click.option("--max-edge-cases", type=click.IntRange(min=0), default=20)
@log_options
def discover(
    log_path: str,
    output: str | None,
    process_id: str | None,
    name: str,
    min_activity_share: float,
    min_flow_share: float,
    max_edge_cases: int,
    **options: Any,
) -> None:
    """Draft a current-state model from a log: steps, flows and gateways with their
    probabilities, lanes, rework loops, rare activities as candidate edge cases, every number
    with its evidence. What was left out is listed on stderr and in the model's notes."""
    from lastmile_flows.evidence.discover import discover_process

    with _input_errors():
        found = discover_process(
            _read(log_path, options),
            process_id=process_id,
            name=name,
            min_activity_share=min_activity_share,
            min_flow_share=min_flow_share,
            max_edge_cases=max_edge_cases,
        )
    for line in found.left_out:
        echo(f"left out: {line}", err=True)
    for line in found.calibration.notes:
        echo(f"note: {line}", err=True)
    _write(found.process, output, f" ({len(found.process.steps)} steps)")
    sys.exit(ExitCode.OK)


def _write(model: Any, output: str | None, what: str) -> None:
    from lastmile_flows.files import dump

    if output is None:
        emit(dump(model))
    else:
        write_output(
            output,
            dump(model, format="json" if output.endswith(".json") else "yaml"),
            default_name=f"{model.id}.yaml",
            what=what,
        )


@log.command("calibrate")
@model_argument
@log_argument
@map_option
@output_option
@click.option(
    "--min-observations",
    type=click.IntRange(min=1),
    default=5,
    help="Fewer observations than this leave a figure as assumed.",
)
@log_options
def calibrate(
    model_path: str,
    log_path: str,
    mapping: str | None,
    output: str | None,
    min_observations: int,
    **options: Any,
) -> None:
    """Replace a model's assumed numbers with ones measured in LOG, each with its evidence
    (log, cases, median/mean/P90, 95% interval). A redesign's current process is calibrated,
    and its monthly volume. Figures left as assumed, and why, are listed on stderr."""
    from lastmile_flows.evidence.calibrate import calibrate as run
    from lastmile_flows.files import load

    with _input_errors():
        with notes():
            model = load(model_path)
        result = run(
            model,
            _read(log_path, options),
            mapping=_mapping(mapping),
            min_observations=min_observations,
        )
    for line in result.notes:
        echo(f"note: {line}", err=True)
    _write(result.model, output, f" ({len(result.evidence)} figures measured)")
    sys.exit(ExitCode.OK)


@log.command("conform")
@model_argument
@log_argument
@map_option
@format_option
@click.option(
    "--svg",
    "svg",
    type=click.Path(dir_okay=False),
    help="Also write the diagram with skipped steps shaded and workarounds drawn.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 1),
    default=None,
    help="Exit 1 when the fitting share is below this (e.g. 0.9).",
)
@log_options
def conform(
    model_path: str,
    log_path: str,
    mapping: str | None,
    fmt: str,
    svg: str | None,
    fail_under: float | None,
    **options: Any,
) -> None:
    """Check a model against practice: steps practice skips, activities it does that the
    model lacks (workarounds), steps out of place, deviating paths and the share of cases
    that fit. For a redesign, its current process is checked, and frequent workarounds next to
    steps the redesign automates are reported as findings (LM601)."""
    from lastmile_flows.evidence.conform import conform as run
    from lastmile_flows.evidence.mapping import map_activities
    from lastmile_flows.evidence.practice import practice_findings
    from lastmile_flows.files import load
    from lastmile_flows.model import Redesign

    with _input_errors():
        with notes():
            model = load(model_path)
        process = model.current if isinstance(model, Redesign) else model
        event_log = _read(log_path, options)
        activities = [str(row[0]) for row in event_log.query("activities")]
        chosen = map_activities(process, activities, given=_mapping(mapping))
        result = run(process, event_log, mapping=chosen)
        findings = practice_findings(model, result) if isinstance(model, Redesign) else []
        picture = None
        if svg is not None:
            from lastmile_flows.evidence.overlay import conformance_svg

            picture = conformance_svg(process, result)
    for line in chosen.notes:
        echo(f"note: {line}", err=True)
    text = {"text": result.to_text, "json": result.to_json, "markdown": result.to_markdown}[fmt]()
    emit(text)
    for finding in findings:
        echo(f"{finding.severity} {finding.code} {finding.name}: {finding.message}", err=True)
    if picture is not None and svg is not None:
        write_output(svg, picture, default_name="conformance.svg", what=" (conformance overlay)")
    failed = fail_under is not None and result.fitting_share < fail_under
    sys.exit(ExitCode.FINDINGS if failed else ExitCode.OK)
