"""lastmile log summary | discover | calibrate | conform: data on stdout, messages on stderr,
exit 0 / 1 (below --fail-under) / 2 (unreadable input), never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lastmile_flows import Process, dump, load
from lastmile_flows.cli import main
from tests.builders import loop_model
from tests.logsim import simulate, write_csv
from tests.support import shared_log


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_summary_in_each_format(fmt: str) -> None:
    code, out, _ = _run("log", "summary", str(shared_log("running-example.xes")), "--format", fmt)
    assert code == 0
    if fmt == "json":
        data = json.loads(out)
        assert (data["cases"], data["events"], data["variants"]) == (6, 42, 6)
        assert data["timing"] == "complete"
    else:
        assert "6 cases, 42 events, 8 activities, 6 variants" in out


@pytest.mark.slow
def test_discover_writes_a_model_that_validates(tmp_path: Path) -> None:
    out = tmp_path / "current.yaml"
    code, _, err = _run(
        "log", "discover", str(shared_log("PurchasingExample.csv.gz")), "-o", str(out)
    )
    assert code == 0, err
    assert "left out: flow" in err
    assert f"wrote {out}" in err
    code, _, _ = _run("validate", str(out))
    assert code == 0


@pytest.mark.slow
def test_calibrate_with_a_mapping_and_conform_with_an_overlay(tmp_path: Path) -> None:
    rows = simulate(loop_model(0.7, 0.2), 200, seed=4)
    for row in rows:
        row[1] = {"Check claim": "CHK-01"}.get(row[1], row[1])
    log = write_csv(tmp_path / "claims.csv", rows)
    model = tmp_path / "claims.yaml"
    dump(loop_model(0.5, 0.5), model)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("activities:\n  CHK-01: check\n", encoding="utf-8")
    out = tmp_path / "calibrated.yaml"
    code, _, err = _run(
        "log", "calibrate", str(model), str(log), "--map", str(mapping), "-o", str(out)
    )
    assert code == 0, err
    calibrated = load(out)
    assert isinstance(calibrated, Process)
    assert calibrated.step("check").touch_minutes == pytest.approx(10, abs=0.01)
    svg = tmp_path / "overlay.svg"
    code, text, err = _run(
        "log",
        "conform",
        str(out),
        str(log),
        "--map",
        str(mapping),
        "--format",
        "json",
        "--svg",
        str(svg),
    )
    assert code == 0, err
    assert json.loads(text)["fitting_share"] == 1.0
    assert svg.read_text(encoding="utf-8").startswith("<?xml")
    code, _, _ = _run("log", "conform", str(out), str(log), "--fail-under", "0.9")
    assert code == 1  # without the mapping, CHK-01 is a workaround and check is skipped


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--case", "nope"], "no column 'nope' for case (--case)"),
        (["--end", "org:resource"], "no usable events (bad rows: unparsable timestamp: 42)"),
    ],
)
def test_bad_options_and_logs_exit_2_with_a_message(
    tmp_path: Path, args: list[str], message: str
) -> None:
    code, _, err = _run("log", "summary", str(shared_log("running-example.xes")), *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_a_hostile_or_unknown_file_exits_2(tmp_path: Path) -> None:
    evil = tmp_path / "evil.xes"
    evil.write_text('<!DOCTYPE log [<!ENTITY a "b">]><log>&a;</log>', encoding="utf-8")
    code, _, err = _run("log", "summary", str(evil))
    assert (code, "refused unread" in err) == (2, True)
    other = tmp_path / "log.json"
    other.write_text("{}", encoding="utf-8")
    code, _, err = _run("log", "discover", str(other))
    assert (code, "unknown log type '.json'" in err) == (2, True)


def test_a_bad_mapping_file_exits_2_with_did_you_mean(tmp_path: Path) -> None:
    log = write_csv(tmp_path / "claims.csv", simulate(loop_model(0.7, 0.2), 20))
    model = tmp_path / "claims.yaml"
    dump(loop_model(0.7, 0.2), model)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("activites: {}\n", encoding="utf-8")
    code, _, err = _run("log", "calibrate", str(model), str(log), "--map", str(mapping))
    assert code == 2
    assert "unknown key 'activites' (did you mean 'activities'?)" in err


@pytest.mark.slow
def test_memory_limit_and_threads_reach_the_engine(tmp_path: Path) -> None:
    log = write_csv(tmp_path / "claims.csv", simulate(loop_model(0.7, 0.2), 200, seed=4))
    code, out, err = _run("log", "summary", str(log), "--format", "json")
    assert code == 0, err
    code, limited, err = _run(
        "log", "summary", str(log), "--format", "json", "--memory-limit", "64MB", "--threads", "1"
    )
    assert (code, limited) == (0, out)
    code, _, err = _run("log", "summary", str(log), "--memory-limit", "1KB")
    assert code == 2
    assert "out of memory" in err
    assert "--memory-limit" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--memory-limit", "lots", "give a size such as '1500MB'"),
        ("--memory-limit", "4", "units: B, KB, MB"),
        ("--memory-limit", "0MB", "give a size"),
        ("--memory-limit", "4BG", "give a size"),
        ("--threads", "0", "x>=1"),
    ],
)
def test_engine_options_refuse_bad_values(option: str, value: str, said: str) -> None:
    code, _, err = _run("log", "summary", str(shared_log("running-example.xes")), option, value)
    assert code == 2
    assert said in err


def test_running_out_of_memory_after_reading_names_the_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import duckdb

    import lastmile_flows.evidence.summary

    def exhausted(*args: object, **kwargs: object) -> None:
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")

    monkeypatch.setattr(lastmile_flows.evidence.summary, "summarise_log", exhausted)
    code, _, err = _run("log", "summary", str(shared_log("running-example.xes")))
    assert code == 2
    assert "ran out of memory (Out of Memory Error: could not allocate block)" in err
    assert "--memory-limit" in err
    assert "--threads" in err
