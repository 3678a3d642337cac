"""The comparison as JSON, and the JSON Schema that documents it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lastmile_flows.escape import json_text

if TYPE_CHECKING:
    from lastmile_flows.analysis.comparison import Comparison

__all__ = ["comparison_json", "comparison_schema"]


def comparison_json(comparison: Comparison) -> str:
    """Indented JSON, keys in a fixed order, ending in a newline; the same bytes every time."""
    return json_text(comparison.model_dump(mode="json"))


def comparison_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`comparison_json`'s output (draft 2020-12)."""
    from lastmile_flows.analysis.comparison import Comparison

    schema = Comparison.model_json_schema(mode="serialization")
    schema.pop("title", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "lastmile_flows comparison",
        **schema,
    }
