"""The example library: what the product brief asks of it, checked rather than assumed."""

from __future__ import annotations

import pytest

from lastmile_flows import Process, discover, problems
from tests.support import PROCESSES, library


@pytest.mark.slow
def test_library_has_the_three_redesigns_of_the_brief() -> None:
    assert sorted(library()) == [
        "contract_review_ai",
        "order_entry_ai",
        "predictive_maintenance",
    ]


def test_library_uses_both_python_and_yaml() -> None:
    suffixes = {file.suffix for file in discover([PROCESSES])}
    assert {".py", ".yaml"} <= suffixes


@pytest.mark.slow
def test_each_process_has_10_to_30_steps_several_roles_and_edge_cases() -> None:
    for redesign in library().values():
        for process in (redesign.current, redesign.redesigned):
            cases = [case for _, case in process.edge_cases()]
            assert 10 <= len(process.steps) <= 30, process.id
            assert len({step.role for step in process.steps}) >= 4, process.id
            assert sum(case.owner is not None for case in cases) >= 3, process.id


@pytest.mark.slow
def test_each_redesign_has_a_deliberately_unowned_edge_case() -> None:
    for redesign in library().values():
        assert any(case.owner is None for _, case in redesign.redesigned.edge_cases()), redesign.id


@pytest.mark.slow
def test_distributor_redesign_models_the_failure_in_the_domain_story() -> None:
    redesign = library()["order_entry_ai"]
    current_roles = {role.id for role in redesign.current.roles}
    redesigned_roles = {role.id: role for role in redesign.redesigned.roles}
    assert "csr_lead" in current_roles
    assert "csr_lead" not in redesigned_roles
    owners = {case.id: case.owner for _, case in redesign.redesigned.edge_cases()}
    assert owners["duplicate_po"] == "csr_lead"
    assert owners["duplicate_erp_record"] is None
    review = redesign.redesigned.step("review_extraction")
    assert review.kind == "review"
    assert redesigned_roles[review.role].headcount == 0


@pytest.mark.slow
def test_the_library_has_no_validation_errors_and_only_intended_warnings() -> None:
    found = {
        (redesign.id, p.rule, p.element_id)
        for redesign in library().values()
        for p in problems(redesign)
    }
    assert found == {("order_entry_ai", "ai-act-unaccountable", "apply_pricing")}


@pytest.mark.slow
def test_processes_are_versioned() -> None:
    for redesign in library().values():
        assert isinstance(redesign.current, Process)
        assert redesign.current.version == "current"
        assert redesign.redesigned.version.startswith("redesign")
