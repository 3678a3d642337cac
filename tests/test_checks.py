"""Every validation rule, each with a broken model, asserting the rule, element id and message."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import pytest

from lastmile_flows import InvalidModelError, Problem, Process, Redesign, problems
from lastmile_flows.analysis.rules import RULES, Rule
from lastmile_flows.model.rulebook import (
    FIELD_RULES,
    VALIDATION_RULES,
    ValidationRule,
    validation_rule,
)
from tests.builders import small_process_data

Data = dict[str, Any]
Row = tuple[str, Callable[[Data], None], str, str, str]
"""A row of the rule tables below: rule, mutation, element id, where, a fragment of the message."""


class RuleCase(NamedTuple):
    """A rule, a mutation of the model data that breaks it, and what its problem must name."""

    rule: str
    mutate: Callable[[Data], None]
    element_id: str
    where: str
    fragment: str

    def reported(self, problems: Sequence[Problem]) -> Problem:
        """The first of ``problems`` under this rule; it names the element, where and the
        fragment of the message this case expects."""
        found = [p for p in problems if p.rule == self.rule]
        assert found, [str(p) for p in problems]
        assert ((found[0].element_id or ""), found[0].where) == (self.element_id, self.where)
        assert self.fragment in found[0].message
        return found[0]


def each_case(table: list[Row], ids: list[str] | None = None) -> pytest.MarkDecorator:
    """Run a test once per row of ``table``, as ``case``, named by the rule (or by ``ids``)."""
    cases = [RuleCase(*row) for row in table]
    return pytest.mark.parametrize("case", cases, ids=ids or [case.rule for case in cases])


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


def _as_flows(*pairs: tuple[str, str], probability: float | None = None) -> Callable[[Data], None]:
    """The steps receive and done, wired by explicit flows (the first flow may carry a
    probability)."""

    def mutate(data: Data) -> None:
        data["gateways"] = []
        data["steps"] = [
            {key: value for key, value in step.items() if key != "next"}
            for step in data["steps"]
            if step["id"] in ("receive", "done")
        ]
        data["flows"] = [{"source": source, "target": target} for source, target in pairs]
        if probability is not None:
            data["flows"][1]["probability"] = probability

    return mutate


STRAIGHT = (("start", "receive"), ("receive", "done"), ("done", "end"))


def _review_routed_by_edge_case(data: Data) -> None:
    """The review step reached only through the AI step's misread edge case (10 %), and
    sampling 10 % of those again."""
    extract = _step(data, "extract")
    extract["next"] = "post"
    extract["edge_cases"][0]["recovery_step"] = "check"
    _step(data, "check").update(review_rate=0.1, next="post")


# rule, mutation, element id, where, a fragment of the message
BROKEN: list[Row] = [
    (
        "duplicate-flow",
        _as_flows(*STRAIGHT, ("receive", "done")),
        "receive",
        "flows[3]",
        "the flow 'receive' → 'done' is given twice",
    ),
    (
        "flow-from-end",
        _as_flows(*STRAIGHT, ("end", "done")),
        "end",
        "flows[3]",
        "nothing flows out of end event 'end'",
    ),
    (
        "flow-into-start",
        _as_flows(*STRAIGHT, ("done", "start")),
        "done",
        "flows[3]",
        "nothing flows into start event 'start'",
    ),
    (
        "probability-off-exclusive",
        _as_flows(*STRAIGHT, probability=0.5),
        "receive",
        "flows[1].probability",
        "'receive' is a step",
    ),
    (
        "gateway-without-branches",
        lambda d: d["gateways"].append({"id": "empty"}),
        "empty",
        "gateways[empty].branches",
        "a gateway needs at least one branch",
    ),
    (
        "no-start",
        lambda d: d.update(events=[{"id": "stop", "kind": "end"}]),
        "orders",
        "events",
        "the process has no start event",
    ),
    (
        "no-end",
        lambda d: d.update(events=[{"id": "go", "kind": "start", "next": "receive"}]),
        "orders",
        "events",
        "the process has no end event",
    ),
    (
        "loop-without-exit",
        lambda d: (
            _set("steps.fix.next", "spin")(d)
            or _insert_after_fix({"id": "spin", "role": "lead", "next": "fix"})(d)
            or _step(d, "spin").update(next="ok2")
            or d["gateways"].append(
                {
                    "id": "ok2",
                    "branches": [
                        {"to": "fix", "probability": 1.0},
                        {"to": "done", "probability": 0.0},
                    ],
                }
            )
        ),
        "ok2",
        "gateways[ok2]",
        "cases at 'ok2' never reach an end event: every way out of the loop",
    ),
    (
        "unknown-message-endpoint",
        lambda d: d.update(messages=[{"source": "recieve", "target": "lead"}]),
        "",
        "messages[0].source",
        "unknown step, event or role 'recieve' (did you mean 'receive'?)",
    ),
    (
        "reserved-id",
        lambda d: d["roles"].append({"id": "none"}),
        "none",
        "roles[none].id",
        "a role may not be called 'none'",
    ),
    (
        "running-cost-on-human-step",
        _set("steps.receive.run_cost_per_execution", 0.02),
        "receive",
        "steps[receive].run_cost_per_execution",
        "the running cost of an AI or system step; this step is manual",
    ),
    (
        "trust-field-on-non-ai-step",
        _set("steps.receive.error_rate", 0.1),
        "receive",
        "steps[receive].error_rate",
        "error_rate describes an AI step's output",
    ),
    (
        "error-rate-accuracy-disagree",
        lambda d: _step(d, "extract").update(error_rate=0.1, accuracy=0.5),
        "extract",
        "steps[extract].accuracy",
        "error_rate 0.1 and accuracy 0.5 disagree",
    ),
    (
        "routing-curve-not-monotone",
        _set(
            "steps.extract.confidence_routing",
            [{"review_share": 0.5, "error_share": 0.5}, {"review_share": 0.2, "error_share": 0.6}],
        ),
        "extract",
        "steps[extract].confidence_routing[1].review_share",
        "list points by increasing review_share",
    ),
    (
        "error-share-on-non-ai-failure",
        lambda d: _step(d, "extract")["edge_cases"].append(
            {"id": "slow", "rate": 0.1, "owner": "clerk", "error_share": 0.2}
        ),
        "slow",
        "steps[extract].edge_cases[slow].error_share",
        "'slow' is not an ai_failure edge case",
    ),
    (
        "error-shares-above-one",
        lambda d: _step(d, "extract")["edge_cases"].extend(
            [
                {"id": "a", "rate": 0.1, "owner": "clerk", "ai_failure": True, "error_share": 0.7},
                {"id": "b", "rate": 0.1, "owner": "clerk", "ai_failure": True, "error_share": 0.6},
            ]
        ),
        "extract",
        "steps[extract].edge_cases",
        "add up to 1.3",
    ),
    (
        "missing-field",
        lambda d: _step(d, "receive").pop("role"),
        "receive",
        "steps[receive].role",
        "missing required field 'role'",
    ),
    (
        "too-short",
        lambda d: d.update(retired_edge_cases=[{"id": "gone", "reason": ""}]),
        "gone",
        "retired_edge_cases[gone].reason",
        "at least 1 character",
    ),
    (
        "wrong-type",
        _set("steps.receive.touch_minutes", "three"),
        "receive",
        "steps[receive].touch_minutes",
        "a valid number",
    ),
    (
        "invalid-value",
        lambda d: d.update(currency="euro"),
        "orders",
        "currency",
        "'euro' is not a currency code",
    ),
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


@each_case(BROKEN, ids=[f"{row[0]}-{row[2]}" for row in BROKEN])
def test_broken_model_is_reported_with_element_and_choices(case: RuleCase) -> None:
    data = small_process_data()
    case.mutate(data)
    with pytest.raises(InvalidModelError) as raised:
        Process.parse(data)
    assert case.reported(raised.value.problems).severity == "error"


def _evidence(*records: Data) -> Callable[[Data], None]:
    base = {"field": "touch_minutes", "value": 2, "source": "log.csv", "cases": 10}
    return lambda d: d.update(evidence=[{**base, **record} for record in records])


# warnings: the model loads, and problems() names the rule
WARNED: list[Row] = [
    (
        "ai-act-unaccountable",
        lambda d: (
            _step(d, "extract").pop("accountable")
            and d.update(steps=[s for s in d["steps"] if s["id"] != "check"])
        ),
        "extract",
        "steps[extract].accountable",
        "acts on its own with no accountable human role and no review step",
    ),
    (
        "review-rate-applied-twice",
        _review_routed_by_edge_case,
        "check",
        "steps[check].review_rate",
        "reached only through edge case 'misread' of 'extract' (0.1 of the cases) and samples "
        "review_rate 0.1 of those again: it reviews 0.1 x 0.1 = 1.00% of the cases there",
    ),
    (
        "evidence-duplicate",
        _evidence({"element": "receive"}, {"element": "receive"}),
        "receive",
        "evidence[1]",
        "a second record for touch_minutes of 'receive'",
    ),
    (
        "evidence-stale",
        _evidence({"element": "gone"}),
        "gone",
        "evidence[0]",
        "which the model does not have",
    ),
]


@each_case(WARNED)
def test_warning_is_reported_and_the_model_loads(case: RuleCase) -> None:
    data = small_process_data()
    case.mutate(data)
    found = case.reported(problems(Process.parse(data)))
    assert found.severity == "warning" == validation_rule(case.rule).severity


def _redesigned(mutate: Callable[[Data], None]) -> Callable[[Data], None]:
    return lambda d: mutate(d["redesigned"])


# rules that need both versions: a mutation of the redesign's data
REDESIGN_BROKEN: list[Row] = [
    (
        "retired-edge-case-still-listed",
        _redesigned(
            lambda r: r.update(retired_edge_cases=[{"id": "misread", "reason": "no more scans"}])
        ),
        "misread",
        "redesigned.retired_edge_cases[misread].id",
        "edge case 'misread' is retired but still listed at step 'extract'",
    ),
    (
        "currency-mismatch",
        lambda d: d["current"].update(currency="EUR") or d["redesigned"].update(currency="USD"),
        "orders",
        "redesigned.currency",
        "the current process states its costs in EUR and the redesigned one in USD",
    ),
    (
        "unknown-current-step",
        _redesigned(lambda r: _step(r, "extract").update(replaces=["recieve"])),
        "extract",
        "redesigned.steps[extract].replaces[0]",
        "unknown current step 'recieve' (did you mean 'receive'?)",
    ),
    (
        "unknown-current-edge-case",
        _redesigned(
            lambda r: r.update(retired_edge_cases=[{"id": "misred", "reason": "no more scans"}])
        ),
        "misred",
        "redesigned.retired_edge_cases[misred].id",
        "unknown current edge case 'misred' (did you mean 'misread'?)",
    ),
]


@each_case(REDESIGN_BROKEN)
def test_broken_redesign_is_reported_with_element(case: RuleCase) -> None:
    data = _redesign_data(small_process_data())
    case.mutate(data)
    with pytest.raises(InvalidModelError) as raised:
        Redesign.parse(data)
    case.reported(raised.value.problems)


def test_every_validation_rule_has_a_broken_model_naming_it() -> None:
    covered = {row[0] for row in (*BROKEN, *WARNED, *REDESIGN_BROKEN)}
    registered = {r.name for r in VALIDATION_RULES} | {r.name for r in FIELD_RULES.values()}
    assert registered - covered == set()
    assert covered - registered == set()  # every rule a test names is registered


def test_validation_and_audit_rules_have_unique_codes_names_and_a_remedy() -> None:
    every: list[Rule | ValidationRule] = [*VALIDATION_RULES, *FIELD_RULES.values(), *RULES]
    assert len({r.code for r in every}) == len(every)
    assert len({r.name for r in every}) == len(every)
    assert all(r.remedy and r.group for r in every)
    # ids are words joined by '-' (validation) or a dotted name (audit), never prose
    assert all(r.name.replace("-", "").replace(".", "").replace("_", "").isalpha() for r in every)


def test_a_problem_of_an_unregistered_rule_is_a_bug() -> None:
    from lastmile_flows.model.collector import Collector

    with pytest.raises(KeyError):
        Collector(None).add("made-up-rule", "x", element_id=None, loc=())


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


def test_owner_none_is_a_deliberate_nobody_that_loads_and_the_audit_still_reports() -> None:
    from lastmile_flows import compare

    data = small_process_data()
    _step(data, "extract")["edge_cases"][0]["owner"] = "none"
    process = Process.parse(data)
    assert process.step("extract").edge_cases[0].owner is None
    assert problems(process) == []
    redesign = Redesign.parse({**_redesign_data(data), "current": small_process_data()})
    found = {(f.name, f.element_ids[0]) for f in compare(redesign).findings}
    assert ("edge_case.no_owner", "misread") in found


def test_an_unknown_owner_lists_only_human_roles_and_none() -> None:
    data = small_process_data()
    _step(data, "extract")["edge_cases"][0]["owner"] = "nobody"
    with pytest.raises(InvalidModelError) as raised:
        Process.parse(data)
    (problem,) = raised.value.problems
    assert problem.rule == "unknown-role"
    assert problem.message.endswith(
        "valid owners: 'clerk', 'lead' (human roles), or 'none' for deliberately nobody"
    )
    assert "'bot'" not in problem.message
    assert "'erp'" not in problem.message


def test_an_ai_owner_loads_and_the_audit_reports_it() -> None:
    from lastmile_flows import compare

    data = small_process_data()
    _step(data, "extract")["edge_cases"][0]["owner"] = "bot"
    redesign = Redesign.parse(_redesign_data(data))
    found = [f for f in compare(redesign).findings if f.name == "edge_case.owner_not_human"]
    assert [f.element_ids for f in found] == [("misread", "extract", "bot")]
