"""The import's working flow graph: nodes and flows by model id, as :mod:`implicit` edits
them, with the roles, ids and notes of the edits (the collected records stay as they were)."""

from __future__ import annotations

from collections import defaultdict

from lastmile_flows.bpmn.records import Collected, ImportNote, RawFlow, RawNode, RawRole

__all__ = ["Edge", "Graph", "label", "note_on"]


Edge = tuple[str, str, RawFlow | None]
"""A flow between two model ids, with the sequence flow it comes from (none: the import's)."""


class Graph:
    """Nodes and flows by model id, with the edits the import makes, and its notes."""

    def __init__(self, found: Collected) -> None:
        self.found = found
        self.nodes: dict[str, RawNode] = {node.id: node for node in found.nodes}
        self.listed: list[RawNode] = list(found.nodes)
        """Every node in file order, then those added; unlike ``nodes``, it keeps each of
        several nodes that share a model id (tasks without ids all become ``_``)."""
        self.by_bpmn: dict[str, RawNode] = {node.bpmn_id: node for node in found.nodes}
        self.roles: list[RawRole] = list(found.roles)
        self.ids = found.ids.copy()
        self.edges: list[Edge] = []
        self.notes: list[ImportNote] = []
        self.moved: dict[int, str] = {}
        """Steps put in a companion role (:meth:`move`), by ``id()``."""

    def leaving(self) -> dict[str, list[Edge]]:
        """The flows leaving each node, in order, as the edges stand now (one pass)."""
        found: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.edges:
            found[edge[0]].append(edge)
        return found

    def added(self, base: str, category: str, kind: str, role: str | None, pool: str) -> RawNode:
        """A node the import adds (a gateway or event BPMN leaves implicit), under a fresh id."""
        node = RawNode(
            id=self.ids.fresh(base),
            bpmn_id="",
            tag="",
            line=None,
            category=category,
            kind=kind,
            name="",
            role=role,
            pool=pool,
        )
        self.nodes[node.id] = node
        self.listed.append(node)
        return node

    def remove(self, node: RawNode) -> None:
        del self.nodes[node.id]
        self.listed.remove(node)

    def move(self, moves: dict[int, str]) -> None:
        """Put nodes in other roles: by ``id()`` of a node, its new role (the records keep
        their own; :meth:`role_of` reads the new one)."""
        self.moved |= moves

    def role_of(self, node: RawNode) -> str | None:
        return self.moved.get(id(node), node.role)


def note_on(node: RawNode, message: str) -> ImportNote:
    return ImportNote(message, node.bpmn_id, node.tag, node.line)


def label(flow: RawFlow | None, found: Collected) -> str:
    """A flow's label: its name, else its condition, else "default" for a default flow."""
    if flow is None:
        return ""
    text = flow.name or " ".join(flow.condition.split())
    if not text and flow.id in found.defaults:
        text = "default"
    return text if len(text) <= 80 else text[:79] + "\u2026"
