"""Hypothesis strategies that build valid processes and redesigns."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from lastmile_flows import Process, Redesign

text = st.text(max_size=30)
minutes = st.floats(min_value=0, max_value=10_000, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def edge_cases(draw: st.DrawFn, prefix: str, owners: list[str], ai: bool) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 2))
    return [
        {
            "id": f"{prefix}_e{index}",
            "name": draw(text),
            "rate": draw(rates),
            "owner": draw(st.sampled_from([None, *owners])),
            "recovery": draw(text),
            "handling_minutes": draw(minutes),
            "tribal": draw(st.booleans()),
            "ai_failure": ai and draw(st.booleans()),
        }
        for index in range(count)
    ]


@st.composite
def process_data(draw: st.DrawFn, process_id: str = "p") -> dict[str, Any]:
    """Plain data for a valid process: roles, steps of every kind, and a final decision."""
    humans = [f"h{index}" for index in range(draw(st.integers(1, 3)))]
    roles: list[dict[str, Any]] = [
        {
            "id": human,
            "name": draw(text),
            "cost_per_hour": draw(st.none() | minutes),
            "headcount": draw(st.none() | st.floats(0, 50)),
        }
        for human in humans
    ]
    roles += [{"id": "bot", "kind": "ai"}, {"id": "sys", "kind": "system"}]
    steps: list[dict[str, Any]] = []
    ai_steps: list[str] = []
    for index in range(draw(st.integers(1, 6))):
        step_id = f"s{index}"
        kinds = ["manual", "ai", "system"] + (["review"] if ai_steps else [])
        kind = draw(st.sampled_from(kinds))
        step: dict[str, Any] = {
            "id": step_id,
            "name": draw(text),
            "kind": kind,
            "role": {"manual": draw(st.sampled_from(humans)), "review": humans[0]}.get(
                kind, {"ai": "bot", "system": "sys"}.get(kind)
            ),
            "touch_minutes": draw(minutes),
            "wait_minutes": draw(minutes),
            "notes": draw(text),
            "edge_cases": draw(edge_cases(step_id, humans, kind == "ai")),
        }
        if kind == "ai":
            step["ai_mode"] = draw(st.sampled_from(["suggest", "draft", "act"]))
            step["accountable"] = humans[0]
            ai_steps.append(step_id)
        if kind == "review":
            step["reviews"] = draw(st.sampled_from(ai_steps))
            step["review_rate"] = draw(rates)
        steps.append(step)
    data: dict[str, Any] = {
        "id": process_id,
        "name": draw(text),
        "description": draw(text),
        "version": draw(text),
        "roles": roles,
        "steps": steps,
    }
    evidence = draw(evidence_records(steps, text))
    if evidence:
        data["evidence"] = evidence
    if draw(st.booleans()):
        share = draw(st.floats(0.01, 0.99))
        steps[-1]["next"] = "decide"
        steps.append({"id": "rework", "role": humans[0], "touch_minutes": 1, "next": "end"})
        data["gateways"] = [
            {
                "id": "decide",
                "name": draw(text),
                "branches": [
                    {"to": "end", "probability": share, "label": draw(text)},
                    {"to": "rework", "probability": 1 - share},
                ],
            }
        ]
    return data


@st.composite
def evidence_records(
    draw: st.DrawFn, steps: list[dict[str, Any]], words: st.SearchStrategy[str]
) -> list[dict[str, Any]]:
    """Evidence for some steps' minutes, as calibration writes it (the value the step holds)."""
    found: list[dict[str, Any]] = []
    maybe = st.none() | minutes
    for step in steps:
        for field in ("touch_minutes", "wait_minutes"):
            if draw(st.integers(0, 3)) == 0:
                found.append(
                    {
                        "element": step["id"],
                        "field": field,
                        "value": step[field],
                        "source": draw(words.filter(bool)),
                        "cases": draw(st.integers(0, 10**7)),
                        "observations": draw(st.integers(0, 10**8)),
                        "median": draw(maybe),
                        "mean": draw(maybe),
                        "p90": draw(maybe),
                        "low": draw(maybe),
                        "high": draw(maybe),
                        "method": draw(words),
                    }
                )
    return found


processes = process_data().map(Process.parse)


@st.composite
def redesigns(draw: st.DrawFn) -> Redesign:
    return Redesign.parse(
        {
            "id": "r",
            "name": draw(text),
            "current": draw(process_data("current")),
            "redesigned": draw(process_data("redesigned")),
            "volume_per_month": draw(minutes),
            "hours_per_fte_month": draw(st.floats(1, 300)),
        }
    )
