"""Validated copies of a model with something changed (``Process.with_role`` and friends)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from lastmile_flows import InvalidModelError, Process, Redesign, compare, load
from tests.strategies import process_data as generated_process_data
from tests.support import PROCESSES, examples

ORDER_ENTRY = PROCESSES / "order_entry" / "redesign.yaml"


def _order_entry() -> Redesign:
    model = load(ORDER_ENTRY)
    assert isinstance(model, Redesign)
    return model


def test_with_role_changes_only_that_role(process_data: dict[str, Any]) -> None:
    process = Process.parse(process_data)
    changed = process.with_role("lead", headcount=3)
    assert changed.role("lead").headcount == 3
    assert process.role("lead").headcount == 1
    assert changed.roles[0] == process.roles[0]
    assert changed.steps == process.steps


def test_with_edge_case_finds_the_case_on_its_step(process_data: dict[str, Any]) -> None:
    process = Process.parse(process_data)
    changed = process.with_edge_case("misread", owner="lead", handling_minutes=4)
    case = changed.step("extract").edge_cases[0]
    assert (case.owner, case.handling_minutes, case.rate) == ("lead", 4, 0.1)


def test_added_edge_case_and_role_are_validated(process_data: dict[str, Any]) -> None:
    process = Process.parse(process_data).add_role({"id": "desk", "headcount": 1})
    changed = process.add_edge_case("post", {"id": "timeout", "rate": 0.01, "owner": "desk"})
    assert changed.step("post").edge_cases[-1].owner == "desk"
    with pytest.raises(InvalidModelError, match=r"unknown role 'nobody'"):
        process.add_edge_case("post", {"id": "timeout", "rate": 0.01, "owner": "nobody"})


def test_unknown_id_names_the_valid_ones(process_data: dict[str, Any]) -> None:
    process = Process.parse(process_data)
    with pytest.raises(KeyError, match=r"no role 'leed' \(did you mean 'lead'\?\); valid: 'bot'"):
        process.with_role("leed", headcount=1)
    with pytest.raises(KeyError, match=r"no edge case 'misred'.*valid: 'misread'"):
        process.with_edge_case("misred", owner="lead")


def test_unknown_field_names_the_valid_ones(process_data: dict[str, Any]) -> None:
    process = Process.parse(process_data)
    with pytest.raises(TypeError, match=r"no field 'headcont' \(did you mean 'headcount'\?\)"):
        process.with_role("lead", headcont=1)


def test_invalid_value_is_a_model_error_naming_the_element(process_data: dict[str, Any]) -> None:
    process = Process.parse(process_data)
    with pytest.raises(InvalidModelError, match=r"roles\[lead\]\.headcount"):
        process.with_role("lead", headcount=-1)


def test_removed_owner_role_stays_loadable_but_a_new_unknown_role_does_not() -> None:
    redesigned = _order_entry().redesigned
    assert "csr_lead" not in {role.id for role in redesigned.roles}
    kept = redesigned.with_edge_case("duplicate_po", handling_minutes=20)
    assert kept.step("post_to_erp").edge_cases[0].owner == "csr_lead"
    with pytest.raises(InvalidModelError, match=r"unknown role 'csr_leed'"):
        redesigned.with_edge_case("duplicate_po", owner="csr_leed")


def test_fixing_owners_in_a_redesign_clears_their_findings() -> None:
    redesign = _order_entry()
    before = {f.code for f in compare(redesign).findings}
    fixed = redesign.replace(
        redesigned=redesign.redesigned.with_role("order_desk", headcount=2)
        .with_edge_case("duplicate_erp_record", owner="csr")
        .with_edge_case("contract_price", owner="csr")
    )
    after = compare(fixed).findings
    assert "LM101" in before
    assert "LM101" not in {f.code for f in after}
    assert not [f for f in after if "contract_price" in f.element_ids and f.code == "LM102"]
    assert fixed.current == redesign.current


def test_redesign_replace_validates() -> None:
    redesign = _order_entry()
    assert redesign.replace(volume_per_month=100).volume_per_month == 100
    with pytest.raises(InvalidModelError, match="volume_per_month"):
        redesign.replace(volume_per_month=-1)
    with pytest.raises(TypeError, match=r"did you mean 'volume_per_month'"):
        redesign.replace(volume_per_mnth=1)


@settings(max_examples=examples(30), deadline=None)
@given(generated_process_data())
def test_a_change_to_nothing_gives_an_equal_model(data: dict[str, Any]) -> None:
    process = Process.parse(data)
    assert process.replace() == process
    for role in process.roles:
        assert process.with_role(role.id) == process
    for step in process.steps:
        assert process.with_step(step.id) == process
    for _, case in process.edge_cases():
        assert process.with_edge_case(case.id) == process
