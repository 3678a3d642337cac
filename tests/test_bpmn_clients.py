"""Our BPMN 2.0 export in real BPMN clients: bpmnlint's ``bpmnlint:recommended`` rules report no
error, and the bpmn.io viewer (bpmn-js) in headless Chromium imports it without a warning and
places every flow node, sequence flow, lane and participant.

The npm packages are pinned in tests/js (``make`` installs them through scripts/js-deps.sh). The
harness proves itself on a small document written here, on a bpmn.io export from the shared corpus,
and on broken documents it must reject. Every document is linted in one run of bpmnlint and opened
in one browser (a page each); the tests read what each saw.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import json
import math
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from lastmile_flows import Redesign, load
from tests.bpmn_geometry import geometry_problems, registry_elements
from tests.support import (
    BPMN_FLOW_NODES,
    EXPORT_IDS,
    EXPORTS,
    JS,
    PROCESSES,
    REPO,
    require_node_modules,
    run_in_chromium,
)

LINT = JS / "lint.mjs"
VIEWER = JS / "node_modules" / "bpmn-js" / "dist" / "bpmn-viewer.production.min.js"
CORPUS = REPO.parent / "shared" / "corpus" / "bpmn"
# Exported by the bpmn.io Camunda Modeler: a pool with three lanes, gateways, 34 sequence flows.
KNOWN_GOOD = CORPUS / "miwg" / "bpmn-io-camunda-modeler-18.6.1" / "C.5.0-export.bpmn"

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
# Every element of these kinds must be drawn: the concrete flow nodes bpmn-js renders, sequence
# flows, lanes and participants (pools).
PLACED = BPMN_FLOW_NODES | {"sequenceFlow", "lane", "participant"}

CHROMIUM_TIMEOUT = 60
"""Seconds bpmn-js has to import and draw one document."""


# ---- bpmnlint


def bpmnlint(paths: list[Path]) -> list[list[dict[str, Any]]]:
    """The reports of ``bpmnlint:recommended`` (and of bpmn-moddle's import) for each file."""
    node = require_node_modules()
    done = subprocess.run(
        [node, str(LINT), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    files = json.loads(done.stdout)["files"]
    assert [file["path"] for file in files] == [str(path) for path in paths]
    return [file["reports"] for file in files]


def lint_errors(reports: list[dict[str, Any]]) -> list[str]:
    return [_describe(r) for r in reports if r["category"] in ("error", "rule-error")]


def lint_warnings(reports: list[dict[str, Any]]) -> list[str]:
    return [_describe(r) for r in reports if r["category"] not in ("error", "rule-error")]


def _describe(report: dict[str, Any]) -> str:
    return f"{report['rule']} {report['id']}: {report['message']}"


# ---- bpmn-js in headless Chromium

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"></head>
<body>
<div id="canvas" style="width: 1600px; height: 1000px"></div>
<pre id="result"></pre>
<script>
const result = {done: false, warnings: [], errors: [], elements: []};
function show() {
  document.getElementById("result").textContent = JSON.stringify(result);
}
window.onerror = (message, source, line) => {
  result.errors.push(`${message} (${source}:${line})`);
  show();
};
window.addEventListener("unhandledrejection", (event) => {
  result.errors.push(`unhandled rejection: ${event.reason}`);
  show();
});
const consoleError = console.error;
console.error = (...args) => {
  result.errors.push(args.map(String).join(" "));
  consoleError(...args);
};
show();
</script>
<script src="__VIEWER__"></script>
<script>
(async () => {
  const viewer = new BpmnJS({container: "#canvas"});
  try {
    const imported = await viewer.importXML(__XML__);
    result.warnings = imported.warnings.map((warning) => warning.message);
  } catch (error) {
    result.errors.push(`importXML failed: ${error.message}`);
    result.warnings = (error.warnings || []).map((warning) => warning.message);
  }
  for (const element of viewer.get("elementRegistry").getAll()) {
    result.elements.push({
      id: element.id,
      type: element.type,
      x: element.x,
      y: element.y,
      width: element.width,
      height: element.height,
      waypoints: element.waypoints ? element.waypoints.map((p) => [p.x, p.y]) : null,
      source: element.source ? element.source.id : null,
      target: element.target ? element.target.id : null,
      host: element.host ? element.host.id : null,
    });
  }
  result.done = true;
  show();
})();
</script>
</body></html>
"""


def bpmn_js_page(xml: bytes) -> str:
    """A page that opens ``xml`` in the bpmn-js viewer and writes what it saw into
    ``<pre id="result">`` as JSON."""
    literal = json.dumps(xml.decode("utf-8")).replace("</", "<\\/")
    return PAGE.replace("__VIEWER__", html.escape(VIEWER.as_uri(), quote=True)).replace(
        "__XML__", literal
    )


def open_in_bpmn_js(documents: dict[str, bytes], folder: Path) -> dict[str, dict[str, Any]]:
    """What bpmn-js saw of each document, each in a page of its own of one headless Chromium
    (tests/js/results.mjs): ``warnings`` of the import, ``errors`` (console errors, uncaught
    exceptions, a failed import) and ``elements`` of its registry with their geometry; or, for a
    page that never finished, ``timeout`` (see :func:`seen_by_bpmn_js`)."""
    pages = {}
    for number, (name, xml) in enumerate(documents.items()):
        pages[name] = folder / f"bpmn-js-{number}.html"
        pages[name].write_text(bpmn_js_page(xml), encoding="utf-8")
    seen = run_in_chromium(
        "results.mjs",
        str(CHROMIUM_TIMEOUT * 1000),
        *pages.values(),
        home=folder,
        timeout=CHROMIUM_TIMEOUT * (len(pages) + 2),
    )
    found: dict[str, dict[str, Any]] = {}
    for name, item in zip(pages, seen, strict=True):
        assert item["page"] == str(pages[name])
        found[name] = (
            {"timeout": item["error"]} if item.get("timeout") else json.loads(item["result"])
        )
    return found


def seen_by_bpmn_js(results: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    """The result for one document; a page that hung fails the test that reads it."""
    result = results[name]
    if "timeout" in result:
        pytest.fail(
            f"bpmn-js did not finish within {CHROMIUM_TIMEOUT} s ({result['timeout']}): it hangs"
            " on some broken geometry (a shape whose width is NaN does this)"
        )
    assert result["done"], result["errors"]
    return result


def placed_ids(xml: bytes) -> list[str]:
    """The ids of the flow nodes, sequence flows, lanes and participants in a BPMN document."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    ids = []
    for element in root.iter(etree.Element):
        name = etree.QName(element)
        if name.namespace == BPMN_NS and name.localname in PLACED:
            ids.append(str(element.get("id")))
    return ids


def bpmn_js_problems(result: dict[str, Any], ids: list[str]) -> list[str]:
    """Import warnings, page errors, and each id bpmn-js did not place: a shape needs a finite
    position and a finite, positive size; a connection two or more finite waypoints."""
    problems = [f"warning: {w}" for w in result["warnings"]]
    problems += [f"error: {e}" for e in result["errors"]]
    registry = {element["id"]: element for element in result["elements"]}
    for id_ in ids:
        element = registry.get(id_)
        if element is None:
            problems.append(f"not placed: {id_}")
        elif element["waypoints"] is not None:
            points = element["waypoints"]
            if len(points) < 2 or not all(_finite(v) for point in points for v in point):
                problems.append(f"bad waypoints: {id_} {points}")
        elif not (
            _finite(element.get("x"))
            and _finite(element.get("y"))
            and _finite(element.get("width"))
            and _finite(element.get("height"))
            and element["width"] > 0
            and element["height"] > 0
        ):
            problems.append(f"bad geometry: {id_} {element}")
    return problems


def _finite(value: Any) -> bool:
    # JSON.stringify writes NaN and Infinity as null, and leaves undefined out.
    return isinstance(value, (int, float)) and math.isfinite(value)


# ---- A small document that both clients accept, and ways to break it

GOOD = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
    id="Definitions" targetNamespace="http://example.com/lastmile">
  <bpmn:collaboration id="Collaboration">
    <bpmn:participant id="Pool" name="Orders" processRef="Process" />
  </bpmn:collaboration>
  <bpmn:process id="Process" name="Orders" isExecutable="false">
    <bpmn:laneSet id="LaneSet">
      <bpmn:lane id="Lane" name="Clerk">
        <bpmn:flowNodeRef>Start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Check</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>End</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="Start" name="Order received">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:task id="Check" name="Check order">
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:task>
    <bpmn:endEvent id="End" name="Order checked">
      <bpmn:incoming>Flow_2</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Check" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Check" targetRef="End" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram">
    <bpmndi:BPMNPlane id="Plane" bpmnElement="Collaboration">
      <bpmndi:BPMNShape id="Pool_di" bpmnElement="Pool" isHorizontal="true">
        <dc:Bounds x="0" y="0" width="500" height="200" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Lane_di" bpmnElement="Lane" isHorizontal="true">
        <dc:Bounds x="30" y="0" width="470" height="200" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Start_di" bpmnElement="Start">
        <dc:Bounds x="82" y="82" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Check_di" bpmnElement="Check">
        <dc:Bounds x="180" y="60" width="100" height="80" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="End_di" bpmnElement="End">
        <dc:Bounds x="352" y="82" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1">
        <di:waypoint x="118" y="100" />
        <di:waypoint x="180" y="100" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2">
        <di:waypoint x="280" y="100" />
        <di:waypoint x="352" y="100" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def _by_id(root: etree._Element, attribute: str, value: str) -> etree._Element:
    return next(e for e in root.iter(etree.Element) if e.get(attribute) == value)


def _remove(root: etree._Element, attribute: str, value: str) -> None:
    element = _by_id(root, attribute, value)
    parent = element.getparent()
    assert parent is not None
    parent.remove(element)


def _dangling_target(root: etree._Element) -> None:
    _by_id(root, "id", "Flow_2").set("targetRef", "Nowhere")


def _no_start_and_a_disconnected_task(root: etree._Element) -> None:
    for flow in ("Flow_1", "Flow_2"):
        _remove(root, "id", flow)
        _remove(root, "bpmnElement", flow)
    _remove(root, "id", "Start")
    _remove(root, "bpmnElement", "Start")
    for element in list(root.iter(etree.Element)):
        name = etree.QName(element).localname
        if name in ("incoming", "outgoing") or element.text == "Start":
            parent = element.getparent()
            assert parent is not None
            parent.remove(element)


def _task_without_shape(root: etree._Element) -> None:
    _remove(root, "bpmnElement", "Check")


def _task_bounds(attribute: str, value: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        _by_id(root, "bpmnElement", "Check")[0].set(attribute, value)

    return change


def broken(change: Callable[[etree._Element], None]) -> bytes:
    root = etree.fromstring(GOOD)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _documents() -> dict[str, bytes]:
    """Every document the clients open here, by name: the small good one, the bpmn.io export
    from the shared corpus (when it is there), each broken one, and each example export."""
    documents = {"good": GOOD}
    if KNOWN_GOOD.is_file():
        documents["known-good"] = KNOWN_GOOD.read_bytes()
    documents |= {f"broken-{name}": broken(change) for name, change in BROKEN.items()}
    if importlib.util.find_spec("lastmile_flows.bpmn") is not None:
        documents |= {
            f"export-{example}-{which}": _export(example, which) for example, which in EXPORTS
        }
    return documents


@pytest.fixture(scope="module")
def documents() -> dict[str, bytes]:
    return _documents()


@pytest.fixture(scope="module")
def linted(
    documents: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[dict[str, Any]]]:
    """bpmnlint's reports on every document, in one run of it (a linter per file)."""
    folder = tmp_path_factory.mktemp("linted")
    files = {name: folder / f"{number}.bpmn" for number, name in enumerate(documents)}
    for name, file in files.items():
        file.write_bytes(documents[name])
    return dict(zip(files, bpmnlint(list(files.values())), strict=True))


@pytest.fixture(scope="module")
def in_bpmn_js(
    documents: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """What bpmn-js saw of every document, all opened in one browser."""
    return open_in_bpmn_js(documents, tmp_path_factory.mktemp("bpmn-js"))


# ---- The harness, proven


@pytest.mark.node
def test_bpmnlint_finds_no_problem_in_the_small_good_document(
    linted: dict[str, list[dict[str, Any]]],
) -> None:
    assert linted["good"] == []


@pytest.mark.node
def test_bpmnlint_checks_each_file_on_its_own(tmp_path: Path) -> None:
    # One bpmnlint Linter remembers sequence flows across files: lint.mjs uses one per file.
    first, second = tmp_path / "first.bpmn", tmp_path / "second.bpmn"
    first.write_bytes(GOOD)
    second.write_bytes(GOOD)
    assert bpmnlint([first, second]) == [[], []]


@pytest.mark.node
@pytest.mark.chromium
def test_bpmn_js_places_every_element_of_the_small_good_document(
    in_bpmn_js: dict[str, dict[str, Any]],
) -> None:
    result = seen_by_bpmn_js(in_bpmn_js, "good")
    ids = placed_ids(GOOD)
    assert sorted(ids) == ["Check", "End", "Flow_1", "Flow_2", "Lane", "Pool", "Start"]
    assert bpmn_js_problems(result, ids) == []
    check = next(e for e in result["elements"] if e["id"] == "Check")
    assert (check["type"], check["x"], check["width"]) == ("bpmn:Task", 180, 100)


@pytest.fixture
def known_good() -> bytes:
    if not KNOWN_GOOD.is_file():
        pytest.skip(f"the shared BPMN corpus is absent ({KNOWN_GOOD})")
    return KNOWN_GOOD.read_bytes()


@pytest.mark.node
def test_bpmnlint_finds_no_error_in_a_bpmn_io_export(
    known_good: bytes, linted: dict[str, list[dict[str, Any]]]
) -> None:
    reports = linted["known-good"]
    assert lint_errors(reports) == [], lint_warnings(reports)


@pytest.mark.node
@pytest.mark.chromium
def test_bpmn_js_places_every_element_of_a_bpmn_io_export(
    known_good: bytes, in_bpmn_js: dict[str, dict[str, Any]]
) -> None:
    result = seen_by_bpmn_js(in_bpmn_js, "known-good")
    ids = placed_ids(known_good)
    assert len(ids) > 60
    assert bpmn_js_problems(result, ids) == []
    types = {e["type"] for e in result["elements"] if e["id"] in ids}
    assert {"bpmn:Participant", "bpmn:Lane", "bpmn:SequenceFlow", "bpmn:UserTask"} <= types


BROKEN = {
    "dangling-target": _dangling_target,
    "no-start-disconnected-task": _no_start_and_a_disconnected_task,
    "task-without-shape": _task_without_shape,
    "task-at-nan-x": _task_bounds("x", "NaN"),
    "task-with-nan-height": _task_bounds("height", "NaN"),
    "task-with-infinite-width": _task_bounds("width", "Infinity"),
    "task-with-negative-width": _task_bounds("width", "-5"),
}
# The rules bpmnlint reports as errors; it checks no geometry.
BPMNLINT_CATCHES = {
    "dangling-target": {"import-warning"},
    "no-start-disconnected-task": {"start-event-required", "no-disconnected"},
    "task-without-shape": {"no-bpmndi"},
}
# How each problem bpmn_js_problems finds starts. bpmn-js fails to draw a shape at x="NaN" and
# says so; it draws the bad sizes without a word, so only the geometry check catches them. (A NaN
# width makes bpmn-js hang, which CHROMIUM_TIMEOUT turns into a failure.) It draws a process
# without a start event and a disconnected task as they are: no problem for the viewer.
BPMN_JS_CATCHES: dict[str, list[str]] = {
    "dangling-target": ["warning: unresolved reference <Nowhere>"],
    "no-start-disconnected-task": [],
    "task-without-shape": ["not placed: Check"],
    "task-at-nan-x": ["warning: Failed to execute 'setTranslate'", "error: "],
    "task-with-nan-height": ["bad geometry: Check"],
    "task-with-infinite-width": ["bad geometry: Check"],
    "task-with-negative-width": ["bad geometry: Check"],
}


@pytest.mark.node
@pytest.mark.parametrize("name", sorted(BPMNLINT_CATCHES))
def test_bpmnlint_reports_errors_in_a_broken_document(
    name: str, linted: dict[str, list[dict[str, Any]]]
) -> None:
    reports = linted[f"broken-{name}"]
    found = {r["rule"] for r in reports if r["category"] == "error"}
    assert BPMNLINT_CATCHES[name] <= found, reports


@pytest.mark.node
@pytest.mark.chromium
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_bpmn_js_harness_reports_what_the_viewer_cannot_show(
    name: str, in_bpmn_js: dict[str, dict[str, Any]]
) -> None:
    xml = broken(BROKEN[name])
    problems = bpmn_js_problems(seen_by_bpmn_js(in_bpmn_js, f"broken-{name}"), placed_ids(xml))
    expected = BPMN_JS_CATCHES[name]
    for start in expected:
        assert any(p.startswith(start) for p in problems), problems
    if not expected:
        assert problems == []


# ---- Our export


def _write_bpmn() -> Callable[..., bytes]:
    """The BPMN writer. These tests skip only while its package does not exist; once it has an
    ``__init__.py``, a missing or broken ``write_bpmn`` fails them."""
    spec = importlib.util.find_spec("lastmile_flows.bpmn")
    if spec is None or spec.origin is None:  # absent, or a folder without __init__.py yet
        pytest.skip("lastmile_flows.bpmn (the BPMN writer) does not exist yet")
    writer: Callable[..., bytes] = importlib.import_module("lastmile_flows.bpmn").write_bpmn
    return writer


def _export(example: str, which: str) -> bytes:
    write_bpmn = _write_bpmn()
    model = load(PROCESSES / example)
    assert isinstance(model, Redesign)
    return write_bpmn(model, which=which)


@pytest.mark.node
@pytest.mark.parametrize(("example", "which"), EXPORTS, ids=EXPORT_IDS)
def test_example_export_has_no_bpmnlint_error(
    example: str, which: str, linted: dict[str, list[dict[str, Any]]]
) -> None:
    _write_bpmn()
    reports = linted[f"export-{example}-{which}"]
    errors = lint_errors(reports)
    assert not errors, "\n".join(["errors:", *errors, "warnings:", *lint_warnings(reports)])


@pytest.mark.node
@pytest.mark.chromium
@pytest.mark.parametrize(("example", "which"), EXPORTS, ids=EXPORT_IDS)
def test_example_export_opens_in_bpmn_js_with_every_element_placed(
    example: str, which: str, in_bpmn_js: dict[str, dict[str, Any]]
) -> None:
    xml = _export(example, which)
    ids = placed_ids(xml)
    assert ids
    seen = seen_by_bpmn_js(in_bpmn_js, f"export-{example}-{which}")
    problems = bpmn_js_problems(seen, ids)
    assert not problems, "\n".join(problems)
    # as bpmn-js draws it: no shape on a shape, all in the pool, right angles, no flow through
    # a shape
    placed = registry_elements(seen)
    assert len([e for e in placed if e.waypoints]) > 10
    assert geometry_problems(placed) == []
