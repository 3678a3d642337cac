"""The comparison for a terminal: the same content as the Markdown report, as plain text.

Every name from a model passes :func:`lastmile_flows.escape.terminal` (one line, escape
sequences and bidi overrides shown as escapes), and the whole text
:func:`~lastmile_flows.escape.terminal_text`: nothing in a model can act on the terminal."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from lastmile_flows.analysis.headlines import (
    CHANGE_WORDS,
    EMPTY_GROUP,
    counted,
    gap_sentence,
    grouped,
    headlines,
    notes,
    version_title,
)
from lastmile_flows.escape import terminal, terminal_text
from lastmile_flows.numbers import plain
from lastmile_flows.report.measured import measured_line, measured_marker

if TYPE_CHECKING:
    from lastmile_flows.analysis.comparison import Comparison
    from lastmile_flows.analysis.findings import Finding

__all__ = ["comparison_text"]

WIDTH = 100


def _findings(findings: list[Finding]) -> list[str]:
    lines = []
    for f in findings:
        head = f"{f.severity.upper():7} {f.code} {f.name} [{', '.join(f.element_ids)}]"
        if not f.introduced:
            head += " (already so today)"
        lines.append(head)
        lines += textwrap.wrap(
            terminal(f.message), WIDTH, initial_indent="        ", subsequent_indent="        "
        )
        lines += textwrap.wrap(
            "what to do: " + f.remedy,
            WIDTH,
            initial_indent="        ",
            subsequent_indent="          ",
        )
    return lines


def comparison_text(comparison: Comparison) -> str:
    lines = [
        terminal(comparison.name),
        f"{terminal(version_title(comparison.current, 'current'))} -> "
        f"{terminal(version_title(comparison.redesigned, 'redesigned'))}",
        "",
    ]
    rows = headlines(comparison)
    width = max(len(h.label) for h in rows)
    column = max(12, *(len(h.before) for h in rows), *(len(h.after) for h in rows))
    lines.append(f"{'':{width}}  {'current':>{column}}  {'redesigned':>{column}}  change")
    lines += [
        f"{h.label:{width}}  {h.before:>{column}}  {h.after:>{column}}  {h.change}" for h in rows
    ]
    lines += [""]
    for note in notes(comparison):
        lines += textwrap.wrap(terminal(note), WIDTH, initial_indent="- ", subsequent_indent="  ")
    lines += [""]
    lines += textwrap.wrap("Productivity gap: " + gap_sentence(comparison), WIDTH)
    lines += ["", f"Findings ({counted(list(comparison.findings))})"]
    for key, title, found in grouped(comparison.findings):
        lines += ["", f"{title} ({counted(found)})"]
        lines += _findings(found) or [f"  {EMPTY_GROUP[key]}"]
    lines += ["", "Step by step"]
    source_line = measured_line(comparison)
    if source_line:
        lines += textwrap.wrap(source_line, WIDTH, initial_indent="  ", subsequent_indent="  ")
    for change in comparison.steps:
        kind = CHANGE_WORDS[change.change]
        if change.ai_mode:
            kind += f" (AI {change.ai_mode})"
        before = "; ".join(map(terminal, change.current_names)) or "-"
        after = "; ".join(map(terminal, change.redesigned_names)) or "-"
        minutes = f"{plain(change.human_minutes_before)} -> {plain(change.human_minutes_after)} min"
        marker = measured_marker(comparison, change)
        if marker:
            minutes += f"; {marker}"
        lines.append(f"  {kind:22} {before} -> {after}  [{minutes}]")
    lines += ["", "Hand-offs"]
    for title, items in (
        ("new ", comparison.handoffs.added),
        ("gone", comparison.handoffs.removed),
    ):
        for h in items:
            lines.append(f"  {title} {h.from_role} -> {h.to_role} ({h.from_step} -> {h.to_step})")
    lines.append(f"  unchanged role pairs: {comparison.handoffs.kept}")
    return terminal_text("\n".join(lines) + "\n")
