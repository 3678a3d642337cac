"""The ``lastmile`` command group; its commands live in the modules beside it."""

from __future__ import annotations

import click

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lastmile_flows")
def main() -> None:
    """Compare a current-state process with its AI redesign, and find who owns every failure."""
