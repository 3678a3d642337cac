"""Python model files run in a child process, never in ours.

A ``.py`` model is code: it can print, exit, hang, eat memory or lie. Running it here would let
it decide our verdict (``sys.exit(0)`` in a model made ``lastmile check`` pass with no output).
So :func:`run_module` starts a fresh interpreter that imports the module with a time and memory
limit, and sends back, on a pipe of its own, the models the module defines as plain data. This
process then validates that data itself. The child's exit status, what it prints and how it
dies never count as a result: only a complete report on the pipe does, and anything else is a
:class:`LoadError` that says what happened.

The rules:

- the child gets no terminal: stdin, stdout and stderr are ``/dev/null``;
- it is killed after ``timeout`` seconds (wall clock), and cannot use more than ``memory``
  bytes of address space or more CPU seconds than the timeout;
- it dies with the process that started it (``PR_SET_PDEATHSIG`` on Linux, and a watchdog);
- an exception the module raises (``BaseException`` included: ``SystemExit``,
  ``KeyboardInterrupt``, a user's own) is reported with its type, message and line, no
  traceback;
- models come back as JSON and are validated again here, so what reaches the caller is what
  pydantic accepts, whatever the child sent.

:mod:`lastmile_flows.python_child` is the child's side, started by :func:`isolated_python`.

This bounds what a model does to the verdict, not what it does to the machine: the model's code
runs as the user who runs lastmile (it can read files, write to the terminal the parent holds,
start a process that leaves the group). Repositories that accept models from outside refuse
Python models (``run_python = false``, ``--no-python``).
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lastmile_flows.errors import InvalidModelError, LoadError

__all__ = ["DEFAULT_MEMORY", "DEFAULT_TIMEOUT", "ModuleModel", "run_module"]

DEFAULT_TIMEOUT = 60.0
"""Seconds a Python model may take to define its models (``LASTMILE_PYTHON_TIMEOUT`` in the
environment changes it)."""
TIMEOUT_VARIABLE = "LASTMILE_PYTHON_TIMEOUT"
DEFAULT_MEMORY = 4 * 1024**3
"""Bytes of address space a Python model may use (an interpreter with pydantic needs ~0.5 GiB)."""
MAX_REPORT = 512 * 1024**2
"""The most bytes of model data a child may send back."""


@dataclass(frozen=True)
class ModuleModel:
    """One model a module defines at module level: its name, its kind, its data.

    ``inner`` is true for a process that one of the module's redesigns uses (not listed again
    on its own); ``imports`` are the module files of the model's own code it imported (not
    Python's, not installed packages', not this package's), as absolute paths, sorted."""

    name: str
    kind: str
    data: dict[str, Any]
    inner: bool
    imports: tuple[str, ...] = ()


def _timeout() -> float:
    try:
        value = float(os.environ.get(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if 0 < value < 86_400 else DEFAULT_TIMEOUT


def run_module(
    file: Path, *, timeout: float | None = None, memory: int = DEFAULT_MEMORY
) -> list[ModuleModel]:
    """The models ``file`` defines, from a child process (see the module docstring).

    Raises :class:`LoadError` when the module fails, exits, hangs, dies or defines nothing,
    and :class:`InvalidModelError` (file and line on each problem) when it builds an invalid
    model.
    """
    if not file.is_file():
        raise LoadError("no such file", path=str(file))
    timeout = _timeout() if timeout is None else timeout
    read_end, write_end = os.pipe()
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    command = [
        *isolated_python(),
        "from lastmile_flows.python_child import child; import sys; child(sys.argv[1:])",
        str(file.resolve()),
        str(write_end),
        str(memory),
        str(max(1, int(timeout + 1))),
        str(os.getpid()),
    ]
    try:
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(write_end,),
            env=env,
            start_new_session=True,
        )
    except OSError as error:
        os.close(read_end)
        os.close(write_end)
        raise LoadError(
            f"cannot start Python to read it: {error.strerror}", path=str(file)
        ) from None
    os.close(write_end)
    try:
        payload, finished = _read_report(read_end, child, timeout)
    finally:
        os.close(read_end)
        _stop(child)
        _stop_group(child.pid)
    if not finished:
        raise LoadError(
            f"did not define its models within {timeout:g} s (the limit for running a Python "
            "model); it was stopped",
            path=str(file),
        )
    return _decode(payload, child.returncode, file)


def isolated_python() -> list[str]:
    """This Python, isolated (``-I``: no current folder, no ``PYTHON*`` variables, no user
    site), told where this package is: what a folder of models cannot shadow with a module of
    its own (a ``lastmile_flows/`` or ``yaml.py`` beside the model); ``-B``: reading a model
    writes no ``__pycache__`` beside it. Followed by code to run."""
    root = str(Path(__file__).resolve().parent.parent)
    return [
        sys.executable,
        "-I",
        "-B",
        "-c",
        f"import sys; sys.path.insert(0, {root!r}); exec(sys.argv.pop(1))",
    ]


def _read_report(fd: int, child: subprocess.Popen[bytes], timeout: float) -> tuple[bytes, bool]:
    """Everything the child writes to ``fd`` until it closes it, and whether it did so in time
    (a child that writes more than :data:`MAX_REPORT` is cut off and its report refused)."""
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    size = 0
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return b"", False
            if not selector.select(left):
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_REPORT:
                return b"", True  # refused below as an incomplete report
            chunks.append(chunk)
    try:
        child.wait(max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return b"", False
    return b"".join(chunks), True


def _stop(child: subprocess.Popen[bytes]) -> None:
    """Kill the child, if still running."""
    if child.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()


def _stop_group(group: int) -> None:
    """Kill whatever the model started and left in the child's process group (a process that
    leaves the group, with ``setsid``, escapes: this is a limit, not a sandbox)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


def _decode(payload: bytes, status: int | None, file: Path) -> list[ModuleModel]:
    try:
        report = json.loads(payload.decode("utf-8")) if payload else None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        report = None
    if not isinstance(report, dict) or report.get("done") is not True or status != 0:
        raise LoadError(_how_it_ended(status), path=str(file))
    if "problems" in report:
        raise InvalidModelError(_problems(report["problems"], file))
    if "error" in report:
        error = report["error"]
        line = error.get("line") if isinstance(error.get("line"), int) else None
        raise LoadError(f"importing it failed: {error.get('text', '')}", path=str(file), line=line)
    models = report.get("models")
    if not isinstance(models, list):
        raise LoadError(_how_it_ended(status), path=str(file))
    imports = report.get("imports", [])
    if not (isinstance(imports, list) and all(isinstance(i, str) for i in imports)):
        raise LoadError(_how_it_ended(status), path=str(file))
    found = []
    for entry in models:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("name"), str)
            and entry.get("kind") in ("Process", "Redesign")
            and isinstance(entry.get("data"), dict)
        ):
            raise LoadError(_how_it_ended(status), path=str(file))
        found.append(
            ModuleModel(
                entry["name"],
                entry["kind"],
                entry["data"],
                entry.get("inner") is True,
                tuple(sorted(imports)),
            )
        )
    return found


def _how_it_ended(status: int | None) -> str:
    if status is not None and status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        reason = {
            "SIGXCPU": "it used up its CPU time",
            "SIGKILL": "it was killed (out of memory or time?)",
        }.get(name, f"it was killed by {name}")
        return f"running it ended without defining its models: {reason}"
    return (
        f"running it ended without defining its models (exit status {status}): a model file "
        "must not exit or end the interpreter while it is read"
    )


def _problems(data: Any, file: Path) -> list[Any]:
    from lastmile_flows.model.problems import Problem

    problems = []
    for entry in data if isinstance(data, list) else []:
        if not isinstance(entry, dict):
            continue
        problems.append(
            Problem(
                rule=str(entry.get("rule", "invalid")),
                message=str(entry.get("message", "")),
                element_id=entry.get("element_id")
                if isinstance(entry.get("element_id"), str)
                else None,
                loc=tuple(x for x in entry.get("loc", ()) if isinstance(x, (str, int))),
                where=str(entry.get("where", "")),
                severity="warning" if entry.get("severity") == "warning" else "error",
                file=str(file),
                line=entry.get("line") if isinstance(entry.get("line"), int) else None,
            )
        )
    return problems or [Problem(rule="invalid", message="the model is invalid", file=str(file))]
