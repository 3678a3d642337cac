"""BPMN import against parsing the same files with lxml alone.

Every file of the shared corpus (``../shared/corpus/bpmn``, when present) that imports: the
time of ``import_bpmn`` against the reference, ``lxml.etree.fromstring`` of the same bytes with
the same hardened parser (:func:`lastmile_flows.xmlparser.safe_parser`). The ratio is what
reading the BPMN semantics costs on top of parsing the XML.
Usage: ``.venv/bin/python -m benchmarks.bpmn_import [--repeat N]``.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from lxml import etree

from benchmarks.common import REPO, median_seconds, row
from lastmile_flows import LastmileError, import_bpmn
from lastmile_flows.xmlparser import safe_parser

CORPUS = REPO.parent / "shared" / "corpus" / "bpmn"


def main(repeat: int) -> list[str]:
    files = sorted(CORPUS.rglob("*.bpmn")) if CORPUS.is_dir() else []
    if not files:
        return [f"no corpus at {CORPUS}: nothing to measure"]
    data = [path.read_bytes() for path in files]
    importable = []
    for content in data:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import_bpmn(content)
        except LastmileError:
            continue
        importable.append(content)

    def ours() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for content in importable:
                import_bpmn(content)

    def reference() -> None:
        for content in importable:
            etree.fromstring(content, safe_parser())

    size = sum(len(content) for content in importable) / 1e6
    name = f"{len(importable)} corpus files ({size:.1f} MB)"
    header = f"{'import_bpmn vs lxml parse':44} {'ours':>12}  {'reference':>12}  ratio"
    return [
        header,
        row(name, median_seconds(ours, repeat=repeat), median_seconds(reference, repeat=repeat)),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    print("\n".join(main(parser.parse_args().repeat)))
    sys.exit(0)
