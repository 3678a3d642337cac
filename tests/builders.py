"""The models tests build: compact step/process/redesign builders, the small process most tests
start from, the claims process the event-log tests simulate, and an AI step under partial review.
Every test module takes its models from here (none from another test module)."""

from __future__ import annotations

import copy
from typing import Any

from lastmile_flows import Process, Redesign

ROLES: list[dict[str, Any]] = [
    {"id": "clerk", "name": "Clerk", "cost_per_hour": 40, "headcount": 2},
    {"id": "lead", "name": "Lead", "cost_per_hour": 60, "headcount": 1},
    {"id": "bot", "name": "Bot", "kind": "ai"},
    {"id": "erp", "name": "ERP", "kind": "system"},
]


def step(step_id: str, role: str = "clerk", **fields: Any) -> dict[str, Any]:
    kind = {"bot": "ai", "erp": "system"}.get(role, "manual")
    data: dict[str, Any] = {"id": step_id, "name": step_id.replace("_", " "), "role": role}
    data["kind"] = fields.pop("kind", kind)
    if data["kind"] == "ai":
        data["ai_mode"] = fields.pop("ai_mode", "suggest")
    data.update(fields)
    return data


def process(
    *steps: dict[str, Any], roles: list[dict[str, Any]] | None = None, **extra: Any
) -> Process:
    return Process.parse(
        {"id": "p", "roles": roles if roles is not None else ROLES, "steps": list(steps), **extra}
    )


def redesign(
    current: Process,
    redesigned_steps: list[dict[str, Any]],
    *,
    roles: list[dict[str, Any]] | None = None,
    volume: float = 1000,
    **extra: Any,
) -> Redesign:
    redesigned = {
        "id": "p",
        "roles": roles if roles is not None else ROLES,
        "steps": redesigned_steps,
        **extra,
    }
    return Redesign.parse(
        {
            "id": "r",
            "current": current.model_dump(mode="json", exclude_defaults=True),
            "redesigned": redesigned,
            "volume_per_month": volume,
        }
    )


def small_process_data() -> dict[str, Any]:
    """A valid process: a human step, an AI step that acts, its review, a decision, a fix-up
    (a new copy each call, free to change)."""
    data: dict[str, Any] = {
        "id": "orders",
        "name": "Orders",
        "roles": ROLES,
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
    return copy.deepcopy(data)


CURVE = [{"review_share": 0.2, "error_share": 0.6}, {"review_share": 0.5, "error_share": 0.9}]


def reviewed_process(**changes: Any) -> dict[str, Any]:
    """An AI step whose low-confidence share goes to a review by the lead."""
    draft: dict[str, Any] = {
        "id": "draft",
        "role": "bot",
        "kind": "ai",
        "ai_mode": "draft",
        "touch_minutes": 1,
        "next": "send",
        "error_rate": 0.05,
        "confidence_routing": CURVE,
        "edge_cases": [
            {
                "id": "unsure",
                "rate": 0.2,
                "ai_failure": True,
                "owner": "lead",
                "recovery_step": "check",
            }
        ],
    }
    check = {
        "id": "check",
        "role": "lead",
        "kind": "review",
        "reviews": "draft",
        "touch_minutes": 10,
        "catch_rate": 0.8,
        "next": "send",
    }
    send = {"id": "send", "role": "erp", "kind": "system", "touch_minutes": 0.1}
    data: dict[str, Any] = {"id": "p", "roles": ROLES, "steps": [draft, check, send]}
    data["steps"][0] |= changes.pop("draft", {})
    data["steps"][1] |= changes.pop("check", {})
    return data | changes


CLAIMS_ROLES = [{"id": "clerk", "name": "Clerk"}, {"id": "lead", "name": "Lead"}]


def loop_model(share: float, rework: float) -> Process:
    """The claims process the event-log tests simulate: receive -> check -> (approve | reject
    by share) ; approve -> (rework back | end)."""
    return Process.parse(
        {
            "id": "claims",
            "roles": CLAIMS_ROLES,
            "steps": [
                {"id": "receive", "name": "Receive claim", "role": "clerk", "touch_minutes": 4},
                {
                    "id": "check",
                    "name": "Check claim",
                    "role": "clerk",
                    "touch_minutes": 10,
                    "next": "decide",
                    "edge_cases": [
                        {"id": "fraud", "name": "Flag fraud", "rate": 0.5, "owner": "lead"}
                    ],
                },
                {
                    "id": "approve",
                    "name": "Approve",
                    "role": "lead",
                    "touch_minutes": 3,
                    "next": "again",
                },
                {
                    "id": "reject",
                    "name": "Reject",
                    "role": "lead",
                    "touch_minutes": 2,
                    "next": "end",
                },
            ],
            "gateways": [
                {
                    "id": "decide",
                    "branches": [
                        {"to": "approve", "probability": share},
                        {"to": "reject", "probability": round(1 - share, 6)},
                    ],
                },
                {
                    "id": "again",
                    "branches": [
                        {"to": "check", "probability": rework, "label": "rework"},
                        {"to": "end", "probability": round(1 - rework, 6)},
                    ],
                },
            ],
        }
    )
