"""Redesigns of realistic shape at any size, for the scale benchmarks.

Each version is made of blocks of ten steps, like the example library's processes: a gateway
after the eighth step of every block (a side path taken by 15 % of cases, or, in one block of
four, a rework loop back into the block for 10 %), edge cases on 30 % of the steps, eight human
lanes and, in the redesign, 30 % of the steps automated (AI acting or drafting, and systems),
each AI step that acts checked by a review step its low-confidence cases are diverted to. The
current process has a team lead who owns the tribal edge cases; the redesign drops that role,
so the audit has unowned edge cases to report. Output is the same for the same size.

Usage: ``.venv/bin/python -m benchmarks.generate STEPS [-o FILE.yaml]`` writes a model file
(current and redesigned inline).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["BLOCK", "redesign", "redesign_data"]

BLOCK = 10
HUMAN_ROLES = 8


def _human(index: int) -> str:
    return f"team_{index % HUMAN_ROLES}"


def _roles(*, lead: bool, automated: bool) -> list[dict[str, Any]]:
    roles: list[dict[str, Any]] = [
        {
            "id": _human(number),
            "name": f"Team {number}",
            "cost_per_hour": 35 + 3 * number,
            "headcount": 2 + number,
        }
        for number in range(HUMAN_ROLES)
    ]
    if lead:
        roles.append({"id": "lead", "name": "Team lead", "cost_per_hour": 60, "headcount": 1})
    if automated:
        roles.append({"id": "agent", "name": "Extraction AI", "kind": "ai"})
        roles.append({"id": "erp", "name": "ERP", "kind": "system"})
    return roles


def _gateway(block: int, first: int) -> tuple[dict[str, Any], str]:
    """The block's gateway (after its eighth step) and its id."""
    gateway_id = f"gw_{block}"
    if block % 4 == 3:  # a rework loop back to the block's third step
        branches = [
            {"to": f"s{first + 8}", "probability": 0.9, "label": "ok"},
            {"to": f"s{first + 2}", "probability": 0.1, "label": "rework"},
        ]
    else:  # the usual path skips the side step
        branches = [
            {"to": f"s{first + 9}", "probability": 0.85, "label": "yes"},
            {"to": f"s{first + 8}", "probability": 0.15, "label": "exception"},
        ]
    name = f"Check {block} passed?"
    return {"id": gateway_id, "name": name, "branches": branches}, gateway_id


def _edge_case(index: int, offset: int) -> dict[str, Any]:
    return {
        "id": f"e{index}",
        "name": f"Exception at item {index}",
        "rate": 0.05,
        "owner": "lead" if offset == 4 else _human(index // 3 + 1),
        "handling_minutes": 12,
        "tribal": offset == 4,
    }


def _manual(index: int, offset: int) -> dict[str, Any]:
    return {
        "id": f"s{index}",
        "name": f"Handle item {index} of the order",
        "role": _human(index // 3),
        "touch_minutes": 2 + index % 7,
        "wait_minutes": 30 if offset == 0 else 0,
    }


def _current_step(index: int, offset: int) -> dict[str, Any]:
    step = _manual(index, offset)
    if offset in (0, 4, 9):
        step["edge_cases"] = [_edge_case(index, offset)]
    return step


def _version(steps: int, make: Callable[[int, int, bool], dict[str, Any]]) -> dict[str, Any]:
    """Steps (``make(index, offset in its block, whether the block is whole)``) and gateways."""
    found: list[dict[str, Any]] = []
    gateways: list[dict[str, Any]] = []
    for first in range(0, steps, BLOCK):
        whole = first + BLOCK <= steps
        for offset in range(min(BLOCK, steps - first)):
            step = make(first + offset, offset, whole)
            if offset == 7 and whole:
                gateway, step["next"] = _gateway(first // BLOCK, first)
                gateways.append(gateway)
            found.append(step)
    return {"steps": found, "gateways": gateways}


def _redesigned_step(index: int, offset: int, whole: bool) -> dict[str, Any]:
    if not whole:  # a short last block stays manual
        return {"id": f"s{index}", "role": _human(index - offset), "touch_minutes": 3}
    step = _manual(index, offset)
    if offset == 0:  # the AI acts; its least confident cases go to the review step after it
        step.update(
            id=f"ai{index}",
            name=f"Extract item {index} automatically",
            role="agent",
            kind="ai",
            ai_mode="act",
            touch_minutes=0.5,
            error_rate=0.04,
            replaces=[f"s{index}"],
            next=f"s{index + 2}",
            edge_cases=[
                {
                    "id": f"low{index}",
                    "name": f"Low confidence on item {index}",
                    "rate": 0.15,
                    "ai_failure": True,
                    "owner": _human(index // 3),
                    "recovery_step": f"rv{index + 1}",
                }
            ],
        )
    elif offset == 1:
        step.update(
            id=f"rv{index}",
            name=f"Review extraction {index - 1}",
            kind="review",
            reviews=f"ai{index - 1}",
            touch_minutes=4,
        )  # new work: the current step at this place is eliminated
    elif offset == 3:
        step.update(
            id=f"sys{index}", role="erp", kind="system", touch_minutes=0.1, replaces=[f"s{index}"]
        )
    elif offset == 5:
        step.update(
            id=f"dr{index}",
            name=f"Draft reply {index}",
            role="agent",
            kind="ai",
            ai_mode="draft",
            accountable=_human(index // 3),
            touch_minutes=0.2,
            replaces=[f"s{index}"],
        )
    if offset in (4, 9):
        step["edge_cases"] = [_edge_case(index, offset)]
    return step


def redesign_data(steps: int) -> dict[str, Any]:
    """A model file's data: a redesign of a ``steps``-step process into ``steps`` steps."""
    if steps < 1:
        raise ValueError(f"steps must be at least 1, not {steps}")
    return {
        "id": f"orders_{steps}",
        "name": f"AI order handling ({steps} steps)",
        "current": {
            "id": "orders",
            "name": "Order handling",
            "version": "current",
            "roles": _roles(lead=True, automated=False),
            **_version(steps, lambda index, offset, _: _current_step(index, offset)),
        },
        "redesigned": {
            "id": "orders",
            "name": "Order handling (AI extraction)",
            "version": "redesign",
            "roles": _roles(lead=False, automated=True),
            **_version(steps, _redesigned_step),
        },
        "volume_per_month": 5000,
    }


def redesign(steps: int) -> Any:
    """The generated redesign as a validated :class:`lastmile_flows.Redesign`."""
    from lastmile_flows import Redesign

    return Redesign.model_validate(redesign_data(steps))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("steps", type=int)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    import yaml

    text = yaml.safe_dump(redesign_data(args.steps), sort_keys=False, width=100)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
