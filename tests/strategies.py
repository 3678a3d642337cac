"""Hypothesis strategies that build valid processes and redesigns."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from lastmile_flows import Process, Redesign

text = st.text(max_size=30)
minutes = st.floats(min_value=0, max_value=10_000, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=0, max_value=1, allow_nan=False)


routing_curves = st.lists(
    st.tuples(st.floats(0, 1), st.floats(0, 1)), max_size=3, unique_by=lambda pair: pair[0]
).map(
    lambda pairs: [
        {"review_share": review, "error_share": error}
        for review, error in zip(
            sorted(p[0] for p in pairs), sorted(p[1] for p in pairs), strict=True
        )
    ]
)
"""Confidence routing curves: review shares rising, error shares never falling."""


@st.composite
def edge_cases(draw: st.DrawFn, prefix: str, owners: list[str], ai: bool) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 2))
    found = [
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
    for case in found:
        if case["ai_failure"] and draw(st.booleans()):
            case["error_share"] = draw(st.floats(0, 0.5))  # two at most: they add up to 1 or less
    return found


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
            step["error_rate"] = draw(st.none() | rates)
            step["confidence_routing"] = draw(routing_curves)
            ai_steps.append(step_id)
        if kind == "review":
            step["reviews"] = draw(st.sampled_from(ai_steps))
            step["review_rate"] = draw(rates)
            step["catch_rate"] = draw(st.none() | rates)
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
            "max_escaped_errors_per_month": draw(st.none() | minutes),
        }
    )


NAMES = st.sampled_from(
    [
        "",
        "Check",
        "Review the customer's order against the signed framework contract",
        "Überprüfung der Lieferadresse",
        "受注内容の確認と在庫引当",
        "Approve > 10k? (yes/no) & route",
        "Kontrola – ščž",  # noqa: RUF001 (a dash in a name)
        "A-very-long-identifier_like_name_without_any_spaces_at_all",
    ]
)


@st.composite
def swimlane_data(draw: st.DrawFn, process_id: str = "p") -> dict[str, Any]:
    """Plain data for a process shaped like real ones: 5 to 60 steps over 2 to 8 lanes, with
    decisions (nested), parallel splits, rework loops, edge cases handled at other steps, and
    long, empty and non-Latin names."""
    lane_count = draw(st.integers(2, 8))
    roles: list[dict[str, Any]] = [
        {"id": f"r{index}", "name": draw(NAMES), "headcount": draw(st.sampled_from([None, 0, 2]))}
        for index in range(lane_count)
    ]
    roles.append({"id": "bot", "name": "Assistant", "kind": "ai"})
    steps: list[dict[str, Any]] = []
    gateways: list[dict[str, Any]] = []
    budget = draw(st.integers(5, 60))

    def new_step() -> str:
        index = len(steps)
        ai = draw(st.integers(0, 5)) == 0
        ident = f"s{index}"
        step: dict[str, Any] = {
            "id": ident,
            "name": draw(NAMES),
            "role": "bot" if ai else f"r{draw(st.integers(0, lane_count - 1))}",
            "touch_minutes": draw(st.sampled_from([0, 1, 5, 30])),
        }
        if ai:
            step |= {"kind": "ai", "ai_mode": "act", "accountable": "r0"}
        steps.append(step)
        return ident

    def chain(depth: int) -> tuple[str, str]:
        """A sequence of blocks; its first and last node ids (last flows on by ``next``)."""
        first = last = new_step()
        blocks = 60 if depth == 0 else draw(st.integers(0, 3))
        for _ in range(blocks):
            if len(steps) >= budget:
                break
            block = draw(st.sampled_from(["step", "step", "choice", "parallel", "loop"]))
            if block == "step" or depth >= 2:
                node = new_step()
                _link(last, node)
                last = node
                continue
            split = f"g{len(gateways)}"
            join = f"g{len(gateways) + 1}"
            kind = "parallel" if block == "parallel" else "exclusive"
            gateways.append({"id": split, "name": draw(NAMES), "kind": kind, "branches": []})
            gateways.append({"id": join, "kind": kind, "branches": []})
            _link(last, split)
            if block == "loop":
                body = new_step()
                _gateway(split)["branches"] = [{"to": body}]
                _link(body, join)
                after = new_step()
                _gateway(join)["branches"] = [
                    {"to": split, "probability": 0.2, "label": "rework"},
                    {"to": after, "probability": 0.8},
                ]
                last = after
                continue
            count = draw(st.integers(2, 3))
            shares = [1.0 / count] * count
            for number in range(count):
                head, tail = chain(depth + 1)
                branch: dict[str, Any] = {"to": head}
                if kind == "exclusive":
                    branch |= {"probability": shares[number], "label": draw(NAMES)}
                _gateway(split)["branches"].append(branch)
                _link(tail, join)
            after = new_step()
            _gateway(join)["branches"] = [{"to": after}]
            last = after
        return first, last

    def _gateway(gateway_id: str) -> dict[str, Any]:
        return next(g for g in gateways if g["id"] == gateway_id)

    def _link(source: str, target: str) -> None:
        if source.startswith("g"):
            _gateway(source)["branches"].append({"to": target})
        else:
            next(s for s in steps if s["id"] == source)["next"] = target

    _, last = chain(0)
    _link(last, "end")
    step_ids = [step["id"] for step in steps]
    for step in steps:
        if draw(st.integers(0, 3)) == 0:
            case: dict[str, Any] = {
                "id": f"{step['id']}_x",
                "name": draw(NAMES),
                "rate": 0.05,
                "owner": draw(st.sampled_from([None, "r0", f"r{lane_count - 1}"])),
            }
            if draw(st.booleans()):
                case["recovery_step"] = draw(st.sampled_from(step_ids))
            step["edge_cases"] = [case]
    for gateway in gateways:
        branches = gateway["branches"]
        if gateway["kind"] == "exclusive" and len(branches) > 1:
            if not all("probability" in branch for branch in branches):
                for branch in branches:
                    branch["probability"] = round(1.0 / len(branches), 6)
            branches[-1]["probability"] = round(
                1.0 - sum(b["probability"] for b in branches[:-1]), 6
            )
        elif len(branches) == 1:
            branches[0].pop("probability", None)
            branches[0].pop("label", None)
    return {
        "id": process_id,
        "name": draw(NAMES),
        "roles": roles,
        "steps": steps,
        "gateways": gateways,
    }


swimlane_processes = swimlane_data().map(Process.parse)


@st.composite
def swimlane_redesign_data(draw: st.DrawFn) -> dict[str, Any]:
    """A redesign of a :func:`swimlane_data` process, made the way analysts make them: some
    manual steps handed to the AI (kept, now AI steps), some removed outright (their flows
    rejoined), reviews added after AI steps, sometimes a role cut and its steps and exceptions
    moved to another."""
    current = draw(swimlane_data("p"))
    redesigned = copy.deepcopy(current)
    steps = redesigned["steps"]
    manual = [s for s in steps if s.get("kind") != "ai"]
    for step in manual:
        choice = draw(st.sampled_from(["keep", "keep", "ai", "remove"]))
        if choice == "ai":
            step |= {"role": "bot", "kind": "ai", "ai_mode": "act", "accountable": "r0"}
            step["touch_minutes"] = 0
        elif choice == "remove" and len(steps) > 2 and _removable(redesigned, step["id"]):
            _remove_step(redesigned, step["id"])
    for step in [s for s in steps if s.get("kind") == "ai"]:
        if draw(st.integers(0, 2)) == 0:
            review = {
                "id": f"{step['id']}_rv",
                "name": draw(NAMES),
                "role": "r0",
                "kind": "review",
                "reviews": step["id"],
                "review_rate": 0.3,
                "touch_minutes": 2,
                "next": step["next"],
            }
            step["next"] = review["id"]
            steps.append(review)
    roles = [r for r in redesigned["roles"] if r["id"] not in ("r0", "bot")]
    cut_a_role = draw(st.booleans())
    if roles and cut_a_role:
        cut = draw(st.sampled_from(roles))["id"]
        redesigned["roles"] = [r for r in redesigned["roles"] if r["id"] != cut]
        for step in steps:
            if step["role"] == cut:
                step["role"] = "r0"
            for case in step.get("edge_cases", []):
                if case.get("owner") == cut and draw(st.booleans()):
                    case["owner"] = "r0"
                # else: the owner stays the cut role (the redesign forgot it)
    return {"id": "r", "current": current, "redesigned": redesigned, "volume_per_month": 1000}


def swimlane_redesigns() -> st.SearchStrategy[Redesign]:
    """A redesign of a :func:`swimlane_data` process (see :func:`swimlane_redesign_data`)."""
    return swimlane_redesign_data().map(Redesign.parse)


@st.composite
def edge_case_redesigns(draw: st.DrawFn) -> Redesign:
    """A :func:`swimlane_redesign_data` redesign whose analyst also does to each current edge
    case one of what analysts do: keep it, forget it (not restated), restate it under a new id
    (``replaces``), or retire it with a reason. Edge cases with a recovery step are kept (their
    step is the only way into it)."""
    data = draw(swimlane_redesign_data())
    redesigned = data["redesigned"]
    for step in redesigned["steps"]:
        kept = []
        for case in step.get("edge_cases", []):
            choice = draw(st.sampled_from(["keep", "forget", "restate", "retire"]))
            if "recovery_step" in case or choice == "keep":
                kept.append(case)
            elif choice == "restate":
                kept.append({**case, "id": f"{case['id']}_new", "replaces": [case["id"]]})
            elif choice == "retire":
                redesigned.setdefault("retired_edge_cases", []).append(
                    {"id": case["id"], "reason": "cannot happen any more"}
                )
        step["edge_cases"] = kept
    return Redesign.parse(data)


def _removable(data: dict[str, Any], step_id: str) -> bool:
    """Only steps other steps lead to (no gateway branch does, and the process does not start
    there), so rejoining their flow cannot give a gateway the same branch twice."""
    if data["steps"][0]["id"] == step_id:
        return False  # the process starts there
    return not any(
        branch["to"] == step_id for gateway in data["gateways"] for branch in gateway["branches"]
    )


def _remove_step(data: dict[str, Any], step_id: str) -> None:
    """Take a step out of the flow: whatever led to it leads to where it led."""
    steps = data["steps"]
    gone = next(s for s in steps if s["id"] == step_id)
    target = gone["next"]
    if target == step_id:
        return
    for step in steps:
        if step.get("next") == step_id:
            step["next"] = target
        for case in step.get("edge_cases", []):
            if case.get("recovery_step") == step_id:
                case.pop("recovery_step")
    steps.remove(gone)
