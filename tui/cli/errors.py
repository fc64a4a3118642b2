"""How a command fails: one line on stderr and an exit status."""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2  # bad input, or a history/data dir that cannot be used: one line each


class UsageError(Exception):
    """Bad input from the user, or a data dir that cannot be used: one line, exit status 2."""


class CommandError(Exception):
    """Something failed that is not the user's input: one line, exit status 1."""


class AlreadySaid(Exception):
    """The reason was already printed (as a notice): exit with ``status``, print nothing more."""

    def __init__(self, status: int = EXIT_USAGE) -> None:
        super().__init__(status)
        self.status = status
