"""File writes that never leave a half-written file, and never replace what is not a file.

- A regular file (or a new one) is written through a temporary file in the same folder and a
  rename: a failed or interrupted write leaves the previous file intact.
- A symbolic link to a regular file (or to nothing) is replaced by the file, never followed:
  a link committed to a repository cannot make a render write outside it.
- A device, a FIFO or a socket (``/dev/null``, ``/dev/stdout``, a named pipe), or a link to
  one, is written through, never replaced by a regular file (a rename over ``/dev/null`` as
  root would turn it into a file everyone can write). A block device is refused: no output
  belongs on a disk.
- A folder is refused (:class:`IsADirectoryError`).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def _mode(target: Path) -> int:
    """The permissions the file should get: those it had, or what the umask gives a new file
    (the temporary file is created private, 0600); a link's target's are not taken."""
    try:
        if target.is_symlink():
            raise FileNotFoundError
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _kind(path: Path) -> int | None:
    """The file type ``path`` leads to (symbolic links followed), or None when missing."""
    try:
        return stat.S_IFMT(os.stat(path).st_mode)
    except FileNotFoundError:
        return None


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` as the module docstring says, creating the folder if it is
    missing."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    kind = _kind(target)
    if kind == stat.S_IFDIR:
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(target))
    if kind == stat.S_IFBLK:
        raise OSError(errno.EPERM, "is a block device; refusing to write to it", str(target))
    if kind is not None and kind != stat.S_IFREG:
        with open(target, "wb") as stream:  # a device, FIFO or socket: write through
            stream.write(payload)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode(target))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
