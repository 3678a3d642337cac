"""Helpers the test modules share (fixtures stay in conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import require_program

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}
"""git with a fixed author and no user or system configuration."""


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` (must succeed) and return its output."""
    done = subprocess.run(
        [require_program("git", "git"), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **GIT_ENV},
    )
    assert done.returncode == 0, f"git {' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def pull_request_repo(tmp_path: Path, example: Path, folder: str = "order_entry") -> Path:
    """A git repository whose ``main`` holds ``example`` (a folder of the example library) as
    ``processes/<folder>``, checked out on a new branch ``pr``."""
    repo = tmp_path / "repo"
    shutil.copytree(example, repo / "processes" / folder)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "library")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo
