"""The committee report against the three diagrams it holds.

``committee_report`` of each example redesign against the reference, drawing its before, after
and diff SVGs alone: the ratio is what the comparison, the tables, the HTML and the print tiles
add. Usage: ``.venv/bin/python -m benchmarks.report [--repeat N]``.
"""

from __future__ import annotations

import argparse
from functools import partial

from benchmarks.common import REPO, median_seconds, row
from benchmarks.render import EXAMPLES
from lastmile_flows import Redesign, committee_report, compare, load, render_svg


def _diagrams(model: Redesign) -> None:
    comparison = compare(model)
    for view in ("before", "after", "diff"):
        render_svg(comparison, view=view)


def main(repeat: int) -> list[str]:
    lines = [f"{'committee_report vs its 3 diagrams':44} {'ours':>12}  {'reference':>12}  ratio"]
    for example in EXAMPLES:
        model = load(REPO / "processes" / example)
        assert isinstance(model, Redesign)
        ours = median_seconds(partial(committee_report, model), repeat=repeat)
        reference = median_seconds(partial(_diagrams, model), repeat=repeat)
        lines.append(row(example.split("/")[0], ours, reference))
    return lines


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    print("\n".join(main(parser.parse_args().repeat)))
