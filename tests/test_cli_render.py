"""``lastmile render``: files per model, --check without Graphviz, atomic writes, exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lastmile_flows.cli import main
from lastmile_flows.cli.exitcodes import ExitCode
from lastmile_flows.layout.backend import WasmBackend
from lastmile_flows.review import batch
from tests.support import PROCESSES, REPO, copy_folder, lastmile, lastmile_process, render_folder

VIEWS = ("after", "before", "diff", "side-by-side")
SLIDES = {"order_entry/redesign": 3, "maintenance/maintenance": 4, "contract_review/redesign": 3}
"""Committee slides of each example (each needs more than one at 12 px and up)."""


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A copy of the example library, with no SVGs."""
    target = tmp_path / "processes"
    shutil.copytree(PROCESSES, target, ignore=shutil.ignore_patterns("*.svg"))
    return target


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example library without its SVGs, then drawn by ``lastmile render`` (once for the
    tests here, in this process)."""
    target = tmp_path_factory.mktemp("rendered") / "processes"
    shutil.copytree(PROCESSES, target, ignore=shutil.ignore_patterns("*.svg"))
    return render_folder(target)


@pytest.fixture
def drawn(rendered: Path, tmp_path: Path) -> Path:
    """A copy of the example library as ``lastmile render`` drew it, free to change."""
    return copy_folder(rendered, tmp_path)


@pytest.mark.slow
def test_checked_in_svgs_of_the_example_library_are_current(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    done = lastmile("render", "--check", "processes/")
    assert done.code == ExitCode.OK, done.err
    assert "15 diagrams up to date" in done.err


@pytest.mark.slow
def test_render_writes_before_after_diff_and_side_by_side_per_redesign(library: Path) -> None:
    """A parallel render as the shell runs it: two worker processes."""
    done = lastmile_process("render", str(library), "--jobs", "2")
    assert done.returncode == ExitCode.OK, done.stderr
    assert "Traceback" not in done.stderr
    for stem, count in SLIDES.items():
        for view in VIEWS:
            assert (library / f"{stem}.{view}.svg").is_file()
        slides = sorted(p.name for p in library.glob(f"{stem}.committee*.svg"))
        name = stem.split("/")[1]
        assert slides == [f"{name}.committee-{n}.svg" for n in range(1, count + 1)]
    assert "15 diagrams (22 SVG files) in" in done.stderr
    again = lastmile("render", "--check", str(library))
    assert again.code == ExitCode.OK, again.err


@pytest.mark.slow
def test_rendered_files_equal_the_checked_in_ones(rendered: Path) -> None:
    """Same models, same code: same bytes as the SVGs in processes/ (drawn on another run)."""
    drawn = sorted(path.relative_to(rendered) for path in rendered.rglob("*.svg"))
    assert drawn == sorted(path.relative_to(PROCESSES) for path in PROCESSES.rglob("*.svg"))
    for svg in sorted(PROCESSES.rglob("*.svg")):
        assert (rendered / svg.relative_to(PROCESSES)).read_bytes() == svg.read_bytes(), svg


@pytest.mark.slow
def test_check_fails_after_a_model_edit_and_names_the_stale_files(drawn: Path) -> None:
    assert lastmile("render", "--check", str(drawn)).code == ExitCode.OK
    model = drawn / "order_entry" / "redesigned.yaml"
    model.write_text(model.read_text().replace("touch_minutes: 5", "touch_minutes: 6", 1))
    done = lastmile("render", "--check", str(drawn))
    assert done.code == ExitCode.FINDINGS
    for view in VIEWS:
        assert f"order_entry/redesign.{view}.svg: model changed" in done.err
    assert "contract_review" not in done.err
    assert "order_entry/redesign.committee-*.svg: model changed" in done.err
    assert "5 of 15 diagrams need drawing" in done.err


def test_check_reports_missing_files(library: Path) -> None:
    done = lastmile("render", "--check", str(library / "contract_review"))
    assert done.code == ExitCode.FINDINGS
    assert "redesign.diff.svg: missing" in done.err


@pytest.mark.slow
def test_check_does_not_run_graphviz(drawn: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("--check ran Graphviz")

    monkeypatch.setattr(WasmBackend, "run", refuse)
    result = CliRunner().invoke(main, ["render", "--check", str(drawn)])
    assert result.exit_code == ExitCode.OK, result.output


@pytest.mark.slow
def test_out_mirrors_the_folders(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "svgs"
    result = CliRunner().invoke(main, ["render", str(library), "--out", str(out), "-j", "1"])
    assert result.exit_code == ExitCode.OK, result.output
    assert (out / "order_entry" / "redesign.diff.svg").is_file()
    assert not list(library.rglob("*.svg"))


def test_a_process_file_gives_one_svg(tmp_path: Path) -> None:
    shutil.copy(PROCESSES / "order_entry" / "current.yaml", tmp_path / "current.yaml")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "current.yaml")])
    assert result.exit_code == ExitCode.OK, result.output
    assert [p.name for p in tmp_path.glob("*.svg")] == ["current.svg"]


@pytest.mark.slow
def test_a_failed_render_leaves_the_previous_svg_intact(
    drawn: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = drawn
    target = library / "order_entry" / "redesign.diff.svg"
    before = target.read_bytes()
    model = library / "order_entry" / "redesigned.yaml"
    model.write_text(model.read_text().replace("touch_minutes: 5", "touch_minutes: 6", 1))
    real = batch.write_atomic  # type: ignore[attr-defined]

    def interrupted(path: object, data: bytes) -> None:
        # the write starts, then the machine goes away mid-file
        real_path = Path(str(path))
        if real_path.name == target.name:
            raise KeyboardInterrupt
        real(path, data)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "write_atomic", interrupted)
    with pytest.raises(KeyboardInterrupt):
        batch.render_targets(batch.plan([library]), jobs=1)
    assert target.read_bytes() == before
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_write_atomic_removes_its_temporary_file_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from lastmile_flows import atomic

    target = tmp_path / "a.svg"
    target.write_bytes(b"old")

    def broken_replace(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.svg"]


def test_write_atomic_gives_new_files_the_umask_mode_and_keeps_an_existing_mode(
    tmp_path: Path,
) -> None:
    import os
    import stat

    from lastmile_flows import atomic

    old = os.umask(0o022)
    try:
        fresh = tmp_path / "new.svg"
        atomic.write_atomic(fresh, b"x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.svg"
        kept.write_bytes(b"old")
        kept.chmod(0o600)
        atomic.write_atomic(kept, b"new")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_invalid_model_is_exit_2_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: p\nroles: []\nsteps: [{id: a, role: nobody}]\n")
    done = lastmile("render", str(tmp_path))
    assert done.code == ExitCode.USAGE
    assert "nobody" in done.err
    assert not list(tmp_path.glob("*.svg"))


def test_system_dot_backend_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = CliRunner().invoke(
        main, ["render", str(PROCESSES / "contract_review"), "--backend", "dot", "-j", "1"]
    )
    assert result.exit_code == ExitCode.USAGE
    assert "apt install graphviz" in result.output


@pytest.mark.slow
def test_committee_slides_are_checked_and_redrawn_one_by_one(drawn: Path) -> None:
    library = drawn
    second = library / "order_entry" / "redesign.committee-2.svg"
    kept = second.read_bytes()
    second.unlink()
    done = lastmile("render", "--check", str(library))
    assert done.code == ExitCode.FINDINGS
    assert "redesign.committee-*.svg: slide missing: redesign.committee-2.svg" in done.err
    extra = library / "order_entry" / "redesign.committee-9.svg"
    extra.write_bytes(kept)
    second.write_bytes(kept)
    done = lastmile("render", "--check", str(library))
    assert done.code == ExitCode.FINDINGS
    assert "redesign.committee-*.svg: slide left over: redesign.committee-9.svg" in done.err
    done = lastmile("render", str(library), "-j", "1")
    assert done.code == ExitCode.OK
    assert f"removed {extra} (a slide no longer needed)" in done.err
    assert not extra.exists()
    assert second.read_bytes() == kept
    assert lastmile("render", "--check", str(library)).code == ExitCode.OK
