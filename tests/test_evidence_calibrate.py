"""calibrate: measured numbers replace assumed ones, each with its evidence; a log simulated
from a model gives back the model's numbers; mappings explain themselves."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lastmile_flows import (
    LogError,
    Process,
    Redesign,
    calibrate,
    compare,
    dump,
    evidence_for,
    import_bpmn,
    load,
    problems,
    read_log,
)
from lastmile_flows.review.textform import text_form
from tests.builders import loop_model
from tests.logsim import simulate, write_csv
from tests.support import examples, shared_log


def _assumed(model: Process) -> Process:
    """The same model with every number a guess."""
    return model.replace(
        steps=[step.model_copy(update={"touch_minutes": 1.0}) for step in model.steps],
        gateways=[
            gateway.model_copy(
                update={
                    "branches": [
                        branch.model_copy(update={"probability": 0.5})
                        for branch in gateway.branches
                    ]
                }
            )
            for gateway in model.gateways
        ],
    )


@pytest.mark.slow
@settings(max_examples=examples(5), deadline=None)
@given(share=st.floats(0.2, 0.8), rework=st.floats(0.05, 0.4), seed=st.integers(0, 1000))
@example(share=0.5, rework=0.3125, seed=290)  # a sample far (4 sd) from the truth: still exact
def test_calibrating_on_a_simulated_log_recovers_the_models_numbers(
    tmp_path_factory: pytest.TempPathFactory, share: float, rework: float, seed: int
) -> None:
    truth = loop_model(round(share, 4), round(rework, 4))
    rows = simulate(truth, 1000, seed=seed)
    path = write_csv(tmp_path_factory.mktemp("sim") / "claims.csv", rows)
    result = calibrate(_assumed(truth), read_log(path))
    got = result.process
    happened = _branch_shares(rows)
    for gateway in truth.gateways:
        for branch in gateway.branches:
            record = evidence_for(got, gateway.id, "probability", target=branch.to)
            assert record is not None
            # exactly what the log shows (the simulation's own draws) ...
            assert record.value == pytest.approx(happened[(gateway.id, branch.to)], abs=1e-4)
            # ... and within five standard errors of the model's truth
            p = float(branch.probability or 0.0)
            assert abs(record.value - p) <= 5 * math.sqrt(p * (1 - p) / record.observations)
            assert record.low is not None
            assert record.high is not None
            assert record.low <= record.value <= record.high
    for step in truth.steps:
        assert got.step(step.id).touch_minutes == pytest.approx(step.touch_minutes, abs=0.01)
        assert evidence_for(got, step.id, "touch_minutes") is not None


def _branch_shares(rows: list[list[str]]) -> dict[tuple[str, str], float]:
    """What the simulated cases did at each decision, counted from the rows themselves."""
    cases: dict[str, list[str]] = {}
    for row in rows:
        cases.setdefault(row[0], []).append(row[1])
    after: dict[str, Counter[str]] = {"Check claim": Counter(), "Approve": Counter()}
    for activities in cases.values():
        for here, following in zip(activities, [*activities[1:], ""], strict=True):
            if here in after:
                after[here][following] += 1
    decide, again = after["Check claim"], after["Approve"]
    return {
        ("decide", "approve"): decide["Approve"] / sum(decide.values()),
        ("decide", "reject"): decide["Reject"] / sum(decide.values()),
        ("again", "check"): again["Check claim"] / sum(again.values()),
        ("again", "end"): again[""] / sum(again.values()),
    }


def _claims_log(tmp_path: Path, cases: int = 400) -> Path:
    return write_csv(tmp_path / "claims.csv", simulate(loop_model(0.7, 0.2), cases, spread=0.5))


@pytest.mark.slow
def test_every_calibrated_number_carries_its_evidence(tmp_path: Path) -> None:
    result = calibrate(_assumed(loop_model(0.7, 0.2)), read_log(_claims_log(tmp_path)))
    process = result.process
    record = evidence_for(process, "check", "touch_minutes")
    assert record is not None
    assert (record.source, record.cases) == ("claims.csv", 400)
    assert record.observations > 400  # rework visits count too
    assert record.median is not None
    assert record.p90 is not None
    assert record.low is not None
    assert record.high is not None
    assert record.low < record.mean < record.high  # type: ignore[operator]
    assert record.value == process.step("check").touch_minutes
    fields = {(r.element, r.field) for r in process.evidence}
    expected = {("check", "wait_minutes"), ("clerk", "headcount"), ("claims", "volume_per_month")}
    assert expected <= fields
    assert ("receive", "wait_minutes") not in fields  # nothing comes before it
    assert result.volume_per_month is not None
    assert result.volume_per_month > 0


@pytest.mark.slow
def test_an_edited_figure_is_assumed_again(tmp_path: Path) -> None:
    process = calibrate(loop_model(0.7, 0.2), read_log(_claims_log(tmp_path))).process
    assert evidence_for(process, "check", "touch_minutes") is not None
    edited = process.with_step("check", touch_minutes=99)
    assert evidence_for(edited, "check", "touch_minutes") is None
    assert evidence_for(edited, "receive", "touch_minutes") is not None


@pytest.mark.slow
def test_evidence_for_a_removed_element_is_a_warning(tmp_path: Path) -> None:
    process = calibrate(loop_model(0.7, 0.2), read_log(_claims_log(tmp_path))).process
    data = json.loads(dump(process, format="json"))
    data["steps"][0]["id"] = "receive_claim"  # the step was renamed; its evidence was not
    renamed = Process.parse(data)
    stale = [p for p in problems(renamed) if p.rule == "evidence-stale"]
    assert stale
    assert all(p.severity == "warning" for p in stale)
    assert "'receive'" in stale[0].message
    twice = process.replace(evidence=(*process.evidence, process.evidence[0]))
    assert [p.rule for p in problems(twice)] == ["evidence-duplicate"]


@pytest.mark.slow
def test_calibrated_model_is_written_loaded_and_shown_deterministically(tmp_path: Path) -> None:
    path = _claims_log(tmp_path)
    first = calibrate(loop_model(0.7, 0.2), read_log(path)).process
    second = calibrate(loop_model(0.7, 0.2), read_log(path)).process
    assert dump(first) == dump(second)
    out = tmp_path / "calibrated.yaml"
    dump(first, out)
    assert load(out) == first
    lines = [line for line in text_form(first).splitlines() if line.startswith("evidence check.")]
    assert lines[0].startswith("evidence check.touch_minutes: ")
    assert 'from "claims.csv", cases 400' in lines[0]


@pytest.mark.slow
def test_a_redesigns_current_process_and_volume_are_calibrated(tmp_path: Path) -> None:
    current = loop_model(0.7, 0.2)
    redesigned = current.with_step("check", touch_minutes=2).replace(version="ai")
    redesign = Redesign(id="r", current=current, redesigned=redesigned, volume_per_month=1)
    result = calibrate(redesign, read_log(_claims_log(tmp_path)))
    assert isinstance(result.model, Redesign)
    assert result.model.volume_per_month == result.volume_per_month
    assert result.model.current.evidence
    assert not result.model.redesigned.evidence
    text = compare(result.model).to_text()
    assert "measured: n = 400 cases" in text
    assert "(measured: n = 400 cases)" in compare(result.model).to_markdown()
    assert "measured from claims.csv" in text
    plain = compare(redesign).to_text()
    assert "measured" not in plain
    assert "assumed" not in plain


@pytest.mark.slow
def test_activities_map_by_name_and_a_bad_mapping_gets_a_suggestion(tmp_path: Path) -> None:
    log = read_log(_claims_log(tmp_path))
    with pytest.raises(LogError, match=r"maps to 'chek', which is no step .*did you mean 'check'"):
        calibrate(loop_model(0.7, 0.2), log, mapping={"activities": {"Check claim": "chek"}})
    result = calibrate(
        loop_model(0.7, 0.2),
        log,
        mapping={"activities": {"Check claim": "check", "Chek claim": "check"}},
    )
    assert any("'Chek claim', which the log does not have" in note for note in result.notes)


@pytest.mark.slow
def test_an_edge_case_rate_is_measured_from_its_activity(tmp_path: Path) -> None:
    rows = simulate(loop_model(0.7, 0.0), 300, seed=3)
    checks = [row for row in rows if row[1] == "Check claim"]
    rows += [[r[0], "Flag fraud", r[3], r[3], "lead-0"] for r in checks[::4]]
    path = write_csv(tmp_path / "fraud.csv", rows)
    process = calibrate(loop_model(0.7, 0.0), read_log(path)).process
    record = evidence_for(process, "fraud", "rate")
    assert record is not None
    assert record.value == pytest.approx(len(checks[::4]) / len(checks), abs=1e-4)


@pytest.mark.slow
def test_completion_only_logs_leave_touch_minutes_assumed(tmp_path: Path) -> None:
    rows = simulate(loop_model(0.7, 0.2), 200)
    path = tmp_path / "complete.csv"
    path.write_text(
        "case_id,activity,timestamp\n" + "".join(f"{r[0]},{r[1]},{r[3]}\n" for r in rows),
        encoding="utf-8",
    )
    result = calibrate(loop_model(0.7, 0.2), read_log(path))
    assert evidence_for(result.process, "check", "touch_minutes") is None
    waits = evidence_for(result.process, "check", "wait_minutes")
    assert waits is not None
    assert "less the touch minutes" in waits.method
    assert any("completion times only" in note for note in result.notes)


@pytest.mark.slow
def test_a_loop_the_log_never_leaves_keeps_its_assumed_ways_out(tmp_path: Path) -> None:
    # every case is cut off inside the rework loop: no pass leaves it by 'reject' or the end
    activities = ["Receive claim", "Check claim", "Approve", "Check claim"]
    rows = [
        [f"c{case}", name, f"2024-01-01 0{n}:00:00", f"2024-01-01 0{n}:05:00", "clerk-0"]
        for case in range(10)
        for n, name in enumerate(activities)
    ]
    model = loop_model(0.7, 0.2)
    result = calibrate(model, read_log(write_csv(tmp_path / "cut.csv", rows)))
    got = result.process
    assert not [p for p in problems(got) if p.severity == "error"]
    assumed = {gateway.id: gateway for gateway in model.gateways}
    for gateway in got.gateways:
        assert gateway.branches == assumed[gateway.id].branches
        for branch in gateway.branches:
            assert evidence_for(got, gateway.id, "probability", target=branch.to) is None
        assert any(f"gateway {gateway.id!r}: a branch no case took" in n for n in result.notes)
    assert {gateway.id for gateway in got.gateways} == {"decide", "again"}
    assert evidence_for(got, "check", "touch_minutes") is not None  # the rest is measured


@pytest.mark.slow
def test_the_receipt_model_calibrates_against_its_own_log() -> None:
    model = import_bpmn(shared_log("receipt.bpmn")).process
    result = calibrate(model, read_log(shared_log("receipt.csv")))
    kept = [n for n in result.notes if "a branch no case took" in n]
    assert kept  # the log is cut short inside loops: some decisions keep their guesses
    assert not [p for p in problems(result.process) if p.severity == "error"]
    measured = {r.element for r in result.evidence if r.field == "probability"}
    assert measured  # the other decisions are measured
    assert not any(repr(gateway) in " ".join(kept) for gateway in measured)
