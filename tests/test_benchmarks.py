"""The benchmarks run and print a ratio against their same-run reference (no timing is
asserted: that belongs to the benchmarks, not the tests)."""

from __future__ import annotations

import re

import pytest

from benchmarks import bpmn_import, render, report

ROW = re.compile(r"^.{44} +[\d.]+ ms +[\d.]+ ms +[\d.]+x$")


@pytest.mark.parametrize("module", [render, report, bpmn_import], ids=lambda m: m.__name__)
def test_benchmark_prints_a_ratio_per_row(module: object) -> None:
    lines = module.main(repeat=1)  # type: ignore[attr-defined]
    if lines[0].startswith("no corpus"):
        pytest.skip(lines[0])
    assert len(lines) >= 2
    for line in lines[1:]:
        assert ROW.match(line), line
        ratio = float(line.rsplit(" ", 1)[1].rstrip("x"))
        assert ratio > 0
