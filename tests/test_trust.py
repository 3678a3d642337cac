"""Trust calibration: the model fields, their rules, the closed-form escaped errors, the audit
findings, and the review-share what-if."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lastmile_flows import InvalidModelError, Process, Redesign, RoutingPoint, Step, compare
from lastmile_flows.analysis.trust import (
    errors_in_review,
    review_capacity,
    review_share,
    trust_figures,
)
from lastmile_flows.errors import SimulationError
from lastmile_flows.simulation import with_review_share
from tests.builders import CURVE, ROLES, process, reviewed_process


def test_routing_curve_is_read_between_its_points_and_the_corners() -> None:
    step = Process.parse(reviewed_process()).step("draft")
    assert errors_in_review(step, 0.0) == 0.0
    assert errors_in_review(step, 0.1) == pytest.approx(0.3)
    assert errors_in_review(step, 0.2) == pytest.approx(0.6)
    assert errors_in_review(step, 0.35) == pytest.approx(0.75)
    assert errors_in_review(step, 0.75) == pytest.approx(0.95)
    assert errors_in_review(step, 1.0) == 1.0


def test_random_review_catches_errors_in_proportion() -> None:
    step = Step(id="a", role="bot", kind="ai", ai_mode="act", error_rate=0.1)
    assert errors_in_review(step, 0.37) == pytest.approx(0.37)


def test_escaped_errors_follow_the_closed_form() -> None:
    figure = trust_figures(Process.parse(reviewed_process()), volume_per_month=1000)[0]
    assert figure.review_share == pytest.approx(0.2)
    assert figure.errors_in_review == pytest.approx(0.6)
    assert figure.catch_rate == 0.8
    assert not figure.catch_rate_assumed
    # e x (1 - f(r) x c) x volume = 0.05 x (1 - 0.6 x 0.8) x 1000
    assert figure.escaped_per_month == pytest.approx(26.0)
    assert figure.errors_per_month == pytest.approx(50.0)


def test_random_review_escape_is_e_times_one_minus_r_c() -> None:
    data = reviewed_process(draft={"confidence_routing": []})
    figure = trust_figures(Process.parse(data), volume_per_month=1000)[0]
    assert figure.escaped_per_month == pytest.approx(1000 * 0.05 * (1 - 0.2 * 0.8))


def test_accuracy_stands_for_one_minus_the_error_rate() -> None:
    data = reviewed_process(draft={"error_rate": None, "accuracy": 0.95})
    figure = trust_figures(Process.parse(data), volume_per_month=1000)[0]
    assert figure.error_rate == pytest.approx(0.05)


def test_a_review_without_catch_rate_is_assumed_to_catch_everything_and_says_so() -> None:
    data = reviewed_process(check={"catch_rate": None})
    figure = trust_figures(Process.parse(data), volume_per_month=1000)[0]
    assert figure.catch_rate == 1.0
    assert figure.catch_rate_assumed


def test_escaped_errors_split_by_failure_mode() -> None:
    data = reviewed_process()
    data["steps"][0]["edge_cases"][0]["error_share"] = 0.25
    figure = trust_figures(Process.parse(data), volume_per_month=1000)[0]
    modes = dict(figure.escaped_by_failure_mode)
    assert list(modes) == ["unsure", "(unclassified)"]
    assert modes["unsure"] == pytest.approx(6.5)
    assert modes["(unclassified)"] == pytest.approx(19.5)


@given(
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
    st.lists(st.tuples(st.floats(0.01, 0.99), st.floats(0, 1)), max_size=3),
)
def test_more_review_never_lets_more_errors_escape(
    share: float, more: float, catch: float, raw: list[tuple[float, float]]
) -> None:
    xs = sorted({round(x, 6) for x, _ in raw})
    ys = sorted(y for _, y in raw)[: len(xs)]
    curve = [RoutingPoint(review_share=x, error_share=y) for x, y in zip(xs, ys, strict=False)]
    step = Step(id="a", role="bot", kind="ai", ai_mode="act", confidence_routing=curve)
    low, high = sorted((share, more))
    assert 0 <= errors_in_review(step, low) <= errors_in_review(step, high) + 1e-12 <= 1 + 1e-12
    escaped_low = 0.1 * (1 - errors_in_review(step, low) * catch)
    escaped_high = 0.1 * (1 - errors_in_review(step, high) * catch)
    assert escaped_high <= escaped_low + 1e-12 <= 0.1 + 1e-12


@pytest.mark.parametrize(
    ("changes", "rule", "element", "text"),
    [
        (
            {"check": {"error_rate": 0.1}},
            "trust-field-on-non-ai-step",
            "check",
            "valid on kind: 'ai'",
        ),
        (
            {"draft": {"catch_rate": 0.5}},
            "review-field-on-non-review-step",
            "draft",
            "set kind: review",
        ),
        (
            {"draft": {"accuracy": 0.9}},
            "error-rate-accuracy-disagree",
            "draft",
            "error_rate = 1 - accuracy = 0.1",
        ),
        (
            {"draft": {"confidence_routing": list(reversed(CURVE))}},
            "routing-curve-not-monotone",
            "draft",
            "list points by increasing review_share",
        ),
        (
            {
                "draft": {
                    "confidence_routing": [
                        {"review_share": 0.2, "error_share": 0.6},
                        {"review_share": 0.5, "error_share": 0.4},
                    ]
                }
            },
            "routing-curve-not-monotone",
            "draft",
            "valid: 0.6 to 1",
        ),
    ],
)
def test_trust_fields_are_checked(
    changes: dict[str, Any], rule: str, element: str, text: str
) -> None:
    with pytest.raises(InvalidModelError) as caught:
        Process.parse(reviewed_process(**changes))
    found = [p for p in caught.value.problems if p.rule == rule]
    assert found, caught.value.problems
    assert found[0].element_id == element
    assert text in found[0].message


def test_error_shares_belong_to_ai_failures_and_add_up_to_one_at_most() -> None:
    data = reviewed_process()
    data["steps"][0]["edge_cases"] += [
        {"id": "typo", "rate": 0.1, "owner": "clerk", "error_share": 0.5},
        {"id": "wrong", "rate": 0.1, "owner": "clerk", "ai_failure": True, "error_share": 0.9},
    ]
    data["steps"][0]["edge_cases"][0]["error_share"] = 0.3
    with pytest.raises(InvalidModelError) as caught:
        Process.parse(data)
    rules = {(p.rule, p.element_id) for p in caught.value.problems}
    assert ("error-share-on-non-ai-failure", "typo") in rules
    assert ("error-shares-above-one", "draft") in rules
    message = next(p.message for p in caught.value.problems if p.element_id == "typo")
    assert "'unsure', 'wrong'" in message


def _redesign(limit: float | None, headcount: float = 1) -> Redesign:
    current = process({"id": "key", "role": "clerk", "touch_minutes": 5})
    roles = [dict(r, headcount=headcount) if r["id"] == "lead" else r for r in ROLES]
    return Redesign.parse(
        {
            "id": "r",
            "current": current.model_dump(mode="json", exclude_defaults=True),
            "redesigned": reviewed_process(roles=roles),
            "volume_per_month": 1000,
            "max_escaped_errors_per_month": limit,
        }
    )


def test_errors_escaping_over_the_limit_are_a_finding() -> None:
    found = {f.code: f for f in compare(_redesign(20)).findings}
    assert "LM204" in found
    assert found["LM204"].element_ids == ("draft", "check")
    assert "about 26.0 errors a month reach customers, above the 20" in found["LM204"].message
    assert "LM204" not in {f.code for f in compare(_redesign(30)).findings}
    assert "LM204" not in {f.code for f in compare(_redesign(None)).findings}


def test_an_unsustainable_review_share_names_the_week_the_backlog_passes_a_day() -> None:
    # 1000 x 0.2 x 10 min = 33.3 h a month for the review, nobody to do it
    redesign = _redesign(None, headcount=0)
    found = {f.code: f for f in compare(redesign).findings}
    assert "LM303" in found
    assert "LM301" not in found  # the same queue is not reported twice
    assert "week 1" in found["LM303"].message
    capacity = review_capacity(redesign.redesigned, volume_per_month=1000, hours_per_fte_month=140)[
        0
    ]
    assert not capacity.sustainable
    assert capacity.week_backlog_passes_a_day == 1
    staffed = review_capacity(
        _redesign(None).redesigned, volume_per_month=1000, hours_per_fte_month=140
    )
    assert staffed[0].sustainable
    assert staffed[0].week_backlog_passes_a_day is None


def test_a_thin_overload_takes_weeks_to_pass_a_day_of_backlog() -> None:
    # lead: 1 person (140 h); review 1000 x 0.2 x 43 min = 143.3 h: 3.3 h over a month
    redesign = _redesign(None).replace(
        redesigned=_redesign(None).redesigned.with_step("check", touch_minutes=43)
    )
    capacity = review_capacity(redesign.redesigned, volume_per_month=1000, hours_per_fte_month=140)[
        0
    ]
    assert not capacity.sustainable
    # a day of work is 140 / 21.67 = 6.5 h; 3.3 h more a month: about 2 months
    assert 7 <= (capacity.week_backlog_passes_a_day or 0) <= 10


def test_review_share_follows_the_routing_edge_case_gateway_or_review_rate() -> None:
    via_edge_case = Process.parse(reviewed_process())
    assert review_share(via_edge_case, "draft") == pytest.approx(0.2)
    moved = with_review_share(via_edge_case, "draft", 0.45)
    assert moved.step("draft").edge_cases[0].rate == pytest.approx(0.45)
    assert review_share(moved, "draft") == pytest.approx(0.45)

    in_line = reviewed_process()
    in_line["steps"][0]["edge_cases"] = []
    in_line["steps"][0]["next"] = "check"
    sampled = with_review_share(Process.parse(in_line), "draft", 0.3)
    assert sampled.step("check").review_rate == pytest.approx(0.3)
    assert review_share(sampled, "draft") == pytest.approx(0.3)

    gated = reviewed_process()
    gated["steps"][0]["edge_cases"] = []
    gated["steps"][0]["next"] = "sure"
    gated["gateways"] = [
        {
            "id": "sure",
            "branches": [
                {"to": "check", "probability": 0.1},
                {"to": "send", "probability": 0.9},
            ],
        }
    ]
    routed = with_review_share(Process.parse(gated), "draft", 0.6)
    assert [b.probability for b in routed.gateways[0].branches] == pytest.approx([0.6, 0.4])
    assert review_share(routed, "draft") == pytest.approx(0.6)


def test_review_share_of_an_unreviewed_step_is_an_error_naming_the_reviewed_ones() -> None:
    with pytest.raises(SimulationError, match="no review step checks 'send'; reviewed AI steps"):
        with_review_share(Process.parse(reviewed_process()), "send", 0.5)


def test_the_routing_curve_never_passes_its_end_points_by_rounding() -> None:
    # hypothesis found 1.0000000000000002 at share 1 on this curve (interpolation rounding)
    curve = [RoutingPoint(review_share=0.1875, error_share=0.2557174103880017)]
    ai = Step.model_validate(
        {"id": "a", "role": "bot", "kind": "ai", "ai_mode": "suggest", "error_rate": 0.1}
    ).model_copy(update={"confidence_routing": tuple(curve)})
    assert errors_in_review(ai, 1.0) == 1.0
    assert errors_in_review(ai, 0.1875) == 0.2557174103880017
