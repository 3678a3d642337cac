"""The embedded query engine: one DuckDB connection per log, set up the same way every time.

DuckDB reads CSV and Parquet as streams and spills to disk past ``memory_limit``, so a log larger
than memory still works on one machine. Times are read and kept in UTC. DuckDB is imported
here, on first use, never when ``lastmile_flows`` is imported.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import TYPE_CHECKING, Any

from lastmile_flows.limits import DEFAULT_MEMORY_LIMIT, checked_size

if TYPE_CHECKING:
    import duckdb

__all__ = ["DEFAULT_MEMORY_LIMIT", "connect", "first_line", "rows"]


def connect(*, memory_limit: str = DEFAULT_MEMORY_LIMIT, threads: int | None = None) -> Any:
    """A new in-memory DuckDB connection: UTC, bounded memory, spilling to the temp folder."""
    import duckdb

    connection = duckdb.connect(":memory:")
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute(f"SET memory_limit = '{checked_size(memory_limit)}'")
    connection.execute(f"SET temp_directory = '{_quoted(tempfile.gettempdir())}'")
    connection.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    # in Jupyter without ipywidgets DuckDB refuses to touch the setting (and shows no bar)
    with contextlib.suppress(duckdb.Error):
        connection.execute("SET enable_progress_bar = false")
    return connection


def rows(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: list[Any] | None = None
) -> list[tuple[Any, ...]]:
    """Every row of a query, as tuples."""
    return connection.execute(sql, parameters or []).fetchall()


def first_line(error: BaseException) -> str:
    """The first line of an error's message (the engine's run to several), or its type's name
    when it has no message."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _quoted(text: str) -> str:
    return text.replace("'", "''")
