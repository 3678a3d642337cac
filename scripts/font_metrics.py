"""Write lastmile_flows/layout/metrics.json: advance widths of DejaVu Sans (regular and bold).

The diagrams size every box from these widths, so text fits whatever sans-serif font a viewer
has (DejaVu Sans is among the widest; the layout adds a margin on top). Run it with a DejaVu
Sans font file (Debian: fonts-dejavu-core) when the set of characters should change:

    python scripts/font_metrics.py lastmile_flows/render/fonts/DejaVuSans.ttf \
        lastmile_flows/render/fonts/DejaVuSans-Bold.ttf > lastmile_flows/layout/metrics.json

The table is package data, not code: per face the units per em and the runs of consecutive code
points, ``[first code point, [width, ...]]``, one run a line.

Only the font's ``cmap`` (format 4) and ``hmtx`` tables are read, with ``struct``: no font
library is needed, and the output is the same for the same font file.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

RANGES = [
    (0x20, 0x7E),  # ASCII
    (0xA0, 0x24F),  # Latin-1, Latin Extended-A and -B
    (0x370, 0x3FF),  # Greek
    (0x400, 0x4FF),  # Cyrillic
    (0x2000, 0x206F),  # punctuation
    (0x20A0, 0x20CF),  # currency
    (0x2100, 0x214F),  # letterlike
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2460, 0x24FF),  # circled numbers
    (0x2500, 0x25FF),  # box drawing, block elements, geometric shapes
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats
]


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    count = struct.unpack(">H", data[4:6])[0]
    found = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * index : 28 + 16 * index])
        found[tag] = (offset, length)
    return found


def _cmap(data: bytes, tables: dict[bytes, tuple[int, int]]) -> dict[int, int]:
    base = tables[b"cmap"][0]
    count = struct.unpack(">H", data[base + 2 : base + 4])[0]
    for index in range(count):
        platform, encoding, offset = struct.unpack(
            ">HHI", data[base + 4 + 8 * index : base + 12 + 8 * index]
        )
        table = base + offset
        if (platform, encoding) in ((3, 1), (0, 3)) and struct.unpack(
            ">H", data[table : table + 2]
        )[0] == 4:
            break
    else:
        raise SystemExit("no format-4 Unicode cmap")
    segments = struct.unpack(">H", data[table + 6 : table + 8])[0] // 2
    ends = struct.unpack(f">{segments}H", data[table + 14 : table + 14 + 2 * segments])
    at = table + 16 + 2 * segments
    starts = struct.unpack(f">{segments}H", data[at : at + 2 * segments])
    deltas = struct.unpack(f">{segments}h", data[at + 2 * segments : at + 4 * segments])
    range_at = at + 4 * segments
    offsets = struct.unpack(f">{segments}H", data[range_at : range_at + 2 * segments])
    glyphs = {}
    for segment in range(segments):
        for code in range(starts[segment], ends[segment] + 1):
            if code == 0xFFFF:
                continue
            if offsets[segment] == 0:
                glyph = (code + deltas[segment]) & 0xFFFF
            else:
                where = range_at + 2 * segment + offsets[segment] + 2 * (code - starts[segment])
                glyph = struct.unpack(">H", data[where : where + 2])[0]
                if glyph:
                    glyph = (glyph + deltas[segment]) & 0xFFFF
            if glyph:
                glyphs[code] = glyph
    return glyphs


def widths(path: Path) -> tuple[int, dict[int, int]]:
    """Units per em, and the advance width of every character in :data:`RANGES`."""
    data = path.read_bytes()
    tables = _tables(data)
    head = tables[b"head"][0]
    units = struct.unpack(">H", data[head + 18 : head + 20])[0]
    hhea = tables[b"hhea"][0]
    metrics = struct.unpack(">H", data[hhea + 34 : hhea + 36])[0]
    hmtx = tables[b"hmtx"][0]
    advances = [
        struct.unpack(">H", data[hmtx + 4 * glyph : hmtx + 4 * glyph + 2])[0]
        for glyph in range(metrics)
    ]
    glyphs = _cmap(data, tables)
    found = {}
    for low, high in RANGES:
        for code in range(low, high + 1):
            if code in glyphs:
                found[code] = advances[min(glyphs[code], metrics - 1)]
    return units, found


def _runs(table: dict[int, int]) -> list[tuple[int, tuple[int, ...]]]:
    runs: list[tuple[int, list[int]]] = []
    for code in sorted(table):
        if runs and runs[-1][0] + len(runs[-1][1]) == code:
            runs[-1][1].append(table[code])
        else:
            runs.append((code, [table[code]]))
    return [(start, tuple(values)) for start, values in runs]


def main(regular: str, bold: str) -> None:
    out = ["{"]
    faces = (("regular", regular), ("bold", bold))
    for number, (name, path) in enumerate(faces):
        units, table = widths(Path(path))
        out.append(f'"{name}": {{"units": {units}, "runs": [')
        runs = _runs(table)
        for at, (start, values) in enumerate(runs):
            comma = "," if at < len(runs) - 1 else ""
            out.append(f"[{start}, {json.dumps(list(values), separators=(',', ':'))}]{comma}")
        out.append("]}" + ("," if number < len(faces) - 1 else ""))
    out.append("}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
