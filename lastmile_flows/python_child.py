"""The child's side of :mod:`lastmile_flows.python_models`: import one model file under a time
and memory limit and write what it defines, as plain data, to the pipe the parent gave.

The child dies with its parent; whatever the module raises (``SystemExit`` included) becomes a
reported error with its type, message and line, never a traceback; and no ``atexit`` handler of
the model runs after the report is written. :func:`child` is started by
:func:`lastmile_flows.python_models.isolated_python`.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lastmile_flows.errors import InvalidModelError
from lastmile_flows.lifeline import die_with_parent

__all__ = ["child"]

_MESSAGE_LIMIT = 500


def _limit(memory: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Linux
        return
    for limit, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu_seconds)):
        try:
            _, hard = resource.getrlimit(limit)
            soft = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (soft, hard))
        except (ValueError, OSError):
            pass


def _line_in(error: BaseException, file: Path) -> int | None:
    frames = [
        frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == str(file)
    ]
    return frames[-1].lineno if frames else None


def _text(error: BaseException) -> str:
    try:
        message = str(error)
    except Exception:  # a user's exception whose __str__ fails
        message = ""
    message = message[:_MESSAGE_LIMIT] + ("..." if len(message) > _MESSAGE_LIMIT else "")
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _child_report(file: Path) -> dict[str, Any]:
    import importlib.util

    from lastmile_flows.model import Process, Redesign

    module_name = "lastmile_model_" + "".join(c if c.isalnum() else "_" for c in str(file))
    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None or spec.loader is None:
        return {"done": True, "error": {"text": "cannot import it as a Python module"}}
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except InvalidModelError as error:
        line = _line_in(error, file)
        return {
            "done": True,
            "problems": [
                {
                    "rule": p.rule,
                    "message": p.message,
                    "element_id": p.element_id,
                    "loc": list(p.loc),
                    "where": p.where,
                    "severity": p.severity,
                    "line": line,
                }
                for p in error.problems
            ],
        }
    except BaseException as error:  # the model may raise anything, SystemExit included
        return {"done": True, "error": {"text": _text(error), "line": _line_in(error, file)}}
    values = [
        (name, value)
        for name, value in vars(module).items()
        if isinstance(value, (Process, Redesign)) and not name.startswith("_")
    ]
    inner = {id(v.current) for _, v in values if isinstance(v, Redesign)}
    inner |= {id(v.redesigned) for _, v in values if isinstance(v, Redesign)}
    return {
        "done": True,
        "imports": _own_imports(file),
        "models": [
            {
                "name": name,
                "kind": type(value).__name__,
                "data": value.model_dump(mode="json", exclude_defaults=True),
                "inner": id(value) in inner,
            }
            for name, value in values
        ],
    }


def _own_imports(file: Path) -> list[str]:
    """The files of the modules loaded now that are neither Python's, an installed package's,
    nor this package's: the model's own code beside it (``file`` itself left out)."""
    package = Path(__file__).resolve().parent
    elsewhere = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    found = set()
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if not isinstance(name, str):
            continue
        path = Path(name).resolve()
        if path == file or path.is_relative_to(package):
            continue
        if any(path.is_relative_to(place) for place in elsewhere):
            continue
        found.add(str(path))
    return sorted(found)


def child(arguments: Sequence[str]) -> None:
    file, fd, memory, cpu = Path(arguments[0]), int(arguments[1]), arguments[2], arguments[3]
    die_with_parent(int(arguments[4]), kernel=True)
    _limit(int(memory), int(cpu))
    os.set_inheritable(fd, False)
    try:
        report = _child_report(file)
        payload = json.dumps(report, allow_nan=False, ensure_ascii=True).encode("ascii")
    except BaseException as error:
        payload = json.dumps({"done": True, "error": {"text": _text(error)}}).encode("ascii")
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    os.close(fd)
    os._exit(0)  # no atexit handler of the model runs after its report
