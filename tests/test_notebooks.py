"""The analyses in notebooks/ run end to end (nbclient, a real kernel) and are stored without
outputs, so their diffs stay reviewable. Each notebook asserts its own story as it goes."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.support import REPO, shared_log

NOTEBOOKS = REPO / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_there_are_the_three_analyses() -> None:
    assert [path.name for path in PATHS] == [
        "from_bpmn.ipynb",
        "from_event_log.ipynb",
        "order_entry_redesign.ipynb",
        "trust_calibration.ipynb",
    ]


@pytest.mark.parametrize("path", PATHS, ids=[path.stem for path in PATHS])
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    book = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(book)
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: clear the outputs before committing"
            assert cell.execution_count is None


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=[path.stem for path in PATHS])
def test_notebook_runs_and_shows_its_diagrams(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if path.stem == "from_event_log":  # reads a shared log in place, wherever it runs
        monkeypatch.setenv("LASTMILE_LOGS", str(shared_log("PurchasingExample.csv.gz").parent))
    # run in a copy of the two folders they use, so what they save stays out of the repository
    for folder in ("notebooks", "processes"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    book = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    where = {"metadata": {"path": str(tmp_path / "notebooks")}}
    client = NotebookClient(book, timeout=300, kernel_name="python3", resources=where)
    client.execute()  # a failing cell (an assert of the story included) raises here
    outputs = [output for cell in book.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    svgs = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) >= 2, "the diagrams are shown inline"
    assert all(o["data"]["image/svg+xml"].lstrip().startswith("<?xml") for o in svgs)
    if path.stem == "order_entry_redesign":
        saved = tmp_path / "build" / "reports" / "order_entry_launchable.html"
        assert saved.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
