"""BPMN export: schema-valid, laid out like our diagrams, deterministic, and lossless."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from lastmile_flows import BpmnError, Process, Redesign, load
from lastmile_flows.bpmn import import_bpmn, write_bpmn
from lastmile_flows.bpmn.names import BPMNDI, DC, LM, MODEL
from lastmile_flows.layout.swimlanes import shared_lane_order
from tests.bpmn_geometry import Placed, di_elements, geometry_problems
from tests.builders import small_process_data
from tests.strategies import process_data
from tests.support import EXAMPLE_FILES, PROCESSES, REPO, example, examples

XSD = REPO.parent / "shared" / "corpus" / "bpmn-xsd" / "BPMN20.xsd"
NS = {"bpmn": MODEL, "bpmndi": BPMNDI, "dc": DC, "lastmile": LM}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    if not XSD.exists():
        pytest.skip(f"the OMG BPMN schema is not at {XSD} (the shared corpus is absent)")
    return etree.XMLSchema(etree.parse(str(XSD)))


def _examples() -> list[Any]:
    """Each example and side; a Python model is slow to read (a child process runs it)."""
    return [
        pytest.param((name, which), marks=[pytest.mark.slow] if name.endswith(".py") else [])
        for name in EXAMPLE_FILES
        for which in ("current", "redesigned")
    ]


@pytest.fixture(scope="module", params=_examples(), ids=lambda p: f"{p[0]}-{p[1]}")
def exported(request: pytest.FixtureRequest) -> tuple[Process, bytes]:
    name, which = request.param
    model = example(name)
    return getattr(model, which), write_bpmn(model, which=which)


@pytest.mark.slow
def test_exports_of_the_examples_validate_against_the_omg_schema(
    schema: etree.XMLSchema, exported: tuple[Process, bytes]
) -> None:
    _, data = exported
    document = etree.fromstring(data)
    assert schema.validate(document), schema.error_log


@pytest.mark.slow
def test_export_then_import_gives_back_the_example_model(exported: tuple[Process, bytes]) -> None:
    process, data = exported
    assert import_bpmn(data).process == process


@pytest.mark.slow
def test_every_element_has_a_shape_or_an_edge(exported: tuple[Process, bytes]) -> None:
    process, data = exported
    document = etree.fromstring(data)
    shaped = {
        item.get("bpmnElement")
        for item in document.iterfind(".//bpmndi:BPMNShape", NS)
        if item.find("dc:Bounds", NS) is not None
    }
    drawn = {
        item.get("bpmnElement")
        for item in document.iterfind(".//bpmndi:BPMNEdge", NS)
        if len(item) >= 2
    }
    nodes = {
        element.get("id")
        for element in document.iterfind("bpmn:process/*", NS)
        if element.get("id") and etree.QName(element).localname not in ("laneSet", "sequenceFlow")
    }
    lanes = {lane.get("id") for lane in document.iterfind(".//bpmn:lane", NS)}
    pools = {p.get("id") for p in document.iterfind(".//bpmn:participant", NS)}
    flows = {f.get("id") for f in document.iterfind("bpmn:process/bpmn:sequenceFlow", NS)}
    assert nodes | lanes | pools <= shaped
    assert flows <= drawn
    step_ids = {step.id for step in process.steps}
    assert step_ids <= nodes
    cases = {case.id for _, case in process.edge_cases()}
    assert cases == {b.get("id") for b in document.iterfind(".//bpmn:boundaryEvent", NS)}


def test_lanes_follow_the_role_order_and_hold_their_steps(exported: tuple[Process, bytes]) -> None:
    """Lane elements in the order of the roles; their shapes stacked in the order the SVG
    diagrams use (fewest lane boundaries crossed), each holding its steps."""
    process, data = exported
    document = etree.fromstring(data)
    lanes = document.findall(".//bpmn:lane", NS)
    assert [lane.get(f"{{{LM}}}role") for lane in lanes] == [role.id for role in process.roles]
    tops = {}
    for lane in lanes:
        shape = document.find(f".//bpmndi:BPMNShape[@bpmnElement='{lane.get('id')}']", NS)
        assert shape is not None
        bounds = shape.find("dc:Bounds", NS)
        assert bounds is not None
        tops[lane.get(f"{{{LM}}}role")] = float(bounds.get("y", "nan"))
        top, height = float(bounds.get("y", "0")), float(bounds.get("height", "0"))
        members = {ref.text for ref in lane.findall("bpmn:flowNodeRef", NS)}
        role = lane.get(f"{{{LM}}}role")
        for step in process.steps:
            if step.role != role:
                continue
            assert step.id in members
            task = document.find(f".//bpmndi:BPMNShape[@bpmnElement='{step.id}']/dc:Bounds", NS)
            assert task is not None
            y = float(task.get("y", "nan"))
            assert top <= y
            assert y + float(task.get("height", "0")) <= top + height
    assert sorted(tops, key=tops.__getitem__) == shared_lane_order(process)


def test_export_is_byte_identical_across_runs() -> None:
    model = load(PROCESSES / "order_entry" / "redesign.yaml")
    first = write_bpmn(model)
    assert all(write_bpmn(model) == first for _ in range(5))
    assert b"uuid" not in first.lower()


def test_export_of_a_process_with_a_dash_and_a_colliding_id() -> None:
    data = small_process_data()
    data["id"] = "order-intake"
    data["steps"][0]["id"] = "Lane_clerk"  # the id the writer would give the clerk's lane
    data["steps"][1]["next"] = None
    process = Process.parse(data)
    exported = write_bpmn(process)
    ids = [str(value) for value in etree.fromstring(exported).xpath("//@id")]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids))
    assert import_bpmn(exported).process == process


def test_a_control_character_is_an_error_naming_the_element() -> None:
    data = small_process_data()
    data["steps"][2]["notes"] = "bell \x07 here"
    with pytest.raises(BpmnError, match="'check'"):
        write_bpmn(Process.parse(data))


def test_which_picks_the_process_of_a_redesign() -> None:
    model = load(PROCESSES / "order_entry" / "redesign.yaml")
    assert isinstance(model, Redesign)
    current = etree.fromstring(write_bpmn(model, which="current"))
    assert current.find("bpmn:process", NS).get(f"{{{LM}}}id") == model.current.id  # type: ignore[union-attr]
    with pytest.raises(BpmnError, match="'current' or 'redesigned'"):
        write_bpmn(model, which="both")


# -- property: any valid model survives export and import --------------------------------------

xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t\r"),
    max_size=20,
)
triggers = st.sampled_from(
    [None, "message", "timer", "error", "escalation", "conditional", "signal"]
)


@st.composite
def bpmn_process_data(draw: st.DrawFn) -> dict[str, Any]:
    """The shared strategy's processes, plus what BPMN adds: events with triggers, an
    intermediate event, every gateway kind, recovery steps, messages, retired edge cases."""
    data = draw(process_data())
    for element in [data, *data["roles"], *data["steps"], *data.get("gateways", [])]:
        if "name" in element:
            element["name"] = draw(xml_text)
    for step in data["steps"]:
        step["notes"] = draw(xml_text)
        for case in step.get("edge_cases", []):
            case["name"] = draw(xml_text)
            case["recovery"] = draw(xml_text)
            case["trigger"] = draw(triggers)
            if any(s["id"] == "rework" for s in data["steps"]) and draw(st.booleans()):
                case["recovery_step"] = "rework"
    if draw(st.booleans()):
        steps = data["steps"]
        events = [{"id": "begin", "kind": "start", "trigger": draw(triggers)}]
        if len(steps) >= 2 and "next" not in steps[0]:
            steps[0]["next"] = "wait"
            events.append(
                {"id": "wait", "kind": "intermediate", "trigger": "timer", "next": steps[1]["id"]}
            )
        events.append({"id": "end", "kind": "end", "name": draw(xml_text)})
        data["events"] = events
    for gateway in data.get("gateways", []):
        gateway["kind"] = draw(st.sampled_from(["exclusive", "event_based", "inclusive"]))
        for branch in gateway["branches"]:
            branch["label"] = draw(xml_text)
    if draw(st.booleans()):
        data["messages"] = [
            {"source": data["steps"][0]["id"], "target": "sys", "name": draw(xml_text)}
        ]
    if draw(st.booleans()):
        data["retired_edge_cases"] = [{"id": "gone", "reason": draw(xml_text.filter(bool))}]
    for record in data.get("evidence", []):
        record["source"] = draw(xml_text.filter(bool))
        record["method"] = draw(xml_text)
    data["notes"] = draw(xml_text)
    data["description"] = draw(xml_text)
    data["version"] = draw(xml_text)
    for role in data["roles"]:
        role["notes"] = draw(xml_text)
    return data


@pytest.mark.slow
@settings(max_examples=examples(80), deadline=None)
@given(bpmn_process_data().map(Process.parse))
def test_export_then_import_gives_an_equal_model(process: Process) -> None:
    exported = write_bpmn(process)
    assert import_bpmn(exported).process == process
    assert write_bpmn(import_bpmn(exported).process) == exported
    assert geometry_problems(di_elements(exported)) == []


def test_the_exports_diagram_has_no_shape_on_a_shape_and_no_slanted_or_blocked_flow(
    exported: tuple[Process, bytes],
) -> None:
    _, data = exported
    elements = di_elements(data)
    assert len([e for e in elements if e.waypoints]) > 10
    assert geometry_problems(elements) == []


def test_the_geometry_check_sees_each_kind_of_fault() -> None:
    pool = Placed("pool", "Participant", 0, 0, 1000, 400)
    task = Placed("a", "Task", 100, 100, 100, 80)
    boundary = Placed("b", "BoundaryEvent", 130, 162, 36, 36, host="a")
    assert geometry_problems([pool, task, boundary]) == [], "a boundary event on its task"
    faults = {
        "Task a overlaps Task c": [Placed("c", "Task", 150, 60, 100, 60)],
        "EndEvent e is in no pool": [Placed("e", "EndEvent", 990, 390, 36, 36)],
        "f has a slanted segment": [Placed("f", "SequenceFlow", waypoints=((0, 0), (50, 60)))],
        "g runs through Task a": [
            Placed("g", "SequenceFlow", waypoints=((20, 140), (400, 140)), source="s", target="t")
        ],
    }
    for expected, extra in faults.items():
        found = geometry_problems([pool, task, boundary, *extra])
        assert len(found) == 1
        assert found[0].startswith(expected), found
    # a flow leaving its boundary event crosses its own task's border, not through another's
    out = Placed("h", "SequenceFlow", waypoints=((148, 198), (148, 300)), source="b", target="x")
    assert geometry_problems([pool, task, boundary, out]) == []
