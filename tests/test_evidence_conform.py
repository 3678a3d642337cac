"""conform: a log played from the model fits it whatever the interleaving of parallel work;
skipped steps, workarounds and steps out of place are found with frequencies and examples; the
overlay shows them; LM601 turns a workaround next to an automated step into a finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from lastmile_flows import (
    Process,
    Redesign,
    compare,
    conform,
    conformance_svg,
    practice_findings,
    read_log,
    with_practice,
)
from lastmile_flows.evidence.replay import align_trace, net_of
from lastmile_flows.evidence.tokens import token_replay
from lastmile_flows.xmlparser import safe_parser
from tests.logsim import simulate, write_csv
from tests.support import examples

ROLES = [{"id": "desk", "name": "Order desk"}, {"id": "store", "name": "Warehouse"}]


def _orders(share: float = 0.8) -> Process:
    """receive, then pick and invoice in parallel, then ship or (by share) hold, with rework."""
    return Process.parse(
        {
            "id": "orders",
            "roles": ROLES,
            "steps": [
                {
                    "id": "receive",
                    "name": "Receive order",
                    "role": "desk",
                    "touch_minutes": 3,
                    "next": "fork",
                },
                {
                    "id": "pick",
                    "name": "Pick goods",
                    "role": "store",
                    "touch_minutes": 12,
                    "next": "join",
                },
                {
                    "id": "pack",
                    "name": "Pack goods",
                    "role": "store",
                    "touch_minutes": 5,
                    "next": "join",
                },
                {
                    "id": "invoice",
                    "name": "Write invoice",
                    "role": "desk",
                    "touch_minutes": 4,
                    "next": "pack",
                },
                {"id": "ship", "name": "Ship", "role": "store", "touch_minutes": 2, "next": "end"},
                {
                    "id": "hold",
                    "name": "Hold order",
                    "role": "desk",
                    "touch_minutes": 1,
                    "next": "receive",
                },
            ],
            "gateways": [
                {"id": "fork", "kind": "parallel", "branches": ["pick", "invoice"]},
                {"id": "join", "kind": "parallel", "branches": ["route"]},
                {
                    "id": "route",
                    "branches": [
                        {"to": "ship", "probability": share},
                        {"to": "hold", "probability": round(1 - share, 6), "label": "rework"},
                    ],
                },
            ],
        }
    )


@pytest.mark.slow
@settings(max_examples=examples(6), deadline=None)
@given(seed=st.integers(0, 10_000), share=st.floats(0.5, 0.95))
def test_a_log_played_from_the_model_fits_it_completely(
    tmp_path_factory: pytest.TempPathFactory, seed: int, share: float
) -> None:
    model = _orders(round(share, 4))
    rows = simulate(model, 60, seed=seed)
    log = read_log(write_csv(tmp_path_factory.mktemp("sim") / "orders.csv", rows))
    result = conform(model, log)
    assert result.fitting_cases == result.cases == 60
    assert result.fitting_share == 1.0
    assert (result.skipped, result.undocumented, result.out_of_place, result.paths) == (
        (),
        (),
        (),
        (),
    )


def test_any_interleaving_of_parallel_branches_fits_and_a_missing_one_does_not() -> None:
    net = net_of(_orders())
    for trace in (
        ["receive", "pick", "invoice", "pack", "ship"],
        ["receive", "invoice", "pick", "pack", "ship"],
        ["receive", "invoice", "pack", "pick", "ship"],
    ):
        assert align_trace(net, trace).fits, trace
        assert token_replay(net, trace).fits, trace
    skipped = align_trace(net, ["receive", "invoice", "pack", "ship"])
    assert skipped.cost == 1
    assert [m.activity for m in skipped.moves if m.kind == "model"] == ["pick"]


def test_the_search_bound_is_reported_not_guessed() -> None:
    net = net_of(_orders())
    trace = ["receive", "ship", "pick", "hold", "pack", "pack", "invoice"]
    assert not align_trace(net, trace, max_states=5).judged
    assert align_trace(net, trace).judged


def _deviating_log(tmp_path: Path) -> Path:
    rows = simulate(_orders(), 200, seed=7)
    by_case: dict[str, list[list[str]]] = {}
    for row in rows:
        by_case.setdefault(row[0], []).append(row)
    changed: list[list[str]] = []
    for number, (case, events) in enumerate(sorted(by_case.items())):
        if number % 4 == 0:  # a quarter of the cases phone the customer after receiving
            first = events[0]
            events = [
                events[0],
                [case, "Phone customer", first[3], first[3], "desk-9"],
                *events[1:],
            ]
        if number % 10 == 1:  # a tenth skip packing
            events = [e for e in events if e[1] != "Pack goods"]
        changed += events
    return write_csv(tmp_path / "practice.csv", changed)


@pytest.mark.slow
def test_skips_workarounds_and_paths_are_found_with_counts_and_examples(tmp_path: Path) -> None:
    result = conform(_orders(), read_log(_deviating_log(tmp_path)))
    assert result.cases == 200
    (phone,) = result.undocumented
    assert (phone.name, phone.cases, phone.events, phone.after) == (
        "Phone customer",
        50,
        50,
        "receive",
    )
    assert phone.before in ("pick", "invoice")  # parallel work: either comes first
    assert phone.examples == ("case00000", "case00004", "case00008")
    (pack,) = result.skipped
    assert (pack.name, pack.label, pack.cases) == ("pack", "Pack goods", 20)
    assert result.fitting_cases == 200 - 50 - 20  # no case is both 0 mod 4 and 1 mod 10
    assert result.fitting_documented_cases == 200 - 20
    assert result.paths
    assert result.paths[0].cost >= 1
    assert "Phone customer" in result.to_markdown()
    assert "Pack goods (pack): skipped in 20 cases" in result.to_text()
    assert '"fitting_cases":' in result.to_json()


@pytest.mark.slow
def test_the_overlay_shades_skipped_steps_and_draws_ghosts(tmp_path: Path) -> None:
    result = conform(_orders(), read_log(_deviating_log(tmp_path)))
    svg = conformance_svg(_orders(), result)
    root = etree.fromstring(svg.encode("utf-8"), safe_parser())
    ns = {"s": "http://www.w3.org/2000/svg"}
    (pack,) = root.findall(".//s:g[@id='step-pack']", ns)
    assert "skipped" in (pack.get("class") or "")
    chip = pack.find("s:text[@class='chip']", ns)
    assert chip is not None
    assert (chip.text or "").startswith("SKIPPED ")
    assert "Skipped in" in (pack.findtext("s:title", "", ns))
    (ghost,) = root.findall(".//s:g[@class='ghost undocumented']", ns)
    assert "Phone customer" in "".join(str(text) for text in ghost.itertext())
    assert ghost.find("s:rect", ns).get("stroke-dasharray")  # type: ignore[union-attr]
    assert svg == conformance_svg(_orders(), result)  # same input, same bytes


def _redesign(mention: bool) -> Redesign:
    current = _orders()
    data = current.model_dump(mode="json", exclude_defaults=True)
    data["roles"] = [*ROLES, {"id": "bot", "kind": "ai"}]
    receive = data["steps"][0]
    receive.update(
        {
            "id": "capture",
            "name": "Capture order",
            "role": "bot",
            "kind": "ai",
            "ai_mode": "act",
            "accountable": "desk",
            "replaces": ["receive"],
        },
    )
    receive["edge_cases"] = [
        {
            "id": "phone_customer" if mention else "unreadable",
            "rate": 0.1,
            "owner": "desk",
            "ai_failure": True,
        }
    ]
    data["steps"][5]["next"] = "capture"
    return Redesign(
        id="ai_orders", current=current, redesigned=Process.parse(data), volume_per_month=100
    )


@pytest.mark.slow
def test_a_frequent_workaround_next_to_an_automated_step_is_a_finding(tmp_path: Path) -> None:
    result = conform(_orders(), read_log(_deviating_log(tmp_path)))
    redesign = _redesign(mention=False)
    (finding,) = practice_findings(redesign, result)
    assert (finding.code, finding.name, finding.element_ids, finding.version) == (
        "LM601",
        "practice.undocumented_near_automation",
        ("receive",),
        "current",
    )
    assert "'Phone customer' in 25.0% of the cases" in finding.message
    assert finding.remedy.startswith("Ask the people who do the activity")
    comparison = with_practice(compare(redesign), result)
    assert finding in comparison.findings
    assert comparison.sources is not None
    assert practice_findings(redesign, result, min_share=0.3) == []
    assert practice_findings(_redesign(mention=True), result) == []
    assert practice_findings(redesign, result, severity={"LM601": "error"})[0].severity == "error"
