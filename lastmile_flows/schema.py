"""The JSON Schema of a model file (a process, or a redesign), for editors and CI."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any, Union

from pydantic import TypeAdapter

from lastmile_flows.escape import json_text
from lastmile_flows.model import Process, Redesign

__all__ = ["SCHEMA_ID", "file_schema", "file_schema_json"]

SCHEMA_ID = "https://lastmile-flows.invalid/schema/model-file.json"


@cache
def _schema() -> dict[str, Any]:
    schema = TypeAdapter(Union[Process, Redesign]).json_schema(mode="validation")
    redesign = schema["$defs"]["Redesign"]["properties"]
    for key in ("current", "redesigned"):
        described = redesign[key]
        redesign[key] = {
            "anyOf": [
                {"$ref": "#/$defs/Process"},
                {"type": "string", "description": "Path to a process file, relative to this file."},
            ],
            "title": described.get("title", key.title()),
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "lastmile_flows model file",
        "description": "A process (id, roles, steps, ...) or a redesign (current, redesigned).",
        **schema,
    }


def file_schema() -> dict[str, Any]:
    """The schema as a dict (a fresh copy each call)."""
    return copy.deepcopy(_schema())


def file_schema_json() -> str:
    """The schema as indented JSON text, ending in a newline; the same bytes every time."""
    return json_text(_schema())
