"""The committee report as a document: what it holds, that it reaches nothing outside itself,
that user text stays text, the print tiles, and ``lastmile report``."""

from __future__ import annotations

import copy
import functools
import itertools
import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from lastmile_flows import RULES, Comparison, Redesign, compare, load
from lastmile_flows.analysis.headlines import headlines, is_ownership
from lastmile_flows.analysis.rules import rule
from lastmile_flows.cli import main
from lastmile_flows.layout.graph import Rect
from lastmile_flows.render.legend import Entry
from lastmile_flows.render.sizing import HEADER
from lastmile_flows.report import committee_report
from lastmile_flows.report.diagrams import PRINT_AREA, PRINT_SCALE, Tile, tiles
from lastmile_flows.report.regions import Regions, drawn_with_regions
from tests.support import PROCESSES, examples

ORDER_ENTRY = PROCESSES / "order_entry" / "redesign.yaml"


@functools.lru_cache(maxsize=1)
def _order_entry() -> tuple[Redesign, Comparison, str]:
    model = load(ORDER_ENTRY)
    assert isinstance(model, Redesign)
    return model, compare(model), committee_report(model, source="redesign.yaml")


def _document(page: str) -> Any:
    return lxml.html.document_fromstring(page.encode("utf-8"))


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _rows(document: Any, heading: str) -> dict[str, list[str]]:
    """The body rows of the table under an ``<h2>``, by their first cell."""
    found = document.xpath(f"//h2[.='{heading}']/following-sibling::table[1]//tbody/tr")
    return {_text(row[0]): [_text(cell) for cell in row[1:]] for row in found}


@pytest.mark.slow
def test_report_is_the_same_bytes_every_time() -> None:
    model, _, page = _order_entry()
    assert committee_report(model, source="redesign.yaml") == page
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert page.endswith("</html>\n")


def test_report_reaches_nothing_outside_itself() -> None:
    _, _, page = _order_entry()
    document = _document(page)
    assert document.xpath("//script") == []
    assert document.xpath("//link | //img | //iframe | //object | //embed") == []
    references = document.xpath("//@src | //@href | //@*[local-name()='href']")
    assert references, "the print tiles refer to their drawing"
    assert all(str(value).startswith("#") for value in references), references
    style = document.xpath("//style")[0].text
    assert "url(" not in style
    assert "@import" not in style
    assert not re.search(r"https?://", style)
    assert not re.search(r"\bon[a-z]+=", page), "no event-handler attributes"


def test_ids_in_the_report_are_unique_and_every_tile_refers_to_a_drawing() -> None:
    _, _, page = _order_entry()
    document = _document(page)
    ids = [str(value) for value in document.xpath("//@id")]
    assert len(ids) == len(set(ids))
    for target in document.xpath("//*[local-name()='use']/@href"):
        assert str(target)[1:] in ids


def test_headline_numbers_are_those_of_the_comparison() -> None:
    _, comparison, page = _order_entry()
    document = _document(page)
    rows = _rows(document, "Headline numbers")
    expected = {h.label.strip(): [h.before, h.after, h.change] for h in headlines(comparison)}
    assert rows == expected
    cards = [
        " ".join(" ".join(c.itertext()).split()) for c in document.xpath("//div[@class='card']")
    ]
    assert any(card.startswith("FTE needed 16.0 \u2192 8.9") for card in cards), cards


def test_every_finding_is_listed_with_what_to_do() -> None:
    _, comparison, page = _order_entry()
    document = _document(page)
    ownership = document.xpath(
        "//h3[starts-with(., 'Who owns the failures (')]/following-sibling::table[1]"
    )[0]
    rows = ownership.xpath(".//tbody/tr")
    expected = [f for f in comparison.findings if is_ownership(f)]
    assert len(rows) == len(expected) > 0
    for row, finding in zip(rows, expected, strict=True):
        cells = [_text(cell) for cell in row]
        assert cells[0] == finding.severity
        assert cells[1] == f"{finding.code} {finding.name}"
        assert " ".join(finding.message.split()) in cells[2]
        assert cells[3] == ", ".join(finding.element_ids)
        assert cells[4] == rule(finding.name).remedy
    verdict = _text(document.xpath("//p[contains(@class, 'verdict')]")[0])
    errors = comparison.findings_at_or_above("error")
    unowned = sum(1 for f in comparison.findings if rule(f.name).unowned)
    assert (len(errors), unowned) == (11, 9)
    assert verdict.startswith(
        f"11 errors, 4 warnings, 0 info; {unowned} findings about failures nobody staffed would "
        "handle."
    )


def test_workload_names_roles_and_flags_work_with_no_one_to_do_it() -> None:
    _, _, page = _order_entry()
    document = _document(page)
    rows = _rows(document, "Workload by role")
    desk = rows["Order desk reviewer"]
    assert desk[0] == "\u2014 \u2192 0.0"  # headcount: a new role with no one in it
    assert desk[3] == "\u2014 \u2192 NO ONE to do it"
    assert document.xpath("//strong[@class='alert']")
    assert "csr_lead" not in rows
    assert rows["Customer service lead"][0] == "2.0 \u2192 \u2014"


def test_each_diagram_shows_its_version_of_the_process() -> None:
    model, comparison, page = _order_entry()
    document = _document(page)
    for view, process in (
        ("before", model.current),
        ("after", model.redesigned),
        ("diff", model.redesigned),
    ):
        section = document.xpath(f"//section[@id='{view}-diagram']")[0]
        (svg,) = section.xpath("./*[local-name()='svg']")
        assert svg.get("width") is None, "CSS sizes the diagram"
        assert svg.get("viewbox"), "the HTML parser lower-cases attribute names"
        groups = {str(g) for g in svg.xpath(".//*[local-name()='g']/@id")}
        for step in process.steps:
            assert f"{view}-step-{step.id}" in groups
    ghosts = [c for c in comparison.steps if c.change == "eliminated"]
    diff_text = _text(document.xpath("//section[@id='diff-diagram']")[0])
    for change in ghosts:
        assert change.current_names[0].split()[0] in diff_text


def test_step_table_and_assumptions_follow_the_model() -> None:
    model, comparison, page = _order_entry()
    document = _document(page)
    steps = document.xpath("//h2[.='Step by step']/following-sibling::table[1]//tbody/tr")
    assert len(steps) == len(comparison.steps)
    assumptions = _text(document.xpath("//section[h2='Assumptions']")[0])
    assert "Volume: 2,400 cases a month." in assumptions
    assert "One FTE gives 140 hours a month." in assumptions
    for _, case in model.current.edge_cases():
        assert (case.name or case.id) in assumptions
    assert "Credit OK?" in assumptions
    assert "92%" in assumptions


def test_user_text_stays_text(process_data: dict[str, Any]) -> None:
    hostile = "<script>alert(1)</script> & <img src=x onerror=alert(2)>\u0007\ud800\ufffe"
    process_data["name"] = hostile
    process_data["steps"][0]["name"] = hostile
    after = {**process_data, "version": "v2"}
    model = Redesign(
        id="r", name=hostile, current=process_data, redesigned=after, volume_per_month=10
    )
    page = committee_report(model)
    document = _document(page)
    assert document.xpath("//script | //img") == []
    assert "<script>alert(1)</script>" in _text(document.xpath("//h1")[0])
    assert "\u0007" not in page
    assert "\ufffd\ufffd" in page, "what no output can hold shows as a replacement character"
    page.encode("utf-8")


def test_cli_report_of_text_xml_cannot_hold_is_written(
    tmp_path: Path, process_data: dict[str, Any]
) -> None:
    process_data["steps"][0]["name"] = "Receive \ud800\uffff"
    model = {
        "id": "r",
        "name": "Orders \ud800",
        "current": process_data,
        "redesigned": process_data,
        "volume_per_month": 10,
    }
    source = tmp_path / "redesign.json"
    source.write_text(json.dumps(model), encoding="utf-8")  # JSON escapes: \ud800 survives
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "Orders \ufffd: what the redesign changes" in page
    assert "Receive \ufffd\ufffd" in page
    text = CliRunner().invoke(main, ["textconv", str(source)])
    assert text.exit_code == 0
    assert 'step receive "Receive \ufffd\ufffd"' in text.stdout


def test_comparison_read_back_from_json_cannot_be_drawn() -> None:
    _, comparison, _ = _order_entry()
    again = Comparison.model_validate_json(comparison.to_json())
    with pytest.raises(TypeError, match="give a Redesign"):
        committee_report(again)


LEGEND = (Entry("node", "manual", "Manual step"), Entry("link", "flow", "Flow"))


@st.composite
def drawn_maps(draw: st.DrawFn) -> Regions:
    """Maps of drawings: lanes of any height, boxes in columns 200 units apart (so a gap is
    always within reach), some drawings small enough to print whole."""
    columns = draw(st.integers(1, 40))
    heights = draw(st.lists(st.floats(60, 700), min_size=1, max_size=9))
    top = 80.0
    lanes = []
    for height in heights:
        lanes.append((top, top + height))
        top += height
    solid = []
    for column in range(columns):
        for lane_top, lane_bottom in lanes:
            if draw(st.booleans()):
                x = HEADER + 20 + column * 200 + draw(st.floats(0, 40))
                height = min(50.0, lane_bottom - lane_top - 10)
                y = lane_top + draw(st.floats(0, lane_bottom - lane_top - height - 5))
                solid.append(Rect(x, y, draw(st.floats(10, 140)), height))
    width = HEADER + 40 + columns * 200
    return Regions(width, top + 200, HEADER, tuple(lanes), tuple(solid), LEGEND, 13.0)


def _cut(box: Rect, tile: Tile) -> bool:
    """Whether a boundary of ``tile`` runs through ``box``."""
    inside_x = tile.x - 1e-6 <= box.x and box.right <= tile.x + tile.width + 1e-6
    outside_x = box.right <= tile.x + 1e-6 or box.x >= tile.x + tile.width - 1e-6
    inside_y = tile.y - 1e-6 <= box.y and box.bottom <= tile.y + tile.height + 1e-6
    outside_y = box.bottom <= tile.y + 1e-6 or box.y >= tile.y + tile.height - 1e-6
    return not ((inside_x or outside_x) and (inside_y or outside_y))


@settings(max_examples=examples(150), deadline=None)
@given(drawn_maps())
def test_print_tiles_cover_the_drawing_at_a_readable_scale_and_cut_no_box(
    regions: Regions,
) -> None:
    found = tiles(regions)
    page = (PRINT_AREA[0] / PRINT_SCALE, PRINT_AREA[1] / PRINT_SCALE)
    if regions.width <= page[0] and regions.height <= page[1]:
        assert found == []
        return
    assert found
    for tile in found:
        # with the lane headers beside it and the legend under it, a part prints at the scale
        assert regions.header + tile.width <= page[0] + 1e-6
        legend = regions.legend_height(page[0])  # each part is a page wide
        tall_lane = any(b - t > page[1] - legend for t, b in regions.lanes)
        assert tile.height + legend <= page[1] + 1e-6 or tall_lane
        assert not any(_cut(box, tile) for box in regions.solid)
    lanes = (regions.lanes[0][0], regions.lanes[-1][1])
    for axis, (low, high) in (("x", (regions.header, regions.width)), ("y", lanes)):
        spans = sorted(
            {
                (getattr(t, axis), getattr(t, axis) + (t.width if axis == "x" else t.height))
                for t in found
            }
        )
        assert spans[0][0] == pytest.approx(low)
        assert spans[-1][1] == pytest.approx(high)
        for (_, end), (begin, _) in itertools.pairwise(spans):
            assert begin == pytest.approx(end), "parts meet, with no gap and no overlap"
    # cut across only between lanes, unless one lane alone is too tall for a page
    for tile in found:
        edges = {bound for lane in regions.lanes for bound in lane}
        if not any(b - t > page[1] / 2 for t, b in regions.lanes):
            assert any(tile.y == pytest.approx(edge) for edge in edges)


@pytest.mark.slow
@pytest.mark.parametrize("view", ["before", "after", "diff"])
def test_printed_parts_of_the_examples_cut_no_box_and_repeat_headers_and_legend(
    view: str,
) -> None:
    _, comparison, page = _order_entry()
    _, regions = drawn_with_regions(comparison, view)
    found = tiles(regions)
    assert len(found) >= 2, "the example is too wide to print whole at a readable scale"
    assert not [box for tile in found for box in regions.solid if _cut(box, tile)]
    document = _document(page)
    for index, tile in enumerate(found, start=1):
        part = document.get_element_by_id(f"{view}-part-{index}")
        windows = part.xpath(".//*[local-name()='svg'][*[local-name()='use']]")
        assert len(windows) == 2, "the lane headers, then the part itself"
        # the HTML parser reads attribute names in lower case
        header, body = ([float(v) for v in w.get("viewbox").split()] for w in windows)
        assert header[0] == 0
        assert header[2] == pytest.approx(regions.header)
        assert body[0] == pytest.approx(tile.x, abs=0.01)
        assert body[2] == pytest.approx(tile.width, abs=0.01)
        assert header[1] == body[1] == pytest.approx(tile.y, abs=0.01)
        legend = part.xpath(".//*[local-name()='g'][contains(@class, 'legend')]")
        assert legend, f"{view} part {index} repeats the legend"


@pytest.mark.slow
def test_cli_report_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(ORDER_ENTRY), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == committee_report(
        _order_entry()[0], source="redesign.yaml"
    )
    assert f"wrote {out}" in result.stderr


@pytest.mark.slow
def test_cli_report_of_two_files_leaves_monthly_figures_out(tmp_path: Path) -> None:
    folder = PROCESSES / "order_entry"
    result = CliRunner().invoke(
        main, ["report", str(folder / "current.yaml"), str(folder / "redesigned.yaml")]
    )
    assert result.exit_code == 0, result.stderr
    assert "No volume given" in result.stdout
    assert "current.yaml and redesigned.yaml" in result.stdout
    with_volume = CliRunner().invoke(
        main,
        [
            "report",
            str(folder / "current.yaml"),
            str(folder / "redesigned.yaml"),
            "--volume",
            "100",
        ],
    )
    assert "Volume: 100 cases a month." in with_volume.stdout


def test_cli_report_on_bad_input_keeps_the_previous_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("previous", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ncurrent: {id: a}\nredesigned: {id: b}\nvolume_per_month: -1\n")
    result = CliRunner().invoke(main, ["report", str(broken), "-o", str(out)])
    assert result.exit_code == 2
    assert "volume_per_month" in result.stderr
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml", "report.html"]


@pytest.mark.slow
def test_cli_report_makes_the_folder_and_names_a_folder_it_cannot_make(tmp_path: Path) -> None:
    nested = tmp_path / "build" / "reports" / "order_entry.html"
    result = CliRunner().invoke(main, ["report", str(ORDER_ENTRY), "-o", str(nested)])
    assert result.exit_code == 0, result.stderr
    assert nested.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(ORDER_ENTRY), "-o", str(blocker / "r.html")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: cannot write {blocker / 'r.html'}:")
    assert "Traceback" not in result.stderr


def test_assumptions_show_cost_before_and_after_and_a_volume_of_zero(
    process_data: dict[str, Any],
) -> None:
    after = copy.deepcopy(process_data)
    after["roles"][0]["cost_per_hour"] = 45
    model = Redesign(id="r", current=process_data, redesigned=after, volume_per_month=0)
    document = _document(committee_report(model))
    assumptions = _text(document.xpath("//section[h2='Assumptions']")[0])
    assert "Volume: 0 cases a month." in assumptions
    roles = document.xpath("//h3[starts-with(., 'Roles')]/following-sibling::table[1]//tbody/tr")
    assert [_text(cell) for cell in roles[0]] == [
        "Clerk",
        "human",
        "40.00 \u2192 45.00",
        "2.0 \u2192 2.0",
    ]


def test_identifiers_wrap_only_after_dots_and_underscores() -> None:
    _, _, page = _order_entry()
    assert "<code>edge_<wbr>case.<wbr>no_<wbr>owner</code>" in page
    assert "</wbr>" not in page


@pytest.mark.slow
def test_report_bytes_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"report-{seed}.html"
        subprocess.run(
            [sys.executable, "-m", "lastmile_flows", "report", str(ORDER_ENTRY), "-o", str(out)],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]
    assert pages[0].decode("utf-8") == _order_entry()[2]


def test_verdict_never_claims_owners_while_an_ownership_rule_fires() -> None:
    model = _order_entry()[0]
    quiet = {rule.name: "info" for rule in RULES}
    document = _document(committee_report(model, severity=quiet))
    verdict = _text(document.xpath("//p[contains(@class, 'verdict')]")[0])
    # every finding is info now, but failures still lack owners: it says so, and counts them
    assert verdict == (
        "No errors (0 errors, 0 warnings, 15 info); 9 findings about failures nobody staffed "
        "would handle."
    )
    lowered = {**quiet, "edge_case.tribal_knowledge_at_risk": "warning"}
    document = _document(committee_report(model, severity=lowered))
    verdict = _text(document.xpath("//p[contains(@class, 'verdict')]")[0])
    assert verdict.startswith("No errors (0 errors, 3 warnings, 12 info); 9 findings")
