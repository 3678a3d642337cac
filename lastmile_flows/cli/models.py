"""Commands on models: validate, schema, diff, render."""

from __future__ import annotations

import shlex
import sys
from typing import TYPE_CHECKING, NoReturn

import click

from lastmile_flows.cli.common import echo, emit, exit_input_error, load_comparison, notes
from lastmile_flows.cli.config import FAIL_ON, read_config
from lastmile_flows.cli.exitcodes import ExitCode
from lastmile_flows.cli.group import main
from lastmile_flows.cli.options import backend_option, comparison_options
from lastmile_flows.discovery import discover
from lastmile_flows.errors import SHOWN_PROBLEMS, InvalidModelError, LastmileError
from lastmile_flows.escape import json_text
from lastmile_flows.numbers import plural
from lastmile_flows.render.raster import SCALES
from lastmile_flows.review.fresh import FORMATS

if TYPE_CHECKING:
    from lastmile_flows.review.batch import Drawn, Target

__all__ = ["diff", "render", "schema", "validate"]


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--strict", is_flag=True, help="Treat warnings as problems (exit 1).")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summaries.")
def validate(paths: tuple[str, ...], strict: bool, quiet: bool) -> None:
    """Check model files (YAML, JSON, Python, BPMN) and folders of them.

    Exit 0 when all are valid, 1 when any is invalid (problems on stderr), 2 when a file
    cannot be read.
    """
    from lastmile_flows.cli.summary import summarise
    from lastmile_flows.files import load_all

    worst = ExitCode.OK
    try:
        python = read_config().run_python
    except LastmileError as error:
        exit_input_error(error)
    files = discover(paths)
    if not files:
        echo(f"no model files ({', '.join(paths)})", err=True)
        sys.exit(ExitCode.USAGE)
    for file in files:
        try:
            with notes():
                loaded = load_all(file, python=python)
        except InvalidModelError as error:
            echo(f"{file}: invalid", err=True)
            for problem in error.problems[:SHOWN_PROBLEMS]:
                echo(f"  {problem}", err=True)
            if len(error.problems) > SHOWN_PROBLEMS:
                hidden = len(error.problems) - SHOWN_PROBLEMS
                echo(f"  ... and {hidden:,} more (fix these first)", err=True)
            worst = max(worst, ExitCode.FINDINGS)
            continue
        except LastmileError as error:
            echo(f"error: {error}", err=True)
            worst = max(worst, ExitCode.USAGE)
            continue
        for item in loaded:
            warnings = item.warnings
            for problem in warnings:
                echo(f"  {problem}", err=True)
            if strict and warnings:
                worst = max(worst, ExitCode.FINDINGS)
                rules = ", ".join(dict.fromkeys(p.rule for p in warnings))
                echo(
                    f"{item.source}: fails --strict: {plural(len(warnings), 'warning')} ({rules})",
                    err=True,
                )
            elif not quiet:
                echo(f"{item.source}: ok")
            if not quiet:
                for line in summarise(item.model):
                    echo(f"  {line}")
    sys.exit(worst)


@main.command()
@click.argument("kind", type=click.Choice(["model", "comparison"]), default="model")
def schema(kind: str) -> None:
    """Print a JSON Schema: of model files (default, for editors), or of `diff --format json`."""
    if kind == "model":
        from lastmile_flows.schema import file_schema_json

        emit(file_schema_json())
    else:
        from lastmile_flows.report import comparison_schema

        emit(json_text(comparison_schema()))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="How to print the comparison.",
)
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON)),
    default=None,
    help="Exit 1 when a finding has this severity or worse [default: from config, else error].",
)
@comparison_options
def diff(
    paths: tuple[str, ...],
    output_format: str,
    fail_on: str | None,
    volume: float | None,
    hours_per_day: float | None,
    hours_per_fte: float | None,
    severities: tuple[str, ...],
) -> None:
    """Compare a redesign: REDESIGN_FILE, or CURRENT REDESIGNED.

    Prints what each step becomes, the failure-ownership findings and the workload figures.
    Exit 0 when no finding reaches --fail-on, 1 when one does, 2 for unreadable or invalid input.
    """
    try:
        config = read_config()
        comparison = load_comparison(
            paths, volume, hours_per_fte, severities, config, hours_per_day
        )
    except LastmileError as error:
        exit_input_error(error)
    render = {
        "text": comparison.to_text,
        "json": comparison.to_json,
        "markdown": comparison.to_markdown,
    }[output_format]
    if output_format == "text":
        echo(render(), nl=False)
    else:
        emit(render())
    level = fail_on or config.fail_on
    if level != "never" and comparison.findings_at_or_above(level):  # type: ignore[arg-type]
        sys.exit(ExitCode.FINDINGS)
    sys.exit(ExitCode.OK)


def _check_rendered(
    paths: tuple[str, ...], out: str | None, *, python: bool, fmt: str, scale: float, backend: str
) -> NoReturn:
    """``render --check``: list what is missing or stale, exit 0 or 1 (2: a model unread).
    When every model file is settled by its bytes, no model is loaded (nor this code)."""
    from lastmile_flows.review.fresh import settle_under

    settled = settle_under(paths, out, python=python, fmt=fmt, scale=scale, backend=backend)
    _, count, everything = settled
    if everything and count:
        echo(f"{count} diagrams up to date", err=True)
        sys.exit(ExitCode.OK)
    from lastmile_flows.review.batch import stale_under

    try:
        with notes():
            count, found = stale_under(
                paths, out, python=python, fmt=fmt, scale=scale, backend=backend, settled=settled
            )
    except LastmileError as error:
        exit_input_error(error)
    if not count:
        echo(f"no model files ({', '.join(paths)})", err=True)
        sys.exit(ExitCode.USAGE)
    for target, reason in found:
        echo(f"{target.path}: {reason} (from {target.source})", err=True)
    if found:
        echo(
            f"{len(found)} of {count} diagrams need drawing: lastmile render "
            + " ".join(shlex.quote(path) for path in paths)
            + (f" --format png --scale {scale:g}" if fmt == "png" else ""),
            err=True,
        )
        sys.exit(ExitCode.FINDINGS)
    echo(f"{count} diagrams up to date", err=True)
    sys.exit(ExitCode.OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Write the SVGs under this folder (default: next to each model).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 listing SVGs that are missing or stale. Needs no Graphviz.",
)
@backend_option(
    "Graphviz to lay out with: wasm (built in, same bytes everywhere) or the system dot."
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Processes to draw with [default: all cores]."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="svg",
    show_default=True,
    help="SVG, or PNG drawn with the fonts shipped with lastmile_flows (same bytes everywhere).",
)
@click.option(
    "--scale",
    type=click.FloatRange(*SCALES),
    default=1.0,
    show_default=True,
    help="PNG pixels per SVG unit (a slide is 1920x1080 at 1, 3840x2160 at 2).",
)
def render(
    paths: tuple[str, ...],
    out: str | None,
    check: bool,
    backend: str,
    jobs: int | None,
    fmt: str,
    scale: float,
) -> None:
    """Draw every process and redesign under PATHS as SVG (or PNG).

    A process gives NAME.svg; a redesign gives NAME.before.svg, NAME.after.svg, NAME.diff.svg,
    NAME.side-by-side.svg and its committee slide NAME.committee.svg (NAME.committee-1.svg,
    NAME.committee-2.svg, ... when it needs several); with --format png, the same names end in
    .png. Files whose content would not change are left untouched.
    Exit 0 when done (or, with --check, when every SVG is current), 1 when --check finds
    stale or missing SVGs, 2 for unreadable or invalid models or a failed drawing.
    """
    if fmt == "svg" and scale != 1.0:
        raise click.UsageError("--scale sets a PNG's size: give --format png with it")
    python = read_config().run_python
    if check:
        _check_rendered(paths, out, python=python, fmt=fmt, scale=scale, backend=backend)
    from lastmile_flows.review.batch import plan

    try:
        with notes():
            targets = plan(paths, out, python=python, fmt=fmt, scale=scale)
    except LastmileError as error:
        exit_input_error(error)
    if not targets:
        echo(f"no model files ({', '.join(paths)})", err=True)
        sys.exit(ExitCode.USAGE)
    progress = _draw_all(targets, backend=backend, jobs=jobs, fmt=fmt)
    folders = sorted({str(target.path.parent) for target in targets})
    echo(
        f"{len(targets)} diagrams ({progress.files} {fmt.upper()} files) in "
        f"{', '.join(folders)} ({progress.changed} changed)",
        err=True,
    )
    sys.exit(ExitCode.OK)


class _Progress:
    """What the drawn models wrote, counted, and said on stderr as each is done (on a
    terminal, a counter instead)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.changed = self.count = self.files = 0
        self.interactive = sys.stderr.isatty()

    def __call__(self, drawn: Drawn) -> None:
        self.changed += len(drawn.written) + len(drawn.removed)
        self.files += len(drawn.files)
        self.count += 1
        if self.interactive:
            click.echo(f"\rdrawing {self.count}/{self.total}", nl=False, err=True)
            return
        for path in drawn.written:
            echo(f"wrote {path}", err=True)
        for path in drawn.removed:
            echo(f"removed {path} (a slide no longer needed)", err=True)


def _draw_all(targets: list[Target], *, backend: str, jobs: int | None, fmt: str) -> _Progress:
    """Draw ``targets``, saying so as each is done; exit 2 when a drawing or a write fails
    (the files not yet written are as they were)."""
    from lastmile_flows.review.batch import render_targets

    progress = _Progress(len(targets))
    try:
        render_targets(targets, backend=backend, jobs=jobs, done=progress)
    except LastmileError as error:
        echo(f"\nerror: {error}", err=True)
        sys.exit(ExitCode.USAGE)
    except OSError as error:
        where = (
            f"cannot write {error.filename}"
            if error.filename
            else f"cannot write the {fmt.upper()} files"
        )
        echo(
            f"\nerror: {where}: {error.strerror or error} ({progress.count} of {len(targets)} "
            "diagrams drawn; the others are as they were)",
            err=True,
        )
        sys.exit(ExitCode.USAGE)
    if progress.interactive:
        echo("", err=True)
    return progress
