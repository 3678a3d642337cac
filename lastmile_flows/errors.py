"""Every exception lastmile_flows raises on purpose.

One base class, and each subclass also derives from the builtin it refines, so
``except ValueError`` keeps working::

    LastmileError
     ├── InvalidModelError (ValueError)   a model breaks one or more rules; .problems lists them all
     ├── LoadError (ValueError)           a file cannot be read or parsed at all (missing, bad YAML,
     │                                    unknown extension, a Python module that fails to import)
     └── RenderError (RuntimeError)       a diagram cannot be drawn: no Graphviz backend, Graphviz
                                          failed, or its SVG lost an element of the model

Findings of the audit are not exceptions: they are data (see ``lastmile_flows.analysis``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lastmile_flows.model.problems import Problem

__all__ = ["InvalidModelError", "LastmileError", "LoadError", "RenderError"]


class LastmileError(Exception):
    """Base class of every error raised by lastmile_flows."""


class InvalidModelError(LastmileError, ValueError):
    """A process or redesign breaks one or more rules.

    ``problems`` holds every problem found, in model order, so a user fixes them in one pass.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the model:"]
        lines += [f"  {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


class LoadError(LastmileError, ValueError):
    """A file cannot be read or parsed; ``path`` and ``line`` say where, when known."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = path or ""
        if path and line:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class RenderError(LastmileError, RuntimeError):
    """A diagram cannot be drawn; the message says why and, for a missing program, how to
    install it."""
