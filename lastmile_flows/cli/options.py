"""The options and arguments more than one command takes, declared once, so that each reads and
is documented the same everywhere."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar

import click

from lastmile_flows.layout.backend import BACKENDS
from lastmile_flows.limits import MAX_HOURS_PER_FTE_MONTH, MAX_VOLUME, MIN_HOURS_PER_FTE_MONTH

__all__ = [
    "Command",
    "FiniteFloat",
    "backend_option",
    "comparison_options",
    "model_argument",
    "severity_overrides",
]

Command = TypeVar("Command", bound=Callable[..., None])


class FiniteFloat(click.FloatRange):
    """A number in a range; ``nan`` and ``inf`` are refused (click's ranges let ``nan`` by)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


def comparison_options(command: Command) -> Command:
    """``--volume``, ``--hours-per-day``, ``--hours-per-fte`` and ``--severity``: what
    ``compare`` takes."""
    for option in reversed(
        [
            click.option(
                "--volume",
                type=FiniteFloat(0, MAX_VOLUME),
                help="Cases per month (wins over the file's, or stands in for a missing one; "
                "the output says which it used).",
            ),
            click.option(
                "--hours-per-day",
                type=FiniteFloat(1, 24),
                help="Hours in a working day, for times told in days [default: the file's, or 8].",
            ),
            click.option(
                "--hours-per-fte",
                type=FiniteFloat(MIN_HOURS_PER_FTE_MONTH, MAX_HOURS_PER_FTE_MONTH),
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


model_argument = click.argument(
    "model_path", metavar="MODEL", type=click.Path(exists=True, dir_okay=False)
)
"""The MODEL argument of the commands that read one model file (a process or a redesign)."""


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
