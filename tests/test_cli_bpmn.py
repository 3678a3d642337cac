"""`lastmile bpmn import/export`, and validate/diff/render reading .bpmn files."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from lastmile_flows import load
from lastmile_flows.cli import main
from tests.bpmn_documents import CLAIMS
from tests.support import PROCESSES


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_export_then_import_through_the_command_line(tmp_path: Path) -> None:
    bpmn, back = tmp_path / "current.bpmn", tmp_path / "current.yaml"
    model = PROCESSES / "order_entry" / "redesign.yaml"
    code, _, err = run("bpmn", "export", str(model), "--which", "current", "-o", str(bpmn))
    assert (code, err.strip()) == (0, f"wrote {bpmn} (the current process of {model})")
    code, _, err = run("bpmn", "import", str(bpmn), "-o", str(back))
    assert (code, err.strip()) == (0, f"wrote {back} (0 notes)")
    redesign = load(model)
    assert load(back) == redesign.current  # type: ignore[union-attr]


def test_import_lists_each_note_naming_the_element(tmp_path: Path) -> None:
    source = tmp_path / "claims.bpmn"
    source.write_text(CLAIMS)
    code, out, err = run("bpmn", "import", str(source))
    assert code == 0
    assert out.startswith("id: claims\n")
    assert "note: line 43: <dataObject id='file'> data object not imported" in err


def test_validate_diff_and_render_read_bpmn_files(tmp_path: Path) -> None:
    source = tmp_path / "claims.bpmn"
    source.write_text(CLAIMS)
    code, out, err = run("validate", str(source))
    assert (code, out.splitlines()[0]) == (0, f"{source}: ok")
    assert "note: " in err
    code, out, _ = run("diff", str(source), str(source), "--fail-on", "never")
    assert code == 0
    assert "Register claim" in out
    code, _, err = run("render", str(source), "--out", str(tmp_path / "svg"))
    assert code == 0, err
    assert (tmp_path / "svg" / "claims.svg").read_bytes().startswith(b"<?xml")


def test_a_broken_file_is_exit_2_without_a_traceback(tmp_path: Path) -> None:
    source = tmp_path / "broken.bpmn"
    source.write_bytes(b"<definitions")
    for command in (["bpmn", "import", str(source)], ["validate", str(source)]):
        code, _, err = run(*command)
        assert code == 2
        assert f"{source}:1:" in err
        assert "Traceback" not in err
