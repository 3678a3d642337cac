from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
PROCESSES = REPO / "processes"
JS = REPO / "tests" / "js"
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


def small_process_data() -> dict[str, Any]:
    """A valid process: a human step, an AI step that acts, its review, a decision, a fix-up."""
    return {
        "id": "orders",
        "name": "Orders",
        "roles": [
            {"id": "clerk", "name": "Clerk", "cost_per_hour": 40, "headcount": 2},
            {"id": "lead", "name": "Lead", "cost_per_hour": 60, "headcount": 1},
            {"id": "bot", "kind": "ai"},
            {"id": "erp", "kind": "system"},
        ],
        "steps": [
            {"id": "receive", "role": "clerk", "touch_minutes": 2, "wait_minutes": 30},
            {
                "id": "extract",
                "role": "bot",
                "kind": "ai",
                "ai_mode": "act",
                "accountable": "lead",
                "edge_cases": [
                    {"id": "misread", "rate": 0.1, "owner": "clerk", "ai_failure": True},
                ],
            },
            {"id": "check", "role": "clerk", "kind": "review", "reviews": "extract"},
            {"id": "post", "role": "erp", "kind": "system", "next": "ok"},
            {"id": "fix", "role": "lead", "touch_minutes": 10, "next": "done"},
            {"id": "done", "role": "clerk", "touch_minutes": 1},
        ],
        "gateways": [
            {
                "id": "ok",
                "branches": [
                    {"to": "done", "probability": 0.9},
                    {"to": "fix", "probability": 0.1},
                ],
            }
        ],
    }


@pytest.fixture
def process_data() -> dict[str, Any]:
    return copy.deepcopy(small_process_data())


def require_program(name: str, package: str) -> str:
    """The path of a system program a test needs. Missing: skip locally, fail in CI, where
    ``make test`` installs it (scripts/system-deps.sh)."""
    import os
    import shutil

    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (Debian package {package}; make test installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def require_node_modules() -> str:
    """The path of ``node``, once the packages of tests/js are installed. Missing: skip locally,
    fail in CI, where ``make test`` installs them (scripts/js-deps.sh)."""
    import os

    node = require_program("node", "nodejs")
    if not (JS / "node_modules" / ".package-lock.json").is_file():
        message = "tests/js/node_modules is missing (make test installs it: scripts/js-deps.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return node


LOGS = REPO.parent / "shared" / "logs"
"""The shared event logs (../shared/logs/ from the repository root), read in place."""


def shared_log(name: str) -> Path:
    """A shared event log's path; skip the test cleanly when the logs are not beside the
    repository (they are in CI and on the project's machines)."""
    path = LOGS / name
    if not path.is_file():
        pytest.skip(f"{path} is not there (the shared event logs live beside the repository)")
    return path
