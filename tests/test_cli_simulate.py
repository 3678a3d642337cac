"""``lastmile simulate``: a summary a committee can act on, JSON, charts, and exit codes that
never come with a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from lastmile_flows.cli import main
from lastmile_flows.cli.exitcodes import ExitCode
from tests.support import PROCESSES

ORDER = str(PROCESSES / "order_entry" / "redesign.yaml")
QUICK = ["--months", "1", "--replications", "2", "--max-replications", "2"]


def _run(*args: str) -> object:
    return CliRunner().invoke(main, ["simulate", *args])


@pytest.mark.slow
def test_the_distributor_redesign_fails_on_its_unbounded_review_queue(tmp_path: Path) -> None:
    result = _run(ORDER, *QUICK, "--sla-hours", "48", "--svg-dir", str(tmp_path))
    assert result.exit_code == ExitCode.FINDINGS, result.output  # type: ignore[attr-defined]
    out = result.stdout  # type: ignore[attr-defined]
    assert "## What to act on" in out
    assert "the `order_desk` queue (nobody) grows without bound" in out
    assert "lets about 44.2 errors a month reach customers at a review share of 18%" in out
    for name in ("order_entry_ai.backlog.svg", "order_entry_ai.cycle-time.svg"):
        svg = etree.parse(str(tmp_path / name)).getroot()
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        sizes = [
            float(t.get("font-size", "0")) for t in svg.iter("{http://www.w3.org/2000/svg}text")
        ]
        # at least 12 px when the 1200-wide chart is fitted to a 1920 x 1080 slide
        assert min(sizes) * 1920 / 1200 >= 12


@pytest.mark.slow
def test_fail_on_never_exits_zero() -> None:
    result = _run(ORDER, *QUICK, "--fail-on", "never")
    assert result.exit_code == ExitCode.OK  # type: ignore[attr-defined]


@pytest.mark.slow
def test_json_output_is_the_result_and_the_same_for_the_same_seed() -> None:
    first = _run(ORDER, *QUICK, "--format", "json", "--fail-on", "never", "--seed", "4")
    again = _run(ORDER, *QUICK, "--format", "json", "--fail-on", "never", "--seed", "4")
    assert first.stdout == again.stdout  # type: ignore[attr-defined]
    document = json.loads(first.stdout)  # type: ignore[attr-defined]
    assert [side["side"] for side in document["sides"]] == ["current", "redesigned"]
    assert document["max_escaped_errors_per_month"] == 25


@pytest.mark.slow
def test_a_sweep_adds_its_table_and_chart(tmp_path: Path) -> None:
    result = _run(
        ORDER, *QUICK, "--sweep", "3", "--reviewers", "1", "--svg-dir", str(tmp_path),
        "--fail-on", "never",
    )  # fmt: skip
    assert result.exit_code == ExitCode.OK, result.output  # type: ignore[attr-defined]
    assert "## Review share of `extract_order`" in result.stdout  # type: ignore[attr-defined]
    assert "| the model: 18% |" in result.stdout  # type: ignore[attr-defined]
    assert (tmp_path / "order_entry_ai.review-share.svg").exists()
    as_json = _run(ORDER, *QUICK, "--sweep", "2", "--format", "json", "--fail-on", "never")
    document = json.loads(as_json.stdout)  # type: ignore[attr-defined]
    assert document["sweep"]["step"] == "extract_order"
    assert [p["review_share"] for p in document["sweep"]["points"]] == [0, 1]


@pytest.mark.slow
def test_an_unwritable_chart_folder_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = _run(ORDER, *QUICK, "--svg-dir", str(blocker / "charts"))
    assert result.exit_code == ExitCode.USAGE  # type: ignore[attr-defined]
    assert "cannot write to" in result.output  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([str(PROCESSES / "order_entry" / "current.yaml")], "has no volume"),
        ([ORDER, "--touch", "key_order"], "use STEP=SHAPE"),
        ([ORDER, "--touch", "nope=fixed"], "unknown step 'nope'"),
        ([ORDER, "--touch", "key_order=normal:3"], "unknown distribution 'normal'"),
        ([ORDER, "--hours-per-day", "20"], "runs past midnight"),
        ([str(PROCESSES / "order_entry" / "current.yaml"), "--volume", "10", "--sweep", "3"],
         "no AI step with an error_rate"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_without_a_traceback(args: list[str], message: str) -> None:
    result = _run(*args, *QUICK)
    assert result.exit_code == ExitCode.USAGE  # type: ignore[attr-defined]
    assert message in result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]


@pytest.mark.slow
def test_a_process_file_simulates_with_a_volume() -> None:
    current = str(PROCESSES / "order_entry" / "current.yaml")
    result = _run(current, "--volume", "1200", *QUICK)
    assert result.exit_code == ExitCode.OK, result.output  # type: ignore[attr-defined]
    assert "## Process: Order entry" in result.stdout  # type: ignore[attr-defined]
