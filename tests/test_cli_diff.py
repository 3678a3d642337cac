"""lastmile diff: formats, --fail-on exit codes, the two-file form, config, byte-stable output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lastmile_flows.cli import main
from lastmile_flows.cli.exitcodes import ExitCode
from tests.golden import GOLDEN
from tests.support import PROCESSES, Ran, lastmile, lastmile_process

ORDER = str(PROCESSES / "order_entry" / "redesign.yaml")


def _diff(*args: str) -> Ran:
    """``lastmile diff ARGS``, in this process."""
    return lastmile("diff", *args)


@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("json", "json"), ("markdown", "md")])
def test_each_format_prints_the_golden_report(fmt: str, suffix: str) -> None:
    result = _diff(ORDER, "--format", fmt, "--fail-on", "never")
    assert result.code == ExitCode.OK, result.err
    assert result.out == (GOLDEN / f"order_entry_ai.{suffix}").read_text()


@pytest.mark.slow
def test_output_is_byte_identical_across_processes() -> None:
    runs = [lastmile_process("diff", ORDER, "--format", "json") for _ in range(3)]
    assert {run.returncode for run in runs} == {ExitCode.FINDINGS}
    assert "Traceback" not in runs[0].stderr
    assert len({run.stdout for run in runs}) == 1


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [("error", ExitCode.FINDINGS), ("warning", ExitCode.FINDINGS), ("never", ExitCode.OK)],
)
def test_fail_on_gates_on_severity(fail_on: str, code: int) -> None:
    assert _diff(ORDER, "--format", "json", "--fail-on", fail_on).code == code


def test_fail_on_error_passes_when_only_warnings_remain(tmp_path: Path) -> None:
    severities = [
        f"--severity={name}=warning"
        for name in (
            "edge_case.no_owner",
            "edge_case.owner_removed",
            "ai.no_fallback",
            "ai.acts_unsupervised",
            "ai.errors_escape",
            "review.over_capacity",
            "review.backlog_unbounded",
        )
    ]
    assert _diff(ORDER, "--fail-on", "error", *severities).code == ExitCode.OK
    assert _diff(ORDER, "--fail-on", "warning", *severities).code == ExitCode.FINDINGS


def test_two_process_files_compare_with_a_given_volume() -> None:
    current = str(PROCESSES / "order_entry" / "current.yaml")
    redesigned = str(PROCESSES / "order_entry" / "redesigned.yaml")
    result = _diff(current, redesigned, "--format", "json", "--volume", "2400")
    document = json.loads(result.out)
    golden = json.loads((GOLDEN / "order_entry_ai.json").read_text())
    assert document["steps"] == golden["steps"]
    assert document["metrics"] == golden["metrics"]
    # two process files carry no limit on escaped errors (the redesign file states it)
    assert [f["element_ids"] for f in document["findings"]] == [
        f["element_ids"] for f in golden["findings"] if f["name"] != "ai.errors_escape"
    ]


def test_without_a_volume_there_are_no_monthly_figures() -> None:
    current = str(PROCESSES / "order_entry" / "current.yaml")
    redesigned = str(PROCESSES / "order_entry" / "redesigned.yaml")
    document = json.loads(_diff(current, redesigned, "--format", "json").out)
    assert document["volume_per_month"] is None
    assert document["metrics"]["redesigned"]["fte"] is None


def test_a_single_process_file_is_a_usage_error() -> None:
    result = _diff(str(PROCESSES / "order_entry" / "current.yaml"))
    assert result.code == ExitCode.USAGE
    assert "holds one process" in result.err
    assert "Traceback" not in result.err


def test_an_invalid_model_exits_2_with_its_problems(tmp_path: Path) -> None:
    for name in ("current.yaml", "redesigned.yaml", "redesign.yaml"):
        shutil.copy(PROCESSES / "order_entry" / name, tmp_path / name)
    broken = tmp_path / "redesigned.yaml"
    broken.write_text(broken.read_text().replace("role: order_ai", "role: order_aii", 1))
    result = _diff(str(tmp_path / "redesign.yaml"))
    assert result.code == ExitCode.USAGE
    assert "unknown role 'order_aii' (did you mean 'order_ai'?)" in result.err
    assert "Traceback" not in result.err


def test_unknown_rule_in_severity_option_is_a_usage_error() -> None:
    result = _diff(ORDER, "--severity", "edge_case.no_ownr=info")
    assert result.code == ExitCode.USAGE
    assert "did you mean 'edge_case.no_owner'" in result.err


def test_severity_option_needs_rule_equals_level() -> None:
    result = CliRunner().invoke(main, ["diff", ORDER, "--severity", "edge_case.no_owner"])
    assert result.exit_code == ExitCode.USAGE
    assert "use RULE=LEVEL" in result.output


def test_pyproject_config_sets_severities_and_fail_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.lastmile_flows]\n"
        'fail_on = "never"\n'
        "[tool.lastmile_flows.severity]\n"
        '"LM103" = "error"\n'
    )
    monkeypatch.chdir(tmp_path)
    result = _diff(ORDER, "--format", "json")
    assert result.code == ExitCode.OK
    found = {f["name"]: f["severity"] for f in json.loads(result.out)["findings"]}
    assert found["edge_case.dropped"] == "error"
    assert _diff(ORDER, "--fail-on", "error").code == ExitCode.FINDINGS


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "[tool.lastmile_flows]\nfail_onn = 'error'\n",
            "unknown key 'fail_onn' (did you mean 'fail_on'?)",
        ),
        ("[tool.lastmile_flows]\nfail_on = 'sometimes'\n", "fail_on = 'sometimes' is not valid"),
        (
            "[tool.lastmile_flows.severity]\n'edge_case.nope' = 'info'\n",
            "unknown rule 'edge_case.nope'",
        ),
        ("[tool.lastmile_flows\n", "cannot read"),
    ],
)
def test_bad_config_is_named_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, message: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(toml)
    monkeypatch.chdir(tmp_path)
    result = _diff(ORDER)
    assert result.code == ExitCode.USAGE
    assert message in result.err
    assert "Traceback" not in result.err


def test_schema_comparison_prints_the_output_schema() -> None:
    result = CliRunner().invoke(main, ["schema", "comparison"])
    assert result.exit_code == ExitCode.OK
    assert json.loads(result.output)["title"] == "lastmile_flows comparison"
