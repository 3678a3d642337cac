"""``lastmile bpmn import`` and ``lastmile bpmn export``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lastmile_flows.cli.common import echo, emit, exit_input_error, notes, write_output
from lastmile_flows.cli.config import read_config
from lastmile_flows.cli.exitcodes import ExitCode
from lastmile_flows.cli.group import main
from lastmile_flows.cli.options import backend_option, model_argument
from lastmile_flows.errors import LastmileError

__all__ = ["bpmn"]


@main.group()
def bpmn() -> None:
    """BPMN 2.0 interchange: import from modeling tools, export with layout."""


@bpmn.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Write here (.yaml or .json; a folder: FILE's name as .yaml in it).",
)
@click.option("--process", "pool", metavar="ID", help="Import only this pool (participant id).")
def bpmn_import(file: str, output: str | None, pool: str | None) -> None:
    """Read a BPMN file into a process model (YAML on stdout, or -o FILE).

    What the model does not carry (data objects, vendor extensions, durations, ...) is listed
    as notes on stderr, each naming the element. Exit 0 when imported, 2 when it cannot be.
    """
    from lastmile_flows.bpmn import import_bpmn
    from lastmile_flows.files import dump

    try:
        result = import_bpmn(file, process=pool)
    except LastmileError as error:
        exit_input_error(error)
    for note in result.notes:
        echo(f"note: {note}", err=True)
    if output is None:
        emit(dump(result.process))
    else:
        write_output(
            output,
            dump(result.process, format="json" if output.endswith(".json") else "yaml"),
            default_name=Path(file).name.split(".")[0] + ".yaml",
            what=f" ({len(result.notes)} notes)",
        )
    sys.exit(ExitCode.OK)


@bpmn.command("export")
@model_argument
@click.option(
    "-o", "--output", type=click.Path(), help="Write here (.bpmn; a folder: a name made in it)."
)
@click.option(
    "--which",
    type=click.Choice(["current", "redesigned"]),
    default="redesigned",
    show_default=True,
    help="For a redesign: which process to export.",
)
@backend_option("Graphviz for the layout (BPMNDI).")
def bpmn_export(model_path: str, output: str | None, which: str, backend: str) -> None:
    """Write a process (or one process of a redesign) as BPMN 2.0 with diagram layout.

    Camunda Modeler, bpmn.io and other tools open it; `lastmile bpmn import` reads it back
    into an equal model. Exit 0 when written, 2 for unreadable or invalid input.
    """
    from lastmile_flows.bpmn import write_bpmn
    from lastmile_flows.files import load
    from lastmile_flows.model import Redesign

    try:
        with notes():
            model = load(model_path, python=read_config().run_python)
        data = write_bpmn(model, which=which, backend=backend)
    except LastmileError as error:
        exit_input_error(error)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        stem = Path(model_path).name.split(".")[0]
        if isinstance(model, Redesign):
            what, name = f"the {which} process of {model_path}", f"{stem}.{which}.bpmn"
        else:
            what, name = model_path, f"{stem}.bpmn"
        write_output(output, data, default_name=name, what=f" ({what})")
    sys.exit(ExitCode.OK)
