"""discover_process: a valid draft with steps, decisions, rework, lanes and candidate edge
cases from a log, its numbers measured, and what was left out said."""

from __future__ import annotations

from pathlib import Path

import pytest

from lastmile_flows import Process, conform, discover_process, dump, evidence_for, load, read_log
from tests.builders import loop_model
from tests.logsim import simulate, write_csv
from tests.support import shared_log


@pytest.mark.slow
def test_a_draft_of_a_simulated_log_has_its_steps_decisions_and_rework(tmp_path: Path) -> None:
    truth = loop_model(0.7, 0.25)
    log = read_log(write_csv(tmp_path / "claims.csv", simulate(truth, 800, seed=5)))
    found = discover_process(log, process_id="claims_draft")
    draft = found.process
    names = [s.name for s in draft.steps]
    assert names[:2] == ["Receive claim", "Check claim"]  # by mean position in the cases
    assert sorted(names[2:]) == ["Approve", "Reject"]
    after_approve = next(g for g in draft.gateways if g.id == "after_approve")
    rework = next(b for b in after_approve.branches if b.to == "check_claim")
    assert rework.label == "rework"
    assert rework.probability == pytest.approx(0.25, abs=0.05)
    assert evidence_for(draft, "after_approve", "probability", target="check_claim") is not None
    assert draft.step("check_claim").touch_minutes == pytest.approx(10, abs=0.01)
    assert conform(draft, log).fitting_share == 1.0  # the draft allows what it was drawn from


@pytest.mark.slow
def test_lanes_come_from_resources_when_the_log_has_no_groups(tmp_path: Path) -> None:
    truth = loop_model(0.7, 0.25)
    log = read_log(write_csv(tmp_path / "claims.csv", simulate(truth, 300, seed=5)))
    draft = discover_process(log).process
    lanes = {step.name: step.role for step in draft.steps}
    assert lanes["Receive claim"] == lanes["Check claim"] != lanes["Approve"] == lanes["Reject"]
    assert all(role.headcount for role in draft.roles)  # people seen at work per month


@pytest.mark.slow
def test_rare_activities_become_candidate_edge_cases_and_the_rest_is_listed(
    tmp_path: Path,
) -> None:
    rows = simulate(loop_model(0.7, 0.0), 400, seed=2)
    checks = [row for row in rows if row[1] == "Check claim"]
    rows += [[r[0], "Call police", r[3], r[3], "clerk-0"] for r in checks[:8]]
    rows += [[r[0], "Escalate", r[3], r[3], "lead-0"] for r in checks[10:13]]
    log = read_log(write_csv(tmp_path / "claims.csv", rows))
    found = discover_process(log, max_edge_cases=1)
    cases = {case.name: (step.id, case) for step, case in found.process.edge_cases()}
    step_id, police = cases["Call police"]
    assert step_id == "check_claim"
    assert police.rate == pytest.approx(8 / len(checks), abs=1e-4)
    assert "Escalate" not in cases
    assert any("'Escalate': in 3 cases" in line for line in found.left_out)
    assert "Escalate" in found.process.notes


@pytest.mark.slow
def test_a_real_log_gives_a_valid_draft_that_loads_back(tmp_path: Path) -> None:
    log = read_log(shared_log("PurchasingExample.csv.gz"))
    found = discover_process(log)
    path = tmp_path / "current.yaml"
    dump(found.process, path)
    again = load(path)
    assert isinstance(again, Process)
    assert again == found.process
    assert len(again.steps) >= 15
    assert {r.source for r in again.evidence} == {"PurchasingExample.csv.gz"}
    assert found.left_out  # the rare flows it dropped, by name


def test_overlapping_work_waits_nothing_and_the_draft_loads_back(tmp_path: Path) -> None:
    """An instance with no start that completes before the one before it is done (overlapping
    work) waited 0, not a negative time a model refuses."""
    rows = []
    for case in range(1, 21):
        day = f"2024-01-{case:02d}"
        rows += [
            [f"c{case}", "Receive", f"{day}T09:00:00", f"{day}T10:00:00", "ann"],
            [f"c{case}", "Notify", "", f"{day}T09:30:00", "system"],
            [f"c{case}", "Approve", f"{day}T11:00:00", f"{day}T11:10:00", "bob"],
        ]
    log = read_log(write_csv(tmp_path / "log.csv", rows))
    waits = {str(r[0]): float(r[2]) for r in log.query("waits")}
    assert waits["Notify"] == 0.0
    assert waits["Approve"] == 90 * 60_000.0  # from the completion before it in the case
    found = discover_process(log)
    assert all(step.wait_minutes >= 0 for step in found.process.steps)
    path = tmp_path / "current.yaml"
    dump(found.process, path)
    assert load(path) == found.process
