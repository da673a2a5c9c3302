"""The errors vpp-core raises on bad input: one base class, one subclass per phase.

The command line catches :class:`VppError` only, prints ``error: <message>`` and exits
with the error's ``exit_code``. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


class VppError(Exception):
    """Bad input or a bad request: a message a user can act on."""

    exit_code: int = 2

    def __init__(self, message: str, *, problems: tuple[str, ...] = ()) -> None:
        # A file name that is not UTF-8 reaches a message as lone surrogates, which no
        # report or terminal can encode: each is shown as U+FFFD.
        message = _SURROGATE.sub("\ufffd", message)
        problems = tuple(_SURROGATE.sub("\ufffd", problem) for problem in problems)
        super().__init__(message)
        self.message = message
        #: Every problem found, one line each (a file may hold many).
        self.problems: tuple[str, ...] = problems or (message,)

    def __str__(self) -> str:
        return self.message

    def in_file(self, name: str) -> VppError:
        """The same error with ``name: `` before each line that does not start with it."""
        def located(line: str) -> str:
            return line if line.startswith(f"{name}:") else f"{name}: {line}"
        error = type(self)(located(self.message),
                           problems=tuple(located(line) for line in self.problems))
        error.exit_code = self.exit_code
        return error


class StrategyError(VppError):
    """A strategy file that cannot be read or does not fit the model."""


class PackError(VppError):
    """A rule pack that cannot be read or resolved."""


class PluginError(VppError):
    """A plugin that cannot be loaded or registered."""


class RecordsError(VppError):
    """A records file (participants, training, campaign) that cannot be read."""


class WaiverError(VppError):
    """A waivers file that cannot be read."""


class UsageError(VppError):
    """A request the command line or the API cannot carry out as asked."""
