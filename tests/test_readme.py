"""The README's examples run, and the output it shows is the output they give."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from lastmile_flows import InvalidModelError, Process, load
from tests.support import PROCESSES, REPO, lastmile

README = (REPO / "README.md").read_text()
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, flags=re.DOTALL)


@pytest.mark.slow
def test_python_examples_run_and_print_what_the_readme_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    namespace: dict[str, object] = {}
    checked = absent = 0
    shared = (REPO.parent / "shared").is_dir()
    for (language, code), following in zip(BLOCKS, [*BLOCKS[1:], ("", "")], strict=True):
        if language != "python":
            continue
        if "../shared/" in code and not shared:
            # the shared event logs are read in place; a clone without them skips that block
            absent += following[0] == "text"
            continue
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(code, "README.md", "exec"), namespace)
        if following[0] == "text" and output.getvalue():
            assert output.getvalue() == following[1]
            checked += 1
    assert checked == 5 - absent
    assert "redesign" in namespace


def test_yaml_process_example_loads(tmp_path: Path) -> None:
    process_block = next(code for lang, code in BLOCKS if lang == "yaml" and "roles:" in code)
    path = tmp_path / "current.yaml"
    path.write_text(process_block)
    process = load(path)
    assert isinstance(process, Process)
    assert process.step("match_po").edge_cases[0].owner == "ap_lead"


def test_yaml_redesign_example_loads_with_its_process_files(tmp_path: Path) -> None:
    blocks = [code for lang, code in BLOCKS if lang == "yaml"]
    (tmp_path / "current.yaml").write_text(blocks[0])
    (tmp_path / "redesigned.yaml").write_text(blocks[0].replace("version: current", "version: v2"))
    (tmp_path / "redesign.yaml").write_text(blocks[1])
    redesign = load(tmp_path / "redesign.yaml")
    assert yaml.safe_load(blocks[1])["volume_per_month"] == 4000
    assert redesign.redesigned.version == "v2"  # type: ignore[union-attr]


def test_file_problem_example_is_what_the_loader_prints(tmp_path: Path) -> None:
    shown = next(code for lang, code in BLOCKS if lang == "text" and "csr_leed" in code).strip()
    for name in ("current.yaml", "redesigned.yaml", "redesign.yaml"):
        shutil.copy(PROCESSES / "order_entry" / name, tmp_path / name)
    redesigned = tmp_path / "redesigned.yaml"
    redesigned.write_text(redesigned.read_text().replace("owner: csr_lead", "owner: csr_leed", 1))
    with pytest.raises(InvalidModelError) as raised:
        load(tmp_path / "redesign.yaml")
    (problem,) = raised.value.problems
    assert str(problem).replace(f"{tmp_path}/", "processes/order_entry/") == shown


def _readme_command_blocks() -> list[list[str]]:
    """The ``lastmile`` lines of each sh block; later lines may use files earlier ones wrote."""
    blocks = []
    for language, code in BLOCKS:
        if language == "sh":
            lines = [
                re.split(r"\s#", line)[0].strip()
                for line in code.splitlines()
                if line.startswith("lastmile ")
            ]
            if lines:
                blocks.append(lines)
    return blocks


def _readme_commands() -> list[str]:
    return [command for block in _readme_command_blocks() for command in block]


EXIT_CODES = {
    # 1: findings at error severity (the examples are redesigns with unowned work, by design)
    "lastmile diff processes/order_entry/redesign.yaml": 1,
    "lastmile diff processes/order_entry/redesign.yaml --format markdown": 1,
    "lastmile diff processes/order_entry/redesign.yaml --format json": 1,
    "lastmile diff processes/order_entry/current.yaml processes/order_entry/redesigned.yaml"
    " --volume 2400": 1,
    "lastmile diff processes/contract_review/redesign.yaml --fail-on warning --severity"
    " LM203=info": 1,
    "lastmile diff processes/order_entry/redesign.yaml --volume 3000 --hours-per-day 7.5": 1,
    "lastmile render processes/": 0,
    "lastmile render processes/ --out /tmp/diagrams": 0,
    "lastmile render --check processes/": 0,
    "lastmile render processes/order_entry/current.yaml": 0,
    "lastmile render processes/ --format png --out /tmp/png": 0,
    "lastmile bpmn export processes/order_entry/redesign.yaml -o order_entry.bpmn": 0,
    "lastmile bpmn export processes/order_entry/redesign.yaml --which current -o current.bpmn": 0,
    "lastmile bpmn import current.bpmn -o current_from_bpmn.yaml": 0,
    "lastmile validate current.bpmn": 0,
    "lastmile diff current.bpmn order_entry.bpmn --fail-on never": 0,
    "lastmile log summary ../shared/logs/PurchasingExample.csv.gz": 0,
    "lastmile log discover ../shared/logs/PurchasingExample.csv.gz --id purchasing"
    " --min-activity-share 0.5 --max-edge-cases 0 -o purchasing.yaml": 0,
    "lastmile log calibrate purchasing.yaml ../shared/logs/PurchasingExample.csv.gz"
    " -o calibrated.yaml": 0,
    "lastmile log conform calibrated.yaml ../shared/logs/PurchasingExample.csv.gz"
    " --format markdown --svg conformance.svg": 0,
    "lastmile log summary ../shared/logs/receipt.parquet --format json --top 3": 0,
    "lastmile simulate processes/order_entry/redesign.yaml --months 1 --sla-hours 48"
    " --svg-dir charts": 1,
    "lastmile simulate processes/order_entry/redesign.yaml --months 1 --format json > sim.json": 1,
    "lastmile simulate processes/order_entry/redesign.yaml --months 1 --replications 2"
    " --sweep 11 --reviewers 1": 1,
    "lastmile simulate processes/maintenance/maintenance.py --months 1"
    " --touch inspect_asset=lognormal:15:40": 0,
    "lastmile simulate processes/order_entry/current.yaml --months 1 --volume 2400"
    " --hours-per-day 7.5": 0,
    "lastmile report processes/order_entry/redesign.yaml -o build/order_entry.html": 0,
    "lastmile report processes/order_entry/current.yaml processes/order_entry/redesigned.yaml"
    " --volume 2400 -o build/pair.html": 0,
    "lastmile check processes/ --fail-on never": 0,
    "lastmile check processes/ --no-svgs --severity edge_case.carried_implicitly=warning": 1,
    "lastmile pr-comment --base main processes/ -o comment.md": 0,
    "lastmile textconv processes/order_entry/redesigned.yaml | head -3": 0,
    "lastmile validate processes/": 0,
    "lastmile validate --strict processes/order_entry/redesign.yaml": 1,
    "lastmile schema > model-file.schema.json": 0,
    "lastmile diff processes/maintenance/maintenance.py": 1,
    "lastmile simulate processes/contract_review/redesign.yaml --months 1": 0,
    "lastmile textconv processes/order_entry/current.yaml": 0,
    "lastmile pr-comment --base main processes/": 0,
    "lastmile log summary ../shared/logs/receipt.csv": 0,
}
"""The exit status of each README command as the README runs it: 0 ok, 1 findings (the
examples show redesigns with problems on purpose), 2 usage or input error (none here)."""

SHELL = re.compile(r"[|<>;&$`]")
"""A command with any of these needs a shell; the others run in this process."""


def test_every_readme_command_states_its_exit_code() -> None:
    assert sorted(set(_readme_commands())) == sorted(EXIT_CODES)


def _run_as_written(command: str, work: Path) -> tuple[int, str]:
    """Run a README line in ``work``: through ``sh`` if it pipes or redirects (with this
    environment's ``lastmile`` first on the PATH), else in this process (the same command
    line, without starting Python again). Its exit status and stderr."""
    if SHELL.search(command):
        bin_dir = Path(sys.executable).parent
        done = subprocess.run(
            ["sh", "-c", command],
            cwd=work,
            capture_output=True,
            text=True,
            env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
            check=False,
        )
        assert "Traceback" not in done.stderr, done.stderr
        return done.returncode, done.stderr
    program, *args = shlex.split(command)
    assert program == "lastmile"
    ran = lastmile(*args)
    return ran.code, ran.err


@pytest.mark.slow
@pytest.mark.parametrize("commands", _readme_command_blocks(), ids=lambda b: b[0][:40])
def test_readme_commands_run_as_written(
    commands: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a copy of the repository's processes, with the shared event logs beside it as they are
    # beside the repository (../shared/logs/)
    work = tmp_path / "repository"
    shutil.copytree(PROCESSES, work / "processes")
    shared = REPO.parent / "shared"
    if any("../shared/" in command for command in commands):
        if not (shared / "logs").is_dir():
            pytest.skip(f"{shared / 'logs'} is not there (the shared event logs)")
        (tmp_path / "shared").symlink_to(shared)
    if any(" --base " in command for command in commands):  # a git repository to compare
        git = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
        for step in (
            ["init", "-q", "-b", "main"],
            ["add", "."],
            ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "x"],
        ):
            subprocess.run(["git", *step], cwd=tmp_path, check=True, env={**os.environ, **git})
    monkeypatch.chdir(work)
    for command in commands:
        code, stderr = _run_as_written(command, work)
        assert code == EXIT_CODES[command], f"{command}\n{stderr}"
        assert "Usage:" not in stderr


def test_readme_lists_several_commands() -> None:
    assert len(_readme_commands()) >= 8


def _table_rows(first_header: str) -> list[list[str]]:
    """The rows of the README table whose header starts with ``first_header``."""
    return _table_rows_at(README.index(first_header))


def _table_rows_at(start: int) -> list[list[str]]:
    lines = README[start:].split("\n\n", 1)[0].splitlines()[2:]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip("|"))] for line in lines]


def test_model_table_lists_every_field_with_the_required_ones_in_bold() -> None:
    import lastmile_flows.model as model

    rows = {row[0].strip("`"): row[1] for row in _table_rows("| element | fields |")}
    assert len(rows) >= 12
    for name, fields in rows.items():
        cls = getattr(model, name)
        for field, info in cls.model_fields.items():
            shown = f"**`{field}`**" if info.is_required() else f"`{field}`"
            assert shown in fields, (name, field)
            if not info.is_required():
                assert f"**`{field}`**" not in fields, (name, field)


def test_rule_tables_list_every_validation_and_audit_rule() -> None:
    from lastmile_flows.analysis.rules import RULES
    from lastmile_flows.model.rulebook import FIELD_RULES, VALIDATION_RULES

    header = "| code | rule | group | what |"
    starts = [match.start() for match in re.finditer(re.escape(header), README)]
    assert len(starts) == 3  # errors, field-level checks, warnings
    listed = {
        (row[0], row[1].strip("`"), row[2]) for start in starts for row in _table_rows_at(start)
    }
    for rule in (*VALIDATION_RULES, *FIELD_RULES.values()):
        assert (rule.code, rule.name, rule.group) in listed, rule.name
    audit = {(row[0], row[1].strip("`"), row[2], row[3]) for row in _table_rows("| code | name |")}
    assert audit == {(r.code, r.name, r.group, r.severity) for r in RULES}
