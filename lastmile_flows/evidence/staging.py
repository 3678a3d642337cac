"""The ``staged`` rows of a log: every source row with its fields checked, read once.

Rules:

- case id, activity, resource, role and lifecycle transition are read as trimmed text, blank
  text as missing; the transition in lower case;
- a time column of a time or date type is read as it is, a number column as seconds since
  1970, text with ``time_format`` (strptime codes) when one is given, else text without a
  zone as UTC and text with one (``+02:00``, ``-0500``, ``Z``, ``Europe/Amsterdam``) converted
  to UTC;
- a row's ``reason`` names why it is a bad row (no case id, no activity, no timestamp, an
  unparsable timestamp or start time, an end before its start), and is null for a good row;
- a row's ``line`` is its number among the data rows (1 = the first).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lastmile_flows.evidence.columns import Columns

__all__ = ["NUMBERS", "stage"]

NUMBERS = ("BIGINT", "INTEGER", "DOUBLE", "FLOAT", "HUGEINT", "UBIGINT")
"""Column types read as seconds since 1970 when they hold times."""


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _typed(kind: str) -> bool:
    """Whether a column of type ``kind`` holds times or numbers (not text)."""
    return kind.upper().startswith(("TIMESTAMP", "DATE")) or kind.upper() in NUMBERS


def _text(column: str, kind: str) -> str:
    """The column as text, trimmed, null when blank. DuckDB's ``trim`` drops the Unicode space
    separators (in ASCII only the space) and costs eight times a plain read, so it runs only on
    text that can start or end with one: text with a non-ASCII character (more bytes than
    characters) or with a space at either end. A number or time read as text has neither."""
    value = f"CAST({_ident(column)} AS VARCHAR)"
    if _typed(kind):
        return value
    ends = (
        f"strlen({value}) <> length({value}) "
        f"OR starts_with({value}, ' ') OR ends_with({value}, ' ')"
    )
    return f"NULLIF(CASE WHEN {ends} THEN trim({value}) ELSE {value} END, '')"


def _time(kind: str, part: str, time_format: str | None) -> str:
    """A UTC ``TIMESTAMP`` from the ``part`` (``end``, ``start``) of a staged row, whatever the
    source column's type; null when it cannot be read. Reads the columns ``{part}_raw`` (the
    value) and ``{part}_text`` (it as trimmed text)."""
    raw, text = f"{part}_raw", f"{part}_text"
    upper = kind.upper()
    if upper.startswith(("TIMESTAMP", "DATE")):
        return f"CAST({raw} AS TIMESTAMP)"
    if upper in NUMBERS:
        return f"CAST(to_timestamp(CAST({raw} AS DOUBLE)) AS TIMESTAMP)"
    if time_format:
        pattern = time_format.replace("'", "''")
        return f"CAST(try_strptime({text}, '{pattern}') AS TIMESTAMP)"
    # text without a zone parses as TIMESTAMP (three times faster); with one (``+02:00``,
    # ``-0500``, ``Z``, ``Europe/Amsterdam``) as TIMESTAMPTZ, converted to UTC (TIMESTAMP
    # would drop the zone). ``YYYY-MM-DD HH:MM:SS`` (19 bytes in that shape, a digit last),
    # the common spelling, holds no zone; other text is zoned when it has a sign in its last 6
    # characters or does not end in a digit. DuckDB tries each test only on the rows the tests
    # before it left, so the common spelling pays only for the first (one ``GLOB``: the staging
    # of 10 million rows took 3.3 s with a ``LIKE`` and a ``substr`` there, 2.6 s with it)
    digit = "BETWEEN '0' AND '9'"
    plain = f"strlen({text}) = 19 AND {text} GLOB '????-??-?? ??:??:?[0-9]'"
    zoned = (
        f"contains(right({text}, 6), '+') OR contains(right({text}, 6), '-') "
        f"OR NOT right({text}, 1) {digit}"
    )
    return (
        f"CASE WHEN {plain} THEN try_cast({text} AS TIMESTAMP) "
        f"WHEN {zoned} THEN CAST(try_cast({text} AS TIMESTAMPTZ) AS TIMESTAMP) "
        f"ELSE try_cast({text} AS TIMESTAMP) END"
    )


def stage(
    connection: Any,
    file: Path,
    kind: str,
    columns: Columns,
    types: dict[str, str],
    time_format: str | None,
) -> None:
    """The view ``staged``: every row with its checked fields, its ``reason`` when it is a bad
    row, and its ``line``. A Parquet file is read again for each query on it (a fast, typed,
    columnar scan that numbers its rows); a CSV or XES log is parsed once into a table, whose
    row id + 1 is the data row's number (DuckDB keeps the insertion order), without a window
    over the whole file."""
    if kind == "parquet" and "file_row_number" not in types:
        where = str(file).replace("'", "''")
        numbered = f"read_parquet('{where}', file_row_number = true)"
        select = _stage_sql(columns, types, time_format, source=numbered, line="file_row_number")
        connection.execute(f"CREATE TEMP VIEW staged AS {select}")
        return
    select = _stage_sql(columns, types, time_format, source="source", line=None)
    connection.execute(f"CREATE TEMP TABLE staged_rows AS {select}")
    connection.execute("CREATE TEMP VIEW staged AS SELECT *, rowid + 1 AS line FROM staged_rows")


def _given(kind: str, part: str) -> str:
    """Whether a staged row has a value for ``part``: non-blank text, or any value of a time or
    number column (which never reads as blank text, so is not turned into text to check)."""
    if _typed(kind):
        return f"{part}_raw IS NOT NULL"
    return f"{part}_text IS NOT NULL"


def _fields(columns: Columns, types: dict[str, str], line: str | None) -> str:
    """The source columns as staged: case id, activity, each time as its value and as text,
    resource, role and transition as text (null where the log has no such column), and the
    1-based ``line`` from the 0-based row number ``line`` when given."""
    times = {"end": columns.end, "start": columns.start}
    parts = ",\n".join(
        f"{_ident(col)} AS {part}_raw, {_text(col, types[col])} AS {part}_text"
        if col
        else f"NULL AS {part}_raw, CAST(NULL AS VARCHAR) AS {part}_text"
        for part, col in times.items()
    )
    optional = {
        "resource": columns.resource,
        "role": columns.role,
        "transition": columns.lifecycle,
    }
    texts = {name: _text(col, types[col]) for name, col in optional.items() if col}
    if "transition" in texts:
        texts["transition"] = f"lower({texts['transition']})"
    extras = ",\n".join(
        f"{texts.get(name, 'CAST(NULL AS VARCHAR)')} AS {name}" for name in optional
    )
    numbered = f",\n{line} + 1 AS line" if line else ""
    return (
        f"{_text(columns.case, types[columns.case])} AS case_id,\n"
        f"                   {_text(columns.activity, types[columns.activity])} AS activity,\n"
        f"                   {parts},\n"
        f"                   {extras}{numbered}"
    )


def _stage_sql(
    columns: Columns,
    types: dict[str, str],
    time_format: str | None,
    *,
    source: str,
    line: str | None,
) -> str:
    """The staging query over ``source``; ``line`` (the 0-based row number), when given,
    becomes the ``line`` column. Each source column is read and trimmed once per row, in
    the inner queries (DuckDB drops what a column's type does not need)."""
    kept = "case_id, activity, end_ts, start_ts, resource, role, transition" + (
        ", line" if line else ""
    )
    end = _time(types[columns.end], "end", time_format)
    start = _time(types[columns.start], "start", time_format) if columns.start else "NULL"
    start_given = _given(types[columns.start], "start") if columns.start else "false"
    return f"""
SELECT {kept}, CASE
        WHEN case_id IS NULL THEN 'no case id'
        WHEN activity IS NULL THEN 'no activity'
        WHEN NOT end_given THEN 'no timestamp'
        WHEN end_ts IS NULL THEN 'unparsable timestamp'
        WHEN start_given AND start_ts IS NULL THEN 'unparsable start time'
        WHEN start_ts > end_ts THEN 'end before start'
    END AS reason
FROM (
    SELECT *,
           {end} AS end_ts,
           {_given(types[columns.end], "end")} AS end_given,
           {start} AS start_ts,
           {start_given} AS start_given
    FROM (
        SELECT {_fields(columns, types, line)}
        FROM {source}
    ) AS texts
) AS raw
"""
