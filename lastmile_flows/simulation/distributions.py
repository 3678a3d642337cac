"""Touch-time distributions: what a step's minutes look like case by case.

A step's ``touch_minutes`` is the mean of its work. The simulation draws each case's minutes
from a distribution with that mean (:class:`Exponential` unless told otherwise), or from one
given per step: :class:`Fixed`, :class:`Exponential`, :class:`Triangular`, or
:class:`Lognormal`, the last stated as a median and a 90th percentile, which is how people
describe how long work takes ("usually 4 minutes, one in ten over 12"). Text forms for the
command line: ``fixed``, ``exponential``, ``triangular:LOW:MODE:HIGH``,
``lognormal:MEDIAN:P90``.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lastmile_flows.errors import SimulationError

__all__ = [
    "Distribution",
    "Exponential",
    "Fixed",
    "Lognormal",
    "Triangular",
    "parse_distribution",
]

Z90 = 1.2815515655446004
"""The standard normal's 90th percentile."""


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Fixed(_Shape):
    """Every case takes exactly the step's minutes (or ``minutes``, when given)."""

    kind: Literal["fixed"] = "fixed"
    minutes: Annotated[float, Field(ge=0)] | None = None

    def mean(self, default: float) -> float:
        return default if self.minutes is None else self.minutes


class Exponential(_Shape):
    """Memoryless, as variable as work gets (standard deviation = mean); the default."""

    kind: Literal["exponential"] = "exponential"
    mean_minutes: Annotated[float, Field(ge=0)] | None = None

    def mean(self, default: float) -> float:
        return default if self.mean_minutes is None else self.mean_minutes


class Triangular(_Shape):
    """At least ``low``, most often ``mode``, at most ``high`` minutes."""

    kind: Literal["triangular"] = "triangular"
    low: Annotated[float, Field(ge=0)]
    mode: Annotated[float, Field(ge=0)]
    high: Annotated[float, Field(ge=0)]

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"a triangular distribution needs low <= mode <= high; got {self.low:g}, "
                f"{self.mode:g}, {self.high:g}"
            )
        return self

    def mean(self, default: float) -> float:
        return (self.low + self.mode + self.high) / 3


class Lognormal(_Shape):
    """Half the cases take under ``median`` minutes, nine in ten under ``p90``."""

    kind: Literal["lognormal"] = "lognormal"
    median: Annotated[float, Field(gt=0)]
    p90: Annotated[float, Field(gt=0)]

    @model_validator(mode="after")
    def _ordered(self) -> Lognormal:
        if self.p90 < self.median:
            raise ValueError(
                f"the 90th percentile ({self.p90:g}) is below the median ({self.median:g})"
            )
        return self

    @property
    def sigma(self) -> float:
        return math.log(self.p90 / self.median) / Z90

    def mean(self, default: float) -> float:
        return self.median * math.exp(self.sigma**2 / 2)


Distribution = Annotated[
    Union[Fixed, Exponential, Triangular, Lognormal], Field(discriminator="kind")
]


def parse_distribution(text: str) -> Fixed | Exponential | Triangular | Lognormal:
    """``fixed``, ``exponential``, ``triangular:LOW:MODE:HIGH`` or ``lognormal:MEDIAN:P90``."""
    kind, *numbers = text.strip().split(":")
    shapes = {"fixed": 0, "exponential": 0, "triangular": 3, "lognormal": 2}
    if kind not in shapes:
        valid = ", ".join(f"'{name}'" for name in sorted(shapes))
        raise SimulationError(f"unknown distribution {kind!r} in {text!r}; valid: {valid}")
    if len(numbers) not in (shapes[kind], 1 if kind in ("fixed", "exponential") else -1):
        raise SimulationError(
            f"{text!r}: use fixed, exponential, triangular:LOW:MODE:HIGH or lognormal:MEDIAN:P90"
        )
    try:
        values = [float(number) for number in numbers]
    except ValueError:
        raise SimulationError(f"{text!r}: the numbers must be minutes, e.g. 4.5") from None
    try:
        if kind == "fixed":
            return Fixed(minutes=values[0] if values else None)
        if kind == "exponential":
            return Exponential(mean_minutes=values[0] if values else None)
        if kind == "triangular":
            return Triangular(low=values[0], mode=values[1], high=values[2])
        return Lognormal(median=values[0], p90=values[1])
    except ValueError as error:
        raise SimulationError(f"{text!r}: {_first_message(error)}") from None


def _first_message(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            return str(found[0].get("msg", error)).removeprefix("Value error, ")
    return str(error)
