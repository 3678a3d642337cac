"""Drawing a diagram against Graphviz alone on the same graph.

For each view of each example redesign: ``render_svg`` (scene, lane layout run, positioned
DOT, the Graphviz run, SVG post-processing), against the reference, one Graphviz run of the
finished, positioned DOT (``neato -n``), with the same backend. The ratio is what our own work
costs on top of Graphviz. Usage: ``.venv/bin/python -m benchmarks.render [--repeat N]``.
"""

from __future__ import annotations

import argparse
from functools import partial

from benchmarks.common import REPO, median_seconds, row
from lastmile_flows import Redesign, load, render_svg, to_dot
from lastmile_flows.layout.backend import get_backend

EXAMPLES = (
    "order_entry/redesign.yaml",
    "maintenance/maintenance.py",
    "contract_review/redesign.yaml",
)


def main(repeat: int) -> list[str]:
    backend = get_backend("wasm")
    lines = [f"{'render_svg vs Graphviz alone (wasm)':44} {'ours':>12}  {'reference':>12}  ratio"]
    for example in EXAMPLES:
        model = load(REPO / "processes" / example)
        assert isinstance(model, Redesign)
        for view in ("before", "after", "diff"):
            dot = to_dot(model, view=view, backend=backend)
            ours = median_seconds(
                partial(render_svg, model, view=view, backend=backend), repeat=repeat
            )
            reference = median_seconds(
                partial(backend.run, dot, engine="neato", format="svg"), repeat=repeat
            )
            lines.append(row(f"{example.split('/')[0]} {view}", ours, reference))
    return lines


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    print("\n".join(main(parser.parse_args().repeat)))
