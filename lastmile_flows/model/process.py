"""A process (one version of the work) and a redesign (a current and a redesigned process)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import (
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from lastmile_flows.errors import InvalidModelError
from lastmile_flows.model import edit
from lastmile_flows.model.base import (
    MAX_HOURS_PER_FTE_MONTH,
    MAX_VOLUME,
    MIN_HOURS_PER_FTE_MONTH,
    Frozen,
    Id,
)
from lastmile_flows.model.checks import check_process, check_redesign, former_roles
from lastmile_flows.model.elements import (
    Currency,
    EdgeCase,
    Event,
    Flow,
    Gateway,
    Message,
    RetiredEdgeCase,
    Role,
    Step,
)
from lastmile_flows.model.evidence import Evidence
from lastmile_flows.model.graph import Edge, edges
from lastmile_flows.model.problems import Problem, choices, did_you_mean
from lastmile_flows.model.pydantic_errors import problems_from_validation_error
from lastmile_flows.model.steprules import FormerRoles

if TYPE_CHECKING:
    from lastmile_flows.analysis.comparison import Comparison

__all__ = [
    "DEFAULT_HOURS_PER_FTE_MONTH",
    "DEFAULT_HOURS_PER_WORKING_DAY",
    "Process",
    "Redesign",
    "parse_redesigned",
    "problems",
]

DEFAULT_HOURS_PER_FTE_MONTH = 140.0
"""Productive hours one full-time person gives a month, after leave, training and meetings."""
DEFAULT_HOURS_PER_WORKING_DAY = 8.0
"""The working day that minutes are told in days by (a cycle time of 960 minutes is 2 days)."""


_T = TypeVar("_T", bound="_Checked")


class _Checked(Frozen):
    """What a model file holds (a process or a redesign): an id and a name, shown in Jupyter as
    its diagram. Construction raises :class:`InvalidModelError` listing every problem, not just
    the first.

    The validation context may give ``former_roles`` (see :func:`parse_redesigned`).
    """

    id: Id
    name: str = ""

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise InvalidModelError(
                problems_from_validation_error(error, type(self), data)
            ) from None

    # pydantic calls this __init__ only when Python code does, never while validating (so a
    # validation context reaches nested models and each model's checks run once)
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def parse(cls: type[_T], data: Any, *, former_roles: FormerRoles = frozenset()) -> _T:
        """Validate plain data (as read from YAML or JSON); raise :class:`InvalidModelError`.
        An edge case may name one of ``former_roles`` as its owner (see
        :func:`~lastmile_flows.model.checks.check_process`)."""
        try:
            return cls.model_validate(data, context={"former_roles": former_roles})
        except ValidationError as error:
            raise InvalidModelError(problems_from_validation_error(error, cls, data)) from None

    @property
    def label(self) -> str:
        return self.name or self.id

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, str]:
        """Jupyter shows the diagram: a process's swimlanes, a redesign's diff."""
        from lastmile_flows.render.jupyter import mimebundle

        return mimebundle(self, include, exclude)


def _former_roles(info: ValidationInfo) -> FormerRoles:
    """The former roles the validation context gives (none unless a redesign or
    :func:`parse_redesigned` reads the process)."""
    context = info.context
    former: FormerRoles = frozenset()
    if isinstance(context, Mapping):
        former = context.get("former_roles", former)
    return former


def _raise_errors(found: list[Problem]) -> None:
    errors = [problem for problem in found if problem.severity == "error"]
    if errors:
        raise InvalidModelError(errors)


class Process(_Checked):
    """One version of a process: its roles, steps, gateways, events and flows.

    Steps listed in order flow in order, unless a step says ``next`` or the process gives
    explicit ``flows`` (see :mod:`lastmile_flows.model.graph`).
    """

    description: str = ""
    version: str = Field(default="", description="Version label, e.g. 'current', 'redesign-v2'.")
    currency: Currency = Field(
        default="",
        description="The currency of every cost in the model (ISO 4217: EUR, USD); none: not said.",
    )
    roles: tuple[Role, ...] = ()
    steps: tuple[Step, ...] = ()
    gateways: tuple[Gateway, ...] = ()
    events: tuple[Event, ...] = ()
    flows: tuple[Flow, ...] = ()
    messages: tuple[Message, ...] = Field(
        default=(), description="Message flows between roles: hand-offs outside the flow."
    )
    retired_edge_cases: tuple[RetiredEdgeCase, ...] = Field(
        default=(),
        description="Current-state edge cases this redesigned process makes impossible.",
    )
    lane_order: Literal["fewest_crossings", "as_written"] = Field(
        default="fewest_crossings",
        description=(
            "Lane order in diagrams: 'fewest_crossings' (the order whose flows cross the fewest "
            "lane boundaries, the order of `roles` on ties) or 'as_written' (the order of `roles`)."
        ),
    )
    notes: str = ""
    evidence: tuple[Evidence, ...] = Field(
        default=(),
        description="Where measured figures come from (an event log); the others are assumed.",
    )

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Process:
        _raise_errors(check_process(self, former_roles=_former_roles(info)))
        return self

    def role(self, role_id: str) -> Role:
        """The role with this id; ``KeyError`` naming the valid ids if there is none."""
        role: Role = _by_id(self.roles, role_id, "role")
        return role

    def step(self, step_id: str) -> Step:
        """The step with this id; ``KeyError`` naming the valid ids if there is none."""
        step: Step = _by_id(self.steps, step_id, "step")
        return step

    def edge_cases(self) -> Iterator[tuple[Step, EdgeCase]]:
        """Every edge case with the step it is at, in model order."""
        for step in self.steps:
            for case in step.edge_cases:
                yield step, case

    def edges(self) -> tuple[Edge, ...]:
        """Every sequence flow, the implicit ones included."""
        return edges(self)

    # Validated copies with something changed (see lastmile_flows.model.edit)

    def replace(self, **changes: Any) -> Process:
        """A validated copy with top-level fields replaced, e.g. ``version="v2"``."""
        return edit.replace_process(self, **changes)

    def with_role(self, role_id: str, **changes: Any) -> Process:
        """A validated copy with one role changed, e.g. ``with_role("desk", headcount=2)``."""
        return edit.with_role(self, role_id, **changes)

    def add_role(self, role: Role | Mapping[str, Any]) -> Process:
        """A validated copy with one more role."""
        return edit.add_role(self, role)

    def with_step(self, step_id: str, **changes: Any) -> Process:
        """A validated copy with one step changed, e.g. ``with_step("key", touch_minutes=4)``."""
        return edit.with_step(self, step_id, **changes)

    def with_edge_case(self, case_id: str, **changes: Any) -> Process:
        """A validated copy with one edge case changed, e.g. ``owner="csr"``."""
        return edit.with_edge_case(self, case_id, **changes)

    def add_edge_case(self, step_id: str, case: EdgeCase | Mapping[str, Any]) -> Process:
        """A validated copy with one more edge case on a step."""
        return edit.add_edge_case(self, step_id, case)


class Redesign(_Checked):
    """A current-state process, its AI redesign, and the volume used for workload figures."""

    description: str = ""
    current: Process
    redesigned: Process
    volume_per_month: float | None = Field(
        default=None,
        ge=0,
        le=MAX_VOLUME,
        description=(
            "Cases per month (none: per-case figures only, unless a volume is given when "
            "comparing, e.g. --volume)."
        ),
    )
    hours_per_fte_month: float = Field(
        default=DEFAULT_HOURS_PER_FTE_MONTH,
        ge=MIN_HOURS_PER_FTE_MONTH,
        le=MAX_HOURS_PER_FTE_MONTH,
        description="Working hours one FTE gives per month.",
    )
    hours_per_working_day: float = Field(
        default=DEFAULT_HOURS_PER_WORKING_DAY,
        ge=1,
        le=24,
        description="Hours in a working day, for telling cycle times in days.",
    )
    max_escaped_errors_per_month: float | None = Field(
        default=None,
        ge=0,
        description="AI errors reaching customers a month that the redesign accepts at most.",
    )

    @field_validator("current", "redesigned", mode="wrap")
    @classmethod
    def _process(
        cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Process:
        """Read each process on its own, its problems located in it (then under the field);
        the redesigned one knowing the current roles, so that an edge case may still name a
        role the redesign removed (the audit reports it as owner_removed)."""
        if isinstance(value, Process):
            return value  # validated when it was made (perhaps with the roles it may name)
        if not isinstance(value, Mapping):
            result: Process = handler(value)
            return result
        former: FormerRoles = frozenset()
        if info.field_name == "redesigned":
            current = info.data.get("current")
            former = "any"
            if isinstance(current, Process):
                former = frozenset(role.id for role in current.roles)
        return Process.parse(value, former_roles=former)

    @model_validator(mode="after")
    def _check(self) -> Redesign:
        _raise_errors(check_redesign(self))
        return self

    def replace(self, **changes: Any) -> Redesign:
        """A validated copy with fields replaced, e.g. ``redesigned=fixed_process``."""
        return edit.replace_redesign(self, **changes)

    def compare(self, **options: Any) -> Comparison:
        """``lastmile_flows.compare(self, **options)``: see there."""
        from lastmile_flows.analysis.comparison import compare

        return compare(self, **options)


def parse_redesigned(data: Any, former: FormerRoles) -> Process:
    """Validate a redesigned process read on its own (from a BPMN export, say) whose edge
    cases may name ``former`` roles: roles of the current process that the redesign removed."""
    return Process.parse(data, former_roles=former)


def problems(model: Process | Redesign) -> list[Problem]:
    """Every problem of a model that loaded, warnings included (errors stop it loading)."""
    if isinstance(model, Redesign):
        found = [p.located(("current",), model) for p in check_process(model.current)]
        former = former_roles(model.current, model.redesigned)
        found += [
            p.located(("redesigned",), model)
            for p in check_process(model.redesigned, former_roles=former)
        ]
        return found + check_redesign(model)
    return check_process(model)


def _by_id(items: tuple[Any, ...], wanted: str, what: str) -> Any:
    for item in items:
        if item.id == wanted:
            return item
    ids = [item.id for item in items]
    raise KeyError(f"no {what} {wanted!r}{did_you_mean(wanted, ids)}; valid: {choices(ids)}")
