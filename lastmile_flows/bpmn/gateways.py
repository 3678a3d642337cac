"""The gateways of an imported file as model data: each branch's share, given or assumed."""

from __future__ import annotations

from typing import Any

from lastmile_flows.bpmn.drafts import notes_data
from lastmile_flows.bpmn.flowgraph import Edge, Graph, label
from lastmile_flows.bpmn.records import ImportNote, RawNode

__all__ = ["gateway_data"]

_DECISIONS = frozenset({"exclusive", "event_based"})


def gateway_data(graph: Graph) -> list[dict[str, Any]]:
    """Every gateway of the graph with its branches, in node order."""
    gateways = []
    outgoing = graph.leaving()
    for node in graph.nodes.values():
        if node.category != "gateway":
            continue
        leaving = outgoing.get(node.id, [])
        probabilities = _probabilities(graph, node, leaving)
        branches = []
        for (_, target, flow), probability in zip(leaving, probabilities, strict=True):
            branch: dict[str, Any] = {"to": target, "label": label(flow, graph.found)}
            if probability is not None:
                branch["probability"] = probability
            branches.append(branch)
        gateways.append(
            {"id": node.id, "name": node.name, "kind": node.kind, "branches": branches}
            | notes_data(node.notes)
        )
    return gateways


def _probabilities(graph: Graph, node: RawNode, leaving: list[Edge]) -> list[Any]:
    """Each branch's probability: as the file gives them all, else every branch of an
    inclusive gateway (1.0) or equal shares of a decision, each assumption noted."""
    given = [flow.probability if flow else None for _, _, flow in leaving]
    if len(leaving) < 2 or node.kind not in (*_DECISIONS, "inclusive"):
        return [None] * len(leaving)
    if all(p is not None for p in given):
        return given
    if node.kind == "inclusive":
        graph.notes.append(
            ImportNote(
                "inclusive gateway without branch shares: every branch taken (1.0); "
                "set each branch's probability",
                node.bpmn_id or node.id,
                node.tag or "gateway",
                node.line,
            )
        )
        return [1.0] * len(leaving)
    graph.notes.append(
        ImportNote(
            f"no branch probabilities in the file: assumed equal (1/{len(leaving)}); set them",
            node.bpmn_id,
            node.tag,
            node.line,
        )
    )
    return [1.0 / len(leaving)] * len(leaving)
