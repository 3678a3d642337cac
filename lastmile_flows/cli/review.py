"""Commands for the people around a redesign: the committee report, the review check, and the
text form git diffs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lastmile_flows.cli.common import (
    backend_option,
    comparison_options,
    exit_input_error,
    load_comparison,
    severity_overrides,
    write_output,
)
from lastmile_flows.cli.group import main
from lastmile_flows.config import FAIL_ON, read_config
from lastmile_flows.errors import LastmileError
from lastmile_flows.exitcodes import ExitCode

__all__ = ["check", "report", "textconv"]


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here (default: stdout)."
)
@comparison_options
@backend_option("Graphviz to draw the diagrams with.")
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
        comparison = load_comparison(paths, volume, hours_per_fte, severities, read_config())
        page = committee_report(
            comparison, backend=backend, source=" and ".join(Path(p).name for p in paths)
        )
    except LastmileError as error:
        exit_input_error(error)
    if output is None:
        click.echo(page, nl=False)
    else:
        write_output(output, page)
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
            severity={**config.severity, **severity_overrides(severities)},
            svgs=not no_svgs,
            out=out,
        )
    except LastmileError as error:
        exit_input_error(error)
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
    svgs = f"{report.svgs} SVGs"
    if not report.svgs_checked:
        svgs = "SVGs not checked" + ("" if no_svgs else " (a model does not load)")
    threshold = "findings never fail" if level == "never" else f"findings fail at {level}"
    summary = (
        f"{report.models} models in {report.files} files, {svgs} ({threshold}): "
        f"{failing} failing, {below} more not failing"
    )
    click.echo(summary, err=True)
    if any(issue.code == "svg" for issue in report.issues):
        click.echo(f"redraw the SVGs: lastmile render {' '.join(paths)}", err=True)
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
