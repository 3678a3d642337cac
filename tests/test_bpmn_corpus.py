"""The shared BPMN corpus (604 files from 13+ tools): every file imports or fails with a typed
error naming the file; MIWG reference models import with the counts an independent XML count
gives; the README's import-rate table is what this run measures."""

from __future__ import annotations

import os
import re
import signal
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from lastmile_flows import BpmnError, LastmileError
from lastmile_flows.bpmn import import_bpmn
from tests.support import REPO

CORPUS = REPO.parent / "shared" / "corpus" / "bpmn"
MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
TASKS = {
    "task", "userTask", "manualTask", "sendTask", "receiveTask", "serviceTask", "scriptTask",
    "businessRuleTask", "callActivity", "subProcess", "transaction", "adHocSubProcess",
}  # fmt: skip
GATEWAYS = {
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
    "complexGateway",
}  # fmt: skip
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no BPMN corpus at {CORPUS}"),
]


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "INDEX.tsv")


def source_of(path: Path) -> str:
    return path.relative_to(CORPUS).parts[0]


def _alarm(signum: int, frame: Any) -> None:
    raise TimeoutError


def outcomes() -> dict[Path, str | Exception]:
    """Each corpus file: 'ok', or the typed error it raised."""
    found: dict[Path, str | Exception] = {}
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for path in corpus_files():
            signal.alarm(20)  # a hang guard: no file may take this long
            try:
                import_bpmn(path)
                found[path] = "ok"
            except LastmileError as error:
                found[path] = error
            finally:
                signal.alarm(0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return found


@pytest.fixture(scope="module")
def results() -> dict[Path, str | Exception]:
    return outcomes()


def test_every_corpus_file_imports_or_fails_with_a_typed_error_naming_it(
    results: dict[Path, str | Exception],
) -> None:
    assert len(results) >= 600
    for path, outcome in results.items():
        if isinstance(outcome, Exception):
            assert isinstance(outcome, BpmnError), (path, outcome)
            assert str(outcome).startswith(str(path)), outcome
            assert outcome.reason


def rate_table(results: dict[Path, str | Exception]) -> list[str]:
    """The README's table, one row per corpus source."""
    total: Counter[str] = Counter()
    imported: Counter[str] = Counter()
    for path, outcome in results.items():
        total[source_of(path)] += 1
        imported[source_of(path)] += outcome == "ok"
    rows = ["| corpus folder | files | imported | rate |", "|---|---:|---:|---:|"]
    for source in sorted(total):
        rows.append(
            f"| {source} | {total[source]} | {imported[source]} | "
            f"{100 * imported[source] / total[source]:.0f}% |"
        )
    all_files, all_imported = sum(total.values()), sum(imported.values())
    rows.append(f"| all | {all_files} | {all_imported} | {100 * all_imported / all_files:.0f}% |")
    return rows


def test_the_readme_reports_the_import_rate_this_run_measures(
    results: dict[Path, str | Exception],
) -> None:
    readme = (REPO / "README.md").read_text()
    block = re.search(r"<!-- corpus-rates -->\n(.*?)\n<!-- /corpus-rates -->", readme, re.S)
    assert block is not None, "README lost its <!-- corpus-rates --> block"
    assert block.group(1).splitlines() == rate_table(results)


def _count(path: Path) -> dict[str, set[str]]:
    """Ids by category, counted from the XML with lxml alone (top level of each process)."""
    root = etree.parse(str(path)).getroot()
    found: dict[str, set[str]] = {"step": set(), "gateway": set(), "event": set(), "lane": set()}
    found["flow"] = set()
    for process in root.iter(f"{{{MODEL}}}process"):
        for element in process:
            name = etree.QName(element).localname if isinstance(element.tag, str) else ""
            key = (
                "step" if name in TASKS and element.get("triggeredByEvent") != "true"
                else "gateway" if name in GATEWAYS
                else "event" if name in EVENTS
                else "flow" if name == "sequenceFlow"
                else None
            )  # fmt: skip
            if key:
                found[key].add(element.get("id", ""))
        for lane in process.iter(f"{{{MODEL}}}lane"):
            if lane.find(f"{{{MODEL}}}childLaneSet/{{{MODEL}}}lane") is None:
                found["lane"].add(lane.get("id", ""))
    return found


MIWG = sorted((CORPUS / "miwg" / "reference").glob("*.bpmn")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", MIWG, ids=[p.stem for p in MIWG])
def test_miwg_reference_models_import_with_independent_counts(path: Path) -> None:
    expected = _count(path)
    result = import_bpmn(path)
    process = result.process
    dropped = {
        note.element_id
        for note in result.notes
        if "not imported" in note.message and not note.message.startswith("vendor")
    }
    assert {s.id for s in process.steps} == expected["step"] - dropped
    file_gateways = {g.id for g in process.gateways if not g.id.endswith("-split")}
    assert file_gateways == expected["gateway"] - dropped
    kept_events = {e.id for e in process.events if not e.id.endswith(("-end", "-start"))}
    assert kept_events == expected["event"] - dropped
    lane_roles = {r.id for r in process.roles} & expected["lane"]
    assert lane_roles == expected["lane"]
    # every sequence flow between imported nodes is in the model (directly, or through the
    # gateway the import put after a node that split implicitly)
    tree = etree.parse(str(path)).getroot()
    nodes = {s.id for s in process.steps} | {g.id for g in process.gateways}
    nodes |= {e.id for e in process.events}
    pairs = {(e.source, e.target) for e in process.edges()}
    for flow in tree.iter(f"{{{MODEL}}}sequenceFlow"):
        source, target = flow.get("sourceRef"), flow.get("targetRef")
        if flow.get("id") in expected["flow"] and source in nodes and target in nodes:
            assert (source, target) in pairs or (f"{source}-split", target) in pairs, flow.get("id")


def main() -> None:
    """Print the README table: python -m tests.test_bpmn_corpus"""
    print("\n".join(rate_table(outcomes())))


if __name__ == "__main__" and os.environ.get("PYTEST_CURRENT_TEST") is None:
    main()
