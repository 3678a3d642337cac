"""The figures and verdicts every report shares (report/headlines.py): unowned failure cases,
costs with their currency and the running cost of AI, days, grouped findings, version titles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from lastmile_flows import Comparison, committee_report, compare
from lastmile_flows.analysis.headlines import headlines, notes, version_title
from lastmile_flows.cli import main
from lastmile_flows.cli.exitcodes import ExitCode
from tests.builders import ROLES, process, redesign, step

FAILURE = {"id": "misread", "name": "Misread", "rate": 0.06, "ai_failure": True}
CURRENT = process(step("key", touch_minutes=6), step("post", touch_minutes=1))


def _rows(comparison: Comparison) -> dict[str, Any]:
    return {h.label.strip(): h for h in headlines(comparison)}


def _extract(**fields: Any) -> dict[str, Any]:
    return step(
        "extract",
        "bot",
        **{
            "ai_mode": "act",
            "accountable": "clerk",
            "replaces": ["key"],
            "edge_cases": [FAILURE],
            **fields,
        },
    )


def test_an_unowned_failure_without_minutes_still_counts_in_cases_a_month() -> None:
    comparison = compare(redesign(CURRENT, [_extract(), step("post", touch_minutes=1)]))
    rows = _rows(comparison)
    assert rows["of which nobody staffed owns (min)"].after == "0.0"  # no minutes were given
    unowned = rows["Exception cases nobody staffed owns, a month"]
    assert (unowned.before, unowned.after) == ("0.0", "60.0")  # 6 % of 1,000 cases
    assert comparison.metrics.redesigned.unowned_exceptions_per_month == 60
    html = committee_report(comparison)
    assert "Exception cases nobody staffed owns, a month" in html
    assert "0.0 \u2192 60.0" in re.sub(r"<[^>]+>", "", html)  # the card, its tags left out


def test_without_a_volume_unowned_cases_are_per_thousand_cases() -> None:
    model = redesign(CURRENT, [_extract(), step("post", touch_minutes=1)])
    comparison = compare(model.current, model.redesigned)
    assert _rows(comparison)["Exception cases nobody staffed owns, per 1,000 cases"].after == "60.0"


def test_costs_carry_the_currency_and_the_running_cost_of_ai() -> None:
    roles = [*ROLES, {"id": "temp", "name": "Temp"}]  # a human role with no cost per hour
    model = redesign(
        CURRENT,
        [
            _extract(run_cost_per_execution=0.05, run_cost_per_month=500),
            step("post", "temp", touch_minutes=1),
        ],
        roles=roles,
        currency="EUR",
    )
    comparison = compare(model)
    metrics = comparison.metrics.redesigned
    assert metrics.running_cost_per_month == pytest.approx(1000 * 0.05 + 500)
    assert metrics.total_cost_per_month == pytest.approx((metrics.labour_cost_per_month or 0) + 550)
    rows = _rows(comparison)
    assert rows["AI and system running cost a month"].after == "550 EUR"
    assert rows["Labour cost a month"].before.endswith(" EUR")
    assert rows["Total cost a month (labour and running)"].change.endswith(" EUR")
    assert metrics.roles_without_cost == ("temp",)
    assert any(note.startswith("No cost per hour for temp") for note in notes(comparison))
    assert "cost per hour (EUR)" in committee_report(comparison)


def test_a_day_is_a_working_day_of_the_hours_the_model_gives() -> None:
    waiting = redesign(CURRENT, [step("key", touch_minutes=0, wait_minutes=2880)])
    assert _rows(compare(waiting))["Cycle time, slowest path"].after == "6.0 working days"
    longer = compare(waiting, hours_per_working_day=24)
    assert _rows(longer)["Cycle time, slowest path"].after == "2.0 working days"
    assert "A day is a working day of 24 hours" in " ".join(notes(longer))
    model = waiting.replace(hours_per_working_day=12)
    assert _rows(compare(model))["Cycle time, slowest path"].after == "4.0 working days"


def test_findings_are_grouped_by_their_rules_meaning_and_every_heading_counts_all() -> None:
    unsupervised = {k: v for k, v in _extract(edge_cases=[{**FAILURE, "owner": "clerk"}]).items()}
    unsupervised.pop("accountable")
    comparison = compare(redesign(CURRENT, [unsupervised, step("post", touch_minutes=1)]))
    names = [f.name for f in comparison.findings]
    assert "ai.acts_unsupervised" in names
    markdown = comparison.to_markdown()
    # the only error is about AI governance, and is shown there, not under ownership
    governance = markdown.index("#### AI governance (1 error")
    assert "ai.acts_unsupervised" in markdown[governance:]
    infos = sum(f.severity == "info" for f in comparison.findings)
    assert f"### Findings (1 error, {len(names) - 1 - infos} warnings, {infos} info)" in markdown
    text = comparison.to_text()
    assert "AI governance (1 error" in text
    assert "what to do: Add a review step" in text


def test_a_name_that_already_says_its_version_is_not_told_twice() -> None:
    current = process(step("key", touch_minutes=6), name="Orders (current)", version="current")
    comparison = compare(redesign(current, [step("key", touch_minutes=4)]))
    assert version_title(comparison.current, "current") == "Orders (current)"
    assert "(current) (current)" not in comparison.to_text()
    assert "Orders (current) \u2192" in comparison.to_markdown()


def test_one_person_is_a_person() -> None:
    crowded = redesign(
        CURRENT, [step("key", "lead", touch_minutes=600), step("post", touch_minutes=1)]
    )
    messages = [f.message for f in compare(crowded).findings if f.name == "role.over_capacity"]
    assert messages
    assert "has 1 person (" in messages[0]
    assert "1 people" not in messages[0]


def _redesign_file(folder: Path, volume: str = "") -> Path:
    (folder / "current.yaml").write_text(
        "id: p\nroles: [{id: clerk, cost_per_hour: 40, headcount: 2}]\n"
        "steps: [{id: key, role: clerk, touch_minutes: 6}]\n"
    )
    (folder / "redesigned.yaml").write_text(
        "id: p\nroles: [{id: clerk, cost_per_hour: 40, headcount: 2}]\n"
        "steps: [{id: key, role: clerk, touch_minutes: 4}]\n"
    )
    path = folder / "redesign.yaml"
    path.write_text(f"id: r\ncurrent: current.yaml\nredesigned: redesigned.yaml\n{volume}")
    return path


def test_volume_on_the_command_line_stands_in_for_a_missing_one(tmp_path: Path) -> None:
    path = _redesign_file(tmp_path)
    result = CliRunner().invoke(main, ["diff", str(path), "--volume", "2400"])
    assert result.exit_code == ExitCode.OK, result.output
    assert "Human hours a month at 2,400 cases" in result.output
    assert "as given for this comparison; the redesign gives none" in result.output
    alone = CliRunner().invoke(main, ["diff", str(path)])
    assert alone.exit_code == ExitCode.OK, alone.output
    assert "No volume given" in alone.output


def test_volume_on_the_command_line_wins_and_says_so(tmp_path: Path) -> None:
    path = _redesign_file(tmp_path, "volume_per_month: 4000\n")
    given = CliRunner().invoke(main, ["diff", str(path), "--volume", "2400"])
    assert "2,400 cases a month, as given for this comparison; the redesign says 4,000" in (
        given.output
    )
    own = CliRunner().invoke(main, ["diff", str(path)])
    assert "4,000 cases a month, as the redesign says" in own.output


def test_a_calendar_wait_is_told_in_calendar_days_and_counts_a_working_day_per_day() -> None:
    from lastmile_flows.render.words import step_facts

    working = redesign(CURRENT, [step("key", touch_minutes=0, wait_minutes=4320)])
    calendar = redesign(
        CURRENT, [step("key", touch_minutes=0, wait_minutes=4320, wait_calendar=True)]
    )
    assert _rows(compare(working))["Cycle time, slowest path"].after == "9.0 working days"
    assert _rows(compare(calendar))["Cycle time, slowest path"].after == "3.0 working days"
    assert "wait 3.0 calendar days" in step_facts(calendar.redesigned.step("key"))
    assert "whose waits run on the calendar" in " ".join(notes(compare(calendar)))


def test_new_model_fields_survive_bpmn_export_and_import() -> None:
    from lastmile_flows import import_bpmn, write_bpmn

    model = redesign(
        CURRENT,
        [
            _extract(run_cost_per_execution=0.05, run_cost_per_month=500, wait_minutes=60),
            step("post", touch_minutes=1, wait_minutes=1440, wait_calendar=True),
        ],
        currency="EUR",
    )
    back = import_bpmn(write_bpmn(model, which="redesigned")).process
    assert back == model.redesigned
