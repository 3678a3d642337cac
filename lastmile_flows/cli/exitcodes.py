"""The command line's exit codes, in one place (as black and sqlfluff use them)."""

from enum import IntEnum

__all__ = ["ExitCode"]


class ExitCode(IntEnum):
    OK = 0
    """Everything checked is valid."""
    FINDINGS = 1
    """A model is invalid (or, for checks, has findings at the chosen severity)."""
    USAGE = 2
    """Bad usage or a file that cannot be read at all."""
