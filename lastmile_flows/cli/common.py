"""What the commands share: loading a comparison, its options, input errors, output files."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import click

from lastmile_flows.analysis import Comparison, compare
from lastmile_flows.atomic import write_atomic
from lastmile_flows.config import Config
from lastmile_flows.errors import InvalidModelError, LastmileError
from lastmile_flows.exitcodes import ExitCode
from lastmile_flows.files import load, load_pair
from lastmile_flows.model import Redesign
from lastmile_flows.render.backend import BACKENDS

__all__ = [
    "Command",
    "backend_option",
    "comparison_options",
    "exit_input_error",
    "load_comparison",
    "notes",
    "severity_overrides",
    "write_output",
]


@contextmanager
def notes() -> Iterator[None]:
    """Print what a BPMN import noted (warnings) on stderr, after the command's own output."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for warning in caught:
                click.echo(f"note: {warning.message}", err=True)


def exit_input_error(error: LastmileError) -> NoReturn:
    """Unreadable or invalid input: the problems (every one, for an invalid model), exit 2."""
    click.echo(str(error) if isinstance(error, InvalidModelError) else f"error: {error}", err=True)
    sys.exit(ExitCode.USAGE)


def write_output(output: str, data: str | bytes, *, what: str = "") -> None:
    """Write an output file atomically; a write that fails is an input error (exit 2)."""
    try:
        write_atomic(output, data)
    except OSError as error:
        click.echo(f"error: cannot write {output}: {error.strerror or error}", err=True)
        sys.exit(ExitCode.USAGE)
    click.echo(f"wrote {output}{what}", err=True)


Command = TypeVar("Command", bound=Callable[..., None])


def comparison_options(command: Command) -> Command:
    """``--volume``, ``--hours-per-fte`` and ``--severity``: what ``compare`` takes."""
    for option in reversed(
        [
            click.option(
                "--volume",
                type=click.FloatRange(min=0),
                help="Cases per month (overrides the file).",
            ),
            click.option(
                "--hours-per-fte",
                type=click.FloatRange(min=0, min_open=True),
                help="Hours per FTE-month.",
            ),
            click.option(
                "--severity",
                "severities",
                multiple=True,
                metavar="RULE=LEVEL",
                help="Override a rule's severity (repeatable), e.g. "
                "edge_case.carried_implicitly=warning.",
            ),
        ]
    ):
        command = option(command)
    return command


def backend_option(help: str) -> Callable[[Command], Command]:
    return click.option(
        "--backend", type=click.Choice(list(BACKENDS)), default="wasm", show_default=True, help=help
    )


def severity_overrides(values: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for value in values:
        name, sep, level = value.partition("=")
        if not sep:
            raise click.BadParameter(f"{value!r}: use RULE=LEVEL, e.g. edge_case.no_owner=warning")
        overrides[name.strip()] = level.strip()
    return overrides


def load_comparison(
    paths: tuple[str, ...],
    volume: float | None,
    hours_per_fte: float | None,
    severities: tuple[str, ...],
    config: Config,
) -> Comparison:
    """The comparison of REDESIGN_FILE, or of CURRENT REDESIGNED (input errors propagate),
    with the severities of ``config`` overridden by ``severities``."""
    options: dict[str, Any] = {
        "volume_per_month": volume,
        "hours_per_fte_month": hours_per_fte,
        "severity": {**config.severity, **severity_overrides(severities)},
    }
    if len(paths) == 1:
        with notes():
            model = load(paths[0])
        if not isinstance(model, Redesign):
            raise click.UsageError(
                f"{paths[0]} holds one process; give a redesign file, or CURRENT REDESIGNED"
            )
        return compare(model, **options)
    if len(paths) == 2:
        with notes():
            pair = load_pair(paths[0], paths[1])
        return compare(pair.current, pair.redesigned, **options)
    raise click.UsageError("give one redesign file, or a current and a redesigned file")
