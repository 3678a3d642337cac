"""Alignment and change classification: every kind, by explicit ids and replaces only."""

from __future__ import annotations

from typing import Any

import pytest

from lastmile_flows import compare
from tests.builders import process, redesign, step

BASE = [step("receive", touch_minutes=2), step("key", touch_minutes=10), step("post", "erp")]


def _changes(
    redesigned_steps: list[dict[str, Any]],
) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    comparison = compare(redesign(process(*BASE), redesigned_steps))
    return [(c.change, c.current, c.redesigned) for c in comparison.steps]


def test_same_ids_and_same_work_are_unchanged() -> None:
    assert _changes(BASE) == [
        ("unchanged", ("receive",), ("receive",)),
        ("unchanged", ("key",), ("key",)),
        ("unchanged", ("post",), ("post",)),
    ]


def test_a_human_step_with_no_successor_is_eliminated_in_place() -> None:
    assert _changes([BASE[0], BASE[2]]) == [
        ("unchanged", ("receive",), ("receive",)),
        ("eliminated", ("key",), ()),
        ("unchanged", ("post",), ("post",)),
    ]


def test_a_human_step_replaced_by_an_ai_step_is_automated() -> None:
    changes = _changes(
        [
            BASE[0],
            step("extract", "bot", ai_mode="act", accountable="lead", replaces=["key"]),
            BASE[2],
        ]
    )
    assert changes[1] == ("automated", ("key",), ("extract",))


def test_a_new_name_without_replaces_is_never_matched_by_guessing() -> None:
    changes = _changes([BASE[0], step("key_in", touch_minutes=10), BASE[2]])
    assert ("added", (), ("key_in",)) in changes
    assert ("eliminated", ("key",), ()) in changes


def test_a_human_step_split_into_ai_and_a_shorter_human_step_is_assisted() -> None:
    comparison = compare(
        redesign(
            process(*BASE),
            [
                BASE[0],
                step("draft", "bot", ai_mode="draft", replaces=["key"]),
                step("key", touch_minutes=4),
                BASE[2],
            ],
        )
    )
    change = comparison.steps[1]
    assert (change.change, change.current, change.redesigned) == (
        "assisted",
        ("key",),
        ("draft", "key"),
    )
    assert change.also == ("split", "reassigned", "retimed")
    assert change.ai_mode == "draft"


def test_a_human_step_that_now_reviews_ai_output_is_assisted() -> None:
    changes = _changes(
        [
            BASE[0],
            step("draft", "bot", ai_mode="draft"),
            step("key", kind="review", reviews="draft", touch_minutes=3),
            BASE[2],
        ]
    )
    assert ("added", (), ("draft",)) in changes
    assert ("assisted", ("key",), ("key",)) in changes


def test_a_new_review_of_an_ai_step_is_review_added() -> None:
    changes = _changes(
        [
            BASE[0],
            step("extract", "bot", ai_mode="act", replaces=["key"]),
            step("check", kind="review", reviews="extract", touch_minutes=2),
            BASE[2],
        ]
    )
    assert ("review_added", (), ("check",)) in changes


@pytest.mark.parametrize(
    ("new_key", "expected"),
    [
        (step("key", "lead", touch_minutes=10), ("reassigned", ())),
        (step("key", touch_minutes=7), ("retimed", ())),
        (step("key", touch_minutes=10, wait_minutes=60), ("retimed", ())),
        (step("key", "lead", touch_minutes=7), ("reassigned", ("retimed",))),
        (step("key", name="Key the order", touch_minutes=10), ("unchanged", ())),
    ],
)
def test_one_to_one_changes(new_key: dict[str, Any], expected: tuple[str, tuple[str, ...]]) -> None:
    comparison = compare(redesign(process(*BASE), [BASE[0], new_key, BASE[2]]))
    assert (comparison.steps[1].change, comparison.steps[1].also) == expected


def test_two_human_steps_into_one_is_merged() -> None:
    changes = _changes([step("intake", touch_minutes=9, replaces=["receive", "key"]), BASE[2]])
    assert changes[0] == ("merged", ("receive", "key"), ("intake",))


def test_one_human_step_into_two_human_steps_is_split() -> None:
    changes = _changes(
        [
            BASE[0],
            step("key_header", touch_minutes=4, replaces=["key"]),
            step("key_lines", touch_minutes=5, replaces=["key"]),
            BASE[2],
        ]
    )
    assert changes[1] == ("split", ("key",), ("key_header", "key_lines"))


def test_eliminated_steps_stay_where_they_were_in_process_order() -> None:
    current = process(step("a"), step("b"), step("c"), step("d"))
    comparison = compare(redesign(current, [step("a"), step("new"), step("d")]))
    order = [(c.current, c.redesigned) for c in comparison.steps]
    assert order == [(("a",), ("a",)), (("b",), ()), (("c",), ()), ((), ("new",)), (("d",), ("d",))]


def test_handoffs_added_and_removed_are_listed_by_role_pair() -> None:
    comparison = compare(
        redesign(
            process(*BASE),
            [BASE[0], step("key", "lead", touch_minutes=10), BASE[2]],
        )
    )
    added = {
        (h.from_role, h.to_role, h.from_step, h.to_step, h.human) for h in comparison.handoffs.added
    }
    removed = {(h.from_role, h.to_role) for h in comparison.handoffs.removed}
    assert added == {
        ("clerk", "lead", "receive", "key", True),
        ("lead", "erp", "key", "post", False),
    }
    assert removed == {("clerk", "erp")}
    assert comparison.handoffs.kept == 0


def test_handoffs_look_through_gateways() -> None:
    current = process(
        step("a", next="g"),
        step("b", "lead", next="end"),
        step("c", "erp", next="end"),
        gateways=[
            {
                "id": "g",
                "branches": [{"to": "b", "probability": 0.5}, {"to": "c", "probability": 0.5}],
            }
        ],
    )
    comparison = compare(current, current)
    assert comparison.metrics.current.handoffs == 2
    assert comparison.metrics.current.human_handoffs == 1
