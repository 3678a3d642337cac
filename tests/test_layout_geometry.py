"""Zero collisions by the layout's own numbers: every view of every example, and of generated
processes and redesigns (5 to 60 steps, 2 to 8 lanes, nested decisions, parallel splits, loops,
edge cases handled elsewhere, long and non-Latin names), including each committee slide.

What Chromium draws of the same diagrams is measured in tests/test_diagram_geometry.py; this
module is the fast loop, and proves the checks themselves catch each kind of collision.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from lastmile_flows import Process, Redesign, load
from lastmile_flows.layout.backend import get_backend
from lastmile_flows.layout.check import KINDS, Drawing, Text, Wire, measure
from lastmile_flows.layout.graph import Rect
from lastmile_flows.layout.swimlanes import shared_lane_order
from lastmile_flows.render.committee import MIN_SCALE, drawing_region, slide_scale
from lastmile_flows.render.diff import diff_scene
from lastmile_flows.render.draw import geometry
from lastmile_flows.render.place import laid_out
from lastmile_flows.render.process import process_scene
from lastmile_flows.render.scene import Scene
from lastmile_flows.render.slicing import committee_parts
from tests.strategies import swimlane_processes, swimlane_redesigns
from tests.support import EXAMPLE_FILES, PROCESSES, examples

BACKEND = get_backend("wasm")
GENERATED = settings(
    max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck), database=None
)


def _collisions(scene: Scene) -> dict[str, list[str]]:
    sized, layout = laid_out(scene, BACKEND)
    report = measure(geometry(scene, sized, layout))
    return report.examples


def _scenes(model: Redesign) -> dict[str, Scene]:
    order = shared_lane_order(model.current, model.redesigned)
    return {
        "before": process_scene(model.current, order=order),
        "after": process_scene(model.redesigned, former_roles=model.current.roles, order=order),
        "diff": diff_scene(model.compare(), model.current, model.redesigned, order=order),
    }


def _slides(model: Redesign) -> dict[str, dict[str, list[str]]]:
    found = {}
    parts = committee_parts(model.compare(), model, BACKEND)
    assert parts, "a committee view has a slide"
    for index, (scene, sized, layout) in enumerate(parts, start=1):
        assert slide_scale(layout, drawing_region()) >= MIN_SCALE, "a slide shrunk below 12 px text"
        report = measure(geometry(scene, sized, layout))
        if report.examples:
            found[f"slide {index}"] = report.examples
    return found


@pytest.mark.slow
def test_every_view_of_every_example_has_no_collision() -> None:
    for example in EXAMPLE_FILES:
        model = load(PROCESSES / example)
        assert isinstance(model, Redesign)
        for view, scene in _scenes(model).items():
            assert _collisions(scene) == {}, f"{example} {view}"
        assert _collisions(process_scene(model.current)) == {}, example
        assert _slides(model) == {}, example


@pytest.mark.slow
@GENERATED
@given(swimlane_processes)
def test_generated_processes_have_no_collision(process: Process) -> None:
    assert _collisions(process_scene(process, order=shared_lane_order(process))) == {}


@pytest.mark.slow
@GENERATED
@given(swimlane_redesigns())
def test_generated_redesigns_have_no_collision_in_any_view_or_slide(model: Redesign) -> None:
    for view, scene in _scenes(model).items():
        assert _collisions(scene) == {}, view
    assert _slides(model) == {}


def test_the_checks_catch_every_kind_of_collision() -> None:
    """Each kind, made on purpose, is found; and touching is not overlapping."""
    box = Rect(100, 100, 100, 50)
    other = Rect(300, 100, 100, 50)
    drawing = Drawing(nodes={"a": box, "b": other})
    drawing.texts += [
        Text("a", Rect(110, 110, 80, 14)),  # inside its node: fine
        Text("b", Rect(310, 110, 80, 14)),
        Text("label", Rect(150, 120, 60, 12), inside=False),  # over a's text and node
        Text("b", Rect(380, 130, 40, 12)),  # leaves its node
    ]
    drawing.wires += [
        Wire("through", ((50, 125), (450, 125)), frozenset({"x", "y"})),  # through a and b
        Wire("arrow", ((250, 200), (250, 140)), frozenset({"z"})),
        Wire("along", ((0, 300), (200, 300)), frozenset()),
        Wire("along2", ((100, 300), (300, 300)), frozenset()),
        Wire("cross", ((150, 250), (150, 350)), frozenset()),
    ]
    drawing.texts.append(Text("t", Rect(245, 130, 10, 12), inside=False))  # under the arrow
    report = measure(drawing)
    assert set(report.counts) == set(KINDS)
    assert report.crossings == 2
    touching = Drawing(
        nodes={"a": box},
        texts=[Text("n", Rect(200, 100, 20, 12), inside=False)],
        wires=[Wire("w", ((100, 150), (200, 150)), frozenset())],
    )
    assert measure(touching).counts == {}
