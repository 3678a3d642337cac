"""What a log holds, before anything is modelled from it: ``lastmile log summary``."""

from __future__ import annotations

from dataclasses import dataclass

from lastmile_flows.escape import markdown, markdown_code, plain_text
from lastmile_flows.evidence.forms import JsonForm
from lastmile_flows.evidence.read import TIMING_WORDS, BadRows, EventLog, Timing
from lastmile_flows.evidence.traces import variants

__all__ = ["ActivityCount", "LogSummary", "VariantCount", "summarise_log"]


@dataclass(frozen=True)
class ActivityCount:
    name: str
    events: int
    cases: int


@dataclass(frozen=True)
class VariantCount:
    activities: tuple[str, ...]
    cases: int
    share: float
    example: str


@dataclass(frozen=True)
class LogSummary(JsonForm):
    """Counts, time span, throughput and timing of a log, and what reading it left out."""

    source: str
    events: int
    cases: int
    activities: tuple[ActivityCount, ...]
    """Most frequent first."""
    variants: int
    top_variants: tuple[VariantCount, ...]
    resources: int
    roles: int
    first: str
    last: str
    months: tuple[tuple[str, int], ...]
    """Cases started in each calendar month (UTC)."""
    timing: Timing
    columns: dict[str, str | None]
    case_attributes: tuple[str, ...]
    rows_read: int
    bad_rows: tuple[BadRows, ...]
    not_used: tuple[tuple[str, int], ...]

    def to_text(self) -> str:
        return summary_text(self)

    def to_markdown(self) -> str:
        return summary_markdown(self)


def summarise_log(log: EventLog, *, top: int = 10) -> LogSummary:
    """The summary of a log, with its ``top`` most frequent variants."""
    events, cases, _, resources, first, last, _ = log.query("counts")[0]
    found = variants(log)
    roles = log.connection.execute(
        "SELECT count(DISTINCT role) FROM events WHERE role IS NOT NULL"
    ).fetchall()[0][0]
    columns = log.columns
    return LogSummary(
        source=log.source,
        events=int(events),
        cases=int(cases),
        activities=tuple(
            sorted(
                (
                    ActivityCount(str(row[0]), int(row[1]), int(row[2]))
                    for row in log.query("activities")
                ),
                key=lambda a: (-a.events, a.name),
            )
        ),
        variants=len(found),
        top_variants=tuple(
            VariantCount(v.activities, v.cases, round(v.cases / int(cases), 4), v.example)
            for v in found[:top]
        ),
        resources=int(resources),
        roles=int(roles),
        first=first.isoformat(sep=" "),
        last=last.isoformat(sep=" "),
        months=tuple((str(month), int(count)) for month, count in log.query("months")),
        timing=log.timing,
        columns={
            "case": columns.case,
            "activity": columns.activity,
            "start": columns.start,
            "end": columns.end,
            "resource": columns.resource,
            "role": columns.role,
            "lifecycle": columns.lifecycle,
        },
        case_attributes=columns.attributes,
        rows_read=log.rows_read,
        bad_rows=log.bad_rows,
        not_used=log.not_used,
    )


def _left_out(summary: LogSummary) -> list[str]:
    lines = [
        f"{bad.reason}: {bad.count:,} rows (first at data row {bad.first_line:,})"
        for bad in summary.bad_rows
    ]
    lines += [f"{what}: {count:,}" for what, count in summary.not_used]
    return lines


def _throughput(summary: LogSummary) -> str:
    counts = [count for _, count in summary.months]
    if not counts:
        return "none"
    full = counts[1:-1] or counts
    return (
        f"{min(counts):,} to {max(counts):,} cases started a month over {len(counts)} months "
        f"(median of the full months: {sorted(full)[len(full) // 2]:,})"
    )


def summary_text(summary: LogSummary) -> str:
    """The summary for a terminal; every name from the log made plain text."""
    s = summary
    lines = [
        f"{plain_text(s.source)}: {s.cases:,} cases, {s.events:,} events, "
        f"{len(s.activities)} activities, {s.variants:,} variants, {s.resources:,} resources"
        + (f", {s.roles} roles/groups" if s.roles else ""),
        f"time span: {s.first} to {s.last} (UTC)",
        f"throughput: {_throughput(s)}",
        f"timing: {TIMING_WORDS[s.timing]}",
        "columns: "
        + ", ".join(f"{part} = {plain_text(col)}" for part, col in s.columns.items() if col),
    ]
    if s.case_attributes:
        lines.append("case attributes: " + ", ".join(plain_text(a) for a in s.case_attributes))
    left = _left_out(s)
    lines.append(f"rows read: {s.rows_read:,}; left out: " + ("; ".join(left) or "none"))
    width = max(len(plain_text(a.name)) for a in s.activities)
    lines += ["", f"{'activity':{width}}  {'events':>9}  {'cases':>7}  share of cases"]
    lines += [
        f"{plain_text(a.name):{width}}  {a.events:>9,}  {a.cases:>7,}  {a.cases / s.cases:>6.1%}"
        for a in s.activities
    ]
    lines += ["", f"most frequent variants ({len(s.top_variants)} of {s.variants:,})"]
    for v in s.top_variants:
        steps = " > ".join(plain_text(a) for a in v.activities)
        lines.append(
            f"  {v.cases:>7,} cases ({v.share:.1%}), e.g. {plain_text(v.example)}: {steps}"
        )
    lines += ["", "cases started per month"]
    lines += [f"  {month}  {count:>7,}" for month, count in s.months]
    return "\n".join(lines) + "\n"


def summary_markdown(summary: LogSummary) -> str:
    """The summary as Markdown; every name from the log escaped."""
    s = summary
    lines = [
        f"## Event log {markdown_code(s.source)}",
        "",
        f"{s.cases:,} cases, {s.events:,} events, {len(s.activities)} activities, "
        f"{s.variants:,} variants, {s.resources:,} resources"
        + (f", {s.roles} roles/groups" if s.roles else "")
        + f"; {s.first} to {s.last} (UTC).",
        "",
        f"- **Throughput:** {markdown(_throughput(s))}",
        f"- **Timing:** {markdown(TIMING_WORDS[s.timing])}",
        f"- **Left out:** {markdown('; '.join(_left_out(s)) or 'nothing')}",
        "",
        "| activity | events | cases | share of cases |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {markdown(a.name)} | {a.events:,} | {a.cases:,} | {a.cases / s.cases:.1%} |"
        for a in s.activities
    ]
    lines += ["", "| variant | cases | share | example |", "|---|---:|---:|---|"]
    lines += [
        f"| {' → '.join(markdown(a) for a in v.activities)} | {v.cases:,} | {v.share:.1%} | "
        f"{markdown(v.example)} |"
        for v in s.top_variants
    ]
    lines += ["", "| month | cases started |", "|---|---:|"]
    lines += [f"| {month} | {count:,} |" for month, count in s.months]
    return "\n".join(lines) + "\n"
