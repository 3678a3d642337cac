"""The ``lastmile`` command: thin wrappers over library functions.

Data goes to stdout, messages to stderr. Exit codes are in :mod:`lastmile_flows.exitcodes`.
"""

from __future__ import annotations

import sys

import click

from lastmile_flows.errors import InvalidModelError, LastmileError
from lastmile_flows.exitcodes import ExitCode
from lastmile_flows.files import discover, load_all
from lastmile_flows.model import problems
from lastmile_flows.schema import file_schema_json
from lastmile_flows.summary import summarise

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lastmile_flows")
def main() -> None:
    """Compare a current-state process with its AI redesign, and find who owns every failure."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--strict", is_flag=True, help="Treat warnings as problems (exit 1).")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summaries.")
def validate(paths: tuple[str, ...], strict: bool, quiet: bool) -> None:
    """Check model files (YAML, JSON, Python) and folders of them.

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
def schema() -> None:
    """Print the JSON Schema of model files (for editors and CI)."""
    click.echo(file_schema_json(), nl=False)
