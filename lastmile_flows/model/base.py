"""The base every model class shares: frozen, no unknown fields, no NaN; and the id type."""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from lastmile_flows.limits import (  # re-exported: the model's bounds
    MAX_COST_PER_HOUR,
    MAX_HEADCOUNT,
    MAX_HOURS_PER_FTE_MONTH,
    MAX_MINUTES,
    MAX_VOLUME,
    MIN_HOURS_PER_FTE_MONTH,
)

__all__ = [
    "ID_PATTERN",
    "MAX_COST_PER_HOUR",
    "MAX_HEADCOUNT",
    "MAX_HOURS_PER_FTE_MONTH",
    "MAX_MINUTES",
    "MAX_VOLUME",
    "MIN_HOURS_PER_FTE_MONTH",
    "Frozen",
    "Id",
    "Minutes",
    "Rate",
]

ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_-]*$"
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def _check_id(value: str) -> str:
    if not _ID.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a valid id: an id starts with a letter or '_' and holds only "
            "letters, digits, '_' and '-' (it becomes an XML, SVG and BPMN id)"
        )
    return value


Id = Annotated[str, AfterValidator(_check_id), Field(json_schema_extra={"pattern": ID_PATTERN})]
"""An element id: letters, digits, ``_`` and ``-``, starting with a letter or ``_``."""

Minutes = Annotated[float, Field(ge=0, le=MAX_MINUTES)]
"""A duration in minutes, never negative, at most :data:`MAX_MINUTES`."""

Rate = Annotated[float, Field(ge=0, le=1)]
"""A share of cases, from 0 to 1."""


class Frozen(BaseModel):
    """Immutable, rejects unknown fields, rejects NaN and infinity."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    _field_defaults: ClassVar[dict[str, Any]] = {}
    """Each field's default, read once per class (pydantic's field table is slow to reach)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._field_defaults = {name: info.default for name, info in cls.model_fields.items()}

    def says(self, field: str) -> bool:
        """Whether the model gives ``field`` a value of its own: set, and not to the default
        (``model_dump()`` writes every field out, so a default written back says nothing)."""
        return (
            field in self.__pydantic_fields_set__
            and getattr(self, field) != self._field_defaults[field]
        )
