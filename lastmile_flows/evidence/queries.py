"""The log queries, written once in SQL (DuckDB's dialect) so that they run elsewhere too.

Each query reads the table ``events`` (one row per activity instance: ``case_id``, ``activity``,
``start_ts`` (may be null), ``end_ts``, ``resource``, ``role``, ``line``, and the ``pos``,
``prev_activity`` and ``prev_end`` that :data:`EVENTS` adds), or ``instances`` for
:data:`EVENTS` itself, or ``per_case`` (one row per case, :data:`PER_CASE`, made once from
``events``: the variants and the months read it instead of grouping the events again); the
calibration query joins ``activity_map (activity, element)``, a small table made from the
mapping. DuckDB runs them here;
:func:`for_engine` transpiles them with sqlglot for Spark SQL (or any dialect sqlglot writes),
so a log that lives in a data lake is queried where it lives, with the same text. Durations are
whole milliseconds (``date_diff``), which both engines compute the same way. A median and a P90
of the same values are asked for at once (``quantile_cont(x, [0.5, 0.9])``, a list, null where
there are no values: one sort of the values, not two). Months are grouped by ``date_trunc`` and
only the groups spelled ``YYYY-MM`` (formatting every event's time as text costs more than the
grouping). A wait, from the completion before to an instance's start
(or its completion, when it has no start), is never negative: work that overlaps the instance
before it did not wait.
"""

from __future__ import annotations

from functools import cache

__all__ = ["EVENTS", "PER_CASE", "QUERIES", "for_engine"]

SPARK_LIKE = ("spark", "spark2", "databricks")

EVENTS = """
SELECT case_id, activity, start_ts, end_ts, resource, role, line,
       row_number() OVER w AS pos,
       lag(activity) OVER w AS prev_activity,
       lag(end_ts) OVER w AS prev_end
FROM instances
WINDOW w AS (PARTITION BY case_id ORDER BY coalesce(start_ts, end_ts), end_ts, line)
"""
"""Each instance with its position in its case (by start time, or completion time where it has
no start; then completion time, then file order) and the activity and completion time before
it."""

PER_CASE = """
SELECT case_id, sum(hash(activity, pos)) AS fingerprint, count(*) AS length,
       min(coalesce(start_ts, end_ts)) AS started
FROM events
GROUP BY case_id
"""
"""Each case with a fingerprint of its activity sequence (the same sequence, the same sum), its
number of instances and when it started."""

QUERIES: dict[str, str] = {
    "counts": """
SELECT count(*) AS events, count(DISTINCT case_id) AS cases,
       count(DISTINCT activity) AS activities, count(DISTINCT resource) AS resources,
       min(coalesce(start_ts, end_ts)) AS first, max(end_ts) AS last,
       count(start_ts) AS with_start
FROM events
""",
    "activities": """
SELECT activity, count(*) AS events, count(DISTINCT case_id) AS cases,
       count(start_ts) AS timed,
       avg((date_diff('microsecond', start_ts, end_ts) / 1000.0)) AS touch_mean,
       stddev_samp((date_diff('microsecond', start_ts, end_ts) / 1000.0)) AS touch_sd,
       quantile_cont((date_diff('microsecond', start_ts, end_ts) / 1000.0), 0.5) AS touch_median,
       quantile_cont((date_diff('microsecond', start_ts, end_ts) / 1000.0), 0.9) AS touch_p90
FROM events
GROUP BY activity
ORDER BY activity
""",
    "waits": """
SELECT activity, count(wait) AS waited, avg(wait) AS wait_mean, stddev_samp(wait) AS wait_sd,
       quantile_cont(wait, 0.5) AS wait_median, quantile_cont(wait, 0.9) AS wait_p90
FROM (
    SELECT activity,
           greatest(0, date_diff('microsecond', prev_end, coalesce(start_ts, end_ts)) / 1000.0)
               AS wait
    FROM events
    WHERE prev_end IS NOT NULL
) AS timed
GROUP BY activity
ORDER BY activity
""",
    "directly_follows": """
SELECT prev_activity AS source, activity AS target, count(*) AS pairs,
       avg(greatest(0, date_diff('microsecond', prev_end, coalesce(start_ts, end_ts)) / 1000.0))
           AS elapsed_mean
FROM events
WHERE prev_activity IS NOT NULL
GROUP BY prev_activity, activity
ORDER BY prev_activity, activity
""",
    "variants": """
SELECT fingerprint, count(*) AS cases, min(case_id) AS example, min(length) AS length
FROM per_case
GROUP BY fingerprint
ORDER BY cases DESC, example
""",
    "traces": """
SELECT case_id, activity
FROM events
WHERE case_id IN (SELECT example FROM variant_examples)
ORDER BY case_id, pos
""",
    "months": """
SELECT strftime(date_trunc('month', started), '%Y-%m') AS month, count(*) AS cases
FROM per_case
GROUP BY date_trunc('month', started)
ORDER BY month
""",
    "resources": """
SELECT resource, role, activity, count(*) AS events
FROM events
WHERE resource IS NOT NULL
GROUP BY resource, role, activity
ORDER BY resource, role, activity
""",
    "resource_work": """
SELECT resource, role, activity, strftime(date_trunc('month', end_ts), '%Y-%m') AS month,
       count(*) AS events
FROM events
WHERE resource IS NOT NULL
GROUP BY resource, role, activity, date_trunc('month', end_ts)
ORDER BY resource, role, activity, month
""",
    "element_times": """
SELECT element, count(*) AS events, count(touch) AS timed,
       avg(touch) AS touch_mean, stddev_samp(touch) AS touch_sd,
       quantile_cont(touch, [0.5, 0.9]) AS touch_median_p90,
       count(wait) AS waited, avg(wait) AS wait_mean, stddev_samp(wait) AS wait_sd,
       quantile_cont(wait, [0.5, 0.9]) AS wait_median_p90
FROM (
    SELECT m.element,
           date_diff('microsecond', e.start_ts, e.end_ts) / 1000.0 AS touch,
           CASE WHEN e.prev_end IS NOT NULL THEN greatest(
               0, date_diff('microsecond', e.prev_end, coalesce(e.start_ts, e.end_ts)) / 1000.0
           ) END AS wait
    FROM events AS e JOIN activity_map AS m ON e.activity = m.activity
) AS timed
GROUP BY element
ORDER BY element
""",
}
"""The portable queries by name (see the module docstring for the tables they read)."""


@cache
def for_engine(name: str, dialect: str = "duckdb") -> str:
    """Query ``name`` (a key of :data:`QUERIES`, ``"events"`` or ``"per_case"``) in
    ``dialect``: as written for DuckDB, transpiled by sqlglot for the others (``"spark"``,
    ``"databricks"``, ...)."""
    sql = {"events": EVENTS, "per_case": PER_CASE}.get(name) or QUERIES[name]
    if dialect == "duckdb":
        return sql
    import sqlglot
    from sqlglot import exp

    def exact_percentile(node: exp.Expression) -> exp.Expression:
        # DuckDB's quantile_cont(x, q) is Spark's percentile(x, q): exact, interpolated
        if isinstance(node, exp.PercentileCont) and dialect in SPARK_LIKE:
            return exp.Anonymous(this="PERCENTILE", expressions=[node.this, node.expression])
        return node

    tree = sqlglot.parse_one(sql, read="duckdb").transform(exact_percentile)
    return tree.sql(dialect=dialect, pretty=True)
