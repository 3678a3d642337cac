"""When people work and when cases arrive: a weekly working calendar and an arrival profile.

Simulated time is in minutes from Monday 00:00 of the first week. A :class:`Calendar` opens
``days_per_week`` days a week (Monday first) for ``hours_per_day`` hours from
``day_starts_at``. People (human steps, their waits, edge-case handling) work only while it is
open; AI and system steps run around the clock. A month is 365.25 / 12 days.

A full-time person gives the redesign's ``hours_per_fte_month`` productive hours a month, fewer
than the calendar's open hours (leave, training, meetings). The simulation spreads the
difference evenly: a role of ``headcount`` FTE has ``ceil(headcount)`` people, each working at
``headcount x hours_per_fte_month / (people x open hours a month)`` of full speed, so a role's
simulated utilisation is the same figure the static metrics give.

Cases arrive as a Poisson process: evenly over the open hours unless an
:class:`ArrivalProfile` weights the hours of the day and the days of the week (then also at
night and at weekends, where its weights say so; such cases wait for the next opening).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["MINUTES_PER_MONTH", "WEEK", "ArrivalProfile", "Calendar", "Clock"]

DAY = 1440.0
WEEK = 7 * DAY
MINUTES_PER_MONTH = 365.25 / 12 * DAY


class Calendar(BaseModel):
    """Open days and hours; the default is 8 hours a day from 9:00, Monday to Friday."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    hours_per_day: Annotated[float, Field(gt=0, le=24)] = 8.0
    days_per_week: Annotated[int, Field(ge=1, le=7)] = 5
    day_starts_at: Annotated[float, Field(ge=0, lt=24)] = 9.0
    """Hour of the day the working day starts."""

    @model_validator(mode="after")
    def _fits_in_a_day(self) -> Calendar:
        if self.day_starts_at + self.hours_per_day > 24:
            raise ValueError(
                f"a working day of {self.hours_per_day:g} hours from {self.day_starts_at:g}:00 "
                "runs past midnight; start earlier or work fewer hours"
            )
        return self

    @classmethod
    def always_open(cls) -> Calendar:
        """Around the clock, seven days a week (a contact centre, or a queueing textbook)."""
        return cls(hours_per_day=24, days_per_week=7, day_starts_at=0)

    @property
    def open_minutes_per_week(self) -> float:
        return self.days_per_week * self.hours_per_day * 60

    @property
    def open_hours_per_month(self) -> float:
        return self.open_minutes_per_week * MINUTES_PER_MONTH / WEEK / 60


class ArrivalProfile(BaseModel):
    """Relative arrival rates by hour of the day (24 weights) and day of the week (7, Monday
    first); the volume stays the model's, only its timing changes."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    hourly: tuple[Annotated[float, Field(ge=0)], ...] = (1.0,) * 24
    daily: tuple[Annotated[float, Field(ge=0)], ...] = (1.0,) * 7

    @model_validator(mode="after")
    def _sizes(self) -> ArrivalProfile:
        if len(self.hourly) != 24 or len(self.daily) != 7:
            raise ValueError(
                f"an arrival profile has 24 hourly and 7 daily weights; got {len(self.hourly)} "
                f"and {len(self.daily)}"
            )
        if not any(self.hourly) or not any(self.daily):
            raise ValueError("an arrival profile needs some weight above zero")
        return self

    def weights(self) -> list[float]:
        """The rate of each of the week's 168 hours, as a multiple of the average rate."""
        hourly_total = sum(self.hourly)
        daily_total = sum(self.daily)
        return [
            24 * 7 * (self.daily[day] / daily_total) * (self.hourly[hour] / hourly_total)
            for day in range(7)
            for hour in range(24)
        ]


class Clock:
    """Open minutes to calendar minutes and back (plain arithmetic, one call per event)."""

    def __init__(self, calendar: Calendar) -> None:
        self.day_open = calendar.hours_per_day * 60
        self.days = calendar.days_per_week
        self.start = calendar.day_starts_at * 60
        self.week_open = self.day_open * self.days
        self.always = self.day_open == DAY and self.days == 7

    def to_open(self, t: float) -> float:
        """Open minutes elapsed from time 0 until calendar time ``t``."""
        if self.always:
            return t
        weeks, rest = divmod(t, WEEK)
        day, minute = divmod(rest, DAY)
        full = weeks * self.week_open + min(day, self.days) * self.day_open
        if day < self.days:
            full += min(max(minute - self.start, 0.0), self.day_open)
        return full

    def at_open(self, w: float) -> float:
        """The calendar time by which ``w`` open minutes have passed: a start (the opening,
        at a day's boundary)."""
        if self.always:
            return w
        weeks, rest = divmod(w, self.week_open)
        day, minute = divmod(rest, self.day_open)
        return weeks * WEEK + day * DAY + self.start + minute

    def finish(self, w: float) -> float:
        """Like :meth:`at_open`, but work ending at a day's boundary ends that evening."""
        if self.always:
            return w
        weeks, rest = divmod(w, self.week_open)
        day, minute = divmod(rest, self.day_open)
        if minute == 0 and w > 0:
            if day == 0:
                weeks, day = weeks - 1, self.days
            day, minute = day - 1, self.day_open
        return weeks * WEEK + day * DAY + self.start + minute
