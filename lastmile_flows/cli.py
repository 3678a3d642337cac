"""The ``lastmile`` command: thin wrappers over library functions.

Data goes to stdout, messages to stderr. Exit codes are in :mod:`lastmile_flows.exitcodes`.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from lastmile_flows.analysis import Comparison, compare
from lastmile_flows.atomic import write_atomic
from lastmile_flows.config import FAIL_ON, read_config
from lastmile_flows.errors import InvalidModelError, LastmileError
from lastmile_flows.exitcodes import ExitCode
from lastmile_flows.files import discover, dump, load, load_all, load_pair
from lastmile_flows.model import Redesign, problems
from lastmile_flows.render.backend import BACKENDS
from lastmile_flows.render.batch import plan, render_targets, stale
from lastmile_flows.report import comparison_schema
from lastmile_flows.schema import file_schema_json
from lastmile_flows.summary import summarise

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lastmile_flows")
def main() -> None:
    """Compare a current-state process with its AI redesign, and find who owns every failure."""


@contextmanager
def _notes() -> Iterator[None]:
    """Print what a BPMN import noted (warnings) on stderr, after the command's own output."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for warning in caught:
                click.echo(f"note: {warning.message}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--strict", is_flag=True, help="Treat warnings as problems (exit 1).")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summaries.")
def validate(paths: tuple[str, ...], strict: bool, quiet: bool) -> None:
    """Check model files (YAML, JSON, Python, BPMN) and folders of them.

    Exit 0 when all are valid, 1 when any is invalid (problems on stderr), 2 when a file
    cannot be read.
    """
    worst = ExitCode.OK
    files = discover(paths)
    if not files:
        click.echo(f"no model files ({', '.join(paths)})", err=True)
        sys.exit(ExitCode.USAGE)
    for file in files:
        try:
            with _notes():
                loaded = load_all(file)
        except InvalidModelError as error:
            click.echo(f"{file}: invalid", err=True)
            for problem in error.problems:
                click.echo(f"  {problem}", err=True)
            worst = max(worst, ExitCode.FINDINGS)
            continue
        except LastmileError as error:
            click.echo(f"error: {error}", err=True)
            worst = max(worst, ExitCode.USAGE)
            continue
        for item in loaded:
            warnings = problems(item.model)
            for problem in warnings:
                click.echo(f"  {item.source}: {problem}", err=True)
            if strict and warnings:
                worst = max(worst, ExitCode.FINDINGS)
            if not quiet:
                click.echo(f"{item.source}: ok")
                for line in summarise(item.model):
                    click.echo(f"  {line}")
    sys.exit(worst)


@main.command()
@click.argument("kind", type=click.Choice(["model", "comparison"]), default="model")
def schema(kind: str) -> None:
    """Print a JSON Schema: of model files (default, for editors), or of `diff --format json`."""
    if kind == "model":
        click.echo(file_schema_json(), nl=False)
    else:
        click.echo(json.dumps(comparison_schema(), indent=2) + "\n", nl=False)


def _exit_input_error(error: LastmileError) -> NoReturn:
    """Unreadable or invalid input: the problems (every one, for an invalid model), exit 2."""
    click.echo(str(error) if isinstance(error, InvalidModelError) else f"error: {error}", err=True)
    sys.exit(ExitCode.USAGE)


def _write(output: str, data: str | bytes, *, what: str = "") -> None:
    """Write an output file atomically; a write that fails is an input error (exit 2)."""
    try:
        write_atomic(output, data)
    except OSError as error:
        click.echo(f"error: cannot write {output}: {error.strerror or error}", err=True)
        sys.exit(ExitCode.USAGE)
    click.echo(f"wrote {output}{what}", err=True)


_Command = TypeVar("_Command", bound=Callable[..., None])


def _comparison_options(command: _Command) -> _Command:
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


def _backend_option(help: str) -> Callable[[_Command], _Command]:
    return click.option(
        "--backend", type=click.Choice(list(BACKENDS)), default="wasm", show_default=True, help=help
    )


def _severity_option(values: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for value in values:
        name, sep, level = value.partition("=")
        if not sep:
            raise click.BadParameter(f"{value!r}: use RULE=LEVEL, e.g. edge_case.no_owner=warning")
        overrides[name.strip()] = level.strip()
    return overrides


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
@_comparison_options
def diff(
    paths: tuple[str, ...],
    output_format: str,
    fail_on: str | None,
    volume: float | None,
    hours_per_fte: float | None,
    severities: tuple[str, ...],
) -> None:
    """Compare a redesign: REDESIGN_FILE, or CURRENT REDESIGNED.

    Prints what each step becomes, the failure-ownership findings and the workload figures.
    Exit 0 when no finding reaches --fail-on, 1 when one does, 2 for unreadable or invalid input.
    """
    try:
        comparison = _comparison(paths, volume, hours_per_fte, severities)
        config = read_config()
    except LastmileError as error:
        _exit_input_error(error)
    render = {
        "text": comparison.to_text,
        "json": comparison.to_json,
        "markdown": comparison.to_markdown,
    }[output_format]
    click.echo(render(), nl=False)
    level = fail_on or config.fail_on
    if level != "never" and comparison.findings_at_or_above(level):  # type: ignore[arg-type]
        sys.exit(ExitCode.FINDINGS)
    sys.exit(ExitCode.OK)


def _comparison(
    paths: tuple[str, ...],
    volume: float | None,
    hours_per_fte: float | None,
    severities: tuple[str, ...],
) -> Comparison:
    """The comparison of REDESIGN_FILE, or of CURRENT REDESIGNED (input errors propagate)."""
    config = read_config()
    options: dict[str, Any] = {
        "volume_per_month": volume,
        "hours_per_fte_month": hours_per_fte,
        "severity": {**config.severity, **_severity_option(severities)},
    }
    if len(paths) == 1:
        with _notes():
            model = load(paths[0])
        if not isinstance(model, Redesign):
            raise click.UsageError(
                f"{paths[0]} holds one process; give a redesign file, or CURRENT REDESIGNED"
            )
        return compare(model, **options)
    if len(paths) == 2:
        with _notes():
            pair = load_pair(paths[0], paths[1])
        return compare(pair.current, pair.redesigned, **options)
    raise click.UsageError("give one redesign file, or a current and a redesigned file")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here (default: stdout)."
)
@_comparison_options
@_backend_option("Graphviz to draw the diagrams with.")
def report(
    paths: tuple[str, ...],
    output: str | None,
    volume: float | None,
    hours_per_fte: float | None,
    severities: tuple[str, ...],
    backend: str,
) -> None:
    """Write the committee report of a redesign: one self-contained HTML file.

    REDESIGN_FILE, or CURRENT REDESIGNED. Headline numbers, who owns the failures and what
    to do, the before / after / diff diagrams, the step table and the assumptions; prints on
    A4 landscape. Exit 0 when written, 2 for unreadable or invalid input.
    """
    from lastmile_flows.publish import committee_report

    try:
        comparison = _comparison(paths, volume, hours_per_fte, severities)
        page = committee_report(
            comparison, backend=backend, source=" and ".join(Path(p).name for p in paths)
        )
    except LastmileError as error:
        _exit_input_error(error)
    if output is None:
        click.echo(page, nl=False)
    else:
        _write(output, page)
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
@_backend_option(
    "Graphviz to lay out with: wasm (built in, same bytes everywhere) or the system dot."
)
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Processes to draw with [default: all cores]."
)
def render(
    paths: tuple[str, ...], out: str | None, check: bool, backend: str, jobs: int | None
) -> None:
    """Draw every process and redesign under PATHS as SVG.

    A process gives NAME.svg; a redesign gives NAME.before.svg, NAME.after.svg, NAME.diff.svg
    and NAME.side-by-side.svg. Files whose content would not change are left untouched.
    Exit 0 when done (or, with --check, when every SVG is current), 1 when --check finds
    stale or missing SVGs, 2 for unreadable or invalid models or a failed drawing.
    """
    try:
        with _notes():
            targets = plan(paths, out)
    except LastmileError as error:
        _exit_input_error(error)
    if not targets:
        click.echo(f"no model files ({', '.join(paths)})", err=True)
        sys.exit(ExitCode.USAGE)
    if check:
        found = stale(targets, backend)
        for target, reason in found:
            click.echo(f"{target.path}: {reason} (from {target.source})", err=True)
        if found:
            click.echo(
                f"{len(found)} of {len(targets)} SVGs need drawing: lastmile render "
                + " ".join(paths),
                err=True,
            )
            sys.exit(ExitCode.FINDINGS)
        click.echo(f"{len(targets)} SVGs up to date", err=True)
        sys.exit(ExitCode.OK)
    changed = count = 0
    interactive = sys.stderr.isatty()

    def done(path: object, was_changed: bool) -> None:
        nonlocal changed, count
        changed += was_changed
        count += 1
        if interactive:
            click.echo(f"\rdrawing {count}/{len(targets)}", nl=False, err=True)
        elif was_changed:
            click.echo(f"wrote {path}", err=True)

    try:
        render_targets(targets, backend=backend, jobs=jobs, done=done)
    except LastmileError as error:
        click.echo(f"\nerror: {error}", err=True)
        sys.exit(ExitCode.USAGE)
    if interactive:
        click.echo("", err=True)
    folders = sorted({str(target.path.parent) for target in targets})
    click.echo(f"{len(targets)} SVGs in {', '.join(folders)} ({changed} changed)", err=True)
    sys.exit(ExitCode.OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON)),
    default=None,
    help="Fail on audit findings of this severity or worse [default: from config, else error].",
)
@click.option(
    "--severity",
    "severities",
    multiple=True,
    metavar="RULE=LEVEL",
    help="Override a rule's severity (repeatable).",
)
@click.option("--no-svgs", is_flag=True, help="Do not check that the SVGs are current.")
@click.option(
    "--out", type=click.Path(file_okay=False), help="Where the SVGs are (as for render --out)."
)
def check(
    paths: tuple[str, ...],
    fail_on: str | None,
    severities: tuple[str, ...],
    no_svgs: bool,
    out: str | None,
) -> None:
    """Check model files for review: valid, audited, diagrams current. One exit code.

    Every model under PATHS must load (problems listed), each redesign's audit must have no
    finding at --fail-on or worse, and every SVG `lastmile render` would write must be
    current. Exit 0 when all pass, 1 when something fails, 2 when a file cannot be read.
    For pre-commit hooks and CI.
    """
    from lastmile_flows.publish.check import check as run_check

    try:
        config = read_config()
        level = fail_on or config.fail_on
        report = run_check(
            paths,
            fail_on=level,  # type: ignore[arg-type]
            severity={**config.severity, **_severity_option(severities)},
            svgs=not no_svgs,
            out=out,
        )
    except LastmileError as error:
        _exit_input_error(error)
    if not report.files:
        click.echo(f"no model files ({', '.join(paths)})", err=True)
        sys.exit(ExitCode.USAGE)
    for reason in report.unreadable:
        click.echo(f"error: {reason}", err=True)
    for issue in report.issues:
        if issue.fails:
            click.echo(str(issue))
    below = sum(1 for issue in report.issues if not issue.fails)
    failing = sum(1 for issue in report.issues if issue.fails)
    svgs = "SVGs not checked" if no_svgs else f"{report.svgs} SVGs"
    threshold = "findings never fail" if level == "never" else f"findings fail at {level}"
    summary = (
        f"{report.models} models in {report.files} files, {svgs} ({threshold}): "
        f"{failing} failing, {below} more not failing"
    )
    click.echo(summary, err=True)
    if report.unreadable:
        sys.exit(ExitCode.USAGE)
    sys.exit(ExitCode.FINDINGS if report.failed else ExitCode.OK)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
def textconv(file: str) -> None:
    """Print a model file (YAML, JSON, Python, BPMN) as text, one element per line.

    For git: with `*.yaml diff=lastmile` in .gitattributes and `git config diff.lastmile.textconv
    "lastmile textconv"`, `git diff` shows which step, role or edge case changed. A file that is
    not a readable model is printed as written. Exit 0 always (git needs the text).
    """
    from lastmile_flows.publish.textform import textconv as text_of

    click.echo(text_of(file), nl=False)
    sys.exit(ExitCode.OK)


@main.group()
def bpmn() -> None:
    """BPMN 2.0 interchange: import from modeling tools, export with layout."""


@bpmn.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here (.yaml or .json)."
)
@click.option("--process", "pool", metavar="ID", help="Import only this pool (participant id).")
def bpmn_import(file: str, output: str | None, pool: str | None) -> None:
    """Read a BPMN file into a process model (YAML on stdout, or -o FILE).

    What the model does not carry (data objects, vendor extensions, durations, ...) is listed
    as notes on stderr, each naming the element. Exit 0 when imported, 2 when it cannot be.
    """
    from lastmile_flows.bpmn import import_bpmn

    try:
        result = import_bpmn(file, process=pool)
    except LastmileError as error:
        _exit_input_error(error)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if output is None:
        click.echo(dump(result.process), nl=False)
    else:
        _write(
            output,
            dump(result.process, format="json" if output.endswith(".json") else "yaml"),
            what=f" ({len(result.notes)} notes)",
        )
    sys.exit(ExitCode.OK)


@bpmn.command("export")
@click.argument("model_path", metavar="MODEL", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (.bpmn).")
@click.option(
    "--which",
    type=click.Choice(["current", "redesigned"]),
    default="redesigned",
    show_default=True,
    help="For a redesign: which process to export.",
)
@_backend_option("Graphviz for the layout (BPMNDI).")
def bpmn_export(model_path: str, output: str | None, which: str, backend: str) -> None:
    """Write a process (or one process of a redesign) as BPMN 2.0 with diagram layout.

    Camunda Modeler, bpmn.io and other tools open it; `lastmile bpmn import` reads it back
    into an equal model. Exit 0 when written, 2 for unreadable or invalid input.
    """
    from lastmile_flows.bpmn import write_bpmn

    try:
        with _notes():
            model = load(model_path)
        data = write_bpmn(model, which=which, backend=backend)
    except LastmileError as error:
        _exit_input_error(error)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        what = f"the {which} process of {model_path}" if isinstance(model, Redesign) else model_path
        _write(output, data, what=f" ({what})")
    sys.exit(ExitCode.OK)
