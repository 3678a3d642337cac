"""Fixtures and hooks only; the helpers test modules share are in tests/support.py, the models
they build in tests/builders.py.

Hypothesis runs under one of two profiles, chosen by ``HYPOTHESIS_PROFILE``: ``ci`` (the
default, and what ``make test`` and CI run: every property test at its full count of examples)
or ``dev`` (``make check``: a tenth of them, for a fast loop; ``tests.support.examples`` scales
each test's count). Deadlines are off in both: how
long an example takes depends on the machine and on what else runs on it.

Tests that need a browser, Node.js or the system ``dot`` are slow by nature: each such marker
brings the ``slow`` marker with it, so ``pytest -m "not slow"`` leaves them out.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings

from tests.builders import small_process_data
from tests.support import HYPOTHESIS_PROFILE

settings.register_profile("ci", deadline=None)
settings.register_profile("dev", deadline=None, max_examples=10)
settings.load_profile(HYPOTHESIS_PROFILE)

SLOW_BY_NATURE = ("chromium", "node", "system_dot")
"""Markers of tests that start outside programs (a browser, Node.js, Graphviz's ``dot``)."""


LONGEST_FIRST = (
    "test_review_workflow.py",  # pre-commit installs the package into a new environment
    "test_diagram_geometry.py",  # Chromium reads back dozens of generated diagrams
    "test_readme.py",
    "test_hardening_code.py",
    "test_hardening_input.py",
    "test_evidence_spark.py",
)
"""Test files that take minutes, longest first: run first, so that on two workers (``make test``
runs ``pytest -n 2 --dist loadfile``) neither worker is left with one of them at the end."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(name) for name in SLOW_BY_NATURE):
            item.add_marker(pytest.mark.slow)
    rank = {name: number for number, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture
def process_data() -> dict[str, Any]:
    return small_process_data()
