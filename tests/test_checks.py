"""Every validation rule, each with a broken model, asserting the rule, element id and message."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from lastmile_flows import InvalidModelError, Process, Redesign, problems
from tests.builders import small_process_data

Data = dict[str, Any]


def _step(data: Data, step_id: str) -> Data:
    return next(step for step in data["steps"] if step["id"] == step_id)


def _set(path: str, value: Any) -> Callable[[Data], None]:
    """A mutation that sets ``steps.<id>.<field>`` or ``roles.<id>.<field>``."""

    def mutate(data: Data) -> None:
        section, element, field = path.split(".")
        target = next(item for item in data[section] if item["id"] == element)
        target[field] = value

    return mutate


def _append_step(step: Data) -> Callable[[Data], None]:
    return lambda data: data["steps"].append(step)


def _insert_after_fix(step: Data) -> Callable[[Data], None]:
    """Insert after ``fix``, which says ``next``, so no implicit flow leads to the new step."""
    return lambda data: data["steps"].insert(5, step)


def _gateway_probabilities(first: float | None, second: float | None) -> Callable[[Data], None]:
    def mutate(data: Data) -> None:
        branches = data["gateways"][0]["branches"]
        for branch, probability in zip(branches, (first, second), strict=True):
            if probability is None:
                branch.pop("probability")
            else:
                branch["probability"] = probability

    return mutate


def _case(field: str, value: Any) -> Callable[[Data], None]:
    def mutate(data: Data) -> None:
        _step(data, "extract")["edge_cases"][0][field] = value

    return mutate


def _fan_out_without_gateway(data: Data) -> None:
    data["gateways"] = []
    data["steps"] = [
        {key: value for key, value in step.items() if key != "next"}
        for step in data["steps"]
        if step["id"] in ("receive", "fix", "done")
    ]
    data["flows"] = [
        {"source": "start", "target": "receive"},
        {"source": "receive", "target": "done"},
        {"source": "receive", "target": "fix"},
        {"source": "fix", "target": "done"},
        {"source": "done", "target": "end"},
    ]


# rule, mutation, element id, where, a fragment of the message
BROKEN: list[tuple[str, Callable[[Data], None], str, str, str]] = [
    (
        "duplicate-id",
        _append_step({"id": "check", "role": "clerk", "next": "done"}),
        "check",
        "steps[check].id",
        "duplicate id 'check' at steps[6].id: already used at steps[2].id",
    ),
    (
        "duplicate-id",
        lambda d: d["roles"].append({"id": "clerk"}),
        "clerk",
        "roles[clerk].id",
        "duplicate role id 'clerk' at roles[4].id",
    ),
    (
        "unknown-role",
        _set("steps.receive.role", "clerc"),
        "receive",
        "steps[receive].role",
        "unknown role 'clerc' (did you mean 'clerk'?); valid: 'bot', 'clerk', 'erp', 'lead'",
    ),
    (
        "unknown-role",
        _case("owner", "leed"),
        "misread",
        "steps[extract].edge_cases[misread].owner",
        "unknown role 'leed' (did you mean 'lead'?)",
    ),
    (
        "unknown-step",
        _case("recovery_step", "fixx"),
        "misread",
        "steps[extract].edge_cases[misread].recovery_step",
        "unknown step 'fixx' (did you mean 'fix'?)",
    ),
    (
        "unknown-step",
        _set("steps.check.reviews", "extrakt"),
        "check",
        "steps[check].reviews",
        "unknown step 'extrakt' (did you mean 'extract'?)",
    ),
    (
        "unknown-node",
        _set("steps.fix.next", "dne"),
        "fix",
        "steps[fix].next",
        "unknown node 'dne' (did you mean 'done'?)",
    ),
    (
        "review-of-non-ai-step",
        _set("steps.check.reviews", "receive"),
        "check",
        "steps[check].reviews",
        "'receive' is a manual step; AI steps: 'extract'",
    ),
    (
        "review-target-missing",
        lambda d: _step(d, "check").pop("reviews"),
        "check",
        "steps[check].reviews",
        "must name the AI step it checks",
    ),
    (
        "review-field-on-non-review-step",
        _set("steps.receive.review_rate", 0.5),
        "receive",
        "steps[receive].review_rate",
        "review_rate is only for review steps",
    ),
    (
        "ai-mode-missing",
        lambda d: _step(d, "extract").pop("ai_mode"),
        "extract",
        "steps[extract].ai_mode",
        "valid: 'act', 'draft', 'suggest'",
    ),
    (
        "ai-mode-on-non-ai-step",
        _set("steps.receive.ai_mode", "draft"),
        "receive",
        "steps[receive].ai_mode",
        "ai_mode is only for AI steps",
    ),
    (
        "step-role-kind",
        _set("steps.receive.role", "bot"),
        "receive",
        "steps[receive].role",
        "a manual step needs a human role, but 'bot' is ai; human roles: 'clerk', 'lead'",
    ),
    (
        "accountable-not-human",
        _set("steps.extract.accountable", "erp"),
        "extract",
        "steps[extract].accountable",
        "the accountable role must be human; 'erp' is system",
    ),
    (
        "accountable-on-human-step",
        _set("steps.receive.accountable", "lead"),
        "receive",
        "steps[receive].accountable",
        "accountable names the human answerable for an AI or system step",
    ),
    (
        "ai-failure-on-non-ai-step",
        lambda d: _step(d, "receive").update(
            edge_cases=[{"id": "x", "rate": 0.1, "ai_failure": True}]
        ),
        "x",
        "steps[receive].edge_cases[x].ai_failure",
        "step 'receive' is manual",
    ),
    (
        "non-human-staffing",
        _set("roles.bot.headcount", 2),
        "bot",
        "roles[bot].headcount",
        "headcount is for human roles; role 'bot' is of kind 'ai'",
    ),
    (
        "unreachable",
        _insert_after_fix({"id": "orphan", "role": "clerk"}),
        "orphan",
        "steps[orphan]",
        "'orphan' cannot be reached from a start event",
    ),
    (
        "dead-end",
        lambda d: (
            _set("steps.fix.next", "spin")(d)
            or _insert_after_fix({"id": "spin", "role": "lead", "next": "fix"})(d)
        ),
        "fix",
        "steps[fix]",
        "'fix' never reaches an end event: no path from it leads to 'end'",
    ),
    (
        "probabilities-not-one",
        _gateway_probabilities(0.9, 0.2),
        "ok",
        "gateways[ok].branches",
        "branch probabilities sum to 1.1, not 1: 0.9 (done) + 0.2 (fix)",
    ),
    (
        "probability-missing",
        _gateway_probabilities(0.9, None),
        "ok",
        "gateways[ok].branches",
        "missing on the branch to 'fix'",
    ),
    (
        "step-fans-out",
        _fan_out_without_gateway,
        "receive",
        "steps[receive]",
        "route them through an exclusive or parallel gateway",
    ),
    (
        "no-steps",
        lambda d: d.update(steps=[], gateways=[]),
        "orders",
        "",
        "a process needs at least one step",
    ),
    (
        "unknown-field",
        _set("steps.receive.touch", 3),
        "receive",
        "steps[receive].touch",
        "unknown field 'touch' (did you mean 'touch_minutes'?)",
    ),
    (
        "invalid-choice",
        _set("steps.receive.kind", "manul"),
        "receive",
        "steps[receive].kind",
        "invalid value 'manul' (did you mean 'manual'?); valid: 'ai', 'manual', 'review', 'system'",
    ),
    (
        "greater-than-equal",
        _set("steps.receive.touch_minutes", -5),
        "receive",
        "steps[receive].touch_minutes",
        "greater than or equal to 0 (got -5)",
    ),
    (
        "greater-than-equal",
        _case("rate", -0.1),
        "misread",
        "steps[extract].edge_cases[misread].rate",
        "greater than or equal to 0",
    ),
    (
        "less-than-equal",
        _case("rate", 1.5),
        "misread",
        "steps[extract].edge_cases[misread].rate",
        "less than or equal to 1 (got 1.5)",
    ),
    (
        "invalid-value",
        _set("steps.receive.id", "2nd step"),
        "2nd step",
        "steps[2nd step].id",
        "'2nd step' is not a valid id",
    ),
]


@pytest.mark.parametrize(
    ("rule", "mutate", "element_id", "where", "fragment"),
    BROKEN,
    ids=[f"{row[0]}-{row[2]}" for row in BROKEN],
)
def test_broken_model_is_reported_with_element_and_choices(
    rule: str, mutate: Callable[[Data], None], element_id: str, where: str, fragment: str
) -> None:
    data = small_process_data()
    mutate(data)
    with pytest.raises(InvalidModelError) as raised:
        Process.parse(data)
    matching = [p for p in raised.value.problems if p.rule == rule]
    assert matching, [str(p) for p in raised.value.problems]
    problem = matching[0]
    assert problem.element_id == element_id
    assert problem.where == where
    assert fragment in problem.message
    assert problem.severity == "error"


def test_the_small_process_is_valid() -> None:
    process = Process.parse(small_process_data())
    assert problems(process) == []


def test_every_problem_is_reported_at_once() -> None:
    data = small_process_data()
    _step(data, "receive")["role"] = "nobody"
    _step(data, "check")["reviews"] = "receive"
    data["gateways"][0]["branches"][0]["probability"] = 0.5
    with pytest.raises(InvalidModelError) as raised:
        Process.parse(data)
    rules = sorted(p.rule for p in raised.value.problems)
    assert rules == ["probabilities-not-one", "review-of-non-ai-step", "unknown-role"]
    assert str(raised.value).startswith("3 problems in the model:")


def test_python_construction_raises_the_same_error() -> None:
    data = small_process_data()
    _step(data, "receive")["role"] = "clerc"
    with pytest.raises(InvalidModelError, match=r"did you mean 'clerk'"):
        Process(**data)


def test_invalid_model_error_is_a_value_error() -> None:
    data = small_process_data()
    data["steps"][0]["role"] = "ghost"
    with pytest.raises(ValueError, match="unknown role 'ghost'"):
        Process.parse(data)


def test_acting_ai_without_accountable_human_or_review_is_a_warning_not_an_error() -> None:
    data = small_process_data()
    _step(data, "extract").pop("accountable")
    data["steps"] = [s for s in data["steps"] if s["id"] != "check"]
    process = Process.parse(data)
    found = problems(process)
    assert [(p.rule, p.severity, p.element_id) for p in found] == [
        ("ai-act-unaccountable", "warning", "extract")
    ]
    assert "'clerk', 'lead'" in found[0].message


def test_a_review_step_makes_acting_ai_supervised() -> None:
    data = small_process_data()
    _step(data, "extract").pop("accountable")
    assert problems(Process.parse(data)) == []


def test_probabilities_within_tolerance_are_accepted() -> None:
    data = small_process_data()
    data["gateways"][0]["branches"][0]["probability"] = 0.9 + 5e-7
    assert Process.parse(data).gateways[0].branches[0].probability == pytest.approx(0.9)


def test_probabilities_just_outside_tolerance_are_rejected() -> None:
    data = small_process_data()
    data["gateways"][0]["branches"][0]["probability"] = 0.9 + 2e-6
    with pytest.raises(InvalidModelError, match="probabilities-not-one"):
        Process.parse(data)


def _redesign_data(redesigned: Data) -> Data:
    return {
        "id": "r",
        "current": small_process_data(),
        "redesigned": redesigned,
        "volume_per_month": 100,
    }


def test_redesign_may_name_a_removed_role_as_edge_case_owner() -> None:
    redesigned = small_process_data()
    redesigned["roles"] = [r for r in redesigned["roles"] if r["id"] != "lead"]
    _step(redesigned, "extract")["accountable"] = "clerk"
    _step(redesigned, "fix")["role"] = "clerk"
    _step(redesigned, "extract")["edge_cases"][0]["owner"] = "lead"
    redesign = Redesign.parse(_redesign_data(redesigned))
    assert redesign.redesigned.steps[1].edge_cases[0].owner == "lead"
    assert problems(redesign) == []


def test_a_standalone_process_may_not_name_an_unknown_owner() -> None:
    data = small_process_data()
    _step(data, "extract")["edge_cases"][0]["owner"] = "lead2"
    with pytest.raises(InvalidModelError, match="unknown role 'lead2'"):
        Process.parse(data)


def test_redesign_owner_neither_current_nor_redesigned_is_an_error() -> None:
    redesigned = small_process_data()
    _step(redesigned, "extract")["edge_cases"][0]["owner"] = "legal"
    with pytest.raises(InvalidModelError) as raised:
        Redesign.parse(_redesign_data(redesigned))
    (problem,) = raised.value.problems
    assert problem.where == "redesigned.steps[extract].edge_cases[misread].owner"
    assert problem.element_id == "misread"


def test_redesign_replaces_must_name_current_steps() -> None:
    redesigned = small_process_data()
    _step(redesigned, "extract")["replaces"] = ["recieve"]
    _step(redesigned, "extract")["edge_cases"][0]["replaces"] = ["misred"]
    with pytest.raises(InvalidModelError) as raised:
        Redesign.parse(_redesign_data(redesigned))
    found = [(p.rule, p.element_id, p.where) for p in raised.value.problems]
    assert found == [
        ("unknown-current-step", "extract", "redesigned.steps[extract].replaces[0]"),
        (
            "unknown-current-edge-case",
            "misread",
            "redesigned.steps[extract].edge_cases[misread].replaces[0]",
        ),
    ]
    assert "did you mean 'receive'?" in raised.value.problems[0].message
    assert "did you mean 'misread'?" in raised.value.problems[1].message


def test_problems_in_both_versions_are_reported_together() -> None:
    broken = small_process_data()
    broken["steps"][0]["role"] = "ghost"
    data = _redesign_data(copy.deepcopy(broken))
    data["current"] = broken
    data["volume_per_month"] = -1
    with pytest.raises(InvalidModelError) as raised:
        Redesign.parse(data)
    wheres = sorted(p.where for p in raised.value.problems)
    assert wheres == [
        "current.steps[receive].role",
        "redesigned.steps[receive].role",
        "volume_per_month",
    ]
