"""The public namespace: sorted, complete, and everything in it importable."""

from __future__ import annotations

import lastmile_flows


def _isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions, each alphabetical (ruff's RUF022 order)."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


def test_all_is_sorted() -> None:
    assert lastmile_flows.__all__ == sorted(lastmile_flows.__all__, key=_isort_key)


def test_all_names_exist() -> None:
    missing = [name for name in lastmile_flows.__all__ if not hasattr(lastmile_flows, name)]
    assert missing == []


def test_all_is_complete() -> None:
    public = {
        name
        for name, value in vars(lastmile_flows).items()
        if not name.startswith("_")
        and getattr(value, "__module__", "").startswith("lastmile_flows")
    }
    assert public - set(lastmile_flows.__all__) == set()
