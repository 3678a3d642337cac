"""bpmn-python as an interchange oracle: what it writes our reader imports, and what our writer
exports it loads with the same flow nodes and sequence flows.

bpmn-python 0.0.18 (GPL-3, unmaintained since 2017) is a test-only dependency; nothing in the
package imports it. It was written for networkx 1.x, so each test gives ``networkx.Graph`` back
the two accessors it uses (``node``, gone in 2.4; ``edge``, gone in 2.0). Its graph is
undirected, so A->B and B->A share one edge: flows are compared through its ``sequence_flows``
(one entry per flow id), never through its graph edges.

The oracle proves itself first, on MIWG reference files from the shared corpus, against a count
made independently with lxml.

What bpmn-python needs of a file (bpmn_diagram_import.py), so what our writer must keep doing:
a BPMNDiagram with a BPMNPlane; Bounds in every BPMNShape; tasks only as task, userTask,
serviceTask or manualTask (a scriptTask, businessRuleTask, sendTask, receiveTask or callActivity
that has a shape and a flow crashes it, as does a shape of a pool or lane that a message flow
names); no XML comment, processing instruction or CDATA among the children of process,
subProcess, laneSet, lane or BPMNPlane; no empty incoming, outgoing, flowNodeRef or
conditionExpression.
"""

from __future__ import annotations

import importlib
import importlib.util
import warnings
from collections.abc import Callable, Collection
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from lxml import etree

from lastmile_flows import Process, Redesign, load
from lastmile_flows.model.graph import events
from tests.support import BPMN_FLOW_NODES, EXPORT_IDS, EXPORTS, PROCESSES, REPO

MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
MIWG = REPO.parent / "shared" / "corpus" / "bpmn" / "miwg" / "reference"
# The only task elements bpmn-python imports (bpmn_diagram_import.__import_element_by_tag_name).
ORACLE_TASKS = frozenset({"task", "userTask", "serviceTask", "manualTask"})
GATEWAY_TAGS = {
    "exclusive": "exclusiveGateway",
    "parallel": "parallelGateway",
    "inclusive": "inclusiveGateway",
    "event_based": "eventBasedGateway",
}
EVENT_TAGS = {
    "start": {"startEvent"},
    "end": {"endEvent"},
    "intermediate": {"intermediateCatchEvent", "intermediateThrowEvent"},
}

Nodes = dict[str, str]
"""Flow node id -> BPMN element name (``task``, ``exclusiveGateway``, ...)."""
Flows = set[tuple[str, str, str]]
"""(sequence flow id, sourceRef, targetRef)."""


pytestmark = pytest.mark.slow  # a third-party oracle (bpmn-python loads pandas and matplotlib)


def _diagram() -> Any:
    """A new, empty ``BpmnDiagramGraph`` (bpmn-python is imported when a test runs, not when the
    tests are collected: it takes seconds)."""
    from bpmn_python.bpmn_diagram_rep import BpmnDiagramGraph

    return BpmnDiagramGraph()


@pytest.fixture(autouse=True)
def _networkx_1_accessors(monkeypatch: pytest.MonkeyPatch) -> None:
    import networkx

    monkeypatch.setattr(networkx.Graph, "node", property(lambda g: g.nodes), raising=False)
    monkeypatch.setattr(networkx.Graph, "edge", property(lambda g: g.adj), raising=False)


def oracle_read(path: Path) -> Any:
    """The file as bpmn-python loads it (a ``BpmnDiagramGraph``)."""
    diagram = _diagram()
    diagram.load_diagram_from_xml_file(str(path))  # minidom.parse takes a str, not a Path
    return diagram


def oracle_load(path: Path) -> tuple[Nodes, Flows]:
    """Flow nodes and sequence flows as bpmn-python reads the file."""
    diagram = oracle_read(path)
    nodes = {
        node_id: data.get("type", "")  # a flow to an element it skipped makes an untyped node
        for node_id, data in diagram.diagram_graph.nodes(data=True)
        if data.get("type") not in ("participant", "dataObject")
    }
    flows = {(i, f["sourceRef"], f["targetRef"]) for i, f in diagram.sequence_flows.items()}
    return nodes, flows


def lxml_count(path: Path) -> tuple[Nodes, Flows]:
    """The same, counted with lxml: every flow node and sequence flow inside a process."""
    nodes: Nodes = {}
    flows: Flows = set()
    for process in etree.parse(str(path)).iter(f"{{{MODEL_NS}}}process"):
        for element in process.iterdescendants(f"{{{MODEL_NS}}}*"):
            name = etree.QName(element).localname
            # every kind, whether bpmn-python knows it or not: one it drops shows as a difference
            if name in BPMN_FLOW_NODES:
                nodes[element.get("id", "")] = name
            elif name == "sequenceFlow":
                ends = (element.get("sourceRef", ""), element.get("targetRef", ""))
                flows.add((element.get("id", ""), *ends))
    return nodes, flows


def pairs(flows: Flows) -> set[tuple[str, str]]:
    return {(source, target) for _, source, target in flows}


# ---- The oracle itself


@pytest.mark.parametrize("name", ["A.1.0", "A.2.0", "A.3.0", "A.4.0", "A.4.1", "C.1.0"])
def test_oracle_reads_miwg_reference_as_lxml_counts_it(name: str) -> None:
    path = MIWG / f"{name}.bpmn"
    if not path.is_file():
        pytest.skip(f"the shared BPMN corpus is absent ({path})")
    nodes, flows = oracle_load(path)
    assert (nodes, flows) == lxml_count(path)
    assert len(nodes) >= 5
    assert len(flows) >= 4


def test_oracle_keeps_both_flows_of_a_loop_its_graph_merges(tmp_path: Path) -> None:
    diagram = _diagram()
    diagram.create_new_diagram_graph(diagram_name="loop")
    process = diagram.add_process_to_diagram()
    task, _ = diagram.add_task_to_diagram(process, task_name="Check")
    gateway, _ = diagram.add_exclusive_gateway_to_diagram(process, gateway_name="Done?")
    forward, _ = diagram.add_sequence_flow_to_diagram(process, task, gateway)
    back, _ = diagram.add_sequence_flow_to_diagram(process, gateway, task)
    assert diagram.diagram_graph.number_of_edges() == 1
    assert set(diagram.sequence_flows) == {forward, back}


# ---- bpmn-python writes, we read


def _bpmn() -> ModuleType:
    """Our reader and writer; the tests using them skip only while the module does not exist (an
    import error inside it fails them)."""
    if importlib.util.find_spec("lastmile_flows.bpmn") is None:
        pytest.skip("lastmile_flows.bpmn (the BPMN reader and writer) does not exist yet")
    return importlib.import_module("lastmile_flows.bpmn")


def _linear(diagram: Any, process: str) -> None:
    start, _ = diagram.add_start_event_to_diagram(process, start_event_name="Order in")
    key, _ = diagram.add_task_to_diagram(process, task_name="Key order")
    confirm, _ = diagram.add_task_to_diagram(process, task_name="Confirm order")
    end, _ = diagram.add_end_event_to_diagram(process, end_event_name="Order out")
    for source, target in [(start, key), (key, confirm), (confirm, end)]:
        diagram.add_sequence_flow_to_diagram(process, source, target)


def _decision(diagram: Any, process: str) -> None:
    start, _ = diagram.add_start_event_to_diagram(process)
    check, _ = diagram.add_task_to_diagram(process, task_name="Check credit")
    split, _ = diagram.add_exclusive_gateway_to_diagram(
        process, gateway_name="Credit OK?", gateway_direction="Diverging"
    )
    release, _ = diagram.add_task_to_diagram(process, task_name="Release")
    hold, _ = diagram.add_task_to_diagram(process, task_name="Hold")
    join, _ = diagram.add_exclusive_gateway_to_diagram(process, gateway_direction="Converging")
    end, _ = diagram.add_end_event_to_diagram(process)
    for source, target, label in [
        (start, check, ""),
        (check, split, ""),
        (split, release, "yes"),
        (split, hold, "no"),
        (release, join, ""),
        (hold, join, ""),
        (join, end, ""),
    ]:
        diagram.add_sequence_flow_to_diagram(process, source, target, sequence_flow_name=label)


def _fork_and_inclusive(diagram: Any, process: str) -> None:
    start, _ = diagram.add_start_event_to_diagram(process)
    fork, _ = diagram.add_parallel_gateway_to_diagram(process, gateway_direction="Diverging")
    pick, _ = diagram.add_task_to_diagram(process, task_name="Pick")
    bill, _ = diagram.add_task_to_diagram(process, task_name="Bill")
    join, _ = diagram.add_parallel_gateway_to_diagram(process, gateway_direction="Converging")
    notify, _ = diagram.add_inclusive_gateway_to_diagram(process, gateway_name="Notify whom?")
    mail, _ = diagram.add_task_to_diagram(process, task_name="Email")
    text, _ = diagram.add_task_to_diagram(process, task_name="SMS")
    merge, _ = diagram.add_inclusive_gateway_to_diagram(process)
    end, _ = diagram.add_end_event_to_diagram(process)
    for source, target in [
        (start, fork),
        (fork, pick),
        (fork, bill),
        (pick, join),
        (bill, join),
        (join, notify),
        (notify, mail),
        (notify, text),
        (mail, merge),
        (text, merge),
        (merge, end),
    ]:
        diagram.add_sequence_flow_to_diagram(process, source, target)


@pytest.mark.parametrize("build", [_linear, _decision, _fork_and_inclusive])
def test_reader_imports_what_bpmn_python_writes(
    build: Callable[[Any, str], None], tmp_path: Path
) -> None:
    bpmn = _bpmn()
    diagram = _diagram()
    diagram.create_new_diagram_graph(diagram_name=build.__name__)
    process_id = diagram.add_process_to_diagram(process_name=build.__name__)
    build(diagram, process_id)
    diagram.export_xml_file(f"{tmp_path}/", "diagram.bpmn")  # it joins these with '+'
    path = tmp_path / "diagram.bpmn"
    written = dict(diagram.diagram_graph.nodes(data=True))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        process = bpmn.read_bpmn(path)
    assert isinstance(process, Process)

    # What the reader assumed, and nothing else: no durations anywhere, and the branch shares
    # of each exclusive or inclusive gateway that splits.
    assert {w.category for w in caught} == {bpmn.BpmnImportWarning}
    notes = [str(w.message) for w in caught]
    splits = {
        i
        for i, d in written.items()
        if d["type"] in ("exclusiveGateway", "inclusiveGateway") and len(d["outgoing"]) > 1
    }
    assert len(notes) == 1 + len(splits)
    assert len([note for note in notes if "no durations" in note]) == 1
    assert {i for i in splits if any(f"id='{i}'" in note for note in notes)} == splits
    assert len(process.roles) == 1  # no lanes: one role does every step

    tasks = {i: d["node_name"] for i, d in written.items() if d["type"] == "task"}
    assert {step.id: step.name for step in process.steps} == tasks
    gateways = {i: d["type"] for i, d in written.items() if d["type"].endswith("Gateway")}
    assert {g.id: GATEWAY_TAGS[g.kind] for g in process.gateways} == gateways
    events_in = {i: d["type"] for i, d in written.items() if d["type"].endswith("Event")}
    assert {e.id: e.kind for e in process.events} == {
        i: {"startEvent": "start", "endEvent": "end"}[t] for i, t in events_in.items()
    }
    assert {(e.source, e.target) for e in process.edges()} == {
        (f["sourceRef"], f["targetRef"]) for f in diagram.sequence_flows.values()
    }
    # the file itself says the same as bpmn-python's memory of it
    assert oracle_load(path) == lxml_count(path)


# ---- We write, bpmn-python reads


def _export(model: Redesign, which: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{which}.bpmn"
    path.write_bytes(_bpmn().write_bpmn(model, which=which))
    return path


def _example(example: str) -> Redesign:
    model = load(PROCESSES / example)
    assert isinstance(model, Redesign)
    return model


def assert_oracle_reads(path: Path, process: Process) -> None:
    """bpmn-python finds in the file what lxml finds, and that is the model: each step, gateway
    and event; each edge case as a boundary event on its step; each flow of the model, and one
    from each edge case with a recovery step to that step."""
    nodes, flows = oracle_load(path)
    assert (nodes, flows) == lxml_count(path)

    expected: dict[str, Collection[str]] = {step.id: ORACLE_TASKS for step in process.steps}
    expected.update({g.id: {GATEWAY_TAGS[g.kind]} for g in process.gateways})
    expected.update({e.id: EVENT_TAGS[e.kind] for e in events(process)})
    assert {i: t for i, t in nodes.items() if i in expected and t not in expected[i]} == {}
    boundary = {
        i: d["attachedToRef"]
        for i, d in oracle_read(path).diagram_graph.nodes(data=True)
        if d.get("type") == "boundaryEvent"
    }
    assert boundary == {case.id: step.id for step, case in process.edge_cases()}
    # an edge case handled outside the process ends at an end event drawn for it
    handled = {
        f"{case.id}_handled": case.id for _, case in process.edge_cases() if not case.recovery_step
    }
    assert {i: nodes[i] for i in handled} == dict.fromkeys(handled, "endEvent")
    assert sorted(nodes) == sorted([*expected, *boundary, *handled])

    recoveries = {
        (case.id, case.recovery_step) for _, case in process.edge_cases() if case.recovery_step
    }
    ends = {(case, end) for end, case in handled.items()}
    assert pairs(flows) == {(e.source, e.target) for e in process.edges()} | recoveries | ends
    assert len(flows) == len(process.edges()) + len(recoveries) + len(ends)


@pytest.mark.parametrize(("example", "which"), EXPORTS, ids=EXPORT_IDS)
def test_bpmn_python_loads_our_export_with_every_node_and_flow(
    example: str, which: str, tmp_path: Path
) -> None:
    model = _example(example)
    assert_oracle_reads(_export(model, which, tmp_path), getattr(model, which))


@pytest.mark.parametrize(("example", "which"), EXPORTS, ids=EXPORT_IDS)
def test_bpmn_python_finds_each_step_in_the_lane_of_its_role(
    example: str, which: str, tmp_path: Path
) -> None:
    model = _example(example)
    process: Process = getattr(model, which)
    (attributes,) = oracle_read(_export(model, which, tmp_path)).process_elements.values()
    lanes = attributes["laneSet"]["lanes"].values()
    lane_of = {node: lane["name"] for lane in lanes for node in lane["flowNodeRefs"]}
    assert {step.id: lane_of.get(step.id) for step in process.steps} == {
        step.id: process.role(step.role).label for step in process.steps
    }


def _every_kind() -> Process:
    """What the examples lack: parallel, inclusive and event-based gateways, intermediate
    events, triggers, and a timer edge case with a recovery step."""
    return Process.parse(
        {
            "id": "every_kind",
            "roles": [{"id": "clerk"}, {"id": "lead"}, {"id": "bot", "kind": "ai"}],
            "events": [
                {"id": "order_in", "kind": "start", "trigger": "message", "next": "fork"},
                {"id": "reply", "kind": "intermediate", "trigger": "message", "next": "file"},
                {"id": "no_reply", "kind": "intermediate", "trigger": "timer", "next": "chase"},
                {"id": "done", "kind": "end"},
            ],
            "steps": [
                {"id": "pick", "role": "clerk", "next": "join"},
                {
                    "id": "extract",
                    "role": "bot",
                    "kind": "ai",
                    "ai_mode": "act",
                    "accountable": "lead",
                    "next": "join",
                    "edge_cases": [
                        {
                            "id": "stuck",
                            "rate": 0.05,
                            "owner": "lead",
                            "trigger": "timer",
                            "recovery_step": "chase",
                        }
                    ],
                },
                {"id": "ask", "role": "clerk", "next": "wait"},
                {"id": "file", "role": "clerk", "next": "notify"},
                {"id": "chase", "role": "lead", "next": "notify"},
                {"id": "mail", "role": "clerk", "next": "merge"},
                {"id": "text", "role": "clerk", "next": "merge"},
            ],
            "gateways": [
                {"id": "fork", "kind": "parallel", "branches": ["pick", "extract"]},
                {"id": "join", "kind": "parallel", "branches": ["ask"]},
                {
                    "id": "wait",
                    "kind": "event_based",
                    "branches": [
                        {"to": "reply", "probability": 0.8},
                        {"to": "no_reply", "probability": 0.2},
                    ],
                },
                {
                    "id": "notify",
                    "kind": "inclusive",
                    "branches": [
                        {"to": "mail", "probability": 0.9},
                        {"to": "text", "probability": 0.4},
                    ],
                },
                {"id": "merge", "kind": "inclusive", "branches": ["done"]},
            ],
        }
    )


def test_bpmn_python_loads_every_gateway_and_event_kind_we_write(tmp_path: Path) -> None:
    process = _every_kind()
    model = Redesign(id="kinds", current=process, redesigned=process, volume_per_month=100)
    path = _export(model, "current", tmp_path)
    assert_oracle_reads(path, process)
    definitions = {
        i: sorted(d["definition_type"] for d in data["event_definitions"])
        for i, data in oracle_read(path).diagram_graph.nodes(data=True)
        if data.get("event_definitions")
    }
    assert definitions == {
        "order_in": ["messageEventDefinition"],
        "reply": ["messageEventDefinition"],
        "no_reply": ["timerEventDefinition"],
        "stuck": ["timerEventDefinition"],
    }
