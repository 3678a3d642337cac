"""The committee report in headless Chromium: it loads with no console message and no request
but its own file, every diagram is drawn with every step, the screenshot is not blank; printed
to PDF (``chromium --print-to-pdf``, as a reader prints it) it is A4 landscape and each diagram
is on its own page with all its steps, then again in detail over the following pages.

The harness (tests/js/page.mjs, playwright-core driving Debian's Chromium) proves itself on a
page that does make a request and log an error. Each report is written once and opened with the
harness page in one browser; the validator checks them all in one run."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from lastmile_flows import Redesign, load
from lastmile_flows.report import committee_report
from tests.support import (
    CHROMIUM_FLAGS,
    EXAMPLE_FILES,
    JS,
    PROCESSES,
    require_node_modules,
    require_program,
    run_in_chromium,
)
from tests.svgtools import png_ink

pytestmark = [pytest.mark.chromium, pytest.mark.node]

VIEWS = {"before": "Before: the current process", "after": "After: the redesigned process"}
VIEWS["diff"] = "What the redesign changes"


def _redesign(example: str) -> Redesign:
    model = load(PROCESSES / example)
    assert isinstance(model, Redesign)
    return model


NOISY = (
    '<!doctype html><html><body><img src="http://192.0.2.1/logo.png">'
    '<script>console.error("boom")</script>'
    '<section class="diagram" id="x"><svg viewBox="0 0 10 10"></svg></section>'
    "</body></html>"
)
"""A page that makes a request and logs an error: the harness must see both."""


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The committee report of each example, written once for every test here."""
    folder = tmp_path_factory.mktemp("reports")
    written = {}
    for number, example in enumerate(EXAMPLE_FILES):
        page = folder / f"report-{number}.html"
        page.write_text(committee_report(_redesign(example)), encoding="utf-8")
        written[example] = page
    return written


def open_pages(pages: list[Path], folder: Path) -> list[dict[str, Any]]:
    """What Chromium saw of each page (one browser, a page each): console messages, page
    errors, requests, diagrams, and a screenshot."""
    arguments = [str(item) for n, page in enumerate(pages) for item in (page, folder / f"{n}.png")]
    result: list[dict[str, Any]] = run_in_chromium("page.mjs", *arguments, home=folder, timeout=300)
    assert [seen["screenshot"] for seen in result] == arguments[1::2]
    return result


@pytest.fixture(scope="module")
def opened(
    reports: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """What Chromium saw of the noisy page and of each report, all in one browser."""
    folder = tmp_path_factory.mktemp("opened")
    noisy = folder / "noisy.html"
    noisy.write_text(NOISY, encoding="utf-8")
    names = ["noisy", *reports]
    seen = open_pages([noisy, *reports.values()], folder)
    return dict(zip(names, seen, strict=True))


def test_harness_sees_requests_and_console_errors(opened: dict[str, dict[str, Any]]) -> None:
    seen = opened["noisy"]
    assert {"type": "error", "text": "boom"} in seen["console"]
    assert "http://192.0.2.1/logo.png" in seen["requests"]
    assert seen["scripts"] == 1
    assert seen["sections"][0]["shown"] == []


@pytest.mark.parametrize("example", EXAMPLE_FILES)
def test_report_opens_clean_with_every_diagram_drawn(
    example: str, reports: dict[str, Path], opened: dict[str, dict[str, Any]]
) -> None:
    model = _redesign(example)
    page = reports[example]
    seen = opened[example]
    assert seen["console"] == []
    assert seen["pageErrors"] == []
    assert seen["requests"] == [page.as_uri()]
    assert seen["failed"] == []
    assert seen["scripts"] == 0
    sections = {section["id"]: section for section in seen["sections"]}
    for view, process in (
        ("before", model.current),
        ("after", model.redesigned),
        ("diff", model.redesigned),
    ):
        shown = sections[f"{view}-diagram"]
        assert shown["visible"]
        assert shown["width"] > 1000
        assert shown["height"] > 200
        missing = [s.id for s in process.steps if f"{view}-step-{s.id}" not in shown["shown"]]
        assert missing == []
    slides = [name for name in sections if name.startswith("committee")]
    assert slides, "the committee view is in the report"
    assert list(sections).index(slides[0]) == 0, "the committee view is the first picture"
    for screen in seen["widths"]:
        width = screen["width"]
        over = [(card["text"], card["overflow"]) for card in screen["cards"]]
        assert [o for o in over if o[1] > 0.5] == [], f"a headline card overflows at {width} px"
        assert screen["scroll"] <= 0, f"the page scrolls sideways at {width} px"
        drawn = screen["diagrams"]
        # the page's padding (2 x 32 px) and a scroll bar are all a diagram leaves unused
        assert all(drawn[f"{view}-diagram"] >= width - 64 - 20 for view in VIEWS), drawn
    tiles = [section for name, section in sections.items() if "-part-" in name]
    assert tiles, "wide diagrams get print tiles"
    assert not any(tile["visible"] for tile in tiles), "print tiles are hidden on screen"
    assert png_ink(Path(seen["screenshot"]).read_bytes()) > 0.03, "the screenshot is blank"


def _pdf_pages(pdf: Path) -> list[str]:
    pdftotext = require_program("pdftotext", "poppler-utils")
    done = subprocess.run(
        [pdftotext, "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout.split("\f")[:-1]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("example", EXAMPLE_FILES)
def test_printed_report_has_each_diagram_on_its_pages(
    example: str, reports: dict[str, Path], tmp_path: Path
) -> None:
    model = _redesign(example)
    page = reports[example]
    chromium = require_program("chromium", "chromium")
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert pdf.is_file()
    info = subprocess.run(
        [require_program("pdfinfo", "poppler-utils"), str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None, info
    assert float(size[1]) == pytest.approx(841.9, abs=1.5)  # A4 landscape, in points
    assert float(size[2]) == pytest.approx(595.3, abs=1.5)
    pages = _pdf_pages(pdf)
    assert pages[0].startswith(f"{model.label}: what the redesign changes")
    for view, title in VIEWS.items():
        process = model.current if view == "before" else model.redesigned
        labels = [_squeezed(step.label) for step in process.steps]
        (whole,) = [number for number, text in enumerate(pages) if text.startswith(title + "\n")]
        on_page = _squeezed(pages[whole])
        assert [label for label in labels if label not in on_page] == []
        parts = [text for text in pages if text.startswith(f"{title}, part ")]
        in_detail = _squeezed("".join(parts))
        assert parts
        assert [label for label in labels if label not in in_detail] == []
        png = _page_png(pdf, whole + 1, tmp_path)
        assert png_ink(png) > 0.03, f"page {whole + 1} ({title}) is blank"


def _page_png(pdf: Path, number: int, tmp_path: Path) -> bytes:
    pdftoppm = require_program("pdftoppm", "poppler-utils")
    stem = tmp_path / f"page{number}"
    pages = ["-f", str(number), "-l", str(number)]
    subprocess.run(
        [pdftoppm, "-r", "30", "-png", *pages, "-singlefile", pdf, stem],
        check=True,
        timeout=60,
    )
    return stem.with_suffix(".png").read_bytes()


VNU = JS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _validate_html(pages: list[Path]) -> dict[Path, list[dict[str, Any]]]:
    """The messages of the Nu HTML Checker (the W3C's validator, pinned in tests/js) for each
    page, all checked in one run of it."""
    require_node_modules()
    java = require_program("java", "default-jre-headless")
    done = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages: list[dict[str, Any]] = json.loads(done.stderr)["messages"]
    found: dict[Path, list[dict[str, Any]]] = {page: [] for page in pages}
    for message in messages:
        found[Path(message["url"].removeprefix("file:"))].append(message)
    return found


@pytest.fixture(scope="module")
def validated(
    reports: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[dict[str, Any]]]:
    """The validator's messages for a page with a stray end tag and for each report."""
    bad = tmp_path_factory.mktemp("validated") / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>'
        "<body><p>a<wbr></wbr>b</p></body></html>",
        encoding="utf-8",
    )
    found = _validate_html([bad, *reports.values()])
    return {"bad": found[bad]} | {example: found[page] for example, page in reports.items()}


def test_html_validator_sees_a_stray_end_tag(validated: dict[str, list[dict[str, Any]]]) -> None:
    assert [m["message"] for m in validated["bad"]] == ["Stray end tag \u201cwbr\u201d."]


@pytest.mark.parametrize("example", EXAMPLE_FILES)
def test_report_is_valid_html5_with_no_warning(
    example: str, validated: dict[str, list[dict[str, Any]]]
) -> None:
    assert validated[example] == []
