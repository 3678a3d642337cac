"""What both ways of assembling a model share: the model data drafted from the records, and
the records the draft was made from (so an invalid draft's error can name the element)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lastmile_flows.bpmn.records import Collected, ImportNote, RawNode, RawRole

__all__ = ["Draft", "head_data", "notes_data", "role_data", "step_data"]


@dataclass(frozen=True)
class Draft:
    """Model data (for :meth:`Process.parse`), the notes made while drafting it, and the nodes
    and roles it holds (the file's, and those the import added)."""

    data: dict[str, Any]
    nodes: list[RawNode]
    roles: list[RawRole]
    notes: list[ImportNote] = field(default_factory=list)


def notes_data(notes: list[str]) -> dict[str, str]:
    return {"notes": "\n\n".join(notes)} if notes else {}


def step_data(
    node: RawNode, cases: list[dict[str, Any]], role: str | None = None
) -> dict[str, Any]:
    """A step's model data (in ``role`` when given, else in the node's own)."""
    data: dict[str, Any] = {
        "id": node.id,
        "name": node.name,
        "role": role or node.role,
        "kind": node.kind,
    }
    data |= node.fields
    if node.notes:
        data["notes"] = "\n\n".join(node.notes)
    if cases:
        data["edge_cases"] = cases
    return data


def head_data(found: Collected) -> dict[str, Any]:
    data: dict[str, Any] = {"id": found.process_id, "name": found.name, **found.fields}
    if found.notes:
        data["notes"] = "\n\n".join(found.notes)
    if found.retired:
        data["retired_edge_cases"] = found.retired
    if found.evidence:
        data["evidence"] = found.evidence
    return data


def role_data(role: RawRole) -> dict[str, Any]:
    data: dict[str, Any] = {"id": role.id, "name": role.name, **role.fields}
    if role.notes:
        data["notes"] = "\n\n".join(role.notes)
    return data
