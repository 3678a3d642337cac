"""Zero collisions as Chromium draws the diagrams: every SVG checked in under processes/ (before,
after, diff, side-by-side and each committee slide of every example), a process drawn alone,
and generated processes and redesigns. Boxes, text and paths are read back from headless
Chromium (tests/js/geometry.mjs: getBoundingClientRect, getPointAtLength) and measured with
:func:`lastmile_flows.layout.check.measure`; committee slides are shown at 1920 x 1080 and every
text on them must be 12 px or more. Every route must be right-angled as drawn.

The harness proves itself on a diagram spoiled on purpose (a label moved onto a step, a route
drawn through one, a slanted route)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from lxml import etree

from lastmile_flows import Process, Redesign, load
from lastmile_flows.layout.check import measure
from lastmile_flows.render import svg_bytes
from lastmile_flows.render.api import svg_roots
from lastmile_flows.render.committee import MIN_TEXT, SLIDE
from tests.readback import ReadBack, read_back
from tests.strategies import swimlane_processes, swimlane_redesigns
from tests.support import PROCESSES

pytestmark = [pytest.mark.chromium, pytest.mark.node]

CHECKED_IN = sorted(PROCESSES.rglob("*.svg"))


def _size(path: Path) -> tuple[float, float]:
    root = etree.parse(str(path)).getroot()
    return float(root.get("width", "0")), float(root.get("height", "0"))


def _jobs(paths: list[Path]) -> list[tuple[Path, float, float]]:
    return [(path, *_size(path)) for path in paths]


def _problems(seen: ReadBack) -> dict[str, object]:
    report = measure(seen.drawing)
    found: dict[str, object] = dict(report.examples)
    if seen.slanted:
        found["slanted"] = seen.slanted
    return found


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ReadBack]:
    folder = tmp_path_factory.mktemp("library")
    alone = folder / "order_entry.current.svg"
    model = load(PROCESSES / "order_entry" / "redesign.yaml")
    assert isinstance(model, Redesign)
    alone.write_bytes(svg_bytes(model.current))
    jobs = _jobs([*CHECKED_IN, alone])
    return {
        f"{Path(seen.file).parent.name}/{Path(seen.file).name}": seen
        for seen in read_back(jobs, folder)
    }


def test_the_library_has_a_committee_view_for_every_redesign() -> None:
    redesigns = [p for p in CHECKED_IN if p.name.endswith(".diff.svg")]
    assert len(redesigns) == 3
    for diff in redesigns:
        stem = diff.name.removesuffix(".diff.svg")
        slides = list(diff.parent.glob(f"{stem}.committee*.svg"))
        assert slides, diff


def test_every_checked_in_diagram_has_no_collision_as_drawn(library: dict[str, ReadBack]) -> None:
    assert len(library) == len(CHECKED_IN) + 1
    for name, seen in library.items():
        assert len(seen.drawing.nodes) >= 3, f"{name}: the harness saw the nodes"
        assert len(seen.drawing.wires) >= 2, f"{name}: the harness saw the routes"
        assert _problems(seen) == {}, name


def test_committee_slides_have_no_text_under_12_px_at_1920_by_1080(
    library: dict[str, ReadBack],
) -> None:
    slides = {name: seen for name, seen in library.items() if ".committee" in name}
    assert len(slides) >= 3
    for name, seen in slides.items():
        sizes = [text["px"] for text in seen.texts if text["text"].strip()]
        assert len(sizes) > 20, name
        assert min(sizes) >= MIN_TEXT - 0.01, f"{name}: {min(sizes):.1f} px"
        node_text = min(seen.text_px.values())
        assert node_text >= MIN_TEXT - 0.01, f"{name}: node text {node_text:.1f} px"


def test_the_harness_sees_a_label_on_a_step_a_route_through_one_and_a_slant(
    tmp_path: Path,
) -> None:
    source = PROCESSES / "order_entry" / "redesign.after.svg"
    root = etree.parse(str(source)).getroot()
    ns = {"svg": "http://www.w3.org/2000/svg"}
    step = root.find(".//svg:g[@id='step-pick_pack']/svg:rect", ns)
    assert step is not None
    x, y = float(step.get("x", "0")), float(step.get("y", "0"))
    label = root.find(".//svg:g[@id='flow-credit_ok-check_stock']/svg:text", ns)
    assert label is not None
    label.set("x", str(x + 4))
    label.set("y", str(y + 14))
    path = root.find(".//svg:g[@id='flow-dispatch-invoice']/svg:path", ns)
    assert path is not None
    path.set("d", f"M{x - 40},{y + 20} L{x + 400},{y + 20}")
    slant = root.find(".//svg:g[@id='flow-pick_pack-dispatch']/svg:path", ns)
    assert slant is not None
    start = re.match(r"M([0-9.]+),([0-9.]+)", slant.get("d", ""))
    assert start is not None
    slant.set("d", f"M{start[1]},{start[2]} L{float(start[1]) + 30},{float(start[2]) + 30}")
    spoiled = tmp_path / "spoiled.svg"
    spoiled.write_bytes(etree.tostring(root))
    (seen,) = read_back(_jobs([spoiled]), tmp_path)
    report = measure(seen.drawing)
    assert "flow-credit_ok-check_stock on step-pick_pack" in report.examples["text-on-node"]
    assert "flow-dispatch-invoice through step-pick_pack" in report.examples["edge-through-node"]
    assert seen.slanted == ["flow-pick_pack-dispatch"]


GENERATED = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,
    phases=[Phase.generate],
)


def test_generated_diagrams_have_no_collision_as_drawn(tmp_path: Path) -> None:
    """A few generated processes and redesigns (every view, every slide), drawn and measured in
    one browser: the fast layout-only test covers many more, this shows Chromium agrees."""
    files: list[Path] = []

    @GENERATED
    @given(swimlane_processes)
    def processes(process: Process) -> None:
        path = tmp_path / f"process-{len(files)}.svg"
        path.write_bytes(svg_bytes(process))
        files.append(path)

    @GENERATED
    @given(swimlane_redesigns())
    def redesigns(model: Redesign) -> None:
        number = len(files)
        for view in ("before", "after", "diff", "side-by-side"):
            path = tmp_path / f"redesign-{number}.{view}.svg"
            path.write_bytes(svg_bytes(model, view=view))
            files.append(path)
        for index, slide in enumerate(svg_roots(model, view="committee"), start=1):
            path = tmp_path / f"redesign-{number}.committee-{index}.svg"
            path.write_bytes(etree.tostring(slide))
            files.append(path)

    processes()
    redesigns()
    assert len(files) >= 6 + 6 * 5
    for seen in read_back(_jobs(files), tmp_path):
        name = Path(seen.file).name
        assert _problems(seen) == {}, name
        if ".committee" in name:
            assert (_size(Path(seen.file))) == SLIDE
            sizes = [text["px"] for text in seen.texts if text["text"].strip()]
            assert min(sizes) >= MIN_TEXT - 0.01, name
