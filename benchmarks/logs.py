"""Event logs: read + summary + calibrate, against pm4py and against a bare DuckDB scan.

Rows (the median of ``--repeat`` runs, each against a reference measured in the same run):

- BPI Challenge 2012 (``../shared/logs/bpic2012.xes.gz``): ``read_log`` + ``summarise_log`` +
  ``calibrate`` of a draft discovered beforehand, against pm4py's ``read_xes`` + performance
  DFG + touch times rebuilt from start/complete pairs (``interval_lifecycle.to_interval`` +
  ``get_service_time``), run in its own environment (``make bench-peers``; pm4py is AGPL and
  never a dependency). Without that environment the reference is skipped and said so.
- A synthetic log of ``--events`` events (10 per case; default 10 million) as CSV and as
  Parquet, generated here: ``read_log`` + ``calibrate`` of its 10-step model in a child
  process (its peak memory is reported), against DuckDB counting the file's rows, and against
  DuckDB sorting the rows into cases and writing them to a table (what any reading that puts
  each case's events in order must at least do: the floor of our design), and against pm4py's
  read and timed DFG of the same file in its environment, in turns. The issue's targets (10 s
  for the CSV, 3 s for the Parquet, where pm4py's DFG alone took 13 s) are checked as ratios to
  pm4py's DFG alone measured in the same run: 0.77x and 0.23x.

``--agree`` also checks, on every log in ``../shared/logs/``, that our directly-follows counts
equal pm4py's exactly and our mean times (between completions, and of the work itself where
the log has starts) are within 1 % of its.
Usage: ``.venv/bin/python -m benchmarks.logs [--repeat N] [--events N] [--agree] [--folder DIR]
[--synthetic-only]`` (``--folder /tmp/logsbench``: the 0.7 GB of synthetic logs on a fast disk).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, median_seconds, row

LOGS = REPO.parent / "shared" / "logs"
PEERS = REPO / "benchmarks" / ".venv-peers" / "bin" / "python"
PEER_SCRIPT = REPO / "benchmarks" / "peers_pm4py.py"
CACHE = REPO / "build" / "bench"
ACTIVITIES = 10


def synthetic(events: int, folder: Path | None = None) -> tuple[Path, Path]:
    """A CSV and a Parquet log of ``events`` events, 10 per case, made once and kept (in
    build/bench/ unless told otherwise)."""
    import duckdb

    folder = folder or CACHE
    folder.mkdir(parents=True, exist_ok=True)
    csv, parquet = folder / f"synthetic-{events}.csv", folder / f"synthetic-{events}.parquet"
    if csv.is_file() and parquet.is_file():
        return csv, parquet
    connection = duckdb.connect()
    # the generation takes seconds: DuckDB would draw its progress bar into the table
    connection.execute("SET enable_progress_bar = false")
    connection.execute(
        f"""
        COPY (
          SELECT 'c' || (i // {ACTIVITIES}) AS case_id,
                 'Activity ' || chr(65 + (i % {ACTIVITIES})::INT) AS activity,
                 TIMESTAMP '2024-01-01' + to_seconds((i // {ACTIVITIES}) * 30
                     + (i % {ACTIVITIES}) * 600) AS start_time,
                 TIMESTAMP '2024-01-01' + to_seconds((i // {ACTIVITIES}) * 30
                     + (i % {ACTIVITIES}) * 600 + 60 + hash(i) % 300) AS end_time,
                 'r' || (hash(i // {ACTIVITIES}) % 50)::VARCHAR AS resource
          FROM range({events}) AS t(i)
        ) TO '{csv}' (HEADER)
        """
    )
    connection.execute(f"COPY (SELECT * FROM read_csv('{csv}')) TO '{parquet}'")
    return csv, parquet


def synthetic_model() -> Any:
    from lastmile_flows import Process

    return Process(
        id="synthetic",
        roles=[{"id": "team"}],
        steps=[
            {"id": f"step_{chr(97 + n)}", "name": f"Activity {chr(65 + n)}", "role": "team"}
            for n in range(ACTIVITIES)
        ],
    )


def child(path: str) -> None:
    """Read and calibrate one log in this (child) process; print seconds and peak MB."""
    from lastmile_flows import calibrate, read_log

    model = synthetic_model()
    start = time.perf_counter()
    calibrate(model, read_log(path))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak}))


def _in_child(path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.logs", "--child", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _peer(task: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """pm4py's answer for ``task`` in its own environment; none without that environment.
    Raises :class:`PeerFailed` (with pm4py's last words) when pm4py fails."""
    if not PEERS.is_file():
        return None
    done = subprocess.run(
        [str(PEERS), str(PEER_SCRIPT), task, json.dumps(args)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise PeerFailed(f"pm4py failed on {Path(args['path']).name}: {last}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class PeerFailed(Exception):
    """The pm4py reference failed (out of memory, say): its row says so; the others stand."""


def _columns(log: Any) -> dict[str, Any]:
    columns = log.columns
    return {
        "path": log.path,
        "case": columns.case,
        "activity": columns.activity,
        "end": columns.end,
        "start": columns.start,
        "lifecycle": columns.lifecycle if log.timing == "lifecycle" else None,
    }


def _bpic(repeat: int) -> list[str]:
    from lastmile_flows import calibrate, discover_process, read_log, summarise_log

    path = LOGS / "bpic2012.xes.gz"
    if not path.is_file():
        return [f"no {path}: BPI Challenge 2012 row skipped"]
    draft = discover_process(read_log(path)).process

    def ours() -> None:
        log = read_log(path)
        summarise_log(log)
        calibrate(draft, log)

    mine = median_seconds(ours, repeat=repeat)
    args = _columns(read_log(path))
    theirs = [_peer("time", args) for _ in range(max(1, repeat))]
    if theirs[0] is None:
        return [
            f"{'bpic2012: read+summary+calibrate':44} {mine * 1000:9.1f} ms  "
            "(pm4py reference: run make bench-peers)"
        ]
    total = statistics.median(float(t["total"]) for t in theirs if t)
    parts = {
        key: statistics.median(float(t[key]) for t in theirs if t)
        for key in ("read", "dfg", "touch")
    }
    return [
        row("bpic2012 vs pm4py read+timed DFG+touch", mine, total),
        f"{'  pm4py parts (read / timed DFG / touch)':44} "
        + " / ".join(f"{parts[k] * 1000:.0f} ms" for k in ("read", "dfg", "touch")),
    ]


def _duckdb_seconds(path: Path, statement: str) -> float:
    """Seconds for bare DuckDB to run ``statement`` on the log at ``path``, whose reader is
    ``{log}`` in it (a fresh connection each time, no progress bar)."""
    import duckdb

    reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    start = time.perf_counter()
    connection.execute(statement.format(log=f"{reader}('{path}')")).fetchall()
    return time.perf_counter() - start


def _scan(path: Path) -> float:
    """Seconds for DuckDB to count the log's rows."""
    return _duckdb_seconds(path, "SELECT count(*) FROM {log}")


def _sort(path: Path) -> float:
    """Seconds for DuckDB to read the synthetic log, sort it into cases and keep it as a table."""
    return _duckdb_seconds(
        path, "CREATE TABLE sorted AS SELECT * FROM {log} ORDER BY case_id, start_time, end_time"
    )


SYNTHETIC_TARGETS = {"csv": (10, 13), "parquet": (3, 13)}
"""The issue's targets, seconds against pm4py's timed DFG alone (13 s where the issue measured
it): calibrate the CSV in 10 s, the Parquet in 3 s. Checked as ratios to pm4py's DFG alone on
the same file, measured in the same run."""


def _synthetic(repeat: int, events: int, folder: Path | None = None) -> list[str]:
    lines = []
    csv, parquet = synthetic(events, folder)
    peer_args = {"case": "case_id", "activity": "activity", "end": "end_time"}
    for path in (csv, parquet):
        runs, sorts, peers, failed = [], [], [], ""
        for _ in range(max(1, repeat)):  # in turns: a slower spell of the machine hits all
            runs.append(_in_child(path))
            sorts.append(_sort(path))
            try:
                args = {**peer_args, "start": "start_time", "path": str(path)}
                peers.append(None if failed else _peer("time", args))
            except PeerFailed as error:
                failed = str(error)
        seconds = statistics.median(r["seconds"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        scan = statistics.median(_scan(path) for _ in range(max(1, repeat)))
        kind = path.suffix.lstrip(".")
        lines.append(row(f"{events:,} events {kind}: calibrate vs scan", seconds, scan))
        lines.append(row("  the same vs sorting it into cases", seconds, statistics.median(sorts)))
        lines.append(f"{'  peak memory of the calibrating process':44} {peak:9.0f} MB")
        if failed or peers[0] is None:
            lines.append(f"{'  pm4py reference':44} {failed or 'run make bench-peers'}")
            continue
        dfg = statistics.median(float(p["dfg"]) for p in peers if p)
        both = statistics.median(float(p["read"]) + float(p["dfg"]) for p in peers if p)
        goal, theirs = SYNTHETIC_TARGETS[kind]
        target = goal / theirs
        verdict = "met" if seconds / dfg <= target else "missed"
        lines.append(row("  the same vs pm4py's timed DFG alone", seconds, dfg))
        label = f"    target (the issue: {goal} s vs {theirs} s)"
        lines.append(f"{label:44} {target:6.2f}x: {verdict}")
        lines.append(row("  the same vs pm4py read + timed DFG", seconds, both))
        pm4py_peak = max(float(p["peak_mb"]) for p in peers if p)
        lines.append(f"{'  peak memory of pm4py (read + DFG + touch)':44} {pm4py_peak:9.0f} MB")
    return lines


def agreement() -> list[str]:
    """Directly-follows counts equal to pm4py's, mean times within 1 %, on every shared log."""
    from lastmile_flows import read_log
    from lastmile_flows.evidence.traces import directly_follows, variants

    if not PEERS.is_file():
        return ["agreement with pm4py: run make bench-peers first"]
    lines = []
    for path in sorted(LOGS.glob("*")):
        if not path.name.endswith((".csv", ".csv.gz", ".parquet", ".xes", ".xes.gz")):
            continue
        log = read_log(path)
        peer = _peer("agree", _columns(log))
        assert peer is not None
        ours = {(a, b): n for (a, b), n in directly_follows(variants(log)).items() if a and b}
        theirs = {(a, b): n for a, b, n in peer["dfg"]}
        means = {(str(r[0]), str(r[1])): float(r[3]) / 1000 for r in log.query("directly_follows")}
        worst = max(
            (abs(means[(a, b)] - m) / m for a, b, m in peer["mean"] if m > 0 and (a, b) in means),
            default=0.0,
        )
        touch = {str(r[0]): float(r[4]) / 1000 for r in log.query("activities") if r[3]}
        worst_touch = max(
            (abs(touch[a] - s) / s for a, s in peer["service"].items() if s > 0 and a in touch),
            default=0.0,
        )
        equal = ours == theirs
        ok = equal and worst <= 0.01 and worst_touch <= 0.01
        lines.append(
            f"{'agree' if ok else 'DIFFER'} {path.name}: {len(ours)} DF pairs "
            f"{'equal' if equal else f'differ ({len(set(ours.items()) ^ set(theirs.items()))})'}"
            f", mean DF time within {worst:.3%}, mean touch time within {worst_touch:.3%} "
            f"({len(peer['service'])} activities)"
        )
    return lines


def main(
    repeat: int,
    *,
    events: int = 10_000_000,
    agree: bool = False,
    folder: Path | None = None,
    synthetic_only: bool = False,
) -> list[str]:
    header = f"{'event logs':44} {'ours':>12}  {'reference':>12}  ratio"
    lines = [
        header,
        *([] if synthetic_only else _bpic(repeat)),
        *_synthetic(repeat, events, folder),
    ]
    if agree:
        lines += agreement()
    return lines


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--agree", action="store_true")
    parser.add_argument(
        "--folder", type=Path, help="where the synthetic logs are made and kept (build/bench/)"
    )
    parser.add_argument(
        "--synthetic-only", action="store_true", help="skip the BPI Challenge 2012 row"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child)
    else:
        os.environ.setdefault("PYTHONHASHSEED", "0")
        lines = main(
            options.repeat,
            events=options.events,
            agree=options.agree,
            folder=options.folder,
            synthetic_only=options.synthetic_only,
        )
        print("\n".join(lines))
    sys.exit(0)
