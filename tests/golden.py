"""Write the golden comparison reports of the example library into tests/data/golden/.

Run ``.venv/bin/python -m tests.golden`` after a deliberate change, then read the diff of
tests/data/golden/ before committing it: the golden files are reviewed like code.
"""

from __future__ import annotations

from pathlib import Path

from lastmile_flows import compare
from tests.support import library

GOLDEN = Path(__file__).parent / "data" / "golden"


def expected() -> dict[Path, str]:
    files = {}
    for ident, model in library().items():
        comparison = compare(model)
        files[GOLDEN / f"{ident}.md"] = comparison.to_markdown()
        files[GOLDEN / f"{ident}.json"] = comparison.to_json()
        files[GOLDEN / f"{ident}.txt"] = comparison.to_text()
    return files


if __name__ == "__main__":
    for path, text in expected().items():
        path.write_text(text, encoding="utf-8")
        print(path)
