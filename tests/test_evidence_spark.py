"""The log queries, written once, give the same answers on Spark (local mode) as on DuckDB.

Slow (a JVM starts); it runs in CI too, where a missing Java or pyspark is a failure, not a
skip (``make test`` installs both: Java from Debian, pyspark with the dev extras)."""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lastmile_flows import read_log
from lastmile_flows.evidence.queries import QUERIES, for_engine
from tests.builders import loop_model
from tests.logsim import simulate, write_csv

pytestmark = pytest.mark.slow


def _require_spark() -> Any:
    missing = None
    if shutil.which("java") is None:
        missing = (
            "java is not installed (Debian package default-jre-headless; make test installs it)"
        )
    try:
        import pyspark.sql
    except ImportError:
        missing = "pyspark is not installed (pip install -e '.[dev]')"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    return pyspark.sql


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    sql = _require_spark()
    session = (
        sql.SparkSession.builder.master("local[1]")
        .appName("lastmile-flows-test")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _view(spark: Any, duck: Any, sql: str, name: str) -> None:
    """A DuckDB result as a Spark temporary view (naive UTC times as TIMESTAMP_NTZ: no time
    zone touches them on the way; no pandas, whose newest release Spark does not support)."""
    from pyspark.sql import types

    kinds = {
        "VARCHAR": types.StringType(),
        "TIMESTAMP": types.TimestampNTZType(),
        "BIGINT": types.LongType(),
        "INTEGER": types.IntegerType(),
    }
    result = duck.sql(sql)
    fields = [
        types.StructField(column, kinds[str(kind)], True)
        for column, kind in zip(result.columns, result.types, strict=True)
    ]
    spark.createDataFrame(result.fetchall(), types.StructType(fields)).createOrReplaceTempView(name)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):  # quantile_cont(x, [0.5, 0.9])
        return (
            isinstance(a, list)
            and isinstance(b, list)
            and len(a) == len(b)
            and all(_same(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    return bool(a == b)


def _rows(found: list[Any]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in found]


def test_every_query_gives_the_same_rows_on_spark(spark: Any, tmp_path: Path) -> None:
    rows = simulate(loop_model(0.7, 0.2), 60, seed=11, spread=0.5)
    log = read_log(write_csv(tmp_path / "claims.csv", rows))
    duck = log.connection
    duck.execute(
        "CREATE TEMP TABLE activity_map AS SELECT * FROM (VALUES ('Check claim', 'check'),"
        " ('Approve', 'approve')) AS t(activity, element)"
    )
    duck.execute(f"CREATE TEMP TABLE variant_examples AS {for_engine('variants')}")
    _view(
        spark,
        duck,
        "SELECT case_id, activity, start_ts, end_ts, resource, role, line FROM events",
        "instances",
    )
    spark.sql(for_engine("events", "spark")).createOrReplaceTempView("events")
    spark.sql(for_engine("per_case", "spark")).createOrReplaceTempView("per_case")
    _view(spark, duck, "SELECT * FROM activity_map", "activity_map")
    _view(spark, duck, "SELECT example FROM variant_examples", "variant_examples")
    checked = 0
    for name in QUERIES:
        expected = _rows(duck.execute(for_engine(name)).fetchall())
        got = _rows(spark.sql(for_engine(name, "spark")).collect())
        if name == "variants":  # the fingerprints are each engine's own hash: compare the rest
            expected = sorted(row[1:] for row in expected)
            got = sorted(row[1:] for row in got)
        assert len(got) == len(expected), name
        for left, right in zip(got, expected, strict=True):
            assert all(_same(a, b) for a, b in zip(left, right, strict=True)), (name, left, right)
        checked += 1
    assert checked == len(QUERIES) >= 10
