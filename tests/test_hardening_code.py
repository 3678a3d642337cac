"""Model code never runs behind a reviewer's back, and cannot decide a verdict.

Each test is one probe that held no longer before this hardening: textconv (git's diff driver)
ran ``.py`` models; a model's ``sys.exit(0)`` made ``check`` pass; two redesign files naming
each other hid from discovery; ``-o /dev/null`` became a regular file; ``kill -9`` of a render
left its workers running.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lastmile_flows import LoadError, load
from lastmile_flows.cli import main
from lastmile_flows.review.textform import PYTHON_SOURCE
from tests.support import LASTMILE, PROCESSES, git, pull_request_repo

VALID = """
from lastmile_flows import Process, Role, Step

process = Process(id="p", roles=[Role(id="clerk")], steps=[Step(id="a", role="clerk")])
"""


def _cli(*args: str, cwd: Path | None = None, timeout: float = 60, **env: str):
    """The real ``lastmile`` in a child process (what a reviewer's shell or git runs)."""
    return subprocess.run(
        [str(LASTMILE), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
        env={**os.environ, **env},
    )


def _module(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


# ---- 1. textconv never executes a model


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        "open({marker!r}, 'w').write('ran')\n" + VALID,
        "import os\nos.write(1, b'process p: harmless\\n')\nos._exit(0)\n",
        "while True:\n    pass\n",
    ],
    ids=["side-effect", "fake-output", "hang"],
)
def test_textconv_shows_a_python_model_as_source_without_running_it(tmp_path, body):
    marker = tmp_path / "ran"
    model = _module(tmp_path, "model.py", body.format(marker=str(marker)))
    started = time.monotonic()
    done = _cli("textconv", str(model), timeout=30)
    assert done.returncode == 0
    assert done.stdout == f"{PYTHON_SOURCE}\n{model.read_text('utf-8')}"
    assert not marker.exists(), "textconv ran the model"
    assert time.monotonic() - started < 20, "textconv waited on the model"
    assert "harmless" not in done.stdout.splitlines()[0]


@pytest.mark.slow
def test_git_log_p_with_the_textconv_driver_never_runs_a_committed_model(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    marker = tmp_path / "ran"

    def run(*args: str) -> str:
        return git(repo, *args)

    run("init", "-q", "-b", "main")
    (repo / ".gitattributes").write_text("*.py diff=lastmile\n", encoding="utf-8")
    run("config", "diff.lastmile.textconv", f"{LASTMILE} textconv")
    _module(repo, "model.py", f"open({str(marker)!r}, 'w').write('ran')\n" + VALID)
    run("add", ".")
    run("commit", "-q", "-m", "a model")
    _module(repo, "model.py", f"open({str(marker)!r}, 'w').write('ran again')\n" + VALID)
    run("commit", "-q", "-am", "changed")
    history = run("log", "-p")
    assert "+open(" in history, "the diff shows the source lines"
    assert "-open(" in history
    assert not marker.exists(), "git log -p ran the model through textconv"


# ---- 2. the gate cannot be bypassed


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("import sys\nsys.exit(0)\n", "SystemExit"),
        ("import os\nos._exit(0)\n", "ended without defining its models (exit status 0)"),
        ("class Sneaky(BaseException):\n    pass\nraise Sneaky('boom')\n", "Sneaky: boom"),
        ("import signal, os\nos.kill(os.getpid(), signal.SIGKILL)\n", "killed"),
        ("x = bytearray(64 * 1024**3)\n", "MemoryError"),
    ],
    ids=["sys-exit", "os-exit", "base-exception", "sigkill", "memory"],
)
def test_a_python_model_cannot_decide_the_verdict(tmp_path, body, reason):
    model = _module(tmp_path, "model.py", body)
    for command in (["check", "--no-svgs"], ["validate"], ["render", "--check"]):
        done = _cli(*command, str(model))
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert reason in done.stderr, (command, done.stderr)
        assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.slow
def test_a_python_model_that_hangs_is_stopped_at_the_time_limit(tmp_path):
    model = _module(tmp_path, "model.py", "while True:\n    pass\n")
    started = time.monotonic()
    done = _cli("validate", str(model), LASTMILE_PYTHON_TIMEOUT="2")
    assert done.returncode == 2
    assert "within 2 s" in done.stderr
    assert time.monotonic() - started < 30


@pytest.mark.slow
def test_what_a_python_model_prints_does_not_reach_the_output(tmp_path):
    body = "import os\nos.write(1, b'all good\\n')\nprint('ok')\n" + VALID
    model = _module(tmp_path, "model.py", body)
    done = _cli("validate", str(model))
    assert done.returncode == 0, done.stderr
    assert "all good" not in done.stdout + done.stderr
    assert done.stdout.startswith(f"{model}:process: ok")


@pytest.mark.slow
def test_a_valid_python_model_reads_as_before(tmp_path):
    model = _module(tmp_path, "model.py", VALID)
    loaded = load(model)
    assert [step.id for step in loaded.steps] == ["a"]  # type: ignore[union-attr]


@pytest.mark.slow
def test_two_redesign_files_naming_each_other_are_both_reported(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "id: a\ncurrent: b.yaml\nredesigned: b.yaml\nvolume_per_month: 1\n", "utf-8"
    )
    (tmp_path / "b.yaml").write_text(
        "id: b\ncurrent: a.yaml\nredesigned: a.yaml\nvolume_per_month: 1\n", "utf-8"
    )
    done = _cli("check", "--no-svgs", str(tmp_path))
    assert done.returncode == 2
    assert "0 models in 2 files" in done.stderr
    for name in ("a.yaml", "b.yaml"):
        assert f"{tmp_path / name}: its current process" in done.stderr
    assert "the two name each other" in done.stderr


@pytest.mark.slow
def test_check_lists_every_file_it_does_not_check_with_the_reason(tmp_path):
    shutil.copytree(PROCESSES / "order_entry", tmp_path / "order_entry")
    (tmp_path / "_draft.yaml").write_text("id: draft\n", "utf-8")
    (tmp_path / "notes.txt").write_text("hello\n", "utf-8")
    (tmp_path / "x.schema.json").write_text("{}\n", "utf-8")
    (tmp_path / "data.xml").write_text("<data/>\n", "utf-8")
    (tmp_path / "_old").mkdir()
    (tmp_path / "_old" / "model.yaml").write_text("id: x\n", "utf-8")
    done = _cli("check", "--fail-on", "never", str(tmp_path))
    assert done.returncode == 0, done.stderr
    skipped = sorted(line for line in done.stderr.splitlines() if line.startswith("skipped "))
    assert skipped == [
        f"skipped {tmp_path / '_draft.yaml'}: name starts with '_'",
        f"skipped {tmp_path / '_old'}: folder name starts with '_'",
        f"skipped {tmp_path / 'data.xml'}: XML but not BPMN 2.0",
        f"skipped {tmp_path / 'notes.txt'}: not a model file type",
        f"skipped {tmp_path / 'x.schema.json'}: a JSON Schema, not a model",
    ]
    assert "1 models in 1 files (+2 read with their redesign), 5 skipped, 5 diagrams" in done.stderr


@pytest.mark.slow
def test_no_python_runs_no_model_and_fails_the_check(tmp_path):
    marker = tmp_path / "ran"
    model = _module(tmp_path, "model.py", f"open({str(marker)!r}, 'w')\n" + VALID)
    done = _cli("check", "--no-svgs", "--no-python", str(tmp_path))
    assert done.returncode == 1
    assert f"{model}: error python-not-run" in done.stdout
    assert not marker.exists()


@pytest.mark.slow
def test_run_python_false_in_the_config_refuses_python_models_everywhere(tmp_path):
    marker = tmp_path / "ran"
    model = _module(tmp_path, "model.py", f"open({str(marker)!r}, 'w')\n" + VALID)
    (tmp_path / "pyproject.toml").write_text("[tool.lastmile_flows]\nrun_python = false\n", "utf-8")
    check = _cli("check", "--no-svgs", "model.py", cwd=tmp_path)
    assert check.returncode == 1
    assert "python-not-run" in check.stdout
    for command in (["validate"], ["render"], ["diff"], ["bpmn", "export"]):
        done = _cli(*command, "model.py", cwd=tmp_path)
        assert done.returncode == 2, (command, done.stderr)
        assert "running model code is turned off" in done.stderr
    assert not marker.exists()
    allowed = _cli("check", "--no-svgs", "--python", "model.py", cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert marker.exists()
    del model


def test_load_refuses_python_when_asked(tmp_path):
    model = _module(tmp_path, "model.py", VALID)
    with pytest.raises(LoadError, match="running model code is turned off"):
        load(model, python=False)


# ---- 3. output paths


def _null_device(folder: Path) -> Path:
    """A character device like /dev/null, made in ``folder`` (so a regression replaces a test
    file, never the machine's /dev/null); needs root, as CI runs."""
    device = folder / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return device


@pytest.mark.slow
def test_output_to_a_device_is_written_through_never_replaced(tmp_path):
    null = _null_device(tmp_path)
    link = tmp_path / "null-link"
    link.symlink_to(null)
    for target in (str(null), str(link)):
        result = CliRunner().invoke(
            main, ["report", str(PROCESSES / "order_entry/redesign.yaml"), "-o", target]
        )
        assert result.exit_code == 0, result.output
    assert null.is_char_device(), "the device was replaced by a regular file"
    assert link.is_symlink()
    assert link.resolve() == null


@pytest.mark.slow
def test_output_to_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        done = _cli("bpmn", "export", str(PROCESSES / "order_entry/redesign.yaml"), "-o", str(fifo))
    finally:
        with contextlib.suppress(OSError):  # a writer that never came: let the reader end
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    out, _ = reader.communicate(timeout=30)
    assert done.returncode == 0, done.stderr
    assert out.startswith(b"<?xml")
    assert b"</bpmn:definitions>" in out
    assert fifo.is_fifo()


def test_output_through_a_symlink_replaces_the_link_never_its_target(tmp_path):
    real = tmp_path / "outside" / "real.html"
    real.parent.mkdir()
    real.write_text("old", "utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    result = CliRunner().invoke(
        main, ["report", str(PROCESSES / "order_entry/redesign.yaml"), "-o", str(link)]
    )
    assert result.exit_code == 0
    assert not link.is_symlink()
    assert link.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert real.read_text("utf-8") == "old"


@pytest.mark.slow
def test_render_never_writes_through_a_symlink_committed_in_place_of_an_svg(tmp_path):
    library = tmp_path / "library"
    shutil.copytree(PROCESSES / "order_entry", library / "order_entry")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", "utf-8")
    svg = library / "order_entry" / "redesign.after.svg"
    svg.unlink()
    svg.symlink_to(victim)
    dangling = library / "order_entry" / "redesign.before.svg"
    dangling.unlink()
    dangling.symlink_to(tmp_path / "made" / "by" / "render.txt")
    done = _cli("render", str(library))
    assert done.returncode == 0, done.stderr
    assert victim.read_text("utf-8") == "keep me"
    assert not (tmp_path / "made").exists()
    assert svg.is_file()
    assert not svg.is_symlink()


@pytest.mark.parametrize("existing", [True, False], ids=["existing", "new"])
def test_output_with_a_trailing_slash_means_the_folder(tmp_path, existing):
    folder = tmp_path / "out"
    if existing:
        folder.mkdir()
    model = str(PROCESSES / "order_entry/redesign.yaml")
    for command, name in (
        (["report", model], "redesign.html"),
        (["bpmn", "export", model], "redesign.redesigned.bpmn"),
        (["bpmn", "export", model, "--which", "current"], "redesign.current.bpmn"),
    ):
        result = CliRunner().invoke(main, [*command, "-o", f"{folder}/"])
        assert result.exit_code == 0, result.output
        assert (folder / name).is_file()
    assert folder.is_dir()


def test_output_naming_an_existing_folder_without_a_slash_writes_into_it(tmp_path):
    result = CliRunner().invoke(
        main, ["report", str(PROCESSES / "order_entry/redesign.yaml"), "-o", str(tmp_path)]
    )
    assert result.exit_code == 0
    assert (tmp_path / "redesign.html").is_file()


# ---- 5. workers die with their parent


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found |= {int(child) for child in text.split()}
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return "Z" not in state.split()[1]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_kill_9_of_a_parallel_render_leaves_no_worker_behind(tmp_path):
    for copy in range(6):
        shutil.copytree(PROCESSES / "order_entry", tmp_path / f"copy{copy}")
    render = subprocess.Popen(
        [str(LASTMILE), "render", "-j", "2", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and render.poll() is None:
        workers |= _children(render.pid)
        time.sleep(0.05)
    assert workers, "the render started no worker"
    os.kill(render.pid, signal.SIGKILL)
    render.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers), "workers outlived their parent"


# ---- what a review of the hardening found


@pytest.mark.slow
def test_pr_comment_without_python_runs_no_code_a_pull_request_ships(tmp_path):
    repo = pull_request_repo(tmp_path, PROCESSES / "order_entry")
    marker = tmp_path / "pwned"
    for module in ("lastmile_flows/__init__.py", "lastmile_flows/__main__.py", "yaml.py"):
        (repo / module).parent.mkdir(exist_ok=True)
        (repo / module).write_text(f"open({str(marker)!r}, 'a').write('x')\n", "utf-8")
    text = (repo / "processes/order_entry/redesigned.yaml").read_text("utf-8")
    (repo / "processes/order_entry/redesigned.yaml").write_text(
        text.replace("headcount: 0,", "headcount: 2,"), "utf-8"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "pr")
    done = _cli("pr-comment", "--no-python", "--base", "main", "processes/", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), "a module of the pull request ran"
    assert "+role order_desk" in done.stdout, "the textconv diff was made by our own code"


@pytest.mark.slow
def test_reading_a_python_model_writes_nothing_beside_it(tmp_path):
    shutil.copy(PROCESSES / "maintenance" / "maintenance.py", tmp_path / "maintenance.py")
    done = _cli("validate", str(tmp_path / "maintenance.py"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maintenance.py"]


@pytest.mark.slow
def test_a_process_a_python_model_starts_is_stopped_with_it(tmp_path):
    marker = tmp_path / "late"
    late = f"import time; time.sleep(3); open({str(marker)!r}, 'w')"
    body = f"import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', {late!r}])\n" + VALID
    model = _module(tmp_path, "model.py", body)
    done = _cli("validate", str(model))
    assert done.returncode == 0, done.stderr
    time.sleep(4)
    assert not marker.exists(), "the model's own process outlived the check"


@pytest.mark.slow
def test_a_python_model_whose_report_names_no_top_level_model_fails(tmp_path):
    body = (
        "import json, os, sys\n"
        "os.write(int(sys.argv[2]), json.dumps({'done': True, 'models': [{'name': 'x', "
        "'kind': 'Process', 'data': {'id': 'x', 'roles': [{'id': 'c'}], 'steps': "
        "[{'id': 'a', 'role': 'c'}]}, 'inner': True}]}).encode())\n"
        "os._exit(0)\n"
    )
    model = _module(tmp_path, "forge.py", body)
    done = _cli("check", "--no-svgs", str(model))
    assert done.returncode == 2
    assert "defines no Process or Redesign" in done.stderr


@pytest.mark.slow
def test_a_symlinked_model_file_from_outside_the_folder_is_skipped_unread(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: tok_SECRET\nsteps: [x]\n", "utf-8")
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "stolen.yaml").symlink_to(secret)
    done = _cli("check", "--no-svgs", str(folder))
    assert "tok_SECRET" not in done.stdout + done.stderr
    assert f"skipped {folder / 'stolen.yaml'}: a symbolic link to a file outside" in done.stderr


def test_ctrl_c_is_exit_130_not_findings(monkeypatch):
    from lastmile_flows.cli import models

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(models, "discover", interrupted)
    result = CliRunner().invoke(main, ["validate", str(PROCESSES)])
    assert result.exit_code == 130
    assert "interrupted" in result.output


def test_the_help_names_every_command_that_runs_python_models():
    result = CliRunner().invoke(main, ["--help"])
    for command in ("validate", "diff", "render", "report", "check", "pr-comment", "bpmn"):
        assert command in result.output.split("Commands:")[0]
