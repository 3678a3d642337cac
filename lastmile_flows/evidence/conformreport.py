"""A conformance result for people: plain text for a terminal, Markdown for a note or a PR."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lastmile_flows.escape import markdown, markdown_code, plain_text

if TYPE_CHECKING:
    from lastmile_flows.evidence.conform import Conformance, Deviation

__all__ = ["conformance_markdown", "conformance_text"]

DASH = "\u2014"
ARROW = " \u2192 "
SHOWN = 15
"""Rows shown per table; the JSON has them all."""


def _headline(result: Conformance) -> str:
    documented = result.fitting_documented_cases / result.cases if result.cases else 0.0
    text = (
        f"{result.fitting_cases:,} of {result.cases:,} cases ({result.fitting_share:.1%}) fit "
        f"the model; {documented:.1%} fit once undocumented activities are set aside"
    )
    if result.token_replayed_cases:
        text += (
            f"; {result.token_replayed_cases:,} cases judged by token replay (their optimal "
            "alignment was too costly to search)"
        )
    if result.not_judged_cases:
        text += f"; {result.not_judged_cases:,} cases not judged (the search hit its bound)"
    return text


def _step(deviation: Deviation) -> str:
    """``Check receipt (check)``: the step's name and id (the id alone when they agree)."""
    if deviation.label == deviation.name:
        return deviation.name
    return f"{plain_text(deviation.label)} ({deviation.name})"


def _md_step(deviation: Deviation) -> str:
    if deviation.label == deviation.name:
        return markdown_code(deviation.name)
    return f"{markdown(deviation.label)} ({markdown_code(deviation.name)})"


def _skip_share(result: Conformance, deviation: Deviation) -> float:
    reached = result.step_cases.get(deviation.name, 0)
    return deviation.cases / reached if reached else 0.0


def conformance_text(result: Conformance) -> str:
    lines = [
        f"{plain_text(result.source)} against {result.process}: {_headline(result)}",
        "",
        "Documented steps practice skips",
    ]
    lines += [
        f"  {_step(d)}: skipped in {d.cases:,} cases ({_skip_share(result, d):.1%} of those "
        f"reaching it), e.g. {', '.join(plain_text(e) for e in d.examples)}"
        for d in result.skipped[:SHOWN]
    ] or ["  none"]
    lines += ["", "Undocumented activities (workarounds the model lacks)"]
    lines += [
        f"  {plain_text(d.name)}: {d.cases:,} cases ({d.share:.1%}), {d.events:,} times"
        + (f", mostly after {d.after}" if d.after else "")
        + f", e.g. {', '.join(plain_text(e) for e in d.examples)}"
        for d in result.undocumented[:SHOWN]
    ] or ["  none"]
    lines += ["", "Steps done where the model does not allow them"]
    lines += [
        f"  {_step(d)}: {d.cases:,} cases ({d.share:.1%}), e.g. "
        f"{', '.join(plain_text(e) for e in d.examples)}"
        for d in result.out_of_place[:SHOWN]
    ] or ["  none"]
    lines += ["", "Most frequent deviating paths"]
    lines += [
        f"  {p.cases:,} cases ({p.share:.1%}), cost {p.cost}, e.g. {plain_text(p.example)}: "
        + " > ".join(plain_text(a) for a in p.activities)
        for p in result.paths
    ] or ["  none"]
    return "\n".join(lines) + "\n"


def conformance_markdown(result: Conformance) -> str:
    lines = [
        f"## Conformance of {markdown_code(result.process)} with {markdown(result.source)}",
        "",
        f"{markdown(_headline(result))}.",
    ]
    lines += _md_table(
        "Documented steps practice skips",
        ("| step | cases | of those reaching it | examples |", "|---|---:|---:|---|"),
        [
            f"| {_md_step(d)} | {d.cases:,} | {_skip_share(result, d):.1%} | {_md_examples(d)} |"
            for d in result.skipped[:SHOWN]
        ],
    )
    lines += _md_table(
        "Undocumented activities (workarounds)",
        (
            "| activity | cases | share | times | mostly after | examples |",
            "|---|---:|---:|---:|---|---|",
        ),
        [
            f"| {markdown(d.name)} | {d.cases:,} | {d.share:.1%} | {d.events:,} | "
            f"{markdown_code(d.after) if d.after else DASH} | {_md_examples(d)} |"
            for d in result.undocumented[:SHOWN]
        ],
    )
    lines += _md_table(
        "Steps done where the model does not allow them",
        ("| step | cases | share | examples |", "|---|---:|---:|---|"),
        [
            f"| {_md_step(d)} | {d.cases:,} | {d.share:.1%} | {_md_examples(d)} |"
            for d in result.out_of_place[:SHOWN]
        ],
    )
    lines += _md_table(
        "Most frequent deviating paths",
        ("| cases | share | cost | path | example |", "|---:|---:|---:|---|---|"),
        [
            f"| {p.cases:,} | {p.share:.1%} | {p.cost} | "
            f"{ARROW.join(markdown(a) for a in p.activities)} | {markdown(p.example)} |"
            for p in result.paths
        ],
        empty="None: every judged case fits.",
    )
    return "\n".join(lines) + "\n"


def _md_examples(deviation: Deviation) -> str:
    return ", ".join(markdown(e) for e in deviation.examples)


def _md_table(
    title: str, head: tuple[str, str], rows: list[str], *, empty: str = "None."
) -> list[str]:
    """A section: its title, then the table's head (two lines) and ``rows``, or ``empty``
    when there are none."""
    return ["", f"### {title}", "", *([*head, *rows] if rows else [empty])]
