"""What the commands share: loading a comparison, input errors, output files.

The options and arguments they share are declared in :mod:`lastmile_flows.cli.options`.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

import click

from lastmile_flows.atomic import write_atomic
from lastmile_flows.cli.config import Config
from lastmile_flows.cli.exitcodes import ExitCode
from lastmile_flows.cli.options import severity_overrides
from lastmile_flows.errors import InvalidModelError, LastmileError
from lastmile_flows.escape import terminal_text

if TYPE_CHECKING:
    from lastmile_flows.analysis import Comparison

__all__ = [
    "echo",
    "emit",
    "exit_input_error",
    "load_comparison",
    "notes",
    "output_path",
    "write_output",
]


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` through :func:`lastmile_flows.escape.terminal_text`: a name holding an
    escape sequence, a carriage return or a bidi override shows as text, never acts on the
    terminal."""
    click.echo(terminal_text(text), err=err, nl=nl)


def emit(data: str) -> None:
    """Data (YAML, JSON, Markdown, HTML, a report) on stdout, exactly as made; each format
    escapes what it holds. On a terminal, anything a terminal could act on is shown as an
    escape too (a person reads it there; the bytes need not round-trip)."""
    if sys.stdout.isatty():
        data = terminal_text(data)
    click.echo(data, nl=False)


@contextmanager
def notes() -> Iterator[None]:
    """Print what a BPMN import noted (warnings) on stderr, after the command's own output."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for warning in caught:
                echo(f"note: {warning.message}", err=True)


def exit_input_error(error: LastmileError) -> NoReturn:
    """Unreadable or invalid input: the problems (every one, for an invalid model), exit 2."""
    echo(str(error) if isinstance(error, InvalidModelError) else f"error: {error}", err=True)
    sys.exit(ExitCode.USAGE)


def output_path(output: str, default_name: str) -> str:
    """Where ``-o`` writes: ``output`` itself, or ``default_name`` inside it when it names a
    folder (an existing one, or any path ending in a slash)."""
    if output.endswith(("/", os.sep)) or os.path.isdir(output):
        return os.path.join(output, default_name)
    return output


def write_output(output: str, data: str | bytes, *, default_name: str, what: str = "") -> None:
    """Write an output file atomically (a device or pipe is written through, never replaced;
    see :mod:`lastmile_flows.atomic`); a write that fails is an input error (exit 2)."""
    target = output_path(output, default_name)
    try:
        write_atomic(target, data)
    except BrokenPipeError:
        sys.exit(ExitCode.OK)  # the reader went away (-o /dev/stdout | head), as for stdout
    except OSError as error:
        echo(f"error: cannot write {target}: {error.strerror or error}", err=True)
        sys.exit(ExitCode.USAGE)
    echo(f"wrote {target}{what}", err=True)


def load_comparison(
    paths: tuple[str, ...],
    volume: float | None,
    hours_per_fte: float | None,
    severities: tuple[str, ...],
    config: Config,
    hours_per_day: float | None = None,
) -> Comparison:
    """The comparison of REDESIGN_FILE, or of CURRENT REDESIGNED (input errors propagate),
    with the severities of ``config`` overridden by ``severities``."""
    from lastmile_flows.analysis import compare
    from lastmile_flows.files import load, load_pair
    from lastmile_flows.model import Redesign

    options: dict[str, Any] = {
        "volume_per_month": volume,
        "hours_per_fte_month": hours_per_fte,
        "hours_per_working_day": hours_per_day,
        "severity": {**config.severity, **severity_overrides(severities)},
    }
    if len(paths) == 1:
        with notes():
            model = load(paths[0], python=config.run_python)
        if not isinstance(model, Redesign):
            raise click.UsageError(
                f"{paths[0]} holds one process; give a redesign file, or CURRENT REDESIGNED"
            )
        return compare(model, **options)
    if len(paths) == 2:
        with notes():
            pair = load_pair(paths[0], paths[1], python=config.run_python)
        return compare(pair.current, pair.redesigned, **options)
    raise click.UsageError("give one redesign file, or a current and a redesigned file")
