"""``render --check`` settles unchanged model files by their bytes: no model loaded, no Python
model run; anything it cannot settle goes to the full check, which decides as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from lastmile_flows.cli.exitcodes import ExitCode
from lastmile_flows.render.svg import read_stamp
from lastmile_flows.review import fresh
from tests.builders import small_process_data
from tests.support import PROCESSES, copy_folder, lastmile, render_folder

COMMENT = "# a comment changes the bytes, not the model\n"


@pytest.fixture(scope="module")
def drawn_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with one process file and its SVG, drawn once for the module."""
    folder = tmp_path_factory.mktemp("fresh") / "library"
    folder.mkdir()
    (folder / "orders.yaml").write_text(yaml.safe_dump(small_process_data(), sort_keys=False))
    return render_folder(folder)


@pytest.fixture
def library(drawn_once: Path, tmp_path: Path) -> Path:
    """A copy of the drawn folder, free to change."""
    return copy_folder(drawn_once, tmp_path)


def _refuse_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("a model was loaded")

    from lastmile_flows import files

    monkeypatch.setattr(files, "load_all", refuse)
    monkeypatch.setattr("lastmile_flows.review.batch.load_all", refuse)


def test_an_unchanged_library_is_current_without_loading_a_model(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _refuse_loading(monkeypatch)
    done = lastmile("render", "--check", str(library))
    assert done.code == ExitCode.OK, done.err
    assert "1 diagrams up to date" in done.err


def test_the_stamp_names_the_model_file_its_bytes_and_every_drawing(library: Path) -> None:
    stamp = read_stamp((library / "orders.svg").read_bytes())
    assert stamp is not None
    assert stamp["inputs"] == "orders.yaml"
    assert stamp["outputs"] == "orders.svg:process"
    assert stamp["inputs-sha256"] == fresh.inputs_digest(library, ["orders.yaml"])


def test_a_comment_sends_the_file_to_the_full_check_which_passes(library: Path) -> None:
    model = library / "orders.yaml"
    model.write_text(COMMENT + model.read_text())
    _, _, everything = fresh.settle_under([library])
    assert not everything
    done = lastmile("render", "--check", str(library))
    assert done.code == ExitCode.OK, done.err  # the same model: the drawing is current


def test_a_changed_model_is_stale(library: Path) -> None:
    model = library / "orders.yaml"
    model.write_text(model.read_text().replace("touch_minutes: 10", "touch_minutes: 11"))
    done = lastmile("render", "--check", str(library))
    assert done.code == ExitCode.FINDINGS
    assert "orders.svg: model changed" in done.err


def test_a_missing_drawing_is_reported(library: Path) -> None:
    (library / "orders.svg").unlink()
    done = lastmile("render", "--check", str(library))
    assert done.code == ExitCode.FINDINGS
    assert "orders.svg: missing" in done.err


def test_a_drawing_of_another_renderer_is_not_settled(library: Path) -> None:
    svg = library / "orders.svg"
    stamp = read_stamp(svg.read_bytes())
    assert stamp is not None
    svg.write_bytes(svg.read_bytes().replace(stamp["renderer"].encode(), b"lastmile_flows 0.0"))
    _, _, everything = fresh.settle_under([library])
    assert not everything
    done = lastmile("render", "--check", str(library))
    assert done.code == ExitCode.FINDINGS
    assert "drawn by another lastmile or Graphviz version" in done.err


def test_a_copied_drawing_claiming_another_view_is_not_settled(tmp_path: Path) -> None:
    """The view a file claims must be the one its name stands for."""
    target = tmp_path / "order_entry"
    shutil.copytree(PROCESSES / "order_entry", target)
    _, _, everything = fresh.settle_under([target])
    assert everything
    (target / "redesign.after.svg").write_bytes((target / "redesign.before.svg").read_bytes())
    _, _, everything = fresh.settle_under([target])
    assert not everything


def test_a_left_over_slide_is_not_settled(tmp_path: Path) -> None:
    target = tmp_path / "order_entry"
    shutil.copytree(PROCESSES / "order_entry", target)
    extra = target / "redesign.committee-9.svg"
    shutil.copy(target / "redesign.committee-1.svg", extra)
    _, _, everything = fresh.settle_under([target])
    assert not everything


def test_a_changed_process_file_of_a_redesign_unsettles_the_redesign(tmp_path: Path) -> None:
    target = tmp_path / "order_entry"
    shutil.copytree(PROCESSES / "order_entry", target)
    done, drawings, everything = fresh.settle_under([target])
    assert everything
    assert drawings == 5
    assert {file.name for file, _ in done} == {"redesign.yaml"}  # its two process files: parts
    part = target / "current.yaml"
    part.write_text(COMMENT + part.read_text())
    done, _, everything = fresh.settle_under([target])
    assert not everything
    assert not done


def test_python_models_are_not_settled_when_python_is_off(tmp_path: Path) -> None:
    target = tmp_path / "maintenance"
    shutil.copytree(PROCESSES / "maintenance", target)
    assert fresh.settle_under([target])[2]
    assert not fresh.settle_under([target], python=False)[2]


def test_a_png_library_is_settled_only_at_its_scale(tmp_path: Path) -> None:
    target = tmp_path / "order_entry"
    shutil.copytree(PROCESSES / "order_entry", target)
    assert not fresh.settle_under([target], fmt="png")[2]  # no PNGs drawn


@pytest.mark.parametrize("name", ["plain.yaml", "with space.yaml", "colon:and%.yaml", "ünï.yaml"])
def test_file_names_survive_the_stamp(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("x")
    stamp = fresh.file_stamp([str(tmp_path / name)], {f"{name}.svg": "process"}, tmp_path)
    assert fresh._inputs(stamp["inputs"]) == [name]
    assert fresh._outputs(stamp["outputs"]) == {f"{name}.svg": "process"}
    assert " " not in stamp["inputs"]
    assert '"' not in stamp["outputs"]


def test_the_quick_reading_of_a_stamp_agrees_with_the_xml_parser() -> None:
    svgs = sorted(PROCESSES.rglob("*.svg"))
    assert len(svgs) == 22
    for svg in svgs:
        assert fresh.quick_stamp(svg) == read_stamp(svg.read_bytes()), svg


def test_a_stamp_with_anything_but_plain_attributes_is_not_read(tmp_path: Path) -> None:
    svg = tmp_path / "x.svg"
    good = (PROCESSES / "order_entry" / "redesign.diff.svg").read_bytes()
    svg.write_bytes(good.replace(b' view="diff"/>', b' view="diff" <x/>/>', 1))
    assert fresh.quick_stamp(svg) is None
    svg.write_bytes(b"<svg/>" + good)
    assert fresh.quick_stamp(svg) is None


@pytest.mark.slow
def test_a_python_model_s_own_modules_are_among_its_inputs(tmp_path: Path) -> None:
    folder = tmp_path / "py"
    folder.mkdir()
    (folder / "_shared_steps.py").write_text(f"DATA = {small_process_data()!r}\n")
    (folder / "orders.py").write_text(
        "import os, sys\n"
        "sys.path.insert(0, os.path.dirname(__file__))\n"
        "from _shared_steps import DATA\n"
        "from lastmile_flows import Process\n"
        "ORDERS = Process.parse(DATA)\n"
    )
    render_folder(folder)
    stamp = read_stamp((folder / "orders.svg").read_bytes())
    assert stamp is not None
    assert stamp["inputs"] == "orders.py _shared_steps.py"
    assert fresh.settle_under([folder])[2]
    helper = folder / "_shared_steps.py"
    helper.write_text(helper.read_text().replace("'touch_minutes': 10", "'touch_minutes': 11"))
    assert not fresh.settle_under([folder])[2]
    done = lastmile("render", "--check", str(folder))
    assert done.code == ExitCode.FINDINGS
    assert "orders.svg: model changed" in done.err
