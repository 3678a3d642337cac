"""Child processes that die with the process that started them.

A worker left behind by ``kill -9`` of its parent holds memory and CPU forever (a killed
``lastmile render -j 2`` once left 26 workers and 2.4 GB). :func:`die_with_parent`, called first
thing in a child, ends the child as soon as its parent is gone: on Linux the kernel sends it
SIGKILL (``PR_SET_PDEATHSIG``, when ``kernel`` is true), and everywhere a daemon thread checks
twice a second that the parent is still the same process.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

__all__ = ["die_with_parent"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None, *, kernel: bool = False) -> None:
    """End this process (exit status 1) when ``parent`` (default: the current parent) ends.

    ``kernel`` asks Linux to kill it too; only safe when the thread that started this process
    lives as long as the parent process does (the kernel watches that thread, not the process).
    """
    parent = os.getppid() if parent is None else parent
    if kernel and sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()
