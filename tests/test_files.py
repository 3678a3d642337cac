"""Loading and saving models: YAML with line numbers, JSON, Python modules, clear errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from lastmile_flows import (
    InvalidModelError,
    LoadError,
    Problem,
    Process,
    Redesign,
    discover,
    dump,
    load,
    load_all,
)
from lastmile_flows.atomic import write_atomic
from tests.builders import small_process_data
from tests.support import PROCESSES


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _the_problem(path: Path) -> Problem:
    """The one problem that stops ``path`` loading."""
    with pytest.raises(InvalidModelError) as raised:
        load(path)
    (problem,) = raised.value.problems
    return problem


def test_yaml_problems_carry_file_and_line(tmp_path: Path) -> None:
    model = _write(
        tmp_path / "p.yaml",
        "id: p\n"
        "roles:\n"
        "  - id: clerk\n"
        "steps:\n"
        "  - id: a\n"
        "    role: clerk\n"
        "  - id: b\n"
        "    role: clrk\n",
    )
    problem = _the_problem(model)
    assert (problem.file, problem.line, problem.element_id) == (str(model), 8, "b")
    assert str(problem).startswith(f"{model}:8: error [unknown-role] at steps[b].role:")


def test_redesign_file_may_point_to_process_files(tmp_path: Path) -> None:
    dump(Process.parse(small_process_data()), tmp_path / "current.yaml")
    broken = small_process_data()
    broken["steps"][0]["touch_minutes"] = -1
    (tmp_path / "redesigned.yaml").write_text(yaml.safe_dump(broken, sort_keys=False))
    _write(
        tmp_path / "r.yaml",
        "id: r\ncurrent: current.yaml\nredesigned: redesigned.yaml\nvolume_per_month: 10\n",
    )
    problem = _the_problem(tmp_path / "r.yaml")
    assert problem.file == str(tmp_path / "redesigned.yaml")
    assert problem.where == "redesigned.steps[receive].touch_minutes"
    lines = (tmp_path / "redesigned.yaml").read_text().splitlines()
    assert problem.line is not None
    assert lines[problem.line - 1].strip() == "touch_minutes: -1"


def test_discover_reports_process_files_under_their_redesign(tmp_path: Path) -> None:
    dump(Process.parse(small_process_data()), tmp_path / "current.yaml")
    dump(Process.parse(small_process_data()), tmp_path / "redesigned.yaml")
    _write(tmp_path / "standalone.json", json.dumps(small_process_data()))
    _write(
        tmp_path / "r.yaml",
        "id: r\ncurrent: current.yaml\nredesigned: redesigned.yaml\nvolume_per_month: 10\n",
    )
    _write(tmp_path / "_draft.yaml", "not: a model\n")
    (tmp_path / "model-file.schema.json").write_text("{}")
    assert [p.name for p in discover([tmp_path])] == ["r.yaml", "standalone.json"]


def test_json_models_load(tmp_path: Path) -> None:
    model = _write(tmp_path / "p.json", json.dumps(small_process_data()))
    assert load(model) == Process.parse(small_process_data())


def test_json_problems_carry_lines(tmp_path: Path) -> None:
    data = small_process_data()
    data["steps"][2]["reviews"] = "receive"
    model = _write(tmp_path / "p.json", json.dumps(data, indent=1))
    problem = _the_problem(model)
    assert problem.line is not None
    assert '"reviews": "receive"' in model.read_text().splitlines()[problem.line - 1]


@pytest.mark.parametrize(
    ("name", "text", "message", "line"),
    [
        ("bad.yaml", "id: p\nsteps: [\n", "invalid YAML", 3),
        ("dup.yaml", "id: p\nroles: []\nid: q\n", "key 'id' appears twice", 3),
        ("list.yaml", "- 1\n- 2\n", "expected a mapping", 1),
        ("bad.json", '{"id": "p",', "invalid JSON", 1),
        ("model.txt", "id: p\n", "unknown file type '.txt'", None),
        ("latin1.yaml", "id: caf\xe9\n", "not UTF-8", None),
    ],
)
def test_unreadable_files_raise_load_error_with_place(
    tmp_path: Path, name: str, text: str, message: str, line: int | None
) -> None:
    model = tmp_path / name
    model.write_bytes(text.encode("latin-1"))
    with pytest.raises(LoadError, match=message) as raised:
        load(model)
    assert raised.value.path == str(model)
    assert raised.value.line == line


def test_missing_file_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        load(tmp_path / "nope.yaml")


@pytest.mark.slow
def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    model = _write(tmp_path / "bomb.yaml", "\n".join(lines) + "\n")
    with pytest.raises(LoadError, match="values after expanding aliases"):
        load(model)


def test_yaml_tags_cannot_build_python_objects(tmp_path: Path) -> None:
    model = _write(tmp_path / "evil.yaml", "id: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(LoadError, match="invalid YAML"):
        load(model)


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    model = tmp_path / "bom.yaml"
    model.write_bytes(b"\xef\xbb\xbf" + dump(Process.parse(small_process_data())).encode())
    assert isinstance(load(model), Process)


MODULE = """
from lastmile_flows import Process, Redesign, Role, Step

current = Process(id="p", roles=[Role(id="clerk")], steps=[Step(id="a", role="clerk")])
redesigned = Process(id="p", roles=[Role(id="clerk")], steps=[Step(id="b", role="clerk")])
redesign = Redesign(id="r", current=current, redesigned=redesigned, volume_per_month=5)
other = Redesign(id="r2", current=current, redesigned=current, volume_per_month=5)
"""


@pytest.mark.slow
def test_python_module_must_name_one_of_several_redesigns(tmp_path: Path) -> None:
    module = _write(tmp_path / "models.py", MODULE)
    with pytest.raises(LoadError, match="defines several models"):
        load(module)
    chosen = load(f"{module}:other")
    assert isinstance(chosen, Redesign)
    assert chosen.id == "r2"


@pytest.mark.slow
def test_python_module_lists_its_redesigns_not_their_processes(tmp_path: Path) -> None:
    module = _write(tmp_path / "models.py", MODULE)
    assert [item.source.rpartition(":")[2] for item in load_all(module)] == ["redesign", "other"]


@pytest.mark.slow
def test_python_module_unknown_name_suggests_a_close_one(tmp_path: Path) -> None:
    module = _write(tmp_path / "models.py", MODULE)
    with pytest.raises(LoadError, match=r"named 'redesing' \(did you mean 'redesign'\?\)"):
        load(f"{module}:redesing")


@pytest.mark.slow
def test_python_module_that_fails_to_import_names_file_and_line(tmp_path: Path) -> None:
    module = _write(tmp_path / "broken.py", "x = 1\ny = undefined_name\n")
    with pytest.raises(LoadError, match="NameError") as raised:
        load(module)
    assert (raised.value.path, raised.value.line) == (str(module), 2)


@pytest.mark.slow
def test_python_module_with_invalid_model_points_at_its_line(tmp_path: Path) -> None:
    module = _write(
        tmp_path / "bad.py",
        "from lastmile_flows import Process, Role, Step\n"
        "\n"
        "p = Process(id='p', roles=[Role(id='clerk')], steps=[Step(id='a', role='clark')])\n",
    )
    problem = _the_problem(module)
    assert (problem.file, problem.line) == (str(module), 3)
    assert "did you mean 'clerk'" in problem.message


def test_dump_then_load_gives_an_equal_model(tmp_path: Path) -> None:
    original = load(PROCESSES / "order_entry" / "redesign.yaml")
    for suffix in (".yaml", ".json"):
        target = tmp_path / f"copy{suffix}"
        dump(original, target)
        assert load(target) == original


def test_dump_leaves_defaults_out_and_is_deterministic() -> None:
    process = Process.parse(small_process_data())
    text = dump(process)
    assert "wait_minutes: 0" not in text
    assert "review_rate" not in text
    assert text == dump(Process.parse(small_process_data()))
    assert dump(process, format="json") == dump(Process.parse(small_process_data()), format="json")


def test_failed_atomic_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "model.yaml"
    target.write_text("previous\n")

    def disk_full(descriptor: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new text\n")
    assert target.read_text() == "previous\n"
    assert os.listdir(tmp_path) == ["model.yaml"]


def test_atomic_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "model.yaml"
    target.write_text("previous\n")
    write_atomic(target, "new text\n")
    assert target.read_text() == "new text\n"
    assert os.listdir(tmp_path) == ["model.yaml"]
