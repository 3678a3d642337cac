"""Every exception lastmile_flows raises on purpose.

One base class, and each subclass also derives from the builtin it refines, so
``except ValueError`` keeps working::

    LastmileError
     ├── InvalidModelError (ValueError)   a model breaks one or more rules; .problems lists them all
     ├── LoadError (ValueError)           a file cannot be read or parsed at all (missing, bad YAML,
     │    │                               unknown extension, a Python module that fails to import)
     │    └── LogError                    an event log cannot be read: a column that cannot be told
     │                                    (names the columns and the option to set), no events, a
     │                                    hostile or oversized XES file, a bad activity mapping
     ├── BpmnError (ValueError)           a BPMN file cannot be imported or a model exported; says
     │    │                               file, line, element tag and id where known
     │    ├── UnsafeXmlError              a DTD, an entity, an external reference: refused unread
     │    └── XmlEncodingError            bytes that are not in the encoding the file declares
     ├── AnalysisError (ValueError)       a valid model whose numbers cannot be computed (a loop
     │                                    no case ever leaves)
     ├── ConfigError (ValueError)         a severity override or a configuration key that does
     │                                    not exist, or a value it cannot take
     ├── RenderError (RuntimeError)       a diagram cannot be drawn: no Graphviz backend, Graphviz
     │                                    failed, or its SVG lost an element of the model
     └── SimulationError (ValueError)     a simulation cannot run as asked: a bad option, a
                                          distribution for an unknown step, no volume

Findings of the audit are not exceptions: they are data (see ``lastmile_flows.analysis``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lastmile_flows.model.problems import Problem

__all__ = [
    "SHOWN_PROBLEMS",
    "AnalysisError",
    "BpmnError",
    "ConfigError",
    "InvalidModelError",
    "LastmileError",
    "LoadError",
    "LogError",
    "RenderError",
    "SimulationError",
    "UnsafeXmlError",
    "XmlEncodingError",
]


SHOWN_PROBLEMS = 100
"""The most problems an error message lists (all of them stay in ``problems``)."""


class LastmileError(Exception):
    """Base class of every error raised by lastmile_flows."""


class InvalidModelError(LastmileError, ValueError):
    """A process or redesign breaks one or more rules.

    ``problems`` holds every problem found, in model order, so a user fixes them in one pass;
    the message lists the first :data:`SHOWN_PROBLEMS` of them (a file with an alias bomb can
    hold millions).
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the model:"]
        lines += [f"  {problem}" for problem in self.problems[:SHOWN_PROBLEMS]]
        if count > SHOWN_PROBLEMS:
            lines.append(f"  ... and {count - SHOWN_PROBLEMS:,} more (fix these first)")
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


class LogError(LoadError):
    """An event log (or the mapping of its activities to a model) cannot be used; the message
    names what was found and what to set, e.g. the columns and ``case=`` / ``--case``."""


class RenderError(LastmileError, RuntimeError):
    """A diagram cannot be drawn; the message says why and, for a missing program, how to
    install it."""


class BpmnError(LastmileError, ValueError):
    """A BPMN file cannot be imported, or a model cannot be exported as BPMN.

    ``path``, ``line``, ``tag`` (the element's local name) and ``element_id`` say where, when
    known; ``reason`` is the message without them.
    """

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        line: int | None = None,
        tag: str | None = None,
        element_id: str | None = None,
    ) -> None:
        self.reason = reason
        self.path = path
        self.line = line
        self.tag = tag
        self.element_id = element_id
        where = (path or "<bytes>") + (f":{line}" if line else "")
        element = ""
        if tag:
            element = f"<{tag}" + (f' id="{element_id}"' if element_id else "") + ">: "
        elif element_id:
            element = f"element {element_id!r}: "
        super().__init__(f"{where}: {element}{reason}")


class UnsafeXmlError(BpmnError):
    """The XML holds a DTD, an entity declaration or an external reference. BPMN needs none of
    them, and they are how XXE and "billion laughs" files attack a reader: refused unread."""


class XmlEncodingError(BpmnError):
    """The bytes are not in the encoding the file declares (often Latin-1 labelled UTF-8)."""


class AnalysisError(LastmileError, ValueError):
    """A valid model whose numbers cannot be computed (a loop no case ever leaves)."""


class ConfigError(LastmileError, ValueError):
    """A severity override or a configuration key that does not exist, or a value it cannot
    take."""


class SimulationError(LastmileError, ValueError):
    """A simulation cannot run as asked: a bad option or distribution, an unknown step, no
    volume to simulate."""
