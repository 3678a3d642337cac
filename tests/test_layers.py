"""The package is layered one way: a module imports (at module level) only from layers below its
own; and the lazy packages really defer, so a command pays only for what it uses."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO

PACKAGE = REPO / "lastmile_flows"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "severity", "limits", "lazy", "numbers", "suggest", "atomic", "lifeline"),
    ("escape", "xmlparser", "python_models", "python_child", "discovery"),
    ("model",),
    ("yamlsource", "schema", "analysis", "layout"),
    ("datafile", "simulation", "render", "bpmn"),
    ("files", "report", "evidence"),
    ("review",),
    ("cli",),
    ("__main__",),
)
"""From the bottom up: the top-level modules and packages of ``lastmile_flows``."""
RANK = {part: rank for rank, layer in enumerate(LAYERS) for part in layer}


def _part(module: str) -> str:
    """``analysis`` of ``lastmile_flows.analysis.audit``."""
    return module.split(".")[1]


def _module_level_imports(path: Path) -> list[str]:
    """What ``path`` imports from lastmile_flows when it is imported: not under
    ``TYPE_CHECKING``, not inside a function."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lastmile_flows."):
            found.append(str(node.module))
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("lastmile_flows.")]
    return found


def _edges() -> list[tuple[str, str, str]]:
    """(importing part, imported part, ``module -> module``) for each import across parts."""
    edges = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(REPO).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        if module == "lastmile_flows":
            continue  # the package's own names are all imported on first use
        for target in _module_level_imports(path):
            if _part(module) != _part(target):
                edges.append((_part(module), _part(target), f"{module} -> {target}"))
    return edges


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {
        path.stem if path.is_file() else path.name
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").is_file())
    }
    assert parts == set(RANK)


def test_imports_point_down() -> None:
    upward = [why for low, high, why in _edges() if RANK[high] >= RANK[low]]
    assert upward == []


def test_the_layer_test_sees_an_upward_import(tmp_path: Path) -> None:
    """The check itself: a module-level import of a higher layer is found, one in a function
    or under TYPE_CHECKING is not."""
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from lastmile_flows.render.api import render_svg\n"
        "if TYPE_CHECKING:\n    from lastmile_flows.cli import main\n"
        "def f():\n    from lastmile_flows.review import batch\n"
    )
    assert _module_level_imports(source) == ["lastmile_flows.render.api"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("statement", "absent"),
    [
        ("import lastmile_flows", ("lxml", "graphviz", "pydantic", "lastmile_flows.bpmn")),
        ("import lastmile_flows.cli", ("lxml", "pydantic", "lastmile_flows.analysis.comparison")),
        ("from lastmile_flows.analysis.rules import RULES", ("pydantic", "lxml")),
        ("from lastmile_flows.report import comparison_json", ("lastmile_flows.render.api",)),
        ("from lastmile_flows.render import get_backend", ("lastmile_flows.analysis.comparison",)),
    ],
)
def test_lazy_imports_defer(statement: str, absent: tuple[str, ...]) -> None:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    loaded = set(done.stdout.split())
    assert [name for name in absent if name in loaded] == []
