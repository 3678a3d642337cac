"""``calibrate(model, log)``: a model's assumed numbers replaced by measured ones, each with its
evidence.

What is measured, for the elements the mapping reaches (:mod:`.mapping`):

- a step's ``touch_minutes``: the mean of end - start over its events (logs with start times);
- its ``wait_minutes``: the mean time from the previous event's completion in the case to the
  step's start; with completion times only, the time between completions less the step's
  touch minutes (the log cannot tell waiting from working);
- a decision's branch ``probability``: the share of the gateway's passes that took the branch,
  where a pass is a step before the gateway directly followed (mapped steps only) by a step the
  branch leads to, looking through other gateways and events, so rework loops count each turn
  (an activity that follows in a parallel branch is not counted as a pass);
- an edge case's ``rate``: its activity's events per visit of its step; its
  ``handling_minutes``: the activity's mean duration;
- a role's ``headcount``: the mean number of distinct resources doing its steps in a month
  (people seen at work, not FTE);
- the volume: the mean number of cases started per full month.

A figure measured from fewer than ``min_observations`` observations is left as assumed, and
said so in the notes; so are the probabilities of a decision whose measured shares would leave a
loop with no way out (a log cut short, or one whose exits run through unmapped activities).
Every measured figure gets an :class:`~lastmile_flows.model.Evidence` record; older records for
the same figure are replaced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lastmile_flows.errors import InvalidModelError, LogError
from lastmile_flows.evidence.branches import branch_shares
from lastmile_flows.evidence.collect import Collect
from lastmile_flows.evidence.engine import rows
from lastmile_flows.evidence.mapping import ActivityMap, map_activities
from lastmile_flows.evidence.queries import for_engine
from lastmile_flows.evidence.read import EventLog
from lastmile_flows.evidence.staffing import headcounts
from lastmile_flows.evidence.staffing import volume as monthly_volume
from lastmile_flows.evidence.stats import duration, share
from lastmile_flows.evidence.traces import Variant, variants
from lastmile_flows.model import Evidence, Process, Redesign

__all__ = ["Calibration", "calibrate"]


@dataclass(frozen=True)
class Calibration:
    """The calibrated model, the new evidence, and what stayed assumed (``notes``)."""

    model: Process | Redesign
    process: Process
    evidence: tuple[Evidence, ...]
    volume_per_month: float | None
    mapping: ActivityMap
    notes: tuple[str, ...]


def calibrate(
    model: Process | Redesign,
    log: EventLog,
    *,
    mapping: Mapping[str, Any] | ActivityMap | None = None,
    min_observations: int = 5,
) -> Calibration:
    """Calibrate ``model`` (a process, or a redesign's current process) from ``log``.

    ``mapping`` is a mapping file's data (``activities``, ``resources``) or an
    :class:`ActivityMap`; by default activities map to steps by name.
    """
    process = model.current if isinstance(model, Redesign) else model
    found = variants(log)
    activities = sorted({a for v in found for a in v.activities})
    groups = [
        str(r[0])
        for r in rows(log.connection, "SELECT DISTINCT role FROM events WHERE role IS NOT NULL")
    ]
    chosen = (
        mapping
        if isinstance(mapping, ActivityMap)
        else map_activities(process, activities, given=mapping, log_roles=groups)
    )
    out = Collect(log)
    out.notes += chosen.notes
    _register_map(log, chosen)
    cases = sum(v.cases for v in found)
    changes = _durations(process, log, chosen, out, min_observations, found)
    out.cases = cases
    branches = branch_shares(process, found, chosen, out, min_observations)
    roles = headcounts(process, log, chosen, out, cases)
    volume = monthly_volume(process, log, out, cases)
    calibrated = _apply_valid(process, changes, branches, roles, out)
    result: Process | Redesign = calibrated
    if isinstance(model, Redesign):
        result = model.replace(
            current=calibrated,
            volume_per_month=volume if volume is not None else model.volume_per_month,
        )
    return Calibration(result, calibrated, tuple(out.records), volume, chosen, tuple(out.notes))


def _register_map(log: EventLog, mapping: ActivityMap) -> None:
    connection = log.connection
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE activity_map (activity VARCHAR, element VARCHAR)"
    )
    pairs = [(a, e) for a, e in sorted(mapping.activities.items()) if e is not None]
    if pairs:
        values = ", ".join("(?, ?)" for _ in pairs)
        connection.execute(
            f"INSERT INTO activity_map VALUES {values}", [x for pair in pairs for x in pair]
        )


def _element_cases(found: tuple[Variant, ...], mapping: ActivityMap) -> Counter[str]:
    """Cases in which each element (step or edge case) happens, from the variants."""
    cases: Counter[str] = Counter()
    for variant in found:
        for element in {mapping.activities.get(a) for a in variant.activities} - {None}:
            cases[str(element)] += variant.cases
    return cases


def _durations(
    process: Process,
    log: EventLog,
    mapping: ActivityMap,
    out: Collect,
    least: int,
    found: tuple[Variant, ...],
) -> dict[tuple[str, str], float]:
    """New touch, wait, rate and handling minutes by (element, field)."""
    measure = _Measure(out, least, timed=log.timing != "complete")
    element_cases = _element_cases(found, mapping)
    touch: dict[str, tuple[Any, ...]] = {}
    wait: dict[str, tuple[Any, ...]] = {}
    for element, events, timed, mean, sd, quantiles, waited, *waits, wait_quantiles in rows(
        log.connection, for_engine("element_times")
    ):
        touch[str(element)] = (element, events, timed, mean, sd, *(quantiles or (None, None)))
        if waited:
            wait[str(element)] = (element, waited, *waits, *wait_quantiles)
    for step in process.steps:
        row = touch.get(step.id)
        if row is None:
            out.notes.append(
                f"step {step.id!r}: no activity of the log maps to it; kept as assumed"
            )
            continue
        step_cases = int(element_cases[step.id])
        measured = measure.mean_duration(step.id, "touch_minutes", row, step_cases)
        if measure.timed and not measured:
            out.notes.append(f"step {step.id!r}: {row[2]} timed events; touch minutes kept")
        touch_minutes = measure.changes.get((step.id, "touch_minutes"), step.touch_minutes)
        measure.wait(step.id, wait.get(step.id), step_cases, touch_minutes)
        for case in step.edge_cases:
            measure.edge_case(case.id, touch.get(case.id), int(row[1]), step_cases)
    if not measure.timed:
        out.notes.append(
            "the log has completion times only: touch minutes stay assumed, and waits are the "
            "time between completions less them"
        )
    return measure.changes


@dataclass
class _Measure:
    """Figures measured from one log's durations: the new values by (element, field) in
    ``changes``, their evidence in ``out``; fewer than ``least`` observations leave a figure
    as assumed, and a log without start times (not ``timed``) has no touch or handling times."""

    out: Collect
    least: int
    timed: bool
    changes: dict[tuple[str, str], float] = field(default_factory=dict)

    def mean_duration(self, element: str, name: str, row: Any, cases: int) -> bool:
        """Set the field ``name`` to the mean of end - start over the element's events (the
        first seven fields of an ``element_times`` row), when the log has start times and enough
        of them; whether it did."""
        _, _, n_timed, mean, sd, median, p90 = row
        measured = duration(int(n_timed), mean, sd, median, p90) if self.timed else None
        if measured is None or measured.n < self.least:
            return False
        self.changes[(element, name)] = measured.mean
        self.out.add_duration(
            element, name, measured.mean, cases, measured, "mean of end - start over its events"
        )
        return True

    def wait(self, element: str, row: Any, cases: int, touch: float) -> None:
        """A step's wait minutes (the element and the last five fields of an ``element_times``
        row); with completion times only, the time between completions less its ``touch``
        minutes."""
        if row is None:
            return
        _, n, mean, sd, median, p90 = row
        measured = duration(int(n), mean, sd, median, p90)
        if measured is None or measured.n < self.least:
            return
        value = measured.mean if self.timed else round(max(0.0, measured.mean - touch), 2)
        method = (
            "mean time from the previous event's completion to its start"
            if self.timed
            else f"mean time between completions ({measured.mean} min) less the touch minutes"
        )
        self.changes[(element, "wait_minutes")] = value
        self.out.add_duration(element, "wait_minutes", value, cases, measured, method)

    def edge_case(self, case_id: str, row: Any, step_events: int, step_cases: int) -> None:
        """An edge case's rate per visit of its step, and its handling minutes."""
        if row is None:
            self.out.notes.append(
                f"edge case {case_id!r}: no activity of the log maps to it; rate kept"
            )
            return
        count = row[1]
        rate = share(min(int(count), step_events), step_events)
        self.changes[(case_id, "rate")] = rate.value
        self.out.add(
            case_id,
            "rate",
            rate.value,
            step_cases,
            observations=step_events,
            low=rate.low,
            high=rate.high,
            method=f"{count} events per {step_events} visits of its step",
        )
        self.mean_duration(case_id, "handling_minutes", row, int(count))


def _apply_valid(
    process: Process,
    changes: dict[tuple[str, str], float],
    branches: dict[tuple[str, str], float],
    headcounts: dict[str, float],
    out: Collect,
) -> Process:
    """The calibrated process, valid. A decision whose measured shares leave a loop with no
    way out (the log never shows a case leaving it through a branch, so its share is 0) keeps
    its assumed probabilities, and a note says so; any other broken rule is a
    :class:`~lastmile_flows.LogError`."""
    branches = dict(branches)
    while True:
        try:
            calibrated = _apply(process, changes, branches, headcounts, out.records)
        except InvalidModelError as error:
            # the rule names the decisions whose ways out all carry 0
            stuck = {p.element_id for p in error.problems if p.rule == "loop-without-exit"}
            measured = {gateway for gateway, _ in branches}
            reverted = [g.id for g in process.gateways if g.id in stuck & measured]
            if not reverted:
                raise LogError(f"the measured figures break the model's rules: {error}") from None
            for gateway in reverted:
                out.notes.append(
                    f"gateway {gateway!r}: a branch no case took in the log would leave a loop "
                    "with no way out; probabilities kept as assumed"
                )
            branches = {key: v for key, v in branches.items() if key[0] not in reverted}
            out.records[:] = [
                r for r in out.records if not (r.element in reverted and r.field == "probability")
            ]
            continue
        _check_valid(calibrated)
        return calibrated


def _check_valid(process: Process) -> None:
    """Refuse figures the model's rules refuse: the copies of steps, edge cases and roles that
    carry measured figures are not validated on their own, and an out-of-range figure must stop
    here with a clear error, not in a file that will not load."""
    try:
        Process.parse(process.model_dump(mode="json", exclude_unset=True))
    except InvalidModelError as error:
        raise LogError(f"the measured figures break the model's rules: {error}") from None


def _apply(
    process: Process,
    changes: dict[tuple[str, str], float],
    branches: dict[tuple[str, str], float],
    headcounts: dict[str, float],
    records: list[Evidence],
) -> Process:
    steps = []
    for step in process.steps:
        cases = tuple(
            case.model_copy(
                update={
                    f: changes[(case.id, f)]
                    for f in ("rate", "handling_minutes")
                    if (case.id, f) in changes
                }
            )
            for case in step.edge_cases
        )
        update = {
            f: changes[(step.id, f)]
            for f in ("touch_minutes", "wait_minutes")
            if (step.id, f) in changes
        }
        steps.append(step.model_copy(update={**update, "edge_cases": cases}))
    gateways = tuple(
        gateway.model_copy(
            update={
                "branches": tuple(
                    b.model_copy(update={"probability": branches[(gateway.id, b.to)]})
                    if (gateway.id, b.to) in branches
                    else b
                    for b in gateway.branches
                )
            }
        )
        for gateway in process.gateways
    )
    flows = tuple(
        f.model_copy(update={"probability": branches[(f.source, f.target)]})
        if (f.source, f.target) in branches and f.probability is not None
        else f
        for f in process.flows
    )
    roles = tuple(
        role.model_copy(update={"headcount": headcounts[role.id]})
        if role.id in headcounts
        else role
        for role in process.roles
    )
    new_keys = {record.key for record in records}
    kept = tuple(record for record in process.evidence if record.key not in new_keys)
    return process.replace(
        steps=tuple(steps),
        gateways=gateways,
        flows=flows,
        roles=roles,
        evidence=kept + tuple(records),
    )
