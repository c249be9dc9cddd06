"""Error hierarchy: every user-facing failure is a ``BacklogctlError`` carrying its exit code.

The CLI renders these once, as one line on stderr, and exits with ``exit_code``.
Nothing below ``cli`` prints or exits.
"""

from __future__ import annotations

from backlogctl.sanitize import visible

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_SOURCE = 3
#: stdout was closed by its reader (``| head``): 128 + SIGPIPE, what a shell reports for a
#: Unix tool stopped by that signal, so ``set -o pipefail`` treats backlogctl like ``cat``.
EXIT_BROKEN_PIPE = 141
#: Ctrl-C: 128 + SIGINT, as a shell reports a tool stopped by it.
EXIT_INTERRUPTED = 130


class BacklogctlError(Exception):
    """Base class for errors shown to the user as one line (no traceback)."""

    exit_code: int = EXIT_INPUT

    def __init__(self, message: str, *, location: str | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(self.render())

    def render(self) -> str:
        """The one-line text shown to the user: ``location: message``.

        Control characters are escaped: messages quote item values, file names and server
        replies, any of which may carry terminal escapes or a newline + ``::error``.
        """
        text = f"{self.location}: {self.message}" if self.location else self.message
        return visible(text)


class InputError(BacklogctlError):
    """Usage, configuration or backlog input error (exit 2)."""

    exit_code = EXIT_INPUT


class ConfigError(InputError):
    """Invalid or unreadable configuration (exit 2)."""


class SourceError(BacklogctlError):
    """A source (Jira, network) failed: unreachable, auth, rate limit exhausted (exit 3)."""

    exit_code = EXIT_SOURCE
