"""Configuration from ``[tool.lastmile_flows]`` in ``pyproject.toml``.

    [tool.lastmile_flows]
    fail_on = "warning"   # diff exits 1 at this severity or worse: error|warning|info|never
    run_python = false    # never run .py model files (they are code); check fails on them

    [tool.lastmile_flows.severity]
    "edge_case.carried_implicitly" = "warning"   # by rule name or code (LM106)

Unknown keys are errors that name the key and the valid ones.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lastmile_flows.analysis.rules import resolve_severities
from lastmile_flows.errors import ConfigError
from lastmile_flows.severity import FAIL_ON, FailOn
from lastmile_flows.suggest import choices, did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["FAIL_ON", "Config", "FailOn", "find_config", "read_config"]

KEYS = ("fail_on", "run_python", "severity")


@dataclass(frozen=True)
class Config:
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: FailOn = "error"
    run_python: bool = True
    """False: Python model files are refused, never run (for repositories that accept models
    from outside)."""
    path: Path | None = None


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.lastmile_flows]`` table, from ``start``
    (default: the working folder) upwards."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file() and "lastmile_flows" in _tool(path):
            return path
    return None


def _tool(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    tool = data.get("tool", {})
    return tool if isinstance(tool, dict) else {}


def read_config(path: Path | None = None) -> Config:
    """The configuration at ``path``, or found by :func:`find_config`, or the defaults."""
    path = path or find_config()
    if path is None:
        return Config()
    table = _tool(path).get("lastmile_flows", {})
    where = f"{path}: [tool.lastmile_flows]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    for key in table:
        if key not in KEYS:
            raise ConfigError(
                f"{where}: unknown key {key!r}{did_you_mean(key, KEYS)}; valid: {choices(KEYS)}"
            )
    fail_on = table.get("fail_on", "error")
    if fail_on not in FAIL_ON:
        raise ConfigError(f"{where}: fail_on = {fail_on!r} is not valid; valid: {choices(FAIL_ON)}")
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{where}: severity must be a table of rule = level")
    try:
        resolve_severities(severity)
    except ConfigError as error:
        raise ConfigError(f"{where}.severity: {error}") from None
    run_python = table.get("run_python", True)
    if not isinstance(run_python, bool):
        raise ConfigError(f"{where}: run_python = {run_python!r} is not valid; valid: true, false")
    return Config(severity=dict(severity), fail_on=fail_on, run_python=run_python, path=path)
