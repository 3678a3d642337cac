"""``lastmile check``: everything a review of process models needs, with one verdict.

For every model file under the given paths: it loads and is valid (model problems, warnings
included), its redesign's audit has no finding at the chosen severity or worse, and its SVGs are
current (drawn from this model by this renderer). Built for pre-commit hooks and CI.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lastmile_flows.analysis.comparison import compare
from lastmile_flows.analysis.rules import SEVERITIES, Severity
from lastmile_flows.config import FailOn
from lastmile_flows.errors import InvalidModelError, LastmileError
from lastmile_flows.files import Loaded, discover, load_all
from lastmile_flows.model import Problem, Redesign, problems
from lastmile_flows.render.batch import files_under, plan_loaded, stale

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
    """False when asked not to, or when a model did not load (the SVGs need every model)."""
    issues: list[Issue] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    """Files that cannot be read at all (with the reason)."""

    @property
    def failed(self) -> bool:
        return any(issue.fails for issue in self.issues)


def _fails(severity: Severity, fail_on: FailOn) -> bool:
    if fail_on == "never":
        return False
    return SEVERITIES.index(severity) <= SEVERITIES.index(fail_on)


def _problem(source: str, problem: Problem, fails: bool) -> Issue:
    if problem.file:
        source = f"{problem.file}:{problem.line}" if problem.line else problem.file
    where = f"at {problem.where}: " if problem.where else ""
    return Issue(source, problem.severity, problem.rule, where + problem.message, fails)


def _audit(item: Loaded, report: CheckReport, fail_on: FailOn, severity: Mapping[str, str]) -> None:
    for problem in problems(item.model):
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
) -> CheckReport:
    """Check the model files under ``paths`` (see the module docstring). A finding fails the
    check when its severity is ``fail_on`` or worse; invalid models and stale or missing SVGs
    always do. ``out`` is where the SVGs live, as for ``lastmile render --out``."""
    given = list(paths)
    report = CheckReport()
    files = discover(given)
    report.files = len(files)
    models: dict[Path, list[Loaded]] = {}
    for file in files:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # BPMN import notes are not problems of the model
            try:
                loaded = load_all(file)
            except InvalidModelError as error:
                report.issues += [_problem(str(file), p, True) for p in error.problems]
                continue
            except LastmileError as error:
                report.unreadable.append(str(error))
                continue
        models[file] = loaded
        report.models += len(loaded)
        for item in loaded:
            _audit(item, report, fail_on, severity or {})
    if svgs and not report.unreadable:
        _svgs(given, models, report, out, backend)
    return report


def _svgs(
    given: list[str | os.PathLike[str]],
    models: dict[Path, list[Loaded]],
    report: CheckReport,
    out: str | os.PathLike[str] | None,
    backend: str,
) -> None:
    """Stale SVGs of the models already loaded (a file only a render would read, such as a
    process file given beside its redesign, is loaded here)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = [
                (file, root, models[file] if file in models else load_all(file))
                for file, root in files_under(given)
            ]
    except LastmileError:
        return  # an invalid model, reported above: the SVGs are checked once all models load
    targets = plan_loaded(found, out)
    report.svgs = len(targets)
    report.svgs_checked = True
    for target, reason in stale(targets, backend):
        report.issues.append(
            Issue(str(target.path), "error", "svg", f"{reason} (from {target.source})", True)
        )
