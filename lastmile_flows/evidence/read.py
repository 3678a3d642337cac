"""``read_log``: a CSV, Parquet or XES event log as one table of activity instances.

Rules, in the order they apply:

- columns are told by name (:mod:`lastmile_flows.evidence.columns`), or named by the caller;
- times are read as UTC: text with a zone (an offset, ``Z`` or a name such as
  ``Europe/Amsterdam``) is converted, text without one is taken as UTC,
  ``time_format`` (strptime codes) reads other spellings;
- a row with no case id, no activity, no or an unparsable time, or an end before its start is
  a *bad row*: counted by reason with the first line it happens on, and left out of every
  figure, never silently;
- with a lifecycle column, each ``complete`` event takes the oldest ``start`` of the same case
  and activity still open before it (first in, first out, as pm4py's ``to_interval`` does) and
  becomes one instance with a start and an end; a complete with no open start has no start
  time (no touch time is invented for it); other transitions (``schedule``, ``assign``, ...)
  and starts that never complete are counted as not used;
- each instance gets its position in the case, by start time (its completion time when it has
  no start), then completion time, then file order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from lastmile_flows.errors import LogError
from lastmile_flows.evidence.columns import Columns, detect_columns
from lastmile_flows.evidence.engine import DEFAULT_MEMORY_LIMIT, connect, first_line, rows
from lastmile_flows.evidence.queries import for_engine
from lastmile_flows.evidence.staging import stage
from lastmile_flows.evidence.xes import DEFAULT_MAX_BYTES, XesReader, read_xes
from lastmile_flows.model.problems import choices

__all__ = ["LOG_SUFFIXES", "BadRows", "EventLog", "Timing", "read_log"]

LOG_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".xes", ".xes.gz")
Timing = Literal["start_end", "lifecycle", "complete"]
TIMING_WORDS: dict[str, str] = {
    "start_end": "a start and an end time per event: touch times and waits",
    "lifecycle": "start and complete events paired: touch times and waits",
    "complete": "completion times only: the time between events (wait and work together); "
    "no touch times",
}


@dataclass(frozen=True)
class BadRows:
    """Rows left out of every figure, by reason, with the first line (1 = first data row)."""

    reason: str
    count: int
    first_line: int


@dataclass(frozen=True)
class EventLog:
    """A log read into DuckDB: the ``events`` table (and ``per_case``, one row per case, made
    from it) and what reading it found.

    ``connection`` is the log's own DuckDB connection; queries in
    :mod:`lastmile_flows.evidence.queries` run on it. :meth:`close` (or ``with read_log(...) as
    log:``) frees its tables and spilled files at once, instead of when the log is collected.
    """

    path: str
    source: str
    """The file's name: what evidence cites."""
    connection: Any
    columns: Columns
    timing: Timing
    bad_rows: tuple[BadRows, ...]
    not_used: tuple[tuple[str, int], ...]
    """Lifecycle transitions not used (``schedule``, starts never completed, ...) and counts."""
    rows_read: int

    def query(self, name: str) -> list[tuple[Any, ...]]:
        """The rows of one of the portable queries (:data:`~.queries.QUERIES`)."""
        return rows(self.connection, for_engine(name))

    def close(self) -> None:
        """Close the log's connection: its tables and spilled files go; queries fail after."""
        self.connection.close()

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_log(
    path: str | os.PathLike[str],
    *,
    case: str | None = None,
    activity: str | None = None,
    start: str | None = None,
    end: str | None = None,
    resource: str | None = None,
    role: str | None = None,
    lifecycle: str | None = None,
    time_format: str | None = None,
    xes_reader: XesReader = "auto",
    max_xes_bytes: int = DEFAULT_MAX_BYTES,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    threads: int | None = None,
) -> EventLog:
    """Read an event log (CSV, Parquet, XES or gzipped XES/CSV) into an :class:`EventLog`.

    Column options name a column when its name is not a standard one (see
    :mod:`lastmile_flows.evidence.columns`). Raises :class:`~lastmile_flows.LogError` for a
    file that cannot be read, a column that cannot be told, a log with no usable event, or a
    log that does not fit in ``memory_limit`` even spilling to disk.
    """
    file = Path(path)
    text = str(file)
    if not file.is_file():
        raise LogError("no such file" if not file.exists() else "not a file", path=text)
    kind = _kind(file)
    if file.stat().st_size == 0:
        raise LogError("the file is empty", path=text)
    import duckdb

    given = {
        "case": case,
        "activity": activity,
        "start": start,
        "end": end,
        "resource": resource,
        "role": role,
        "lifecycle": lifecycle,
    }
    connection = None
    try:
        # even setting a tiny limit can run out of memory: inside the try
        connection = connect(memory_limit=memory_limit, threads=threads)
        return _load(connection, file, kind, given, time_format, xes_reader, max_xes_bytes)
    except BaseException as error:
        # a failed read frees its tables and spilled files now, not when the error is collected
        if connection is not None:
            connection.close()
        if isinstance(error, duckdb.OutOfMemoryException):
            raise LogError(
                f"out of memory within memory_limit {memory_limit!r} ({first_line(error)}): "
                "give a larger memory_limit (--memory-limit), or fewer threads (--threads)",
                path=text,
            ) from None
        raise


def _load(
    connection: Any,
    file: Path,
    kind: str,
    given: dict[str, str | None],
    time_format: str | None,
    xes_reader: XesReader,
    max_xes_bytes: int,
) -> EventLog:
    """Read ``file`` into ``connection``: stage, count, pair and order its events."""
    text = str(file)
    _register_source(connection, file, kind, xes_reader, max_xes_bytes)
    types = {str(r[0]): str(r[1]) for r in rows(connection, "DESCRIBE SELECT * FROM source")}
    columns = detect_columns(list(types), given, path=text)
    stage(connection, file, kind, columns, types, time_format)
    tally = _tally(connection)
    read_count = sum(tally.rows.values())
    if read_count == 0:
        raise LogError("the log has no events", path=text)
    timing, not_used = _instances(connection, columns, tally)
    connection.execute(f"CREATE TEMP TABLE events AS {for_engine('events')}")
    connection.execute(f"CREATE TEMP TABLE per_case AS {for_engine('per_case')}")
    connection.execute(f"DROP {'TABLE' if timing == 'lifecycle' else 'VIEW'} instances")
    connection.execute("DROP VIEW staged")
    connection.execute("DROP TABLE IF EXISTS staged_rows")
    if int(rows(connection, "SELECT count(*) FROM events")[0][0]) == 0:
        reasons = "; ".join(f"{b.reason}: {b.count:,}" for b in tally.bad) or "none"
        raise LogError(f"the log has no usable events (bad rows: {reasons})", path=text)
    return EventLog(text, file.name, connection, columns, timing, tally.bad, not_used, read_count)


@dataclass(frozen=True)
class _Tally:
    """What one scan of the staged rows found: rows, and timed rows, by (reason, transition)
    (reason ``None``: a good row; transition ``complete`` where the log has none), and the
    bad rows by reason."""

    rows: dict[tuple[str | None, str], int]
    timed: dict[tuple[str | None, str], int]
    bad: tuple[BadRows, ...]

    def good(self) -> dict[str, int]:
        """Good rows by lifecycle transition."""
        return {t: n for (reason, t), n in self.rows.items() if reason is None}


def _tally(connection: Any) -> _Tally:
    """Count the staged rows in one scan (a Parquet log is read again for each scan)."""
    found = rows(
        connection,
        "SELECT reason, coalesce(transition, 'complete'), count(*), count(start_ts), min(line) "
        "FROM staged GROUP BY ALL",
    )
    counts = {(r[0], str(r[1])): int(r[2]) for r in found}
    timed = {(r[0], str(r[1])): int(r[3]) for r in found}
    first: dict[str, int] = {}
    total: dict[str, int] = {}
    for reason, _, count, _, line in found:
        if reason is not None:
            first[reason] = min(first.get(reason, int(line)), int(line))
            total[reason] = total.get(reason, 0) + int(count)
    bad = tuple(
        BadRows(str(reason), total[reason], first[reason])
        for reason in sorted(first, key=first.__getitem__)
    )
    return _Tally(counts, timed, bad)


def _kind(file: Path) -> str:
    name = file.name.lower()
    for suffix in LOG_SUFFIXES:
        if name.endswith(suffix):
            return suffix.split(".")[1]
    raise LogError(
        f"unknown log type {file.suffix!r}; valid: {choices(LOG_SUFFIXES)}", path=str(file)
    )


def _register_source(
    connection: Any, file: Path, kind: str, reader: XesReader, max_bytes: int
) -> None:
    where = str(file).replace("'", "''")
    import duckdb

    try:
        if kind == "csv":
            connection.execute(
                "CREATE TEMP VIEW source AS SELECT * FROM read_csv("
                f"'{where}', all_varchar = true, header = true, sample_size = 20480)"
            )
        elif kind == "parquet":
            connection.execute(f"CREATE TEMP VIEW source AS SELECT * FROM read_parquet('{where}')")
        else:
            table = read_xes(file, reader=reader, max_bytes=max_bytes)
            connection.register("source_frame", table)
            connection.execute("CREATE TEMP VIEW source AS SELECT * FROM source_frame")
        connection.execute("SELECT * FROM source LIMIT 1").fetchall()
    except duckdb.OutOfMemoryException:
        raise  # not the file's fault: read_log says what to change
    except duckdb.Error as error:
        raise LogError(
            f"cannot read as {kind.upper()}: {first_line(error)}", path=str(file)
        ) from None


def _instances(
    connection: Any, columns: Columns, tally: _Tally
) -> tuple[Timing, tuple[tuple[str, int], ...]]:
    """Build ``instances`` from the good staged rows; pair lifecycle starts and completes.
    Returns the log's timing and what was not used."""
    transitions = tally.good()
    if columns.lifecycle is None or "start" not in transitions:
        return _unpaired(connection, columns, tally)
    connection.execute(_PAIRED.format(good="SELECT * FROM staged WHERE reason IS NULL"))
    paired = int(rows(connection, "SELECT count(start_ts) FROM instances")[0][0])
    not_used = [
        (f"lifecycle '{k}'", int(v))
        for k, v in transitions.items()
        if k not in ("start", "complete")
    ]
    unpaired = int(transitions["start"]) - paired
    if unpaired:
        not_used.append(("starts with no complete after them", unpaired))
    return "lifecycle", tuple(sorted(not_used))


def _unpaired(
    connection: Any, columns: Columns, tally: _Tally
) -> tuple[Timing, tuple[tuple[str, int], ...]]:
    """The view ``instances``: each good row (each ``complete`` one, with a lifecycle column
    but no starts in it) is an instance."""
    keep = "case_id, activity, start_ts, end_ts, resource, role, line"
    transitions = tally.good()
    not_used = [(f"lifecycle '{k}'", int(v)) for k, v in transitions.items() if k != "complete"]
    where = "" if columns.lifecycle is None else "AND coalesce(transition, 'complete') = 'complete'"
    connection.execute(
        f"CREATE TEMP VIEW instances AS SELECT {keep} FROM staged WHERE reason IS NULL {where}"
    )
    with_start = tally.timed.get((None, "complete"), 0)
    timing: Timing = "start_end" if with_start else "complete"
    return timing, tuple(sorted(not_used))


_PAIRED = """
CREATE TEMP TABLE instances AS
WITH marks AS (
    SELECT *, sum(CASE WHEN transition = 'start' THEN 1 ELSE 0 END) OVER (
        PARTITION BY case_id, activity ORDER BY end_ts, line ROWS UNBOUNDED PRECEDING
    ) AS began_so_far
    FROM ({good}) AS g
    WHERE coalesce(transition, 'complete') IN ('start', 'complete')
), done AS (
    SELECT *, row_number() OVER (PARTITION BY case_id, activity ORDER BY end_ts, line) AS k
    FROM marks WHERE coalesce(transition, 'complete') = 'complete'
), matched AS (
    -- the k-th complete takes the oldest start still open before it (first in, first out):
    -- after k completes, m = k + min(0, min over them of (starts so far - their number))
    -- completes have found a start; this one did when m grew
    SELECT *, k + least(0, min(began_so_far - k) OVER (
        PARTITION BY case_id, activity ORDER BY end_ts, line ROWS UNBOUNDED PRECEDING
    )) AS m
    FROM done
), paired AS (
    SELECT *, coalesce(lag(m) OVER (
        PARTITION BY case_id, activity ORDER BY end_ts, line
    ), 0) AS previous_m
    FROM matched
), began AS (
    SELECT case_id, activity, end_ts AS began_ts,
           row_number() OVER (PARTITION BY case_id, activity ORDER BY end_ts, line) AS j
    FROM ({good}) AS g WHERE transition = 'start'
)
SELECT p.case_id, p.activity, b.began_ts AS start_ts, p.end_ts, p.resource, p.role, p.line
FROM paired AS p LEFT JOIN began AS b
    ON b.case_id = p.case_id AND b.activity = p.activity AND b.j = p.m AND p.m > p.previous_m
"""
"""The table ``instances`` from the ``good`` rows of a log with lifecycle starts: each complete
paired with the oldest start of its case and activity still open before it."""
