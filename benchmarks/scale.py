"""Scale: one table, each row our time against a reference measured in the same run.

Redesigns come from :mod:`benchmarks.generate` and BPMN files from :mod:`benchmarks.bpmn_file`
(realistic shapes at 100 to 100,000 steps). Every time is the median of ``--repeat`` runs after
a warm-up; memory is the peak traced by ``tracemalloc`` in one extra run (or, for a command,
the child's peak resident size). pm4py and bpmn-python run in their own environment
(``make bench-peers``: ``benchmarks/.venv-peers``), never as dependencies; their rows say so
when it is missing. Usage: ``.venv/bin/python -m benchmarks.scale [--repeat N] [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from benchmarks.bpmn_file import bpmn_file
from benchmarks.common import REPO, median_seconds
from benchmarks.generate import redesign, redesign_data

__all__ = ["Row", "main", "table"]

PEERS = REPO / "benchmarks" / ".venv-peers" / "bin" / "python"
LASTMILE = Path(sys.executable).with_name("lastmile")


@dataclass(frozen=True)
class Row:
    what: str
    ours: float | None
    reference_name: str
    reference: float | None
    memory_mb: float | None = None
    note: str = ""


def table(rows: list[Row]) -> list[str]:
    """The rows as one aligned table (times in ms; ratio = ours / reference)."""
    head = f"{'operation':52} {'ours':>10} {'reference':34} {'ref':>10} {'ratio':>8} {'peak':>9}"
    lines = [head, "-" * len(head)]
    for item in rows:
        ours = f"{item.ours * 1000:8.1f}ms" if item.ours is not None else f"{'-':>10}"
        ref = f"{item.reference * 1000:8.1f}ms" if item.reference is not None else f"{'-':>10}"
        ratio = (
            f"{item.ours / item.reference:7.2f}x"
            if item.ours is not None and item.reference
            else f"{'-':>8}"
        )
        memory = f"{item.memory_mb:7.1f}MB" if item.memory_mb is not None else f"{'-':>9}"
        line = f"{item.what:52} {ours} {item.reference_name:34} {ref} {ratio} {memory}"
        lines.append(line + (f"  {item.note}" if item.note else ""))
    return lines


def _peak_mb(work: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def _command_seconds(argv: list[str], *, repeat: int, cwd: Path = REPO) -> tuple[float, float]:
    """Median wall time of a command and its peak resident size (MB, of the largest child)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # bytecode is written in the warm-up run, as on a user's machine

    def run() -> None:
        subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)

    seconds = median_seconds(run, repeat=repeat)
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _startup(repeat: int) -> list[Row]:
    bare, _ = _command_seconds([sys.executable, "-c", "pass"], repeat=repeat)
    imported, rss = _command_seconds([sys.executable, "-c", "import lastmile_flows"], repeat=repeat)
    helped, _ = _command_seconds([str(LASTMILE), "--help"], repeat=repeat)
    over = f"{(imported - bare) * 1000:.0f} ms over bare Python"
    return [
        Row("import lastmile_flows", imported, "python -c pass", bare, rss, over),
        Row("lastmile --help", helped, "python -c pass", bare, None),
    ]


def _analysis(repeat: int, sizes: tuple[int, int]) -> list[Row]:
    from lastmile_flows import Redesign, compare

    validate_size, compare_size = sizes
    data = redesign_data(validate_size)
    text = json.dumps(data)
    model = redesign(compare_size)
    build = partial(Redesign.model_validate, redesign_data(compare_size))
    timed = (
        (
            f"validate a {validate_size:,}-step redesign",
            partial(Redesign.model_validate, data),
            "json.loads of the same model",
            partial(json.loads, text),
        ),
        (
            f"compare+audit+metrics, {compare_size:,} steps",
            partial(compare, model),
            "validating the same redesign",
            build,
        ),
    )
    rows = []
    for what, work, name, reference in timed:
        ours = median_seconds(work, repeat=repeat)
        rows.append(Row(what, ours, name, median_seconds(reference, repeat=repeat), _peak_mb(work)))
    return rows


def _render(repeat: int, steps: int, refused: int) -> list[Row]:
    from lastmile_flows import RenderError, compare, render_svg
    from lastmile_flows.layout.backend import get_backend
    from lastmile_flows.layout.graphviz import MAX_BOXES, ranking_dot

    backend = get_backend("wasm")
    comparison = compare(redesign(steps))

    def three() -> None:
        for view in ("before", "after", "diff"):
            render_svg(comparison, view=view, backend=backend)

    dots = _ranking_dots(comparison, backend, ranking_dot)
    runs = len(dots)

    def graphviz_alone() -> None:
        for dot in dots:
            backend.run(dot, engine="dot", format="plain")

    repeats = max(1, repeat // 2)
    reference = median_seconds(graphviz_alone, repeat=repeats) if dots else None
    rows = [
        Row(
            f"render before+after+diff, {steps:,} steps",
            median_seconds(three, repeat=repeats),
            f"Graphviz alone ({runs} dot runs)" if dots else f"(no Graphviz over {MAX_BOXES})",
            reference,
            _peak_mb(three),
        )
    ]
    big = redesign(refused)  # refused before any comparison is made
    message = ""

    def refuse() -> None:
        nonlocal message
        try:
            render_svg(big, view="after", backend=backend)
        except RenderError as error:
            message = str(error)

    seconds = median_seconds(refuse, repeat=1)
    rows.append(
        Row(
            f"render, {refused:,} steps",
            seconds,
            "-",
            None,
            None,
            "refused: " + message.split(";")[0] if message else "drawn",
        )
    )
    return rows


def _ranking_dots(
    comparison: object, backend: object, ranking_dot: Callable[..., str]
) -> list[str]:
    """The DOT the three views give Graphviz to rank (those it ranks: up to MAX_BOXES boxes)."""
    from lastmile_flows.layout.graphviz import MAX_BOXES
    from lastmile_flows.render import place

    found: list[str] = []
    original = place.graphviz_ranks if hasattr(place, "graphviz_ranks") else None
    if original is None:
        return found

    def spy(diagram: object, *args: object, **kwargs: object) -> object:
        if len(diagram.boxes) <= MAX_BOXES:  # type: ignore[attr-defined]
            found.append(ranking_dot(diagram))
        return original(diagram, *args, **kwargs)

    from lastmile_flows import render_svg

    place.graphviz_ranks = spy  # type: ignore[assignment,attr-defined]
    try:
        for view in ("before", "after", "diff"):
            render_svg(comparison, view=view, backend=backend)  # type: ignore[arg-type]
    finally:
        place.graphviz_ranks = original  # type: ignore[attr-defined]
    return found


def _library(repeat: int, copies: int) -> list[Row]:
    bare, _ = _command_seconds([sys.executable, "-c", "pass"], repeat=repeat)
    checked, rss = _command_seconds(
        [str(LASTMILE), "check", "processes/", "--fail-on", "never"], repeat=repeat
    )
    rows = [Row("lastmile check processes/ (3 redesigns)", checked, "python -c pass", bare, rss)]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        examples = [path for path in sorted((REPO / "processes").iterdir()) if path.is_dir()]
        for number in range(copies):
            source = examples[number % len(examples)]
            shutil.copytree(source, root / f"{source.name}-{number}")
        seconds, rss = _command_seconds([str(LASTMILE), "render", "--check", folder], repeat=repeat)
        status = subprocess.run(
            [str(LASTMILE), "render", "--check", folder], capture_output=True, check=False
        ).returncode
        rows.append(
            Row(
                f"render --check, {copies} unchanged models",
                seconds,
                "python -c pass",
                bare,
                rss,
                "" if status == 0 else f"exit {status}: the copies' SVGs are stale",
            )
        )
    return rows


def _batch(copies: int, steps: int) -> list[Row]:
    """``lastmile render`` of ``copies`` generated redesigns on two cores against one (one run
    each: a render that finds its files current writes nothing, so every run starts clean)."""
    import yaml

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        text = yaml.safe_dump(redesign_data(steps), sort_keys=False)
        for number in range(copies):
            (root / f"model_{number:03}.yaml").write_text(text)

        def render(jobs: int, *paths: Path) -> float:
            for old in root.glob("*.svg"):
                old.unlink()
            argv = [str(LASTMILE), "render", *map(str, paths or [root]), "-j", str(jobs)]
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True)
            return time.perf_counter() - start

        render(1, root / "model_000.yaml")  # warm-up: bytecode written
        one = render(1)
        two = render(2)
    what = f"render {copies} redesigns ({steps} steps each), -j 2"
    ceiling = _machine_speedup(max(1, copies // 20))
    note = f"{one / two:.2f}x speed-up; this machine gives pure arithmetic {ceiling:.2f}x"
    return [Row(what, two, "the same with -j 1", one, None, note)]


def _arithmetic(rounds: int) -> int:
    total = 0
    for number in range(rounds * 1_000_000):
        total += number * number
    return total


def _machine_speedup(seconds: int) -> float:
    """What two processes gain over one on this machine for pure arithmetic (no I/O, no
    sharing): the ceiling of any two-core speed-up, measured in the same run."""
    import multiprocessing

    rounds = 6 * seconds
    start = time.perf_counter()
    _arithmetic(rounds)
    _arithmetic(rounds)
    serial = time.perf_counter() - start
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_arithmetic, [1, 1])  # the workers' start-up, not timed
        start = time.perf_counter()
        pool.map(_arithmetic, [rounds, rounds])
        parallel = time.perf_counter() - start
    return serial / parallel


def _peer_seconds(script: str, path: Path, repeat: int) -> float | None:
    if not PEERS.exists():
        return None
    code = (
        "import statistics, sys, time, warnings\n"
        "warnings.simplefilter('ignore')\n"
        f"{script}\n"
        "read(sys.argv[1])\n"
        "times = []\n"
        f"for _ in range({repeat}):\n"
        "    start = time.perf_counter(); read(sys.argv[1])\n"
        "    times.append(time.perf_counter() - start)\n"
        "print(statistics.median(times))\n"
    )
    done = subprocess.run(
        [str(PEERS), "-c", code, str(path)], capture_output=True, text=True, check=False
    )
    try:
        return float(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return None


PM4PY = "import pm4py\ndef read(path):\n    pm4py.read_bpmn(path)"
BPMN_PYTHON = (  # written for networkx 1.x: its accessors given back, as the interop tests do
    "import networkx\n"
    "networkx.Graph.node = property(lambda g: g.nodes)\n"
    "networkx.Graph.edge = property(lambda g: g.adj)\n"
    "from bpmn_python.bpmn_diagram_rep import BpmnDiagramGraph\n"
    "def read(path):\n    BpmnDiagramGraph().load_diagram_from_xml_file(path)"
)


def _bpmn(repeat: int, sizes: tuple[int, int]) -> list[Row]:
    from lxml import etree

    from lastmile_flows import import_bpmn
    from lastmile_flows.xmlparser import safe_parser

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for tasks in sizes:
            # past 64 MiB the import refuses a file (a hardening limit): the largest size is
            # written without its diagram (BPMNDI), as an export from a repository may be
            diagram = tasks <= 20_000
            content = bpmn_file(tasks, diagram=diagram)
            path = Path(folder) / f"tasks-{tasks}.bpmn"
            path.write_bytes(content)

            def ours(content: bytes = content) -> None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    import_bpmn(content)

            times = max(1, repeat // 2) if tasks > 20_000 else repeat
            mine = median_seconds(ours, repeat=times)
            lxml = median_seconds(partial(etree.fromstring, content, safe_parser()), repeat=times)
            shown = "" if diagram else ", no DI"
            size = f"BPMN import, {tasks:,} tasks ({len(content) / 1e6:.0f} MB{shown})"
            rows.append(Row(size, mine, "lxml parse, hardened parser", lxml, _peak_mb(ours)))
            if tasks > 20_000:
                continue
            for name, script in (("pm4py.read_bpmn", PM4PY), ("bpmn-python", BPMN_PYTHON)):
                peer = _peer_seconds(script, path, times)
                note = "" if peer is not None else "make bench-peers first"
                rows.append(Row("  the same file", mine, name, peer, None, note))
    return rows


def main(repeat: int, *, quick: bool = False, progress: bool = False) -> list[str]:
    """The table; ``quick`` uses tiny sizes (the test suite's smoke run); ``progress`` prints
    each part's rows on stderr as they are measured."""
    parts: list[Callable[[], list[Row]]] = [
        partial(_startup, repeat),
        partial(_analysis, repeat, (100, 100) if quick else (10_000, 5_000)),
        partial(_render, repeat, 30 if quick else 1_000, 50 if quick else 5_000),
        partial(_library, repeat, 3 if quick else 200),
        partial(_batch, 2 if quick else 200, 10 if quick else 20),
        partial(_bpmn, repeat, (50, 100) if quick else (10_000, 100_000)),
    ]
    rows: list[Row] = []
    for part in parts:
        found = part()
        if progress:
            print("\n".join(table(found)[2:]), file=sys.stderr, flush=True)
        rows += found
    return table(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to try the code")
    arguments = parser.parse_args()
    print("\n".join(main(arguments.repeat, quick=arguments.quick, progress=True)))
