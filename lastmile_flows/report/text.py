"""The comparison for a terminal: the same content as the Markdown report, as plain text.

Every name from a model passes :func:`lastmile_flows.escape.terminal` (one line, escape
sequences and bidi overrides shown as escapes), and the whole text
:func:`~lastmile_flows.escape.terminal_text`: nothing in a model can act on the terminal."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from lastmile_flows.escape import terminal, terminal_text
from lastmile_flows.report.headlines import CHANGE_WORDS, gap_sentence, headlines, is_ownership
from lastmile_flows.report.measured import measured_line, measured_marker
from lastmile_flows.report.numbers import plain

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
    return lines


def comparison_text(comparison: Comparison) -> str:
    lines = [
        terminal(comparison.name),
        f"{terminal(comparison.current.name)} "
        f"({terminal(comparison.current.version or 'current')}) -> "
        f"{terminal(comparison.redesigned.name)} "
        f"({terminal(comparison.redesigned.version or 'redesigned')})",
        "",
    ]
    rows = headlines(comparison)
    width = max(len(h.label) for h in rows)
    lines.append(f"{'':{width}}  {'current':>12}  {'redesigned':>12}  change")
    lines += [f"{h.label:{width}}  {h.before:>12}  {h.after:>12}  {h.change}" for h in rows]
    lines += [""]
    lines += textwrap.wrap("Productivity gap: " + gap_sentence(comparison), WIDTH)
    ownership = [f for f in comparison.findings if is_ownership(f)]
    others = [f for f in comparison.findings if not is_ownership(f)]
    lines += ["", "Who owns the failures"]
    lines += _findings(ownership) or ["  every edge case has a staffed owner"]
    lines += ["", "Other findings"]
    lines += _findings(others) or ["  none"]
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
