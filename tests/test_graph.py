"""The implicit flow rules: linear processes need no flows; next, branches and flows add them."""

from __future__ import annotations

from lastmile_flows import Branch, Event, Flow, Gateway, Process, Role, Step
from lastmile_flows.model.graph import nodes

CLERK = Role(id="clerk")


def _pairs(process: Process) -> list[tuple[str, str]]:
    return [(edge.source, edge.target) for edge in process.edges()]


def test_steps_listed_in_order_flow_in_order_from_start_to_end() -> None:
    process = Process(
        id="p", roles=[CLERK], steps=[Step(id=n, role="clerk") for n in ("a", "b", "c")]
    )
    assert _pairs(process) == [("start", "a"), ("a", "b"), ("b", "c"), ("c", "end")]


def test_next_overrides_the_step_listed_after() -> None:
    process = Process(
        id="p",
        roles=[CLERK],
        steps=[
            Step(id="a", role="clerk", next="decide"),
            Step(id="fix", role="clerk", next="done"),
            Step(id="done", role="clerk"),
        ],
        gateways=[
            Gateway(
                id="decide",
                branches=[
                    Branch(to="done", probability=0.75, label="fine"),
                    Branch(to="fix", probability=0.25),
                ],
            )
        ],
    )
    assert _pairs(process) == [
        ("start", "a"),
        ("a", "decide"),
        ("fix", "done"),
        ("done", "end"),
        ("decide", "done"),
        ("decide", "fix"),
    ]
    assert [edge.probability for edge in process.edges() if edge.source == "decide"] == [
        0.75,
        0.25,
    ]


def test_a_branch_may_be_written_as_just_its_target() -> None:
    gateway = Gateway(id="join", kind="parallel", branches=["b"])
    assert gateway.branches == (Branch(to="b"),)


def test_explicit_flows_turn_off_the_implicit_ones() -> None:
    process = Process(
        id="p",
        roles=[CLERK],
        steps=[Step(id="b", role="clerk"), Step(id="a", role="clerk")],
        flows=[
            Flow(source="start", target="a"),
            Flow(source="a", target="b"),
            Flow(source="b", target="end"),
        ],
    )
    assert _pairs(process) == [("start", "a"), ("a", "b"), ("b", "end")]


def test_explicit_events_replace_the_default_start_and_end() -> None:
    process = Process(
        id="p",
        roles=[CLERK],
        events=[
            Event(id="order_in", kind="start"),
            Event(id="shipped", kind="end"),
            Event(id="rejected", kind="end"),
        ],
        steps=[
            Step(id="a", role="clerk", next="ok"),
            Step(id="reject", role="clerk", next="rejected"),
            Step(id="ship", role="clerk", next="shipped"),
        ],
        gateways=[
            Gateway(
                id="ok",
                branches=[Branch(to="ship", probability=0.9), Branch(to="reject", probability=0.1)],
            )
        ],
    )
    assert ("order_in", "a") in _pairs(process)
    assert ("reject", "rejected") in _pairs(process)
    assert "start" not in nodes(process)


def test_a_recovery_step_reached_only_through_its_edge_case_is_reachable() -> None:
    process = Process.parse(
        {
            "id": "p",
            "roles": [{"id": "clerk"}],
            "steps": [
                {
                    "id": "a",
                    "role": "clerk",
                    "next": "end",
                    "edge_cases": [{"id": "e", "rate": 0.1, "recovery_step": "fix"}],
                },
                {"id": "fix", "role": "clerk", "next": "end"},
            ],
        }
    )
    assert ("a", "fix") not in _pairs(process)
    assert process.step("fix").name == ""
