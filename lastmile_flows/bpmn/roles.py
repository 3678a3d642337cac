"""The roles of an imported file: each lane's kind from the steps it holds, a companion role
for the services (or AI) a lane of people holds, and only the pools something needs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from lastmile_flows.bpmn.flowgraph import Graph
from lastmile_flows.bpmn.records import ImportNote, RawNode, RawRole

__all__ = ["check_roles"]

_ROLE_FOR_STEP = {"manual": "human", "review": "human", "ai": "ai", "system": "system"}
_LABELS = {"system": "systems", "ai": "AI"}


def _needs(step: RawNode) -> str | None:
    return _ROLE_FOR_STEP.get(str(step.fields.get("kind", step.kind)))


def check_roles(graph: Graph) -> None:
    """Steps need a role of the right kind: a lane with people and services gets a companion
    role for the services (or AI) it holds. Pools no step, lane or message needs are left out."""
    steps: dict[str | None, list[RawNode]] = defaultdict(list)
    for node in graph.listed:
        if node.category == "step":
            steps[node.role].append(node)
    used: set[str | None] = set(steps)
    moves: dict[int, str] = {}
    for role in list(graph.roles):
        mine = steps.get(role.id, [])
        if not mine or role.kind_given:
            continue
        needed = sorted({_needs(s) or "human" for s in mine})
        main = "human" if "human" in needed else needed[0]
        place = graph.roles.index(role)
        graph.roles[place] = replace(role, fields={**role.fields, "kind": main})
        for other in needed:
            if other != main:
                companion = _companion(graph, role, place, other, mine)
                moves |= {id(s): companion for s in mine if _needs(s) == other}
                used.add(companion)
    graph.move(moves)
    message_ends = {
        end for source, target, _, _ in graph.found.messages for end in (source, target)
    }
    pool_roles = graph.found.pool_roles
    pools = set(pool_roles.values())
    graph.roles[:] = [
        role
        for role in graph.roles
        if role.id in used
        or role.lane
        or (role.id in pools and any(pool_roles.get(e) == role.id for e in message_ends))
    ]


def _companion(graph: Graph, role: RawRole, place: int, kind: str, mine: list[RawNode]) -> str:
    """A role of ``kind`` beside ``role`` (at ``place``) for its steps of that kind."""
    label = _LABELS[kind]
    companion = RawRole(
        id=graph.ids.fresh(f"{role.id}-{label.lower()}"),
        name=f"{role.name or role.id} ({label})",
        line=role.line,
        lane=True,
        fields={"kind": kind},
    )
    graph.roles.insert(place + 1, companion)
    moved = ", ".join(s.id for s in mine if _needs(s) == kind)
    graph.notes.append(
        ImportNote(
            f"lane {role.name or role.id!r} holds both people's tasks and {label} tasks "
            f"({moved}): those are in role {companion.id!r}"
        )
    )
    return companion.id
