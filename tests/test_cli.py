"""The lastmile command: exit codes, stdout for data, stderr for problems, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lastmile_flows.cli import main
from lastmile_flows.cli.exitcodes import ExitCode
from lastmile_flows.schema import file_schema_json
from tests.builders import small_process_data
from tests.support import PROCESSES, REPO, lastmile, lastmile_process


@pytest.mark.slow
def test_validate_the_example_library_succeeds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = lastmile("validate", "processes/")
    assert result.code == ExitCode.OK, result.err
    assert "processes/order_entry/redesign.yaml: ok" in result.out
    assert "processes/maintenance/maintenance.py:redesign: ok" in result.out


# exit statuses 1 and 2 (and 0: the entry point, below) as a shell sees them, with no traceback


@pytest.mark.slow
def test_validate_invalid_model_exits_1_with_problems_on_stderr(tmp_path: Path) -> None:
    data = small_process_data()
    data["steps"][0]["role"] = "clerc"
    model = tmp_path / "bad.json"
    model.write_text(json.dumps(data, indent=2))
    result = lastmile_process("validate", str(model))
    assert result.returncode == ExitCode.FINDINGS
    assert "unknown role 'clerc' (did you mean 'clerk'?)" in result.stderr
    assert f"{model}:" in result.stderr
    assert result.stdout == ""


@pytest.mark.slow
def test_validate_unreadable_file_exits_2_without_traceback(tmp_path: Path) -> None:
    model = tmp_path / "broken.yaml"
    model.write_text("id: [unclosed\n")
    result = lastmile_process("validate", str(model))
    assert result.returncode == ExitCode.USAGE
    assert "invalid YAML" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_missing_path_is_a_usage_error() -> None:
    result = lastmile("validate", "no/such/file.yaml")
    assert result.code == ExitCode.USAGE
    assert "does not exist" in result.err


def test_validate_a_folder_with_no_models_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == ExitCode.USAGE
    assert "no model files" in result.output


def test_validate_strict_turns_warnings_into_exit_1(tmp_path: Path) -> None:
    data = small_process_data()
    data["steps"][1].pop("accountable")
    data["steps"] = [step for step in data["steps"] if step["id"] != "check"]
    model = tmp_path / "warn.json"
    model.write_text(json.dumps(data))
    runner = CliRunner()
    relaxed = runner.invoke(main, ["validate", str(model)])
    strict = runner.invoke(main, ["validate", "--strict", str(model)])
    assert relaxed.exit_code == ExitCode.OK
    assert strict.exit_code == ExitCode.FINDINGS
    assert "warning [ai-act-unaccountable]" in strict.output
    # it says which warning failed it, and never "ok"
    assert f"{model}: fails --strict: 1 warning (ai-act-unaccountable)" in strict.output
    assert f"{model}: ok" not in strict.output


def test_warnings_carry_file_and_line_like_errors(tmp_path: Path) -> None:
    model = tmp_path / "warn.yaml"
    model.write_text(
        "id: p\nroles:\n  - {id: clerk}\n  - {id: bot, kind: ai}\nsteps:\n"
        "  - {id: a, role: clerk}\n  - {id: b, role: bot, kind: ai, ai_mode: act}\n"
    )
    result = CliRunner().invoke(main, ["validate", str(model)])
    assert result.exit_code == ExitCode.OK
    assert f"{model}:7: warning [ai-act-unaccountable] at steps[b].accountable" in result.output


def test_validate_keeps_going_after_a_bad_file(tmp_path: Path) -> None:
    (tmp_path / "a_bad.yaml").write_text("id: [\n")
    (tmp_path / "b_good.json").write_text(json.dumps(small_process_data()))
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == ExitCode.USAGE
    assert f"{tmp_path / 'b_good.json'}: ok" in result.output


def test_schema_prints_the_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == ExitCode.OK
    assert result.output == file_schema_json()


def test_unknown_command_is_a_usage_error() -> None:
    result = lastmile("frobnicate")
    assert result.code == ExitCode.USAGE
    assert "No such command 'frobnicate'" in result.err


@pytest.mark.slow
def test_the_installed_entry_point_runs() -> None:
    lastmile = Path(sys.executable).parent / "lastmile"
    result = subprocess.run(
        [str(lastmile), "validate", "-q", str(PROCESSES)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == ExitCode.OK, result.stderr
