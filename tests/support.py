"""Helpers the test modules share: where things are, the system programs a test needs, git, and
the ``lastmile`` command run in-process or as a child process. Fixtures and pytest hooks stay in
conftest.py; builders of models are in tests/builders.py."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from lastmile_flows import Redesign

REPO = Path(__file__).resolve().parent.parent
PROCESSES = REPO / "processes"
JS = REPO / "tests" / "js"
LOGS = REPO.parent / "shared" / "logs"
"""The shared event logs (../shared/logs/ from the repository root), read in place."""
BIN = Path(sys.executable).parent
"""This environment's scripts folder (``lastmile``, ``pre-commit``)."""
LASTMILE = BIN / "lastmile"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Headless Chromium with no calls home (this machine's closed network refuses them)."""

BPMN_FLOW_NODES = frozenset(
    {
        "task",
        "userTask",
        "serviceTask",
        "manualTask",
        "scriptTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
        "callActivity",
        "subProcess",
        "adHocSubProcess",
        "transaction",
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "eventBasedGateway",
        "complexGateway",
    }
)
"""Every concrete BPMN 2.0 flow node kind (tasks, sub-processes, events, gateways): what the
interchange tests count independently of our import."""


# ---- hypothesis

HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
"""``ci`` (the default: ``make test`` and CI) or ``dev`` (``make check``); conftest.py loads it."""


def examples(count: int) -> int:
    """How many examples a property test generates: ``count`` under the ``ci`` profile, a tenth
    of it (at least 3) under ``dev``."""
    return count if HYPOTHESIS_PROFILE == "ci" else max(3, count // 10)


# ---- system programs and shared files


def _missing(message: str) -> None:
    """Skip locally; fail in CI, where ``make test`` installs what the tests need."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_program(name: str, package: str) -> str:
    """The path of a system program a test needs. Missing: skip locally, fail in CI, where
    ``make test`` installs it (scripts/system-deps.sh)."""
    found = shutil.which(name)
    if found is None:
        _missing(f"{name} is not installed (Debian package {package}; make test installs it)")
    assert found is not None
    return found


def require_node_modules() -> str:
    """The path of ``node``, once the packages of tests/js are installed. Missing: skip locally,
    fail in CI, where ``make test`` installs them (scripts/js-deps.sh)."""
    node = require_program("node", "nodejs")
    if not (JS / "node_modules" / ".package-lock.json").is_file():
        _missing("tests/js/node_modules is missing (make test installs it: scripts/js-deps.sh)")
    return node


def run_in_chromium(script: str, *arguments: str | Path, home: Path, timeout: float) -> Any:
    """What ``node tests/js/SCRIPT ARGUMENTS`` printed (JSON), the script driving a headless
    Chromium with ``home`` as its home folder. No node packages or Chromium: skip locally, fail
    in CI; a script that fails fails the test with the end of its stderr."""
    node = require_node_modules()
    chromium = require_program("chromium", "chromium")
    done = subprocess.run(
        [node, str(JS / script), *map(str, arguments)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={"CHROMIUM": chromium, "PATH": "/usr/bin:/bin", "HOME": str(home)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def shared_log(name: str) -> Path:
    """A shared event log's path; skip the test cleanly when the logs are not beside the
    repository (they are in CI and on the project's machines)."""
    path = LOGS / name
    if not path.is_file():
        pytest.skip(f"{path} is not there (the shared event logs live beside the repository)")
    return path


# ---- the example library

EXAMPLE_FILES = [
    "order_entry/redesign.yaml",
    "maintenance/maintenance.py",
    "contract_review/redesign.yaml",
]
"""The example redesigns, as files under processes/: one each of YAML and Python."""
EXPORTS = [(example, which) for example in EXAMPLE_FILES for which in ("current", "redesigned")]
"""Each example with each of its processes, as ``bpmn export --which`` names them."""
EXPORT_IDS = [f"{example}-{which}" for example, which in EXPORTS]


@functools.cache
def example(name: str) -> Redesign:
    """A redesign of the example library by its file under processes/ (``order_entry/
    redesign.yaml``), read once per process."""
    from lastmile_flows import Redesign, load

    model = load(PROCESSES / name)
    assert isinstance(model, Redesign), name
    return model


@functools.cache
def library() -> dict[str, Redesign]:
    """The redesigns of the example library (processes/) by id, sorted, read once per process:
    its Python models run in child processes. The models are frozen; leave the dict as it is."""
    from lastmile_flows import Redesign, discover, load_all

    found = {}
    for file in discover([PROCESSES]):
        for item in load_all(file):
            assert isinstance(item.model, Redesign), item.source
            found[item.model.id] = item.model
    return dict(sorted(found.items()))


# ---- the lastmile command


@dataclass(frozen=True)
class Ran:
    """What a ``lastmile`` command did: its exit code, stdout and stderr."""

    code: int
    out: str
    err: str


def lastmile(*args: str) -> Ran:
    """``lastmile ARGS`` in this process (click's runner, stdout and stderr apart): for tests of
    what a command does. Any exception but the exit is re-raised, so a crash shows its traceback
    instead of passing as an exit code."""
    from click.testing import CliRunner

    from lastmile_flows.cli import main

    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def render_folder(folder: Path) -> Path:
    """``folder``, once ``lastmile render FOLDER -j 1`` (in this process) drew it without fault."""
    done = lastmile("render", str(folder), "-j", "1")
    assert done.code == 0, done.err
    return folder


def copy_folder(folder: Path, into: Path) -> Path:
    """A copy of ``folder``, under its own name, in ``into``: free for a test to change."""
    return Path(shutil.copytree(folder, into / folder.name))


def lastmile_process(
    *args: str, cwd: Path = REPO, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m lastmile_flows ARGS`` as a child process: for what only a process boundary
    shows (exit status as the shell sees it, no traceback on stderr, byte-identical output
    across processes)."""
    return subprocess.run(
        [sys.executable, "-m", "lastmile_flows", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


# ---- git

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}
"""git with a fixed author and no user or system configuration."""


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` (must succeed) and return its output."""
    done = subprocess.run(
        [require_program("git", "git"), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **GIT_ENV},
    )
    assert done.returncode == 0, f"git {' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def pull_request_repo(tmp_path: Path, example: Path, folder: str = "order_entry") -> Path:
    """A git repository whose ``main`` holds ``example`` (a folder of the example library) as
    ``processes/<folder>``, checked out on a new branch ``pr``."""
    repo = tmp_path / "repo"
    shutil.copytree(example, repo / "processes" / folder)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "library")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo
