"""Daily reminders: a desktop notification only when today still needs stretching.

Pure Python with light imports (``subprocess`` and ``shutil`` load only when
used): ``hamstring remind`` runs from timers and shells. :func:`remind` never
raises on a missing or failing notifier. The daily timer that runs it is set up
by :mod:`tui.core.reminder_timers`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

    from .digest import Digest

TITLE = "hamstring"
TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class CommandResult:
    ok: bool
    detail: str = ""  # why it failed, one printable line


Runner = Callable[[Sequence[str]], CommandResult]
Which = Callable[[str], str | None]


def one_line(text: str, limit: int = 200) -> str:
    """Text from outside (a command's stderr) made safe to print: no control or escape codes."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def run_command(argv: Sequence[str], timeout: float = TIMEOUT_S) -> CommandResult:
    """Run ``argv`` without a shell, input closed, within ``timeout``; never raises."""
    import subprocess

    try:
        done = subprocess.run(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return CommandResult(False, f"no answer within {timeout:g} s")
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        return CommandResult(False, one_line(str(error)))
    if done.returncode != 0:
        said = one_line(done.stderr.decode("utf-8", "replace")) if done.stderr else ""
        return CommandResult(False, f"exit {done.returncode}" + (f": {said}" if said else ""))
    return CommandResult(True)


def path_which(environ: Mapping[str, str] | None = None) -> Which:
    """``shutil.which`` on the PATH of ``environ`` (the process environment by default)."""

    def which(name: str) -> str | None:
        import shutil

        env = os.environ if environ is None else environ
        return shutil.which(name, path=env.get("PATH", os.defpath))

    return which


# -- remind -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReminderState:
    """The facts a reminder needs, for today."""

    today_done: bool
    rest_day: bool
    streak: int  # current streak length in days
    at_risk: bool  # today not done yet, but yesterday's run can still go on
    minutes: int  # minutes of the daily routine


def state_from_digest(digest: Digest, today: date, minutes: int) -> ReminderState:
    """The reminder's facts from a history digest, with the same rules as ``status``."""
    from .streaks import current_streak

    resting = digest.resting
    current = current_streak(digest.done, resting, today)
    return ReminderState(today in digest.done, today in resting, current.length, current.at_risk, minutes)


@dataclass(frozen=True, slots=True)
class ReminderOutcome:
    sent: bool  # a reminder was given (by a notification or, failing that, on stderr)
    via: str | None  # "notify-send", "osascript", "stderr", or None when nothing was needed
    message: str | None
    reason: str  # "done today", "rest day", or "not done today"
    note: str | None = None  # why the message went to stderr instead of a notification

    def to_json(self) -> dict[str, Any]:
        return {"sent": self.sent, "via": self.via, "message": self.message, "reason": self.reason, "note": self.note}


def reminder_message(state: ReminderState) -> str:
    minutes = max(1, state.minutes)
    if state.streak > 0:
        return f"{state.streak}-day streak at risk: {minutes} min of stretching left to do today"
    return f"Time to stretch: {minutes} min today starts a streak"


def applescript_string(text: str) -> str:
    """``text`` as an AppleScript string literal: quotes and backslashes escaped, no control characters."""
    safe = "".join(ch if ch.isprintable() else " " for ch in text)
    return '"' + safe.replace("\\", "\\\\").replace('"', '\\"') + '"'


def osascript_argv(osascript: str, message: str) -> list[str]:
    script = f"display notification {applescript_string(message)} with title {applescript_string(TITLE)}"
    return [osascript, "-e", script]


@dataclass(frozen=True, slots=True)
class Notifier:
    """How notifications go out: PATH lookup, command runner, and the fallback stream."""

    which: Which = field(default_factory=path_which)
    run: Runner = run_command
    stderr: IO[str] | None = None  # sys.stderr at call time when None


def remind(state: ReminderState, *, notifier: Notifier | None = None, platform: str = sys.platform) -> ReminderOutcome:
    """Notify when today is neither done nor a rest day; otherwise do nothing. Never raises."""
    if state.today_done:
        return ReminderOutcome(False, None, None, "done today")
    if state.rest_day:
        return ReminderOutcome(False, None, None, "rest day")
    notifier = notifier or Notifier()
    message = reminder_message(state)
    if platform == "darwin":
        name = "osascript"
    elif platform.startswith(("win", "cygwin", "msys")):
        name = ""
    else:
        name = "notify-send"
    found = notifier.which(name) if name else None
    if found:
        if name == "osascript":
            argv = osascript_argv(found, message)
        else:
            argv = [found, f"--app-name={TITLE}", "--", TITLE, message]
        result = notifier.run(argv)
        if result.ok:
            return ReminderOutcome(True, name, message, "not done today")
        note = f"{name} failed ({result.detail}); the reminder went to stderr"
    else:
        note = f"{name} is not on PATH; the reminder went to stderr" if name else "no desktop notifier here"
    stream = notifier.stderr or sys.stderr
    with contextlib.suppress(OSError, ValueError):  # stderr closed: nothing left to tell
        print(f"hamstring: {message}", file=stream, flush=True)
    return ReminderOutcome(True, "stderr", message, "not done today", note)
