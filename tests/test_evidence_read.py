"""read_log: columns told by name, times in UTC, bad rows counted (never dropped silently),
lifecycle pairs joined, XES read fast or safely, hostile and broken files refused clearly."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from lastmile_flows import LoadError, LogError, read_log
from lastmile_flows.evidence.read import BadRows
from lastmile_flows.evidence.traces import directly_follows, variants
from lastmile_flows.evidence.xes import check_xes
from tests.support import shared_log


def _csv(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
def test_standard_xes_names_in_a_csv_are_detected() -> None:
    log = read_log(shared_log("receipt.csv"))
    columns = log.columns
    assert (columns.case, columns.activity, columns.end) == (
        "case:concept:name",
        "concept:name",
        "time:timestamp",
    )
    assert (columns.resource, columns.role, columns.lifecycle) == (
        "org:resource",
        "org:group",
        "lifecycle:transition",
    )
    assert "case:channel" in columns.attributes
    events, cases, activities, *_ = log.query("counts")[0]
    assert (events, cases, activities) == (8577, 1434, 27)
    assert log.timing == "complete"


@pytest.mark.slow
def test_common_csv_names_with_start_and_end_times() -> None:
    log = read_log(shared_log("PurchasingExample.csv.gz"))
    assert (log.columns.case, log.columns.start, log.columns.end) == (
        "case_id",
        "start_time",
        "end_time",
    )
    assert log.timing == "start_end"
    assert log.query("counts")[0][:2] == (9119, 608)


def test_parquet_reads_the_same_log() -> None:
    log = read_log(shared_log("receipt.parquet"))
    assert log.query("counts")[0][:3] == (8577, 1434, 27)


def test_a_column_that_cannot_be_told_names_the_columns_and_the_option(tmp_path: Path) -> None:
    path = _csv(tmp_path, "ticket,step,when\n1,a,2024-01-01 10:00\n")
    with pytest.raises(LogError, match=r"which column holds the case id; columns: 'step', "):
        read_log(path)


def test_a_named_column_is_used_and_a_wrong_name_gets_a_suggestion(tmp_path: Path) -> None:
    path = _csv(tmp_path, "ticket,step,when\n1,a,2024-01-01 10:00\n1,b,2024-01-01 11:00\n")
    log = read_log(path, case="ticket", activity="step", end="when")
    assert log.query("counts")[0][:2] == (2, 1)
    with pytest.raises(LogError, match=r"no column 'tiket' for case \(--case\) \(did you mean"):
        read_log(path, case="tiket", activity="step", end="when")


def test_log_error_is_a_load_error_and_a_value_error(tmp_path: Path) -> None:
    path = _csv(tmp_path, "x\n1\n")
    with pytest.raises(LoadError):
        read_log(path)
    with pytest.raises(ValueError, match="cannot tell"):
        read_log(path)


def test_bad_rows_are_counted_by_reason_with_their_first_row(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "case_id,activity,start_time,end_time\n"
        "1,a,2024-01-01 10:00,2024-01-01 10:05\n"
        ",a,2024-01-01 10:00,2024-01-01 10:05\n"
        "2,b,2024-01-01 10:00,not a time\n"
        "3,c,2024-01-01 11:00,2024-01-01 10:00\n"
        "4,,2024-01-01 10:00,2024-01-01 10:05\n"
        "5,d,2024-01-01 10:00,\n"
        "6,e,yesterday,2024-01-01 10:05\n"
        "7,f,2024-01-01 10:00,2024-01-01 10:05\n",
    )
    log = read_log(path)
    found = {(bad.reason, bad.count, bad.first_line) for bad in log.bad_rows}
    assert found == {
        ("no case id", 1, 2),
        ("unparsable timestamp", 1, 3),
        ("end before start", 1, 4),
        ("no activity", 1, 5),
        ("no timestamp", 1, 6),
        ("unparsable start time", 1, 7),
    }
    assert log.rows_read == 8
    assert log.query("counts")[0][0] == 2  # the two good rows, and only they


def test_a_parquet_log_numbers_its_bad_rows_as_the_same_csv_does(tmp_path: Path) -> None:
    import duckdb

    # typed times, blanks among the names, and row groups of 1,000 rows: a Parquet file is
    # staged without a copy, its rows numbered by the scan
    lines = ["case_id,activity,start_time,end_time"]
    for n in range(5_000):
        case = "" if n == 1_234 else str(n // 10)
        activity = " " if n == 3_456 else f"a{n % 10}"
        end = "" if n == 4_321 else f"2024-01-01 {n % 10 + 10}:05:00"
        start = "2024-01-01 23:00:00" if n in (2_222, 2_223) else f"2024-01-01 {n % 10 + 10}:00:00"
        lines.append(f"{case},{activity},{start},{end}")
    csv = _csv(tmp_path, "\n".join(lines) + "\n")
    parquet = tmp_path / "log.parquet"
    connection = duckdb.connect()
    connection.execute(
        f"COPY (SELECT * FROM read_csv('{csv}')) TO '{parquet}' (ROW_GROUP_SIZE 1000)"
    )
    assert "TIMESTAMP" in str(connection.execute(f"DESCRIBE SELECT * FROM '{parquet}'").fetchall())
    from_csv, from_parquet = read_log(csv), read_log(parquet)
    expected = (
        BadRows("no case id", 1, 1_235),
        BadRows("end before start", 2, 2_223),
        BadRows("no activity", 1, 3_457),
        BadRows("no timestamp", 1, 4_322),
    )
    assert from_csv.bad_rows == from_parquet.bad_rows == expected
    assert from_csv.rows_read == from_parquet.rows_read == 5_000
    query = "SELECT case_id, pos, line, prev_activity FROM events ORDER BY line"
    assert from_csv.connection.execute(query).fetchall() == (
        from_parquet.connection.execute(query).fetchall()
    )


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("2024-03-01T10:00:00+02:00", "2024-03-01 08:00:00"),
        ("2024-03-01T10:00:00+02:00 ", "2024-03-01 08:00:00"),
        ("2024-03-01 10:00:00-0500", "2024-03-01 15:00:00"),
        # 19 characters, a ':' 17th and a digit last, but not YYYY-MM-DD HH:MM:SS: the offset
        # counts (it was once read as 01:00)
        ("2024-3-1 1:00+05:00", "2024-02-29 20:00:00"),
        # the same with a space before the offset: DuckDB reads no zone there, so it is a bad
        # row (as "2024-03-01 10:00:00 +01" always was), no longer 01:00 with the offset dropped
        ("2024-3-1 1:00 +5:00", "unparsable timestamp"),
        ("2024-03-01T09:30:00Z", "2024-03-01 09:30:00"),
        (" 2024-03-01 10:00 ", "2024-03-01 10:00:00"),
        ("2024-03-01", "2024-03-01 00:00:00"),
        ("2024-03-01 10:00:00.123456", "2024-03-01 10:00:00.123456"),
        ("2024-03-01T09:30:00z", "unparsable timestamp"),
        ("2024-03-01 10:00:00 +01", "unparsable timestamp"),
        ("2024-13-01", "unparsable timestamp"),
        ("10:00", "unparsable timestamp"),
        ("ẓ", "unparsable timestamp"),
        ("   ", "no timestamp"),
    ],
)
def test_each_spelling_of_a_time_is_read_as_utc_or_counted_bad(
    tmp_path: Path, written: str, read: str
) -> None:
    path = _csv(tmp_path, f'case_id,activity,timestamp\n1,a,2024-01-01\n1,b,"{written}"\n')
    log = read_log(path)
    if read[0].isdigit():
        assert log.bad_rows == ()
        assert str(log.query("counts")[0][5]) == read
    else:
        assert log.bad_rows == (BadRows(read, 1, 2),)


def test_text_is_trimmed_of_unicode_spaces_at_its_ends_only(tmp_path: Path) -> None:
    # DuckDB's trim drops the space separators (U+0020, U+00A0, U+3000, ...); the reader
    # skips it for text that can hold none at its ends, and must still drop every one
    path = _csv(
        tmp_path,
        "case_id,activity,timestamp,resource\n"
        "1,a,2024-01-01 10:00:00,r\n"
        " 1\u00a0,\u3000a ,2024-01-01 11:00:00, r\n"
        "1,a b,2024-01-01 12:00:00,\u00e9 \n"
        "\u00a0,a,2024-01-01 13:00:00,r\n",
    )
    log = read_log(path)
    found = log.connection.execute(
        "SELECT case_id, activity, resource FROM events ORDER BY line"
    ).fetchall()
    assert found == [("1", "a", "r"), ("1", "a", "r"), ("1", "a b", "\u00e9")]
    assert log.bad_rows == (BadRows("no case id", 1, 4),)


def test_a_closed_log_has_freed_its_connection(tmp_path: Path) -> None:
    import duckdb

    path = _csv(tmp_path, "case_id,activity,timestamp\n1,a,2024-01-01\n1,b,2024-01-02\n")
    with read_log(path) as log:
        assert log.query("counts")[0][:2] == (2, 1)
    with pytest.raises(duckdb.ConnectionException):
        log.query("counts")
    other = read_log(path)
    other.close()
    with pytest.raises(duckdb.ConnectionException):
        other.connection.execute("SELECT count(*) FROM events")


def test_times_with_offsets_are_read_as_utc(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "case_id,activity,timestamp\n1,a,2024-03-01T10:00:00+02:00\n1,b,2024-03-01T09:30:00Z\n",
    )
    log = read_log(path)
    assert [v.activities for v in variants(log)] == [("a", "b")]  # 08:00 UTC, then 09:30
    first, last = log.query("counts")[0][4:6]
    assert (first.hour, last.hour) == (8, 9)


def test_times_with_a_named_zone_are_read_as_utc_row_by_row(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "case_id,activity,timestamp\n"
        "1,a,2024-03-01 10:00:00 Europe/Amsterdam\n"  # 09:00 UTC (CET), not 10:00
        "1,b,2024-03-01 09:30:00\n"
        "1,c,2024-07-01 10:00 America/New_York\n"  # 14:00 UTC (EDT)
        "1,d,2024-07-01 13:00-05\n"  # 19 characters, with an offset: 18:00 UTC
        "1,e,2024-07-01 17:00:00.5\n",
    )
    log = read_log(path)
    times = log.connection.execute("SELECT activity, end_ts FROM events ORDER BY pos").fetchall()
    assert [(a, t.strftime("%m-%d %H:%M")) for a, t in times] == [
        ("a", "03-01 09:00"),
        ("b", "03-01 09:30"),
        ("c", "07-01 14:00"),
        ("e", "07-01 17:00"),
        ("d", "07-01 18:00"),
    ]


@pytest.mark.slow
def test_another_time_spelling_with_time_format(tmp_path: Path) -> None:
    path = _csv(tmp_path, "case_id,activity,timestamp\n1,a,01.03.2024 10:00\n")
    with pytest.raises(LogError, match=r"no usable events \(bad rows: unparsable timestamp: 1"):
        read_log(path)
    log = read_log(path, time_format="%d.%m.%Y %H:%M")
    assert log.bad_rows == ()
    assert log.query("counts")[0][4].day == 1


def test_lifecycle_starts_and_completes_are_paired_and_the_rest_reported(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "case,activity,lifecycle,timestamp\n"
        "1,a,schedule,2024-01-01 09:00\n"
        "1,a,start,2024-01-01 10:00\n"
        "1,a,complete,2024-01-01 10:30\n"
        "1,b,start,2024-01-01 11:00\n"
        "1,a,start,2024-01-01 12:00\n"
        "1,a,complete,2024-01-01 12:10\n",
    )
    log = read_log(path)
    assert log.timing == "lifecycle"
    assert dict(log.not_used) == {
        "lifecycle 'schedule'": 1,
        "starts with no complete after them": 1,
    }
    touch = {row[0]: row for row in log.query("activities")}
    assert touch["a"][1] == 2  # two instances of a
    assert touch["a"][4] == pytest.approx(20 * 60_000)  # mean of 30 and 10 minutes


@pytest.mark.slow
def test_both_xes_readers_read_the_same_events() -> None:
    path = shared_log("running-example.xes")
    fast, careful = read_log(path, xes_reader="rustxes"), read_log(path, xes_reader="lxml")
    assert fast.query("counts") == careful.query("counts")
    assert directly_follows(variants(fast)) == directly_follows(variants(careful))
    assert fast.query("counts")[0][:3] == (42, 6, 8)


@pytest.mark.slow
def test_gzipped_xes_with_lifecycle_pairs() -> None:
    log = read_log(shared_log("bpic2012.xes.gz"))
    assert log.timing == "lifecycle"
    assert log.query("counts")[0][1] == 13087
    assert dict(log.not_used)["lifecycle 'schedule'"] == 26318


HOSTILE = [
    '<?xml version="1.0"?>\n<!DOCTYPE log [<!ENTITY a "aaaa">]>\n<log>&a;</log>\n',
    '<?xml version="1.0"?>\n<!DOCTYPE log SYSTEM "http://example.invalid/x.dtd">\n<log/>\n',
]


@pytest.mark.parametrize("reader", ["rustxes", "lxml"])
@pytest.mark.parametrize("text", HOSTILE, ids=["entity", "external-dtd"])
def test_hostile_xes_is_refused_unread(tmp_path: Path, text: str, reader: str) -> None:
    path = tmp_path / "evil.xes"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LogError, match="refused unread"):
        read_log(path, xes_reader=reader)  # type: ignore[arg-type]


def test_a_gzip_bomb_stops_at_the_size_bound(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xes.gz"
    with gzip.open(path, "wb") as stream:
        stream.write(b"<log>" + b" " * 5_000_000 + b"</log>")
    assert path.stat().st_size < 20_000
    with pytest.raises(LogError, match="larger than 1,000,000 bytes"):
        check_xes(path, max_bytes=1_000_000)
    with pytest.raises(LogError, match="larger than"):
        read_log(path, max_xes_bytes=1_000_000)


@pytest.mark.parametrize("reader", ["rustxes", "lxml"])
def test_broken_xes_is_a_clear_error(tmp_path: Path, reader: str) -> None:
    path = tmp_path / "broken.xes"
    path.write_text("<log><trace><event><string key='concept:name'", encoding="utf-8")
    with pytest.raises(LogError):
        read_log(path, xes_reader=reader)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("empty.csv", "", "the file is empty"),
        ("header.csv", "case_id,activity,timestamp\n", "no events"),
        ("log.txt", "x", "unknown log type '.txt'"),
        ("empty.xes", "", "empty"),
        ("bad.csv", "case_id,activity,timestamp\n1,a,never\n", "no usable events"),
    ],
)
def test_unusable_files_get_a_clear_error(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = _csv(tmp_path, text, name)
    with pytest.raises(LogError, match=message):
        read_log(path)


@pytest.fixture(scope="module")
def larger_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300,000-event CSV log (about 17 MB; its tables in DuckDB take more)."""
    from benchmarks.logs import synthetic

    return synthetic(300_000, tmp_path_factory.mktemp("larger"))[0]


@pytest.mark.slow
def test_a_log_larger_than_the_memory_limit_spills_and_reads_the_same(larger_log: Path) -> None:
    from benchmarks.logs import synthetic_model
    from lastmile_flows import calibrate

    roomy = read_log(larger_log, threads=2)
    tight = read_log(larger_log, memory_limit="32MB", threads=2)
    spilled = tight.connection.execute("SELECT sum(size) FROM duckdb_temporary_files()")
    assert (spilled.fetchone() or [0])[0] > 1_000_000  # the tables did not fit: they spilled
    assert tight.query("counts") == roomy.query("counts")
    model = synthetic_model()
    assert calibrate(model, tight).evidence == calibrate(model, roomy).evidence


@pytest.mark.slow
def test_a_log_that_cannot_fit_even_spilling_is_a_log_error_naming_the_limit(
    larger_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    from lastmile_flows.evidence import engine, read

    opened: list[Any] = []

    def recording(**options: Any) -> Any:
        opened.append(engine.connect(**options))
        return opened[-1]

    monkeypatch.setattr(read, "connect", recording)
    with pytest.raises(LogError, match=r"out of memory within memory_limit '8MB'.*--memory-limit"):
        read_log(larger_log, memory_limit="8MB", threads=2)
    with pytest.raises(LogError, match="the log has no usable events"):
        read_log(_csv(tmp_path, "case_id,activity,timestamp\n1,a,never\n"))
    assert len(opened) == 2
    for connection in opened:  # a failed read frees its tables and spilled files at once
        with pytest.raises(duckdb.ConnectionException):
            connection.execute("SELECT 1")
