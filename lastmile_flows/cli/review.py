"""Commands for the people around a redesign: the committee report, the review check, and the
text form git diffs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lastmile_flows.cli.common import echo, emit, exit_input_error, load_comparison, write_output
from lastmile_flows.cli.config import FAIL_ON, read_config
from lastmile_flows.cli.exitcodes import ExitCode
from lastmile_flows.cli.group import main
from lastmile_flows.cli.options import backend_option, comparison_options, severity_overrides
from lastmile_flows.errors import LastmileError

__all__ = ["check", "report", "textconv"]


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Write here (default: stdout; a folder: REDESIGN_FILE's name as .html in it).",
)
@comparison_options
@backend_option("Graphviz to draw the diagrams with.")
def report(
    paths: tuple[str, ...],
    output: str | None,
    volume: float | None,
    hours_per_day: float | None,
    hours_per_fte: float | None,
    severities: tuple[str, ...],
    backend: str,
) -> None:
    """Write the committee report of a redesign: one self-contained HTML file.

    REDESIGN_FILE, or CURRENT REDESIGNED. Headline numbers, who owns the failures and what
    to do, the before / after / diff diagrams, the step table and the assumptions; prints on
    A4 landscape. Exit 0 when written, 2 for unreadable or invalid input.
    """
    from lastmile_flows.report import committee_report

    try:
        comparison = load_comparison(
            paths, volume, hours_per_fte, severities, read_config(), hours_per_day
        )
        page = committee_report(
            comparison, backend=backend, source=" and ".join(Path(p).name for p in paths)
        )
    except LastmileError as error:
        exit_input_error(error)
    if output is None:
        emit(page)
    else:
        write_output(output, page, default_name=Path(paths[-1]).name.split(".")[0] + ".html")
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
@click.option(
    "--python/--no-python",
    "python",
    default=None,
    help="Run .py model files (in a child process with time and memory limits), or refuse "
    "them as failures [default: run_python from config, else run].",
)
def check(
    paths: tuple[str, ...],
    fail_on: str | None,
    severities: tuple[str, ...],
    no_svgs: bool,
    out: str | None,
    python: bool | None,
) -> None:
    """Check model files for review: valid, audited, diagrams current. One exit code.

    Every model under PATHS must load (problems listed), each redesign's audit must have no
    finding at --fail-on or worse, and every SVG `lastmile render` would write must be
    current. Every other file under PATHS is listed as skipped, with the reason. Exit 0 when
    all pass, 1 when something fails, 2 when a file cannot be read. For pre-commit hooks and
    CI.

    A .py model file is code: check runs it (in a child process whose exit and output cannot
    decide the verdict) unless --no-python or run_python = false says not to; then each .py
    model fails the check unread.
    """
    from lastmile_flows.review.check import check as run_check

    try:
        config = read_config()
        level = fail_on or config.fail_on
        report = run_check(
            paths,
            fail_on=level,  # type: ignore[arg-type]
            severity={**config.severity, **severity_overrides(severities)},
            svgs=not no_svgs,
            out=out,
            python=config.run_python if python is None else python,
        )
    except LastmileError as error:
        exit_input_error(error)
    for skipped in report.skipped:
        echo(f"skipped {skipped!s}", err=True)
    if not report.files:
        echo(f"no model files ({', '.join(paths)})", err=True)
        sys.exit(ExitCode.USAGE)
    for reason in report.unreadable:
        echo(f"error: {reason}", err=True)
    for issue in report.issues:
        if issue.fails:
            echo(str(issue))
    below = sum(1 for issue in report.issues if not issue.fails)
    failing = sum(1 for issue in report.issues if issue.fails)
    svgs = f"{report.svgs} diagrams"
    if not report.svgs_checked:
        svgs = "diagrams not checked"
    elif report.svgs_unchecked:
        svgs += f" (not those of {len(report.svgs_unchecked)} files that do not load)"
    threshold = "findings never fail" if level == "never" else f"findings fail at {level}"
    parts = f" (+{report.parts} read with their redesign)" if report.parts else ""
    unchecked = f", {len(report.skipped)} skipped" if report.skipped else ""
    summary = (
        f"{report.models} models in {report.files} files{parts}{unchecked}, {svgs} "
        f"({threshold}): {failing} failing, {below} more not failing"
    )
    echo(summary, err=True)
    if any(issue.code == "svg" for issue in report.issues):
        echo(f"redraw the SVGs: lastmile render {' '.join(paths)}", err=True)
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
    from lastmile_flows.review.textform import textconv as text_of

    emit(text_of(file))
    sys.exit(ExitCode.OK)


@main.command("pr-comment")
@click.argument("paths", nargs=-1)
@click.option("--base", required=True, help="The branch the pull request merges into.")
@click.option(
    "--python/--no-python",
    "python",
    default=None,
    help="Run .py models to compare them [default: run_python from config, else run].",
)
@click.option("-o", "--output", type=click.Path(), help="Write here (default: stdout).")
def pr_comment(paths: tuple[str, ...], base: str, python: bool | None, output: str | None) -> None:
    """Write the pull-request comment: what BASE...HEAD changes in the models under PATHS
    (default: processes/), and the comparison of every redesign in a changed folder.

    GitHub Markdown, every piece of user text escaped and fenced so that nothing in a pull
    request can end its block, mention anyone or post a link. Exit 0 when written, 2 when git
    or the paths cannot be read.
    """
    from lastmile_flows.review.prcomment import pull_request_comment

    try:
        config = read_config()
        text = pull_request_comment(
            base,
            list(paths) or ["processes/"],
            python=config.run_python if python is None else python,
        )
    except LastmileError as error:
        exit_input_error(error)
    if output is None:
        emit(text)
    else:
        write_output(output, text, default_name="comment.md")
    sys.exit(ExitCode.OK)
