"""The base every model class shares: frozen, no unknown fields, no NaN; and the id type."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

__all__ = ["ID_PATTERN", "Frozen", "Id", "Minutes", "Rate"]

ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_-]*$"
_ID = re.compile(ID_PATTERN)


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: an id starts with a letter or '_' and holds only "
            "letters, digits, '_' and '-' (it becomes an XML, SVG and BPMN id)"
        )
    return value


Id = Annotated[str, AfterValidator(_check_id), Field(json_schema_extra={"pattern": ID_PATTERN})]
"""An element id: letters, digits, ``_`` and ``-``, starting with a letter or ``_``."""

Minutes = Annotated[float, Field(ge=0)]
"""A duration in minutes, never negative."""

Rate = Annotated[float, Field(ge=0, le=1)]
"""A share of cases, from 0 to 1."""


class Frozen(BaseModel):
    """Immutable, rejects unknown fields, rejects NaN and infinity."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
