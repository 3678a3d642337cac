"""The ``lastmile`` command: thin wrappers over library functions.

Data goes to stdout, messages to stderr. Exit codes are in :mod:`lastmile_flows.cli.exitcodes`.
Each module registers its commands on :data:`main`: ``models`` (validate, schema, diff, render),
``review`` (report, check, textconv), ``bpmn`` (import, export), ``simulate``, ``logs`` (log
summary, discover, calibrate, conform).
"""

from lastmile_flows.cli import bpmn, logs, models, review, simulate
from lastmile_flows.cli.group import main

__all__ = ["bpmn", "logs", "main", "models", "review", "simulate"]
