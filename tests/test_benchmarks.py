"""The benchmarks run and print a ratio against their same-run reference (no timing is
asserted: that belongs to the benchmarks, not the tests)."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest

from benchmarks import bpmn_import, render, report

pytestmark = pytest.mark.slow

ROW = re.compile(r"^.{44} +[\d.]+ ms +[\d.]+ ms +[\d.]+x$")


@pytest.mark.parametrize("module", [render, report, bpmn_import], ids=lambda m: m.__name__)
def test_benchmark_prints_a_ratio_per_row(module: object) -> None:
    lines = module.main(repeat=1)  # type: ignore[attr-defined]
    if lines[0].startswith("no corpus"):
        pytest.skip(lines[0])
    assert len(lines) >= 2
    for line in lines[1:]:
        assert ROW.match(line), line
        ratio = float(line.rsplit(" ", 1)[1].rstrip("x"))
        assert ratio > 0


def test_simulation_benchmark_prints_its_rows_at_tiny_sizes() -> None:
    from benchmarks import simulation

    lines = simulation.main(repeat=1, cases=300, sweep_points=2, replications=1, months=0.1)
    assert len(lines) == 7
    timed = [line for line in lines[1:] if not line.endswith(" MB") and "CPU time" not in line]
    assert len(timed) == 3
    cpu = [line for line in lines if "its CPU time" in line]
    assert len(cpu) == 2
    assert all(float(line.split()[-2]) > 0 for line in cpu)
    for line in timed:
        assert ROW.match(line), line
        assert float(line.rsplit(" ", 1)[1].rstrip("x")) > 0
    memory = next(line for line in lines if line.endswith(" MB"))
    assert float(memory.split()[-2]) > 0


def test_the_simpy_reference_runs_the_same_model() -> None:
    from benchmarks import simulation

    cycle = simulation.plain_simpy(2000)
    assert len(cycle) == 2000
    # draft 2 + send 0.5 minutes, and 0.44 reviews of 6 minutes per case, plus the waits
    assert 5 < sum(cycle) / len(cycle) < 15


def test_log_benchmark_runs_on_tiny_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import logs
    from tests.support import shared_log

    folder = tmp_path / "logs"
    folder.mkdir()
    with gzip.open(folder / "bpic2012.xes.gz", "wb") as stream:
        stream.write(shared_log("running-example.xes").read_bytes())
    monkeypatch.setattr(logs, "LOGS", folder)
    monkeypatch.setattr(logs, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(logs, "PEERS", tmp_path / "no-peers" / "python")
    lines = logs.main(repeat=1, events=2_000, agree=True)
    assert lines[1].startswith("bpic2012: read+summary+calibrate")
    assert "make bench-peers" in lines[1]
    rows = [line for line in lines if " events " in line]
    assert [line.split()[2] for line in rows] == ["csv:", "parquet:"]
    sorts = [line for line in lines if "sorting it into cases" in line]
    assert len(sorts) == 2
    for line in rows + sorts:
        assert ROW.match(line), line
    assert lines[-1] == "agreement with pm4py: run make bench-peers first"
    assert (tmp_path / "cache" / "synthetic-2000.parquet").is_file()
    missing = [line.split() for line in lines if line.startswith("  pm4py reference")]
    assert missing == [["pm4py", "reference", "run", "make", "bench-peers"]] * 2


def test_log_benchmark_checks_the_targets_against_pm4py_in_the_same_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import logs

    calls: list[dict[str, object]] = []

    def peer(task: str, args: dict[str, object]) -> dict[str, float]:
        calls.append({"task": task, **args})
        # a slow read: a verdict against read + DFG instead of the DFG alone would be "met"
        return {"read": 100.0, "dfg": 10.0, "touch": 1.0, "total": 111.0, "peak_mb": 3600.0}

    monkeypatch.setattr(logs, "_peer", peer)
    monkeypatch.setattr(logs, "_in_child", lambda path: {"seconds": 5.0, "peak_mb": 1500.0})
    lines = logs._synthetic(1, 2_000, tmp_path)
    # one pm4py run per log and repeat, on the very file we read, with its start column
    assert [(c["task"], Path(str(c["path"])).suffix, c["start"]) for c in calls] == [
        ("time", ".csv", "start_time"),
        ("time", ".parquet", "start_time"),
    ]
    alone = [line for line in lines if "pm4py's timed DFG alone" in line]
    assert len(alone) == 2
    for line in alone:
        assert ROW.match(line), line
        assert line.endswith("5000.0 ms    10000.0 ms    0.50x")
    # 5 s against 10 s: within the CSV's 10/13 = 0.77x, not the Parquet's 3/13 = 0.23x
    targets = [line.split()[-4:] for line in lines if line.lstrip().startswith("target")]
    assert targets == [["13", "s)", "0.77x:", "met"], ["13", "s)", "0.23x:", "missed"]]
    both = [line for line in lines if "pm4py read + timed DFG" in line]
    assert [line.split()[-3:] for line in both] == [["110000.0", "ms", "0.05x"]] * 2
    assert [line.split()[-2:] for line in lines if "peak memory of pm4py" in line] == [
        ["3600", "MB"]
    ] * 2


def test_log_benchmark_says_when_pm4py_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import logs

    monkeypatch.setattr(logs, "PEERS", Path(shutil.which("false") or "/bin/false"))
    with pytest.raises(logs.PeerFailed, match=r"^pm4py failed on x\.csv: exit 1$"):
        logs._peer("time", {"path": "/nowhere/x.csv"})

    def peer(task: str, args: dict[str, object]) -> dict[str, float]:
        raise logs.PeerFailed("pm4py failed on x.csv: MemoryError")

    monkeypatch.setattr(logs, "_peer", peer)
    monkeypatch.setattr(logs, "_in_child", lambda path: {"seconds": 5.0, "peak_mb": 1500.0})
    lines = logs._synthetic(2, 2_000, tmp_path)
    failed = [line.split(None, 2)[2] for line in lines if line.startswith("  pm4py reference")]
    assert failed == ["pm4py failed on x.csv: MemoryError"] * 2
    assert not any("target" in line for line in lines)
    assert sum("sorting it into cases" in line for line in lines) == 2


def test_generated_redesigns_have_the_shape_the_scale_benchmark_claims() -> None:
    from benchmarks.generate import redesign

    model = redesign(100)
    steps = model.redesigned.steps
    automated = [step for step in steps if step.kind in ("ai", "system")]
    with_cases = [step for step in model.current.steps if step.edge_cases]
    assert len(steps) == len(model.current.steps) == 100
    assert len(automated) == 30
    assert len(with_cases) == 30
    assert len(model.current.gateways) == 10
    assert len({step.role for step in steps}) >= 8


def test_generated_bpmn_files_import() -> None:
    import warnings

    from benchmarks.bpmn_file import bpmn_file
    from lastmile_flows import import_bpmn

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = import_bpmn(bpmn_file(30))
    assert len([s for s in found.process.steps if s.name.startswith("Handle item")]) == 30


def test_scale_benchmark_prints_one_table_at_tiny_sizes() -> None:
    from benchmarks import scale

    lines = scale.main(repeat=1, quick=True)
    assert lines[0].startswith("operation")
    rows = lines[2:]
    assert len(rows) >= 10
    assert all("ms" in line for line in rows)
