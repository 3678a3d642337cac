"""A diagram as PNG: the SVG rasterised by resvg with the DejaVu Sans the layout measured.

The fonts ship with the package (``render/fonts``) and no system font is loaded, so a PNG is
the same bytes on every machine, as the SVG is. Text in a script DejaVu Sans lacks (CJK, for
one) is drawn as empty boxes: draw the SVG, whose viewer has the reader's fonts, instead.

The SVG's render stamp travels in a ``tEXt`` chunk, so ``lastmile render --check`` tells a
stale PNG without drawing, as it does an SVG.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from pathlib import Path

from lastmile_flows.errors import RenderError

__all__ = ["MAX_PIXELS", "SCALES", "STAMP_KEY", "png_from_svg", "read_png_stamp"]

FONTS = Path(__file__).resolve().parent / "fonts"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
SCALES = (0.1, 8.0)
"""The smallest and largest pixels per SVG unit drawn."""
MAX_PIXELS = 120_000_000
"""The largest picture drawn (width x height at the asked scale): 480 MB of pixels in memory."""
STAMP_KEY = b"lastmile:render"
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="([0-9.]+)"[^>]*?\sheight="([0-9.]+)"', re.S)
"""The root's own width and height (white space before each: ``stroke-width`` does not count)."""


def _size(svg: bytes) -> tuple[float, float]:
    found = _SIZE.search(svg[:4096])
    if found is None:
        raise RenderError("not an SVG drawn by lastmile_flows (no width and height)")
    return float(found[1]), float(found[2])


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """``(type, data)`` of each chunk; ``[]`` when ``png`` is not a well-formed PNG."""
    if not png.startswith(_SIGNATURE):
        return []
    found = []
    at = len(_SIGNATURE)
    while at + 12 <= len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        found.append((kind, png[at + 8 : at + 8 + length]))
        at += 12 + length
        if kind == b"IEND":
            return found
    return []


def png_from_svg(svg: bytes, *, scale: float = 1.0, stamp: dict[str, str] | None = None) -> bytes:
    """``svg`` (one this package drew) as PNG bytes at ``scale`` pixels per SVG unit, on white,
    with ``stamp`` kept as a ``tEXt`` chunk."""
    if not SCALES[0] <= scale <= SCALES[1]:
        raise RenderError(
            f"scale {scale} is out of range: {SCALES[0]:g} to {SCALES[1]:g} pixels per SVG unit"
        )
    width, height = _size(svg)
    pixels = round(width * scale) * round(height * scale)
    if pixels > MAX_PIXELS:
        raise RenderError(
            f"a {width:.0f}x{height:.0f} diagram at scale {scale} is {pixels:,} pixels; the "
            f"most drawn is {MAX_PIXELS:,}: ask for a smaller scale, or use the SVG"
        )
    import resvg_py  # the Rust renderer: loaded only when a PNG is asked for

    try:
        data = bytes(
            resvg_py.svg_to_bytes(
                svg_string=svg.decode("utf-8"),
                zoom=scale,
                background="#ffffff",
                skip_system_fonts=True,
                font_files=[str(FONTS / name) for name in FONT_FILES],
                font_family="DejaVu Sans",
                sans_serif_family="DejaVu Sans",
            )
        )
    except (ValueError, UnicodeDecodeError) as error:
        raise RenderError(f"cannot rasterise the diagram: {error}") from error
    except BaseException as error:  # a Rust panic arrives as pyo3's PanicException
        if type(error).__name__ != "PanicException":
            raise
        raise RenderError(f"the PNG renderer failed: {error}") from None
    if stamp is None:
        return data
    text = json.dumps(stamp, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    end = data.rindex(b"IEND") - 4
    return data[:end] + _chunk(b"tEXt", STAMP_KEY + b"\0" + text.encode("ascii")) + data[end:]


def read_png_stamp(data: bytes) -> dict[str, str] | None:
    """The stamp of a PNG this package wrote, or ``None`` (not ours, or not a PNG)."""
    for kind, body in _chunks(data):
        key, _, text = body.partition(b"\0")
        if kind == b"tEXt" and key == STAMP_KEY:
            try:
                found = json.loads(text.decode("ascii"))
            except (UnicodeDecodeError, ValueError):
                return None
            if isinstance(found, dict) and all(isinstance(v, str) for v in found.values()):
                return {str(k): v for k, v in found.items()}
            return None
    return None
