"""Export then import gives back an equal model, for any valid model (property tests)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from lastmile_flows import Process, Redesign, dump, load
from tests.strategies import processes, redesigns
from tests.support import examples


@pytest.mark.slow
@settings(max_examples=examples(150), deadline=None)
@given(processes)
def test_yaml_round_trip_is_lossless(process: Process) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.yaml"
        dump(process, path)
        assert load(path) == process


@pytest.mark.slow
@settings(max_examples=examples(60), deadline=None)
@given(redesigns())
def test_redesign_round_trips_through_yaml_and_json(redesign: Redesign) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name in ("model.yaml", "model.json"):
            path = Path(folder) / name
            dump(redesign, path)
            assert load(path) == redesign


@settings(max_examples=examples(50), deadline=None)
@given(processes)
def test_dump_is_deterministic(process: Process) -> None:
    copy = Process.parse(json.loads(dump(process, format="json")))
    assert dump(copy) == dump(process)


@settings(max_examples=examples(60), deadline=None)
@given(redesigns())
def test_pydantic_dump_with_every_default_validates_again(redesign: Redesign) -> None:
    """``model_dump()`` writes out every field, defaults too (``review_rate: 1.0`` on a manual
    step): what pydantic users do must read back as the same model."""
    assert Redesign.model_validate_json(redesign.model_dump_json()) == redesign
    assert Redesign.model_validate(redesign.model_dump()) == redesign
