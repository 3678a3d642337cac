"""PNG export: the SVG's pixels in the fonts the layout measured, byte-stable, stamped, bounded."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageOps

from lastmile_flows import Redesign, render_png
from lastmile_flows.cli import main
from lastmile_flows.cli.exitcodes import ExitCode
from lastmile_flows.errors import RenderError
from lastmile_flows.layout.backend import WasmBackend
from lastmile_flows.layout.text import SAFETY, text_width
from lastmile_flows.render.api import render_options, stamp_for, svg_bytes
from lastmile_flows.render.raster import MAX_PIXELS, png_from_svg, read_png_stamp
from tests.builders import process, redesign, step


def _small() -> Redesign:
    current = process(
        step("take", next="check"),
        step("check", next="file", edge_cases=[{"id": "odd", "name": "Odd case", "rate": 0.1}]),
        step("file", role="lead"),
    )
    return redesign(
        current,
        [
            step("take", next="read"),
            step("read", role="bot", replaces=["check"], next="file"),
            step("file", role="lead"),
        ],
    )


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def _ink_width(svg: bytes) -> int:
    image = ImageOps.invert(_image(png_from_svg(svg)).convert("L"))
    box = image.getbbox()
    assert box is not None, "nothing drawn: the bundled fonts did not load"
    return box[2] - box[0]


@pytest.mark.parametrize("bold", [False, True])
def test_png_text_is_drawn_in_the_dejavu_sans_the_layout_measured(bold: bool) -> None:
    text = "Handled by WWW mmm iii"
    weight = ' font-weight="bold"' if bold else ""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="100">'
        f'<text x="10" y="60" font-family="DejaVu Sans" font-size="40"{weight}>{text}</text>'
        "</svg>"
    ).encode()
    advance = text_width(text, 40, bold=bold) / SAFETY
    # ink is the advance less the two outer side bearings (a few px); any other font is 5 %+ off
    assert advance * 0.97 <= _ink_width(svg) <= advance


@pytest.mark.slow
def test_png_is_the_svg_at_its_scale_on_white() -> None:
    model = _small()
    svg = svg_bytes(model, view="after")
    width = float(svg.split(b'width="')[1].split(b'"')[0])
    height = float(svg.split(b'height="')[1].split(b'"')[0])
    for scale in (1.0, 2.0):
        image = _image(render_png(model, view="after", scale=scale))
        assert image.size == (round(width * scale), round(height * scale))
        assert image.convert("RGB").getpixel((0, 0)) == (255, 255, 255)


@pytest.mark.slow
def test_png_is_the_same_bytes_every_time_and_carries_the_svg_stamp() -> None:
    model = _small()
    first = render_png(model, view="committee")
    assert first == render_png(model, view="committee")
    expected = stamp_for(model, "committee", WasmBackend(), render_options(None))
    assert read_png_stamp(first) == expected
    slide = _image(first)
    assert slide.size[0] == 1920
    assert slide.size[1] % 1080 == 0


def test_a_png_without_our_stamp_reads_as_not_ours() -> None:
    plain = png_from_svg(b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    assert plain.startswith(b"\x89PNG")
    assert read_png_stamp(plain) is None
    assert read_png_stamp(b"<svg/>") is None
    body = b"lastmile:render\0{not json"
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(body))
    at = plain.rindex(b"IEND") - 4
    assert read_png_stamp(plain[:at] + chunk + plain[at:]) is None


def test_a_picture_too_large_or_an_odd_scale_is_refused_with_the_way_out() -> None:
    huge = b'<svg xmlns="http://www.w3.org/2000/svg" width="20000" height="8000"/>'
    with pytest.raises(RenderError, match=f"most drawn is {MAX_PIXELS:,}: ask for a smaller"):
        png_from_svg(huge, scale=1)
    with pytest.raises(RenderError, match=r"0\.1 to 8"):
        png_from_svg(huge, scale=9)
    with pytest.raises(RenderError, match="no width and height"):
        png_from_svg(b"<svg/>")
    # the root's size, not a stroke width before it, sets the picture's size
    stroked = b'<svg xmlns="http://www.w3.org/2000/svg" stroke-width="900" width="20" height="9"/>'
    assert _image(png_from_svg(stroked, scale=1)).size == (20, 9)


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.json"
    path.write_text(_small().model_dump_json(exclude_defaults=True), encoding="utf-8")
    return path


@pytest.mark.slow
def test_render_format_png_writes_stamped_pngs_that_check_current(model_file: Path) -> None:
    runner = CliRunner()
    folder = str(model_file.parent)
    done = runner.invoke(main, ["render", folder, "--format", "png", "-j", "1"])
    assert done.exit_code == ExitCode.OK, done.output
    written = sorted(path.name for path in model_file.parent.glob("*.png"))
    views = ("after", "before", "committee", "diff", "side-by-side")
    assert written == [f"small.{view}.png" for view in views]
    assert not list(model_file.parent.glob("*.svg"))
    assert "5 diagrams (5 PNG files)" in done.output
    check = runner.invoke(main, ["render", folder, "--format", "png", "--check"])
    assert check.exit_code == ExitCode.OK, check.output
    rescaled = runner.invoke(main, ["render", folder, "--format", "png", "--scale", "2", "--check"])
    assert rescaled.exit_code == ExitCode.FINDINGS
    assert "small.diff.png: drawn at scale 1, not 2" in rescaled.output
    assert f"lastmile render {folder} --format png --scale 2" in rescaled.output
    # an SVG check of the same folder sees no SVG yet
    assert runner.invoke(main, ["render", folder, "--check"]).exit_code == ExitCode.FINDINGS


def test_scale_without_png_is_a_usage_error(model_file: Path) -> None:
    done = CliRunner().invoke(main, ["render", str(model_file), "--scale", "2"])
    assert done.exit_code == ExitCode.USAGE
    assert "--scale sets a PNG's size: give --format png" in done.output
