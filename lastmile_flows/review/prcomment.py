"""The pull-request comment: what a pull request changes in the process models, and the
comparison of every redesign it touches, as GitHub Markdown.

A pull request is written by someone else, so everything in the comment that comes from it
(file names, model text, error messages quoting a file) is escaped: text through
:func:`lastmile_flows.escape.markdown` (no markup, no mention, no issue link, no autolink), file
contents and messages in code blocks no line can close (:func:`~lastmile_flows.escape.
markdown_block`), file names in HTML through :func:`html.escape`. Nothing a pull request
holds can end its block, post a link, or speak with the bot's voice.

Files come from ``git diff -z`` (any name: spaces, quotes, newlines); which redesigns to compare
comes from :func:`lastmile_flows.discovery.survey` (a process file named by a redesign is
compared through that redesign, not on its own).
"""

from __future__ import annotations

import html
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from lastmile_flows.discovery import file_kind, survey
from lastmile_flows.errors import LastmileError, LoadError
from lastmile_flows.escape import markdown, markdown_block
from lastmile_flows.model import Redesign
from lastmile_flows.python_models import isolated_python

__all__ = ["MARKER", "pull_request_comment"]

MARKER = "<!-- lastmile-comparison -->"
"""The comment's first line: how the workflow finds its own comment to edit."""
_MODEL_PATTERNS = ("*.yaml", "*.yml", "*.json", "*.py", "*.bpmn", "*.xml")
_DIFF_LIMIT = 60_000
"""Characters of diff shown (GitHub refuses comments over 65,536)."""


def _git(arguments: Sequence[str], cwd: Path) -> str:
    git = shutil.which("git")
    if git is None:
        raise LoadError("git is not installed (the comment compares git revisions)")
    done = subprocess.run(
        [git, *arguments],
        cwd=cwd,
        capture_output=True,
        check=False,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"},
    )
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise LoadError(f"git {arguments[0]} failed: {reason[-1] if reason else 'no message'}")
    return done.stdout.decode("utf-8", "replace")


def changed_files(base: str, paths: Sequence[str], cwd: Path) -> list[Path]:
    """Files the pull request (``base...HEAD``) adds, changes or deletes under ``paths``,
    relative to ``cwd``."""
    out = _git(["diff", "--name-only", "-z", "--relative", f"{base}...HEAD", "--", *paths], cwd)
    return sorted(Path(name) for name in out.split("\0") if name)


def _textconv_diff(base: str, paths: Sequence[str], cwd: Path) -> str:
    """``git diff`` with every model file shown by ``lastmile textconv`` (never run)."""
    code = "from lastmile_flows.cli import main; main(['textconv', *sys.argv[1:]])"
    command = " ".join(shlex.quote(part) for part in [*isolated_python(), code])
    with tempfile.TemporaryDirectory() as folder:
        attributes = Path(folder) / "attributes"
        attributes.write_text(
            "".join(f"{pattern} diff=lastmile\n" for pattern in _MODEL_PATTERNS), "utf-8"
        )
        out = _git(
            [
                "-c",
                f"core.attributesFile={attributes}",
                "-c",
                f"diff.lastmile.textconv={command}",
                "diff",
                "--no-color",
                "--no-ext-diff",
                "--relative",
                f"{base}...HEAD",
                "--",
                *paths,
                ":(exclude)*.svg",
            ],
            cwd,
        )
    lines = [line for line in out.splitlines() if not line.startswith("index ")]
    text = "\n".join(lines)
    if len(text) > _DIFF_LIMIT:
        text = text[:_DIFF_LIMIT] + "\n... (cut: the rest is in the pull request's diff)"
    return text


def _comparisons(folders: list[Path], cwd: Path, python: bool) -> list[str]:
    """The Markdown of every redesign in ``folders``, or why it cannot be compared."""
    parts: list[str] = []
    for folder in folders:
        if not (cwd / folder).is_dir():
            continue
        found = survey([cwd / folder])
        for file in found.files:
            if file.parent != cwd / folder:
                continue  # a subfolder has its own entry when it changed
            name = str(file.relative_to(cwd))
            shown = html.escape(name)
            try:
                from lastmile_flows.files import load_all

                loaded = load_all(file, python=python)
            except LastmileError as error:
                parts.append(
                    f"**Cannot be compared:** {markdown(name)}\n\n"
                    + markdown_block(str(error).replace(str(cwd) + os.sep, ""))
                )
                continue
            for item in loaded:
                if not isinstance(item.model, Redesign):
                    continue
                try:
                    text = item.model.compare().to_markdown()
                except LastmileError as error:
                    parts.append(
                        f"**Cannot be compared:** {markdown(name)}\n\n" + markdown_block(str(error))
                    )
                    continue
                parts.append(
                    f"<details open><summary><code>{shown}</code></summary>\n\n{text}\n</details>"
                )
    return parts


def pull_request_comment(
    base: str,
    paths: Sequence[str],
    *,
    cwd: str | os.PathLike[str] | None = None,
    python: bool = True,
) -> str:
    """The comment for the pull request ``base...HEAD`` of the git repository at ``cwd``
    (default: the working folder), over the model files under ``paths``. ``python=False``
    runs no Python model (those files are listed as not compared)."""
    root = Path(cwd) if cwd is not None else Path.cwd()
    changed = changed_files(base, paths, root)
    models = [path for path in changed if file_kind(path) is not None]
    out = [MARKER, "## Process changes in this pull request", ""]
    if models:
        out += [
            "What the pull request changes, one line per step, role or edge case:",
            "",
            markdown_block(_textconv_diff(base, paths, root), info="diff"),
        ]
    else:
        out += ["No model file changed.", ""]
    folders = sorted({path.parent for path in models})
    parts = _comparisons(folders, root, python)
    out += ["\n\n".join(parts) if parts else "No redesign in the changed folders.", ""]
    listed = ", ".join(markdown(str(path)) for path in changed[:20])
    if len(changed) > 20:
        listed += f" and {len(changed) - 20} more"
    out += ["", f"<sub>Files changed under {markdown(', '.join(paths))}: {listed}</sub>", ""]
    return "\n".join(out)
