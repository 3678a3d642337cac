"""BPMN import: what each BPMN element becomes, and what is noted instead of dropped."""

from __future__ import annotations

import gc

import pytest

from lastmile_flows import BpmnError, BpmnImportWarning, Process, compare, read_bpmn
from lastmile_flows.bpmn import import_bpmn
from lastmile_flows.bpmn.records import IdMap
from tests.bpmn_documents import CLAIMS, HEAD


@pytest.fixture(scope="module")
def claims() -> tuple[Process, list[str]]:
    result = import_bpmn(CLAIMS.encode())
    return result.process, [str(note) for note in result.notes]


def test_nested_lanes_become_roles_named_by_their_path(claims: tuple[Process, list[str]]) -> None:
    process, _ = claims
    assert [(r.id, r.label, r.kind) for r in process.roles] == [
        ("intake", "Office / Intake", "human"),
        ("intake-systems", "Office / Intake (systems)", "system"),
        ("adjuster", "Office / Adjuster", "human"),
        ("customer", "Customer", "human"),
    ]
    assert process.step("register").role == "intake"
    assert process.step("score").role == "intake-systems"
    assert process.step("score").kind == "system"


def test_a_boundary_event_is_an_edge_case_owned_by_the_lane_that_handles_it(
    claims: tuple[Process, list[str]],
) -> None:
    process, notes = claims
    (case,) = process.step("assess").edge_cases
    assert (case.id, case.trigger, case.owner, case.recovery_step) == (
        "late",
        "timer",
        "adjuster",
        "fraud",
    )
    assert case.rate == 0
    assert any("late" in note and "no rate" in note for note in notes)


def test_gateways_flows_messages_and_notes(claims: tuple[Process, list[str]]) -> None:
    process, notes = claims
    (gateway,) = process.gateways
    assert [(b.to, b.probability, b.label) for b in gateway.branches] == [
        ("notify", 0.5, "no"),
        ("assess", 0.5, "${risk > 0.8}"),
    ]
    assert process.events[0].trigger == "message"
    assert [(m.source, m.target) for m in process.messages] == [
        ("customer", "start"),
        ("notify", "customer"),
    ]
    assert process.notes == "Motor claims, 2025."
    assert process.step("assess").notes == "Photos first.\n\nSlowest step"
    assert any("'file'" in n and "data object" in n for n in notes)
    assert any("camunda:assignee" in n for n in notes)
    assert any("assumed equal" in n for n in notes)


def test_an_imported_process_can_be_compared_and_audited(
    claims: tuple[Process, list[str]],
) -> None:
    process, _ = claims
    comparison = compare(process, process)
    assert comparison.steps
    assert all(change.change == "unchanged" for change in comparison.steps)


def test_implicit_split_start_and_end_are_made_explicit() -> None:
    source = (
        HEAD
        + """
  <bpmn:process id="p">
    <bpmn:task id="a" name="A"/>
    <bpmn:task id="b" name="B"/>
    <bpmn:task id="c" name="C"/>
    <bpmn:sequenceFlow id="f1" sourceRef="a" targetRef="b"/>
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="c"/>
  </bpmn:process>
</bpmn:definitions>"""
    )
    result = import_bpmn(source.encode())
    process = result.process
    assert {g.id: g.kind for g in process.gateways} == {"a-split": "parallel"}
    assert {e.kind for e in process.events} == {"start", "end"}
    pairs = {(e.source, e.target) for e in process.edges()}
    assert {("a", "a-split"), ("a-split", "b"), ("a-split", "c")} <= pairs
    assert {("b", "b-end"), ("c", "c-end")} <= pairs
    assert any("no start event" in str(note) for note in result.notes)


def test_read_bpmn_issues_each_note_as_a_warning() -> None:
    with pytest.warns(BpmnImportWarning) as caught:
        read_bpmn(CLAIMS.encode())
    assert len(caught) == len(import_bpmn(CLAIMS.encode()).notes)


def test_choosing_a_pool_that_does_not_exist_names_the_valid_ones() -> None:
    with pytest.raises(BpmnError, match="valid: claims, customer, insurer"):
        import_bpmn(CLAIMS.encode(), process="vendor")


def test_a_file_without_tasks_is_an_error_naming_the_process() -> None:
    source = HEAD + '<bpmn:process id="empty"><bpmn:startEvent id="s"/></bpmn:process>'
    with pytest.raises(BpmnError, match=r'<process id="empty">: no task'):
        import_bpmn((source + "</bpmn:definitions>").encode())


def test_a_bad_lastmile_value_names_the_element_and_line() -> None:
    source = CLAIMS.replace(
        '<bpmn:userTask id="fraud" name="Fraud check"/>',
        '<bpmn:userTask id="fraud" name="Fraud check" '
        'xmlns:lastmile="urn:lastmile-flows:bpmn:1" lastmile:touchMinutes="soon"/>',
    )
    with pytest.raises(BpmnError, match="fraud") as raised:
        import_bpmn(source.encode())
    assert (raised.value.element_id, raised.value.tag) == ("fraud", "userTask")
    assert (
        raised.value.line
        == source.splitlines().index(
            next(line for line in source.splitlines() if 'id="fraud"' in line)
        )
        + 1
    )
    assert "touch_minutes" in str(raised.value)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_import_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        import_bpmn(CLAIMS.encode())
        assert gc.isenabled() is enabled
        with pytest.raises(BpmnError, match="not well-formed"):
            import_bpmn(b"<definitions")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_a_comment_among_vendor_extension_elements_is_skipped_and_the_vendor_data_noted() -> None:
    document = HEAD + (
        '<bpmn:process id="p"><bpmn:startEvent id="s"/>'
        '<bpmn:task id="t" name="Check"><bpmn:extensionElements><!-- by hand -->'
        "<camunda:inputOutput/></bpmn:extensionElements></bpmn:task>"
        '<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/></bpmn:process>'
        "</bpmn:definitions>"
    )
    notes = [str(note) for note in import_bpmn(document.encode()).notes]
    assert "vendor extension data not imported: camunda:inputOutput" in "\n".join(notes)


def test_only_ids_that_are_valid_model_ids_are_kept_as_they_are() -> None:
    ids = IdMap()
    ids.reserve(["ok", "a-b", "_", "t\n", "x y", "1a", "", "\u00e9t\u00e9", "z"])
    assert [ids.known(i) for i in ("ok", "a-b", "_", "z")] == ["ok", "a-b", "_", "z"]
    assert [ids.known(i) for i in ("t\n", "x y", "1a", "", "\u00e9t\u00e9")] == [None] * 5
    assert ids("t\n") == "t_"
