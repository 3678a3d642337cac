"""Compact builders for small processes in tests."""

from __future__ import annotations

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
