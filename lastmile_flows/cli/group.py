"""The ``lastmile`` command group; its commands live in the modules beside it.

The group is also the command line's safety net: whatever a command meets (a file nested
thousands of levels deep, a full disk, a closed pipe, a locale that cannot spell a name, a bug),
the user gets one line on stderr and an exit code, never a traceback:

- output streams replace what the locale cannot encode (``\\xe9``) instead of failing;
- a full or failing stdout (``> /dev/full``) is exit 2 with the reason; a closed pipe
  (``| head``) ends quietly;
- ``RecursionError``, ``MemoryError`` and any other exception are exit 2 with one line;
  Ctrl-C is exit 130.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from lastmile_flows.cli.exitcodes import ExitCode
from lastmile_flows.escape import terminal

__all__ = ["main"]


def _tolerant_streams() -> None:
    """stdout and stderr write what their encoding cannot hold as escapes, not errors."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail again."""
    with contextlib.suppress(AttributeError, ValueError, OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _flush_stdout() -> None:
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.flush()


def _fail(message: str, code: int = ExitCode.USAGE) -> NoReturn:
    with contextlib.suppress(Exception):
        click.echo(f"error: {terminal(message)}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """A click group whose ``main`` never lets a traceback reach the user."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        _tolerant_streams()
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            try:
                code = super().main(args, prog_name, complete_var, False, **extra)
            finally:
                _flush_stdout()
            sys.exit(code if isinstance(code, int) else ExitCode.OK)
        except SystemExit:
            raise
        except click.exceptions.Abort:
            _fail("interrupted", 130)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except RecursionError:
            _fail("input nested too deeply to process")
        except MemoryError:
            _fail("out of memory")
        except OSError as error:
            if error.errno == errno.EPIPE:
                _silence_stdout()
                sys.exit(ExitCode.OK)
            if error.errno in (errno.ENOSPC, errno.EIO) or error.filename is None:
                _silence_stdout()
            where = f"{error.filename}: " if error.filename else "writing output: "
            _fail(f"{where}{error.strerror or error}")
        except Exception as error:  # a bug: say so in one line, not a traceback
            _fail(
                f"internal error ({type(error).__name__}: {error}); please report it with the "
                "command that caused it"
            )


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lastmile_flows")
def main() -> None:
    """Compare a current-state process with its AI redesign, and find who owns every failure.

    Python model files (.py) are code. validate, diff, render (also --check), report, check,
    pr-comment and bpmn export run them, each in a child process with a time and memory limit
    whose exit and output cannot decide the result (a limit, not a sandbox: the code runs as
    you); textconv never runs them (it shows their source). run_python = false in
    [tool.lastmile_flows] (or check and pr-comment --no-python) refuses them instead.
    """
