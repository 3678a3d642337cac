"""Fuzzing the model readers and the command line: whatever a file holds, the answer is a
model, a typed error, or an exit code with a message; never a traceback.

Two kinds of input: arbitrary text and bytes (what a broken or hostile file holds), and valid
models with one value swapped for arbitrary JSON data, in any place (what a typo or a
generator bug produces). A few thousand examples per run.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lastmile_flows import LastmileError, load
from lastmile_flows.cli import main
from tests.builders import small_process_data
from tests.support import examples

FUZZ = settings(
    max_examples=examples(1500), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _swapped(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = _swapped(data[head], tuple(rest), value)
    return copy


@st.composite
def broken_models(draw: st.DrawFn) -> Any:
    data = small_process_data()
    path = draw(st.sampled_from(_paths(data)))
    return _swapped(data, path, draw(json_values))


def _load(folder: Path, name: str, content: bytes) -> None:
    path = folder / name
    path.write_bytes(content)
    with contextlib.suppress(LastmileError):
        load(path)


@pytest.mark.slow
@FUZZ
@given(content=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_reading_arbitrary_bytes_gives_a_model_or_a_typed_error(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name in ("model.yaml", "model.json"):
            _load(Path(folder), name, content)


@pytest.mark.slow
@settings(FUZZ, max_examples=examples(1000))
@given(data=broken_models(), as_json=st.booleans())
def test_a_model_with_any_value_anywhere_gives_a_model_or_a_typed_error(
    data: Any, as_json: bool
) -> None:
    if as_json:
        text = json.dumps(data)  # NaN and Infinity included: the reader refuses them
        name = "model.json"
    else:
        text = yaml.safe_dump(data, allow_unicode=True)
        name = "model.yaml"
    with tempfile.TemporaryDirectory() as folder:
        _load(Path(folder), name, text.encode("utf-8", "surrogatepass"))


@pytest.mark.slow
@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=broken_models() | st.text(max_size=200),
    command=st.sampled_from(["validate", "diff", "textconv", "render --check"]),
)
def test_the_command_line_never_shows_a_traceback(data: Any, command: str) -> None:
    text = data if isinstance(data, str) else json.dumps(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.json"
        path.write_text(text, "utf-8", errors="surrogatepass")
        arguments = command.split() + [str(path)] * (2 if command == "diff" else 1)
        result = CliRunner().invoke(main, arguments)
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
