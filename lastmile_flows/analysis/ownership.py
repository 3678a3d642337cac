"""Who owns every edge case after the redesign: the redesign's own, and the current ones it
carries without restating; the current ones it retires or drops are reported where they were
(see :mod:`lastmile_flows.analysis.fates`). An owner is a staffed human role; know-how that
lives only in people is at risk when their role shrinks."""

from __future__ import annotations

from dataclasses import dataclass

from lastmile_flows.analysis.auditbase import AuditInput, FindingList, how_often, people, role_text
from lastmile_flows.analysis.fates import EdgeCaseFate
from lastmile_flows.model import EdgeCase, Role, Step

__all__ = ["audit_edge_cases"]


@dataclass(frozen=True)
class _Traced:
    """An edge case as it stands in the redesign: where it sits, and who owns it now."""

    case: EdgeCase
    step: Step
    version: str
    owner: str | None
    tribal: bool
    visit: float


def _steps_text(steps: dict[str, Step], ids: tuple[str, ...]) -> str:
    return ", ".join(f"'{steps[i].label}' ({i})" for i in ids)


def _trace(data: AuditInput, out: FindingList) -> list[_Traced]:
    """Every edge case the redesign must handle: its own, and current ones it carries; the
    current ones it retires or drops are reported (see :mod:`lastmile_flows.analysis.fates`)."""
    traced = [
        _Traced(
            case,
            step,
            "redesigned",
            case.owner,
            case.tribal,
            data.visits_redesigned.get(step.id, 0.0),
        )
        for step, case in data.redesigned.edge_cases()
    ]
    cases = {case.id: (step, case) for step, case in data.current.edge_cases()}
    steps_now = {step.id: step for step in data.redesigned.steps}
    for fate in data.fates:
        step, case = cases[fate.edge_case]
        if fate.fate == "retired":
            out.add(
                "edge_case.retired",
                f"Exception '{case.label}' ({case.id}) of '{step.label}' is retired by the "
                f"redesign: {fate.reason}",
                case.id,
                step.id,
                version="current",
            )
        elif fate.fate == "dropped":
            _report_dropped(data, fate, step, case, steps_now, out)
        elif fate.fate == "carried":
            traced.append(_carried(data, step, case, steps_now[fate.now_at[0]], out))
    return traced


def _report_dropped(
    data: AuditInput,
    fate: EdgeCaseFate,
    step: Step,
    case: EdgeCase,
    steps_now: dict[str, Step],
    out: FindingList,
) -> None:
    """A current edge case that nobody in the redesign is set up to handle, and how often."""
    often = how_often(case.rate, data.visits_current.get(step.id, 0.0), data.volume_per_month)
    fate_of_step = (
        f"its step is now done by {_steps_text(steps_now, fate.now_at)}, which "
        "neither restates nor retires it"
        if fate.now_at
        else "its step is gone and no step of the redesign handles it"
    )
    out.add(
        "edge_case.dropped",
        f"Exception '{case.label}' ({case.id}) at '{step.label}' ({often}) is dropped: "
        f"{fate_of_step}, so nobody is set up to handle it (owner today: "
        f"{case.owner or 'nobody'}).",
        case.id,
        step.id,
        version="current",
    )


def _carried(
    data: AuditInput, step: Step, case: EdgeCase, carrier: Step, out: FindingList
) -> _Traced:
    """A current edge case of ``step`` that ``carrier``, the same step in the redesign, carries
    unstated (reported): at ``carrier`` now."""
    out.add(
        "edge_case.carried_implicitly",
        f"Exception '{case.label}' ({case.id}) of '{step.label}' is carried by the same "
        f"step, done by the same role, without being restated; confirm who handles it "
        f"now (assumed: {case.owner or 'nobody'}).",
        case.id,
        carrier.id,
    )
    return _Traced(
        case,
        carrier,
        "carried",
        case.owner,
        case.tribal,
        data.visits_redesigned.get(carrier.id, 0.0),
    )


def audit_edge_cases(data: AuditInput, out: FindingList) -> None:
    roles_now = {role.id: role for role in data.redesigned.roles}
    roles_before = {role.id: role for role in data.current.roles}
    for item in _trace(data, out):
        case, step = item.case, item.step
        where = f"Exception '{case.label}' ({case.id}) at '{step.label}'"
        often = how_often(case.rate, item.visit, data.volume_per_month)
        if item.owner is None:
            out.add(
                "edge_case.no_owner",
                f"{where} ({often}) has no failure owner: when it happens, nobody is "
                "accountable for recovering the case.",
                case.id,
                step.id,
            )
            continue
        role = roles_now.get(item.owner)
        former = roles_before.get(item.owner)
        if role is None or role.headcount == 0:
            what = "a role the redesign removes" if role is None else "a role with no one in it"
            out.add(
                "edge_case.owner_removed",
                f"{where} ({often}) is owned by {role_text(role or former, item.owner)}, {what}: "
                "nobody is left to handle it.",
                case.id,
                step.id,
                item.owner,
            )
        elif role.kind != "human":
            out.add(
                "edge_case.owner_not_human",
                f"{where} is owned by {role_text(role, item.owner)}, a {role.kind} role: name the "
                "person accountable when it goes wrong.",
                case.id,
                step.id,
                item.owner,
            )
        if item.tribal and former is not None and _loses_headcount(former, role):
            before = f"{former.headcount:g}" if former.headcount is not None else "some"
            after = people(role.headcount if role is not None and role.headcount is not None else 0)
            out.add(
                "edge_case.tribal_knowledge_at_risk",
                f"{where} is handled from know-how that lives only in people, and its owner "
                f"{role_text(former, item.owner)} goes from {before} to {after}: "
                "write the handling down before the change.",
                case.id,
                step.id,
                item.owner,
            )


def _loses_headcount(before: Role, after: Role | None) -> bool:
    if after is None or after.headcount == 0:
        return True
    if before.headcount is None or after.headcount is None:
        return False
    return after.headcount < before.headcount
