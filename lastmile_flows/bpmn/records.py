"""The records the import's first pass (:mod:`collect`) fills and its second
(:mod:`assemble`) reads: plain data, in document order, and the BPMN-to-model id map."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from lastmile_flows.bpmn.names import local

__all__ = [
    "Collected",
    "IdMap",
    "ImportNote",
    "RawBoundary",
    "RawFlow",
    "RawNode",
    "RawRole",
    "line_of",
]

_BAD_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class ImportNote:
    """Something in the file that the model does not carry, or that the import had to assume."""

    message: str
    element_id: str | None = None
    tag: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        element = f"<{self.tag} id={self.element_id!r}> " if self.tag else ""
        return f"{where}{element}{self.message}"


_VALID_IDS = re.compile(r"(?:\A|(?<=\x00))([A-Za-z_][A-Za-z0-9_-]*)(?=\x00|\Z)")
"""Valid model ids among NUL-separated ones."""


class IdMap:
    """BPMN ids (XML NCNames) to model ids (ASCII letters, digits, '_' and '-'), one to one."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._used: set[str] = set()
        self.renamed: dict[str, str] = {}
        """BPMN ids the model could not keep as they were, and what they became."""

    def __call__(self, bpmn_id: str) -> str:
        if bpmn_id in self._ids:
            return self._ids[bpmn_id]
        base = _BAD_ID_CHARS.sub("_", bpmn_id) or "_"
        if not (base[0].isascii() and (base[0].isalpha() or base[0] == "_")):
            base = "_" + base
        candidate, number = base, 2
        while candidate in self._used:
            candidate, number = f"{base}-{number}", number + 1
        self._ids[bpmn_id] = candidate
        self._used.add(candidate)
        if candidate != bpmn_id and bpmn_id and not bpmn_id.startswith("\x00"):
            self.renamed[bpmn_id] = candidate
        return candidate

    def reserve(self, bpmn_ids: Iterable[str]) -> None:
        """Keep every id that is already a valid model id as it is, whatever comes first in
        the file, so only the ids that must change do (and an ASCII id never yields to a
        rewritten one)."""
        # one regex over all ids at once (XML text cannot hold NUL, so it separates them)
        valid = set(_VALID_IDS.findall("\x00".join(bpmn_ids))) - self._used
        self._ids.update(zip(valid, valid, strict=True))
        self._used |= valid

    def fresh(self, base: str) -> str:
        """A new id, not taken by any BPMN element, for something the import adds."""
        return self(f"\x00{base}") if base in self._used else self(base)

    def known(self, bpmn_id: str) -> str | None:
        return self._ids.get(bpmn_id)

    def copy(self) -> IdMap:
        """An independent map holding the same ids (for a pass that adds its own)."""
        twin = IdMap()
        twin._ids, twin._used, twin.renamed = dict(self._ids), set(self._used), dict(self.renamed)
        return twin


@dataclass(slots=True)
class RawRole:
    id: str
    name: str
    line: int | None
    lane: bool
    fields: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    kind_given: bool = False


@dataclass(slots=True)
class RawNode:
    id: str
    bpmn_id: str
    tag: str
    line: int | None
    category: str  # "step", "event" or "gateway"
    kind: str
    name: str
    role: str | None
    trigger: str | None = None
    notes: list[str] = field(default_factory=list)
    fields: dict[str, object] = field(default_factory=dict)
    unnamed: bool = False
    implicit: bool = False
    pool: str = ""


@dataclass(slots=True)
class RawFlow:
    id: str
    source: str
    target: str
    name: str
    condition: str
    default: bool
    line: int | None
    origin: str | None
    probability: str | None


@dataclass(slots=True)
class RawBoundary:
    id: str
    bpmn_id: str
    attached: str
    name: str
    trigger: str | None
    line: int | None
    fields: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unnamed: bool = False


@dataclass
class Collected:
    """Everything mapped from the file, in document order."""

    path: str | None
    process_id: str = ""
    name: str = ""
    fields: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    ours: bool = False
    roles: list[RawRole] = field(default_factory=list)
    nodes: list[RawNode] = field(default_factory=list)
    flows: list[RawFlow] = field(default_factory=list)
    boundaries: list[RawBoundary] = field(default_factory=list)
    messages: list[tuple[str, str, str, int | None]] = field(default_factory=list)
    retired: list[dict[str, str]] = field(default_factory=list)
    evidence: list[dict[str, str]] = field(default_factory=list)
    starts_by_pool: dict[str, list[str]] = field(default_factory=dict)
    pool_roles: dict[str, str] = field(default_factory=dict)
    defaults: set[str] = field(default_factory=set)
    former_roles: list[str] = field(default_factory=list)
    process_bpmn_id: str | None = None
    report: list[ImportNote] = field(default_factory=list)
    ids: IdMap = field(default_factory=IdMap)

    def note(self, message: str, element: etree._Element | None = None) -> None:
        if element is None:
            self.report.append(ImportNote(message))
            return
        self.report.append(
            ImportNote(message, element.get("id"), local(element.tag), line_of(element))
        )


def line_of(element: etree._Element) -> int | None:
    """The element's line in the file (lxml knows it for parsed elements)."""
    line = element.sourceline
    return line if isinstance(line, int) else None
