"""The JSON Schema of model files: valid, accepts every example, rejects broken files."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
import yaml

from lastmile_flows import dump, file_schema, load
from lastmile_flows.schema import file_schema_json
from tests.builders import small_process_data
from tests.support import PROCESSES


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = file_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _yaml_files() -> list[Any]:
    return sorted(PROCESSES.rglob("*.yaml"))


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: str(p.relative_to(PROCESSES)))
def test_every_yaml_example_validates_against_the_schema(
    validator: jsonschema.protocols.Validator, path: Any
) -> None:
    errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
    assert errors == []


@pytest.mark.slow
def test_python_examples_dumped_to_yaml_validate_too(
    validator: jsonschema.protocols.Validator,
) -> None:
    model = load(PROCESSES / "maintenance" / "maintenance.py")
    assert list(validator.iter_errors(yaml.safe_load(dump(model)))) == []


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d["steps"][0].update(kind="manul"), "'manul' is not one of"),
        (lambda d: d["steps"][0].update(touch=3), "Additional properties are not allowed"),
        (lambda d: d["steps"][0].update(touch_minutes=-1), "less than the minimum of 0"),
        (lambda d: d["steps"][0].update(id="2nd"), "does not match"),
        (lambda d: d.pop("id"), "'id' is a required property"),
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(
    validator: jsonschema.protocols.Validator, change: Any, fragment: str
) -> None:
    data = small_process_data()
    change(data)
    messages = " | ".join(
        error.message for error in validator.iter_errors(data) for error in [error, *error.context]
    )
    assert fragment in messages


def test_the_schema_accepts_shorthand_branches(validator: jsonschema.protocols.Validator) -> None:
    data = small_process_data()
    data["gateways"].append({"id": "join", "kind": "parallel", "branches": ["done"]})
    assert list(validator.iter_errors(data)) == []


def test_checked_in_schema_is_current() -> None:
    checked_in = (PROCESSES / "model-file.schema.json").read_text()
    assert checked_in == file_schema_json(), (
        "run: lastmile schema > processes/model-file.schema.json"
    )


def test_schema_text_is_stable_json() -> None:
    assert json.loads(file_schema_json()) == file_schema()
    assert file_schema_json() == file_schema_json()
