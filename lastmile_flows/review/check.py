"""``lastmile check``: everything a review of process models needs, with one verdict.

For every model file under the given paths: it loads and is valid (model problems, warnings
included), its redesign's audit has no finding at the chosen severity or worse, and its SVGs are
current (drawn from this model by this renderer). Built for pre-commit hooks and CI.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lastmile_flows.discovery import Skipped, candidates, file_kind, survey
from lastmile_flows.errors import SHOWN_PROBLEMS, InvalidModelError, LastmileError
from lastmile_flows.severity import FailOn, Severity, at_or_worse

if TYPE_CHECKING:
    from lastmile_flows.files import Loaded
    from lastmile_flows.model import Problem

__all__ = ["CheckReport", "Issue", "check"]


@dataclass(frozen=True)
class Issue:
    """One thing the check found, in one file."""

    source: str
    severity: Severity
    """``error``, ``warning`` or ``info`` (``error`` for invalid models and stale SVGs)."""
    code: str
    """A rule code (``LM101``), a model problem's code, or ``svg``."""
    message: str
    fails: bool
    """Counts against the check at the chosen ``fail_on``."""

    def __str__(self) -> str:
        return f"{self.source}: {self.severity} {self.code} {self.message}"


@dataclass
class CheckReport:
    files: int = 0
    models: int = 0
    svgs: int = 0
    svgs_checked: bool = False
    """False when asked not to."""
    svgs_unchecked: list[str] = field(default_factory=list)
    """Model files whose SVGs were not checked, because the model does not load."""
    issues: list[Issue] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    """Files that cannot be read at all (with the reason)."""
    skipped: list[Skipped] = field(default_factory=list)
    """Files under the given folders that are not models, and why."""
    parts: int = 0
    """Process files checked as part of the redesign file that names them."""

    @property
    def failed(self) -> bool:
        return any(issue.fails for issue in self.issues)


def _fails(severity: Severity, fail_on: FailOn) -> bool:
    return at_or_worse(severity, fail_on)


def _problem(source: str, problem: Problem, fails: bool) -> Issue:
    if problem.file:
        source = f"{problem.file}:{problem.line}" if problem.line else problem.file
    where = f"at {problem.where}: " if problem.where else ""
    return Issue(source, problem.severity, problem.rule, where + problem.message, fails)


def _audit(item: Loaded, report: CheckReport, fail_on: FailOn, severity: Mapping[str, str]) -> None:
    from lastmile_flows.analysis.comparison import compare
    from lastmile_flows.model import Redesign

    for problem in item.warnings:
        report.issues.append(_problem(item.source, problem, _fails(problem.severity, fail_on)))
    if not isinstance(item.model, Redesign):
        return
    for finding in compare(item.model, severity=severity).findings:
        ids = ", ".join(finding.element_ids)
        report.issues.append(
            Issue(
                item.source,
                finding.severity,
                finding.code,
                f"{finding.name} [{ids}] {finding.message}",
                _fails(finding.severity, fail_on),
            )
        )


def check(
    paths: Iterable[str | os.PathLike[str]],
    *,
    fail_on: FailOn = "error",
    severity: Mapping[str, str] | None = None,
    svgs: bool = True,
    out: str | os.PathLike[str] | None = None,
    backend: str = "wasm",
    python: bool = True,
) -> CheckReport:
    """Check the model files under ``paths`` (see the module docstring). A finding fails the
    check when its severity is ``fail_on`` or worse; invalid models and stale or missing SVGs
    always do. ``out`` is where the SVGs live, as for ``lastmile render --out``.

    ``python=False`` runs no Python model: each ``.py`` model file fails the check instead
    (for repositories that accept models from outside)."""
    given = list(paths)
    report = CheckReport()
    early = _python_models_started(given) if python else {}
    found = survey(given)
    files = found.files
    report.files = len(files)
    report.parts = len(found.parts)
    report.skipped = found.skipped
    models: dict[Path, list[Loaded]] = {}
    for file in files:
        loaded = _loaded(file, early, report, python=python)
        if loaded is None:
            continue
        models[file] = loaded
        report.models += len(loaded)
        for item in loaded:
            _audit(item, report, fail_on, severity or {})
    if svgs:
        _svgs(given, models, report, out, backend, python)
    return report


def _loaded(
    file: Path, early: Mapping[Path, Future[list[Loaded]]], report: CheckReport, *, python: bool
) -> list[Loaded] | None:
    """The models of ``file`` (from its started child, for a Python model), or ``None`` with
    why in ``report``: refused, invalid (its problems) or unreadable."""
    if not python and file_kind(file) == "python":
        report.issues.append(
            Issue(
                str(file),
                "error",
                "python-not-run",
                "a Python model is code and running it is turned off (--no-python, or "
                "run_python = false in [tool.lastmile_flows]): write it as YAML or JSON",
                True,
            )
        )
        return None
    from lastmile_flows.files import load_all  # after the Python models' children have started

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # BPMN import notes are not problems of the model
        try:
            return early[file].result() if file in early else load_all(file)
        except InvalidModelError as error:
            shown = error.problems[:SHOWN_PROBLEMS]
            report.issues += [_problem(str(file), p, True) for p in shown]
            if len(error.problems) > SHOWN_PROBLEMS:
                hidden = len(error.problems) - SHOWN_PROBLEMS
                report.issues.append(
                    Issue(str(file), "error", "more", f"... and {hidden:,} more problems", True)
                )
        except LastmileError as error:
            report.unreadable.append(str(error))
    return None


def _python_models_started(
    given: list[str | os.PathLike[str]],
) -> dict[Path, Future[list[Loaded]]]:
    """Each Python model file under ``given`` read in a thread of its own from now on: its
    child process starts before this one reads a file or loads any model code, and runs while
    this one reads the data files (results and errors arrive through the futures). A Python
    file is always a model file of its own, never part of a redesign file."""
    found = dict.fromkeys(file for path in given for file in candidates(Path(path)))
    python = [file for file in found if file_kind(file) == "python"]
    if not python:
        return {}
    pool = ThreadPoolExecutor(max_workers=min(4, len(python)), thread_name_prefix="model")
    started = {file: pool.submit(_read_python, file) for file in python}
    pool.shutdown(wait=False)
    return started


def _read_python(file: Path) -> list[Loaded]:
    from lastmile_flows.python_models import run_module

    entries = run_module(file)
    from lastmile_flows.files import load_module_report

    return load_module_report(file, entries)


def _svgs(
    given: list[str | os.PathLike[str]],
    models: dict[Path, list[Loaded]],
    report: CheckReport,
    out: str | os.PathLike[str] | None,
    backend: str,
    python: bool,
) -> None:
    """Stale SVGs of each model that loaded (a file only a render would read, such as a process
    file given beside its redesign, is loaded here); a model that does not load has its
    problems reported above and its SVGs counted in ``svgs_unchecked``."""
    from lastmile_flows.files import load_all
    from lastmile_flows.review.batch import files_under, plan_loaded, stale

    found = []
    for file, root in files_under(given):
        loaded = models.get(file)
        if loaded is None and (python or file_kind(file) != "python"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    loaded = load_all(file)
                except LastmileError:
                    loaded = None
        if loaded is None:
            report.svgs_unchecked.append(str(file))
            continue
        found.append((file, root, loaded))
    targets = plan_loaded(found, out)
    report.svgs = len(targets)
    report.svgs_checked = True
    for target, reason in stale(targets, backend):
        report.issues.append(
            Issue(str(target.path), "error", "svg", f"{reason} (from {target.source})", True)
        )
