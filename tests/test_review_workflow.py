"""The review workflow against real git repositories: ``lastmile check`` (also as the pre-commit
hook this repository defines) and ``lastmile textconv`` as git's diff driver."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from lastmile_flows.cli import main
from lastmile_flows.review.check import check
from lastmile_flows.review.textform import AS_WRITTEN, PYTHON_SOURCE, textconv
from tests.support import BIN, GIT_ENV, PROCESSES, REPO, git, require_program

LOWERED = ("LM101", "LM102", "LM201", "LM202", "LM204", "LM301", "LM303")


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``command`` in ``cwd`` with this environment's ``lastmile`` first on the PATH, git
    reading no user or system configuration."""
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "PATH": f"{BIN}:{os.environ['PATH']}",
            **GIT_ENV,
            **env,
        },
    )


def _library(tmp_path: Path) -> Path:
    """A git repository holding the order-entry example, its SVGs committed."""
    repo = tmp_path / "repo"
    shutil.copytree(PROCESSES / "order_entry", repo / "processes" / "order_entry")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "library")
    return repo


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- lastmile check


@pytest.mark.slow
def test_check_passes_a_current_library_and_fails_on_findings(tmp_path: Path) -> None:
    repo = _library(tmp_path)
    clean = check([repo / "processes"], fail_on="never")
    assert (clean.files, clean.models, clean.svgs) == (1, 1, 5)
    assert not clean.failed
    strict = check([repo / "processes"], fail_on="error")
    assert strict.failed
    assert {issue.code for issue in strict.issues if issue.fails} >= {"LM101", "LM102", "LM201"}


@pytest.mark.slow
def test_check_fails_on_a_stale_svg_until_it_is_redrawn(tmp_path: Path) -> None:
    repo = _library(tmp_path)
    _edit(repo / "processes/order_entry/redesigned.yaml", "headcount: 0,", "headcount: 2,")
    stale = check([repo / "processes"], fail_on="never")
    assert stale.failed
    assert sorted(Path(i.source).name for i in stale.issues if i.code == "svg") == [
        "redesign.after.svg",
        "redesign.before.svg",
        "redesign.committee-*.svg",
        "redesign.diff.svg",
        "redesign.side-by-side.svg",
    ]
    assert not check([repo / "processes"], fail_on="never", svgs=False).failed
    told = CliRunner().invoke(main, ["check", str(repo / "processes"), "--fail-on", "never"])
    assert told.exit_code == 1
    assert f"redraw the SVGs: lastmile render {repo / 'processes'}" in told.stderr
    result = CliRunner().invoke(main, ["render", str(repo / "processes")])
    assert result.exit_code == 0, result.stderr
    assert not check([repo / "processes"], fail_on="never").failed


@pytest.mark.slow
def test_check_reports_an_invalid_model_with_its_line(tmp_path: Path) -> None:
    repo = _library(tmp_path)
    _edit(repo / "processes/order_entry/redesigned.yaml", "role: order_ai", "role: order_aj")
    result = CliRunner().invoke(main, ["check", str(repo / "processes"), "--fail-on", "never"])
    assert result.exit_code == 1
    assert "unknown-role" in result.stdout
    assert "order_aj" in result.stdout
    assert "redesigned.yaml:" in result.stdout


@pytest.mark.slow
def test_check_cli_exit_codes_and_summary(tmp_path: Path) -> None:
    repo = _library(tmp_path)
    folder = str(repo / "processes")
    passing = CliRunner().invoke(main, ["check", folder, "--fail-on", "never"])
    assert passing.exit_code == 0, passing.output
    assert passing.stdout == ""
    assert (
        "1 models in 1 files (+2 read with their redesign), 5 diagrams (findings never fail): "
        "0 failing" in passing.stderr
    )
    failing = CliRunner().invoke(main, ["check", folder])
    assert failing.exit_code == 1
    assert "error LM101 edge_case.no_owner [duplicate_erp_record, post_to_erp]" in failing.stdout
    lowered = CliRunner().invoke(
        main,
        ["check", folder, *(f"--severity={code}=warning" for code in LOWERED)],
    )
    assert lowered.exit_code == 0, lowered.stdout
    unreadable = tmp_path / "broken.yaml"
    unreadable.write_text("id: [unclosed\n", encoding="utf-8")
    broken = CliRunner().invoke(main, ["check", str(unreadable)])
    assert broken.exit_code == 2
    assert broken.stderr.startswith("error: ")


def _snapshot(tmp_path: Path) -> tuple[Path, str]:
    """This repository as it is on disk, committed in a clone (as ``pre-commit try-repo``
    does: the tracked and staged files with their uncommitted changes), and that commit."""
    snapshot = tmp_path / "lastmile-flows"
    git(tmp_path, "clone", "-q", str(REPO), str(snapshot))
    program = require_program("git", "git")
    changes = subprocess.run(  # bytes: a text diff would lose the CRs of a CRLF file
        [program, "diff", "--binary", "HEAD"],
        cwd=REPO,
        capture_output=True,
        check=True,
        env={**os.environ, **GIT_ENV},
    ).stdout
    if changes:
        subprocess.run(
            [program, "apply", "--index"],  # --index: new files are committed too
            cwd=snapshot,
            input=changes,
            capture_output=True,
            check=True,
            env={**os.environ, **GIT_ENV},
        )
    git(snapshot, "commit", "-q", "--allow-empty", "-m", "the working tree")
    return snapshot, git(snapshot, "rev-parse", "HEAD").strip()


@pytest.mark.slow
def test_pre_commit_hook_runs_check_on_a_repository(tmp_path: Path) -> None:
    """The hook in .pre-commit-hooks.yaml, as a user's .pre-commit-config.yaml names it (this
    working tree, committed in a clone) in a repository of models: passes, fails on a stale
    SVG, fails on findings. pre-commit installs the package once and reuses it for every run
    (``try-repo`` would install it afresh each time: about a minute each)."""
    require_program("git", "git")
    if not (REPO / ".git").exists():
        pytest.skip("the hook is installed from a git checkout of this repository")
    hooks, rev = _snapshot(tmp_path)
    repo = _library(tmp_path)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: lastmile-check\n",
        encoding="utf-8",
    )
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "-m", "the hook")
    (repo / "pyproject.toml").write_text(
        '[tool.lastmile_flows]\nfail_on = "never"\n', encoding="utf-8"
    )
    home = tmp_path / "pre-commit-home"

    def run_hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "pre-commit"), "run", "lastmile-check", "--all-files"],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            env={**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)},
        )

    first = run_hook()
    assert first.returncode == 0, first.stdout + first.stderr
    assert "lastmile check" in first.stdout
    assert "Passed" in first.stdout
    _edit(repo / "processes/order_entry/redesigned.yaml", "headcount: 0,", "headcount: 2,")
    second = run_hook()
    assert second.returncode == 1
    assert "Failed" in second.stdout
    assert "redesign.diff.svg: error svg model changed" in second.stdout
    (repo / "pyproject.toml").unlink()
    third = run_hook()
    assert third.returncode == 1
    assert "LM101 edge_case.no_owner" in third.stdout
    # one environment, installed by the first run and reused by the other two
    assert "Installing environment" in first.stdout + first.stderr
    later = second.stdout + second.stderr + third.stdout + third.stderr
    assert "Installing environment" not in later


# ---- lastmile textconv


def test_textconv_is_one_line_per_element() -> None:
    text = textconv(PROCESSES / "order_entry" / "redesigned.yaml")
    lines = text.splitlines()
    assert lines[0] == 'process order_entry "Order entry (AI extraction)": version redesign-v1'
    steps = [line for line in lines if line.startswith("step ")]
    assert len(steps) == 13
    assert (
        'role order_desk "Order desk reviewer": kind human, cost/h 38, headcount 0, '
        'notes "Planned in the business case; never hired."'
    ) in lines
    assert any(
        line.startswith("  edge case post_to_erp/duplicate_erp_record ") and "owner NOBODY" in line
        for line in lines
    )


@pytest.mark.slow
def test_textconv_of_a_bpmn_export_matches_its_model(tmp_path: Path) -> None:
    from lastmile_flows import load, write_bpmn
    from lastmile_flows.review.textform import text_form

    model = load(PROCESSES / "order_entry" / "current.yaml")
    exported = tmp_path / "current.bpmn"
    exported.write_bytes(write_bpmn(model))
    assert textconv(exported) == text_form(model)


def test_textconv_shows_a_broken_file_as_written(tmp_path: Path) -> None:
    broken = tmp_path / "x.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    assert textconv(broken) == f"{AS_WRITTEN}\nid: [unclosed\n"
    result = CliRunner().invoke(main, ["textconv", str(broken)])
    assert result.exit_code == 0
    assert result.stdout == f"{AS_WRITTEN}\nid: [unclosed\n"


@pytest.mark.slow
def test_git_diff_with_textconv_shows_the_changed_lines(tmp_path: Path) -> None:
    repo = _library(tmp_path)
    # the lines the README gives, as written
    readme = (REPO / "README.md").read_text("utf-8")
    block = readme.split("# .gitattributes (committed)", 1)[1].split("```", 1)[0]
    attributes, _, setup = block.partition("\n\n")
    (repo / ".gitattributes").write_text(attributes.split("\n", 1)[1] + "\n", encoding="utf-8")
    (command,) = [line for line in setup.splitlines() if line.startswith("git config")]
    git(repo, *shlex.split(command.replace("$PWD/.venv/bin/", f"{BIN}/"))[1:])
    folder = repo / "processes/order_entry"
    result = CliRunner().invoke(
        main,
        ["bpmn", "export", str(folder / "redesign.yaml"), "-o", str(folder / "redesigned.bpmn")],
    )
    assert result.exit_code == 0, result.stderr
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "attributes and a BPMN export")

    _edit(folder / "redesigned.yaml", "headcount: 0,", "headcount: 2,")
    _edit(folder / "redesigned.bpmn", 'name="Pick and pack"', 'name="Pick, pack and label"')
    _edit(folder / "redesign.yaml", "volume_per_month: 2400", "volume_per_month: 3000")
    changed = [
        line
        for line in git(repo, "diff", "--no-color", "-U0").splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == [
        '-redesign order_entry_ai "Distributor AI order entry": volume/month 2400, '
        "hours/FTE-month 140, max escaped errors/month 25",
        '+redesign order_entry_ai "Distributor AI order entry": volume/month 3000, '
        "hours/FTE-month 140, max escaped errors/month 25",
        '-step pick_pack "Pick and pack": kind manual, by warehouse, touch min 18, wait min 120',
        '+step pick_pack "Pick, pack and label": kind manual, by warehouse, touch min 18, '
        "wait min 120",
        '-role order_desk "Order desk reviewer": kind human, cost/h 38, headcount 0, '
        'notes "Planned in the business case; never hired."',
        '+role order_desk "Order desk reviewer": kind human, cost/h 38, headcount 2, '
        'notes "Planned in the business case; never hired."',
    ]
    git(repo, "commit", "-q", "-am", "staff the desk")
    history = git(
        repo, "log", "-p", "--no-color", "-1", "--", "processes/order_entry/redesign.yaml"
    )
    assert "+redesign order_entry_ai" in history
    assert AS_WRITTEN not in history, "git's temporary copy reads as a model too"


# ---- the GitHub Actions example


@pytest.mark.slow
def test_github_workflow_comments_the_comparison_of_changed_redesigns(tmp_path: Path) -> None:
    """The example workflow's comparison step, run as written (bash, git, lastmile) on a
    branch that changes one model: the comment holds that redesign's Markdown comparison."""
    import yaml

    workflow = yaml.safe_load((REPO / "examples/github/lastmile.yml").read_text("utf-8"))
    steps = {step.get("name"): step for step in workflow["jobs"]["check"]["steps"]}
    assert steps["lastmile check"]["run"].strip() == "lastmile check --no-python processes/"
    script = steps["Compare the changed redesigns"]["run"]
    repo = _library(tmp_path)
    shutil.copytree(PROCESSES / "contract_review", repo / "processes" / "contract_review")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "second redesign")
    git(repo, "checkout", "-q", "-b", "staff-the-desk")
    _edit(repo / "processes/order_entry/redesigned.yaml", "headcount: 0,", "headcount: 2,")
    git(repo, "commit", "-q", "-am", "staff the desk")
    summary = tmp_path / "summary.md"
    bash = require_program("bash", "bash")
    runner = tmp_path / "runner"
    runner.mkdir()
    done = _run(
        [bash, "-e", "-c", script],
        repo,
        BASE="main",
        GITHUB_STEP_SUMMARY=str(summary),
        RUNNER_TEMP=str(runner),
    )
    assert done.returncode == 0, done.stderr
    comment = (repo / "comment.md").read_text("utf-8")
    assert comment.startswith("<!-- lastmile-comparison -->\n")
    assert "<code>processes/order_entry/redesign.yaml</code>" in comment
    assert "## Distributor AI order entry: what the redesign changes" in comment
    assert "contract_review" not in comment, "unchanged redesigns stay out"
    assert "LM101" in comment
    assert summary.read_text("utf-8") == comment
    what_changed = comment.split("```diff\n", 1)[1].split("```", 1)[0]
    changed = [line for line in what_changed.splitlines() if line[:1] in "+-"]
    assert changed[-2:] == [
        '-role order_desk "Order desk reviewer": kind human, cost/h 38, headcount 0, '
        'notes "Planned in the business case; never hired."',
        '+role order_desk "Order desk reviewer": kind human, cost/h 38, headcount 2, '
        'notes "Planned in the business case; never hired."',
    ]


@pytest.mark.slow
def test_github_workflow_reports_a_redesign_it_cannot_compare(tmp_path: Path) -> None:
    import yaml

    workflow = yaml.safe_load((REPO / "examples/github/lastmile.yml").read_text("utf-8"))
    steps = {step.get("name"): step for step in workflow["jobs"]["check"]["steps"]}
    assert steps["Post or update the pull-request comment"]["continue-on-error"] is True
    script = steps["Compare the changed redesigns"]["run"]
    repo = _library(tmp_path)
    git(repo, "checkout", "-q", "-b", "typo")
    _edit(repo / "processes/order_entry/redesigned.yaml", "role: order_ai", "role: order_aj")
    git(repo, "commit", "-q", "-am", "typo")
    done = _run(
        [require_program("bash", "bash"), "-e", "-c", script],
        repo,
        BASE="main",
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
        RUNNER_TEMP=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    comment = (repo / "comment.md").read_text("utf-8")
    assert "**Cannot be compared:** processes/order\\_entry/redesign.yaml\n" in comment
    assert "order_aj" in comment
    assert "No redesign" not in comment


def test_readme_shows_what_textconv_prints() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    command = "lastmile textconv processes/order_entry/redesigned.yaml | head -3"
    shown = readme.split(command, 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    text = textconv(PROCESSES / "order_entry" / "redesigned.yaml")
    assert shown == "".join(text.splitlines(keepends=True)[:3])


def test_text_form_shows_every_field_of_every_model_class() -> None:
    import lastmile_flows
    from lastmile_flows.review.textform import SHOWN

    for name, fields in SHOWN.items():
        model = getattr(lastmile_flows, name)
        assert sorted(fields) == sorted(model.model_fields), name


def test_text_form_shows_a_change_to_notes(process_data: dict[str, Any]) -> None:
    from lastmile_flows import Process
    from lastmile_flows.review.textform import text_form

    process = Process.parse(process_data)
    for changed in (
        process.with_role("lead", notes="All leads to be let go"),
        process.with_step("receive", notes="moves to the shared inbox"),
        process.with_edge_case("misread", notes="seen twice a week"),
        process.replace(notes="draft"),
    ):
        assert text_form(changed) != text_form(process)


def test_textconv_shows_a_python_model_that_prints_or_exits_as_source(tmp_path: Path) -> None:
    noisy = tmp_path / "noisy.py"
    noisy.write_text("print('hello')\nraise SystemExit(3)\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["textconv", str(noisy)])
    assert result.exit_code == 0
    assert result.stdout == f"{PYTHON_SOURCE}\nprint('hello')\nraise SystemExit(3)\n"
