"""Conformance, as practised against as documented: ``conform(process, log)``.

Each variant of the log is mapped onto the model (:mod:`.mapping`) and aligned with it
(:mod:`.replay`); the findings are weighted by the variant's cases:

- **skipped steps**: a documented step practice leaves out (a model move);
- **undocumented activities**: what practice does that the model lacks (the workarounds), with
  the step they most often come after;
- **steps out of place**: a documented step done where the model does not allow it (a log move
  of a mapped activity), and the most frequent **deviating paths** as whole sequences;
- the **fitting share**: cases replayed with no deviation, and the share that fits once the
  undocumented activities are set aside.

A case whose optimal alignment takes more than ``max_states`` search states (wide parallel or
inclusive blocks) is judged by token replay instead (:mod:`.tokens`), and counted as such.

Activities mapped to edge cases, or to nothing on purpose, are not part of the replay.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from lastmile_flows.evidence.forms import JsonForm
from lastmile_flows.evidence.mapping import ActivityMap, map_activities
from lastmile_flows.evidence.read import EventLog
from lastmile_flows.evidence.replay import Alignment, align_trace, net_of
from lastmile_flows.evidence.tokens import token_replay
from lastmile_flows.evidence.traces import Variant, variants
from lastmile_flows.model import Process

__all__ = [
    "UNDOCUMENTED",
    "Conformance",
    "Deviation",
    "Path",
    "Replayed",
    "conform",
    "replay",
]

UNDOCUMENTED = "~"
"""Prefix of an activity the model lacks, in a replayed trace (no id can start with it)."""
EXAMPLES = 3


@dataclass(frozen=True)
class Replayed:
    """One variant, the trace replayed (step ids, ``~``-prefixed undocumented activities) and
    its alignment."""

    variant: Variant
    trace: tuple[str, ...]
    alignment: Alignment


def replay(
    process: Process,
    found: tuple[Variant, ...],
    mapping: ActivityMap,
    *,
    max_states: int = 2_000,
) -> tuple[Replayed, ...]:
    """Every variant aligned with ``process``; equal traces are aligned once."""
    steps = mapping.steps(process)
    net = net_of(process)
    done: dict[tuple[str, ...], Alignment] = {}
    result = []
    for variant in found:
        trace = tuple(
            steps[a] if a in steps else UNDOCUMENTED + a
            for a in variant.activities
            if a in steps or a in mapping.undocumented
        )
        if trace not in done:
            aligned = align_trace(net, trace, max_states=max_states)
            done[trace] = aligned if aligned.judged else token_replay(net, trace)
        result.append(Replayed(variant, trace, done[trace]))
    return tuple(result)


@dataclass(frozen=True)
class Deviation:
    """A step skipped, an undocumented activity, or a step done out of place."""

    name: str
    """The step id, or the activity as the log names it."""
    label: str
    """The step's name (or id), or the activity."""
    cases: int
    share: float
    events: int
    examples: tuple[str, ...]
    after: str | None = None
    """The step it most often comes after (for an undocumented activity)."""
    before: str | None = None
    """The step it most often comes before (for an undocumented activity)."""


@dataclass(frozen=True)
class Path:
    """A deviating variant: its activities, cases and an example."""

    activities: tuple[str, ...]
    cases: int
    share: float
    example: str
    cost: int


@dataclass(frozen=True)
class Conformance(JsonForm):
    """How the cases of a log fit a process (see the module docstring)."""

    source: str
    process: str
    cases: int
    variants: int
    fitting_cases: int
    fitting_share: float
    fitting_documented_cases: int
    """Cases that fit once their undocumented activities are set aside."""
    not_judged_cases: int
    token_replayed_cases: int
    """Cases whose alignment search hit its bound, judged by token replay instead."""
    skipped: tuple[Deviation, ...]
    undocumented: tuple[Deviation, ...]
    out_of_place: tuple[Deviation, ...]
    paths: tuple[Path, ...]
    step_cases: dict[str, int]
    """Cases that reach each step in the replay (what the skipped share is of)."""

    def to_markdown(self) -> str:
        from lastmile_flows.evidence.conformreport import conformance_markdown

        return conformance_markdown(self)

    def to_text(self) -> str:
        from lastmile_flows.evidence.conformreport import conformance_text

        return conformance_text(self)


def _deviations(
    cases: Counter[str],
    events: Counter[str],
    examples: dict[str, set[str]],
    total: int,
    labels: dict[str, str],
    after: dict[str, Counter[str]] | None = None,
    before: dict[str, Counter[str]] | None = None,
) -> tuple[Deviation, ...]:
    def most(counter: Counter[str] | None) -> str | None:
        if not counter:
            return None
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[0][0]

    return tuple(
        sorted(
            (
                Deviation(
                    name,
                    labels.get(name, name),
                    count,
                    round(count / total, 4) if total else 0.0,
                    events[name],
                    tuple(sorted(examples[name])[:EXAMPLES]),
                    most((after or {}).get(name)),
                    most((before or {}).get(name)),
                )
                for name, count in cases.items()
            ),
            key=lambda d: (-d.cases, d.name),
        )
    )


@dataclass
class _Tally:
    """The replayed variants counted, each weighted by its cases: deviations by kind
    (``skipped``, ``undocumented``, ``out_of_place``) and name, the steps each undocumented
    activity comes after and before, the steps reached, and the deviating paths."""

    counts: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    events: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    examples: defaultdict[str, defaultdict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    after: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    before: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    reached: Counter[str] = field(default_factory=Counter)
    fitting: int = 0
    fitting_documented: int = 0
    not_judged: int = 0
    token_replayed: int = 0
    deviating: list[Path] = field(default_factory=list)

    def add(self, item: Replayed) -> None:
        """Count one replayed variant."""
        weight, example = item.variant.cases, item.variant.example
        alignment = item.alignment
        if not alignment.judged:
            self.not_judged += weight
            return
        if alignment.method == "token replay":
            self.token_replayed += weight
        if alignment.fits:
            self.fitting += weight
        seen, only_undocumented = self._moves(alignment, weight)
        for kind, name in seen:
            if kind == "reached":
                self.reached[name] += weight
            else:
                self.counts[kind][name] += weight
                self.examples[kind][name].add(example)
        if alignment.fits or only_undocumented:
            self.fitting_documented += weight
        if not alignment.fits:
            self.deviating.append(
                Path(item.variant.activities, weight, 0.0, example, alignment.cost)
            )

    def _moves(self, alignment: Alignment, weight: int) -> tuple[set[tuple[str, str]], bool]:
        """The (kind, name) pairs one alignment reaches or deviates by, and whether its only
        deviations are undocumented activities; counts the deviating events and the steps
        around each undocumented activity."""
        seen: set[tuple[str, str]] = set()
        last_step: str | None = None
        pending: list[str] = []
        only_undocumented = True
        for move in alignment.moves:
            if move.kind == "silent" or move.activity is None:
                continue
            if move.kind == "sync":
                seen.add(("reached", move.activity))
                for name in pending:
                    self.before[name][move.activity] += weight
                pending, last_step = [], move.activity
                continue
            if move.kind == "model":
                seen.add(("reached", move.activity))
                key = ("skipped", move.activity)
                only_undocumented = False
            elif move.activity.startswith(UNDOCUMENTED):
                name = move.activity[len(UNDOCUMENTED) :]
                key = ("undocumented", name)
                if last_step is not None:
                    self.after[name][last_step] += weight
                pending.append(name)
            else:
                key = ("out_of_place", move.activity)
                only_undocumented = False
            self.events[key[0]][key[1]] += weight
            seen.add(key)
        return seen, only_undocumented

    def deviations(
        self, kind: str, total: int, labels: dict[str, str], *, neighbours: bool = False
    ) -> tuple[Deviation, ...]:
        """The deviations of one kind, most cases first; with the steps around them when
        ``neighbours``."""
        return _deviations(
            self.counts[kind],
            self.events[kind],
            self.examples[kind],
            total,
            labels,
            self.after if neighbours else None,
            self.before if neighbours else None,
        )

    def paths(self, most: int, total: int) -> tuple[Path, ...]:
        """The ``most`` most frequent deviating paths, equal activity sequences merged."""
        merged: dict[tuple[str, ...], Path] = {}
        for path in self.deviating:
            old = merged.get(path.activities)
            merged[path.activities] = (
                path
                if old is None
                else Path(
                    path.activities,
                    old.cases + path.cases,
                    0.0,
                    min(old.example, path.example),
                    path.cost,
                )
            )
        top = sorted(merged.values(), key=lambda p: (-p.cases, p.example))[:most]
        return tuple(
            Path(p.activities, p.cases, round(p.cases / total, 4), p.example, p.cost) for p in top
        )


def conform(
    process: Process,
    log: EventLog,
    *,
    mapping: ActivityMap | None = None,
    paths: int = 10,
    max_states: int = 2_000,
) -> Conformance:
    """Check ``log`` against ``process``: skipped steps, undocumented activities, steps out of
    place, deviating paths and the fitting share (see the module docstring)."""
    found = variants(log)
    chosen = mapping or map_activities(process, {a for v in found for a in v.activities})
    total = sum(v.cases for v in found)
    labels = {step.id: step.label for step in process.steps}
    tally = _Tally()
    for item in replay(process, found, chosen, max_states=max_states):
        tally.add(item)
    return Conformance(
        source=log.source,
        process=process.id,
        cases=total,
        variants=len(found),
        fitting_cases=tally.fitting,
        fitting_share=round(tally.fitting / total, 4) if total else 0.0,
        fitting_documented_cases=tally.fitting_documented,
        not_judged_cases=tally.not_judged,
        token_replayed_cases=tally.token_replayed,
        skipped=tally.deviations("skipped", total, labels),
        undocumented=tally.deviations("undocumented", total, {}, neighbours=True),
        out_of_place=tally.deviations("out_of_place", total, labels),
        paths=tally.paths(paths, total),
        step_cases={step.id: tally.reached[step.id] for step in process.steps},
    )
