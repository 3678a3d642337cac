"""The forms a log result is written in: JSON here, through :func:`~lastmile_flows.escape.json_text`
(the one JSON writer), text and Markdown by each result's own report module."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from lastmile_flows.escape import json_text

__all__ = ["JsonForm"]


class JsonForm:
    """``to_json`` for a dataclass result (a log summary, a conformance check): its fields, as
    they are, nested dataclasses as objects."""

    def to_json(self) -> str:
        data: Any = self
        return json_text(asdict(data))
