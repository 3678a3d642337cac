"""The pm4py side of benchmarks/logs.py, run in its own environment (benchmarks/.venv-peers,
``make bench-peers``): pm4py is AGPL and never a dependency of lastmile_flows, which this
script does not import. It prints one JSON object on stdout.

Usage (by benchmarks/logs.py): ``python peers_pm4py.py TASK JSON-ARGS``, TASK one of
``time`` (read + timed DFG + touch times: seconds, and the peak memory in MB) and ``agree``
(DF counts, mean DF times and mean service times, for the agreement check).
"""

from __future__ import annotations

import json
import resource
import sys
import time
import warnings
from typing import Any


def _read(args: dict[str, Any]) -> Any:
    import pandas as pd
    import pm4py

    path = args["path"]
    if path.endswith((".xes", ".xes.gz")):
        frame = pm4py.read_xes(path)
    elif path.endswith(".parquet"):
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path, dtype={args["case"]: str})
    keys = {
        "case_id": args["case"],
        "activity_key": args["activity"],
        "timestamp_key": args["end"],
    }
    if args.get("start"):
        keys["start_timestamp_key"] = args["start"]
    frame = pm4py.format_dataframe(frame, **keys)
    if args.get("lifecycle"):
        lifecycle = frame[args["lifecycle"]].astype(str).str.lower()
        frame = frame.assign(**{args["lifecycle"]: lifecycle})
    return frame


def _intervals(frame: Any, args: dict[str, Any]) -> Any:
    """One row per activity instance: a lifecycle log's start/complete pairs joined by
    ``to_interval``; other logs as they are (their start column, or none)."""
    import pm4py

    if not args.get("lifecycle"):
        return frame
    from pm4py.objects.log.util import interval_lifecycle

    log = pm4py.convert_to_event_log(frame)
    return pm4py.convert_to_dataframe(interval_lifecycle.to_interval(log))


def _start_key(frame: Any, args: dict[str, Any]) -> str:
    return "start_timestamp" if "start_timestamp" in frame.columns else "time:timestamp"


def _service(intervals: Any, args: dict[str, Any]) -> dict[str, float]:
    """Mean touch time of the instances that have a start (an unpaired complete has none)."""
    import pm4py

    if not (args.get("start") or args.get("lifecycle")):
        return {}
    if args.get("lifecycle"):
        marker = "@@startevent_concept:name"  # set on the instances whose start was found
        if marker not in intervals.columns:
            return {}
        intervals = intervals[intervals[marker].notna()]
    found = pm4py.get_service_time(
        intervals, aggregation_measure="mean", start_timestamp_key="start_timestamp"
    )
    return {str(k): float(v) for k, v in found.items()}


def timed(args: dict[str, Any]) -> dict[str, Any]:
    import pm4py

    start = time.perf_counter()
    frame = _read(args)
    read = time.perf_counter() - start
    pm4py.discover_performance_dfg(frame)
    dfg = time.perf_counter() - start - read
    _service(_intervals(frame, args), args)
    total = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"read": read, "dfg": dfg, "touch": total - read - dfg, "total": total, "peak_mb": peak}


def agree(args: dict[str, Any]) -> dict[str, Any]:
    from pm4py.algo.discovery.dfg.adapters.pandas import df_statistics

    intervals = _intervals(_read(args), args)
    counts, performance = df_statistics.get_dfg_graph(
        intervals,
        measure="both",
        activity_key="concept:name",
        case_id_glue="case:concept:name",
        timestamp_key="time:timestamp",
        start_timestamp_key=_start_key(intervals, args),
    )
    return {
        "dfg": [[a, b, int(n)] for (a, b), n in sorted(counts.items())],
        "mean": [[a, b, float(v)] for (a, b), v in sorted(performance.items())],
        "service": _service(intervals, args),
    }


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    task, raw = sys.argv[1], json.loads(sys.argv[2])
    result = {"time": timed, "agree": agree}[task](raw)
    print(json.dumps(result))
