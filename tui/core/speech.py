"""Spoken cues and distinct bells for a guided session.

The ``voice`` setting is ``off`` (the default), ``on`` (the first of
``espeak-ng``, ``espeak``, ``spd-say``, ``say`` found on PATH) or a command
template such as ``espeak-ng -s 140 {text}`` (without ``{text}``, the text is
the last argument). :class:`Speaker` runs the engine in the background: a new
line replaces one still speaking, and :meth:`Speaker.close` stops it.

When the voice is off (or no engine is found) the session rings the terminal
bell in a pattern per cue; :func:`bell_pattern` gives the offsets in seconds:

=====================================  =====================  ==============
Moment                                 Bells                  Offsets (s)
=====================================  =====================  ==============
Get ready (a new stretch)              one                    0
Hold starts                            one                    0
Switch sides                           two                    0, 0.4
Hold ends (last 3 seconds: 3, 2, 1)    one short each second  0
Contract / Relax (a cycle's phase)     one                    0
Session done                           three                  0, 0.4, 0.8
=====================================  =====================  ==============
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, Protocol

#: Engines tried by ``voice on``, in order; each takes the text as its last argument.
ENGINES: tuple[tuple[str, ...], ...] = (
    ("espeak-ng",),
    ("espeak",),
    ("spd-say", "--wait"),  # --wait: the process lives while it speaks, so it can be replaced
    ("say",),
)
PLACEHOLDER = "{text}"
TEMPLATE_MAX_CHARS = 500
TEXT_MAX_CHARS = 300
STOP_WAIT_S = 0.5  # how long close()/say() wait for a terminated engine to exit


class Cue(StrEnum):
    """The moments of a session that get a spoken line or a bell pattern."""

    GET_READY = "get_ready"
    HOLD_START = "hold_start"
    SWITCH_SIDES = "switch_sides"
    COUNTDOWN = "countdown"
    CONTRACT = "contract"
    RELAX = "relax"
    DONE = "done"


BELL_GAP_S = 0.4
_BELLS: dict[Cue, tuple[float, ...]] = {
    Cue.GET_READY: (0.0,),
    Cue.HOLD_START: (0.0,),
    Cue.SWITCH_SIDES: (0.0, BELL_GAP_S),
    Cue.COUNTDOWN: (0.0,),
    Cue.CONTRACT: (0.0,),
    Cue.RELAX: (0.0,),
    Cue.DONE: (0.0, BELL_GAP_S, 2 * BELL_GAP_S),
}


def bell_pattern(event: Cue | str) -> tuple[float, ...]:
    """When to ring the bell for ``event``: offsets in seconds from the cue, the first 0."""
    return _BELLS[Cue(event)]


# -- the setting ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class VoiceSetting:
    """A checked ``voice`` value: off, on, or a command (argv with ``{text}`` in it)."""

    mode: Literal["off", "on", "command"]
    command: tuple[str, ...] = ()
    text: str = "off"  # the value as stored and shown

    @property
    def enabled(self) -> bool:
        return self.mode != "off"


VOICE_OFF = VoiceSetting("off")


def _has_control(text: str) -> bool:
    return any(unicodedata.category(char) in {"Cc", "Cf", "Cs", "Zl", "Zp"} for char in text)


def parse_voice(text: str) -> VoiceSetting:
    """Check a ``voice`` value; raises ValueError with a one-line message if it is unusable."""
    if not isinstance(text, str):
        raise ValueError("must be off, on, or a command such as 'espeak-ng {text}'")
    if _has_control(text):
        raise ValueError("must not contain control characters")
    value = text.strip()
    if not value:
        raise ValueError("is empty: use off, on, or a command such as 'espeak-ng {text}'")
    if value.lower() in {"off", "on"}:
        return VOICE_OFF if value.lower() == "off" else VoiceSetting("on", (), "on")
    if len(value) > TEMPLATE_MAX_CHARS:
        raise ValueError(f"may be at most {TEMPLATE_MAX_CHARS} characters")
    try:
        argv = shlex.split(value)
    except ValueError as error:  # unbalanced quotes, a trailing backslash
        raise ValueError(f"is not a command line ({error})") from None
    if not argv or not argv[0].strip():
        raise ValueError("names no program")
    if argv[0].startswith("-") or PLACEHOLDER in argv[0]:
        raise ValueError("must start with a program name, not an option or {text}")
    if not any(PLACEHOLDER in arg for arg in argv):
        argv.append(PLACEHOLDER)
    return VoiceSetting("command", tuple(argv), value)


def voice_accepts(value: Any) -> bool:
    """Is a stored ``voice`` value usable? (For the settings table.)"""
    try:
        return isinstance(value, str) and parse_voice(value).text == value
    except ValueError:
        return False


def find_engine(setting: VoiceSetting, which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The argv (with ``{text}`` as a placeholder) to speak with, or None: no engine."""
    if setting.mode == "on":
        for program, *flags in ENGINES:
            path = which(program)
            if path:
                return [path, *flags, PLACEHOLDER]
        return None
    if setting.mode == "command" and setting.command:
        path = which(setting.command[0])
        return [path, *setting.command[1:]] if path else None
    return None


# -- the lines spoken ------------------------------------------------------------------------
def speakable(text: str) -> str:
    """``text`` made safe to pass as an argument: one line, no control characters, no leading '-'."""
    cleaned = "".join(" " if unicodedata.category(char)[0] in {"C", "Z"} else char for char in str(text))
    cleaned = " ".join(cleaned.split())[:TEXT_MAX_CHARS].strip()
    return f" {cleaned}" if cleaned.startswith("-") else cleaned


def fill(command: Sequence[str], text: str) -> list[str]:
    """The argv for ``command`` speaking ``text`` (placeholders replaced, never formatted)."""
    line = speakable(text)
    return [arg.replace(PLACEHOLDER, line) for arg in command]


_SIDES = {"left": "Left leg.", "right": "Right leg.", "both": ""}


def _seconds(seconds: int) -> str:
    return "1 second" if seconds == 1 else f"{seconds} seconds"


def cue_text(
    event: Cue | str,
    *,
    name: str = "",
    side: str = "",
    seconds: int = 0,
    streak: int = 0,
) -> str:
    """The line spoken for ``event``: get_ready (name, side), hold_start (seconds), countdown
    (seconds), done (streak); switch_sides takes an optional side."""
    cue = Cue(event)
    if cue is Cue.GET_READY:
        title = speakable(name).rstrip(". ") or "Next stretch"
        text = f"{title}. {_SIDES.get(side, '')}"
    elif cue is Cue.HOLD_START:
        text = f"Hold for {_seconds(int(seconds))}" if seconds > 0 else "Hold"
    elif cue is Cue.SWITCH_SIDES:
        text = f"Switch sides. {_SIDES.get(side, '')}"
    elif cue is Cue.COUNTDOWN:
        text = str(max(0, int(seconds)))
    elif cue is Cue.CONTRACT:
        text = "Contract"
    elif cue is Cue.RELAX:
        text = "Relax"
    else:
        days = max(0, int(streak))
        text = f"Done. {days} day streak." if days else "Done."
    return speakable(text)


# -- the engine process ------------------------------------------------------------------------
class Process(Protocol):
    """What :class:`Speaker` needs of a started process (``subprocess.Popen`` has it)."""

    pid: int

    def poll(self) -> int | None: ...
    def terminate(self) -> None: ...
    def kill(self) -> None: ...
    def wait(self, timeout: float | None = None) -> int: ...


Popen = Callable[..., Process]


def _default_popen(argv: list[str], **options: Any) -> Process:
    import subprocess

    return subprocess.Popen(argv, **options)


class Speaker:
    """Speaks one line at a time through ``command`` without ever blocking for long.

    ``say`` stops a line still speaking before it starts the next, so lines
    never overlap or queue up behind the timer. A failure to start the engine
    is kept in :attr:`problem` (one line, for one notice) and turns speech off:
    ``say`` then returns False and the caller rings the bell instead.
    """

    def __init__(self, command: Sequence[str] | None, popen: Popen = _default_popen) -> None:
        self.command = list(command) if command else None
        self.problem: str | None = None
        self._popen = popen
        self._process: Process | None = None

    @property
    def available(self) -> bool:
        return self.command is not None and self.problem is None

    @property
    def speaking(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def say(self, text: str) -> bool:
        """Start speaking ``text`` (replacing any line still spoken); True if it started."""
        import subprocess  # here, so that the quick CLI (which checks settings) never loads it

        if not self.available or self.command is None or not speakable(text):
            return False
        argv = fill(self.command, text)
        self.stop()
        quiet = subprocess.DEVNULL
        try:
            self._process = self._popen(
                argv, stdin=quiet, stdout=quiet, stderr=quiet, start_new_session=True, close_fds=True
            )
        except (OSError, ValueError) as error:  # ValueError: a name the OS cannot encode
            self.problem = f"Voice off: could not start {os.path.basename(argv[0])} ({_reason(error)})"
            return False
        return True

    def stop(self) -> None:
        """Stop the line being spoken, if any (the engine's whole process group)."""
        import subprocess

        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        _signal(process, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_WAIT_S)
        except subprocess.TimeoutExpired:  # it ignored SIGTERM
            _signal(process, getattr(signal, "SIGKILL", signal.SIGTERM))
            with contextlib.suppress(subprocess.TimeoutExpired):  # the OS reaps it when it goes
                process.wait(timeout=STOP_WAIT_S)

    def close(self) -> None:
        """Stop any speech; call when the session or the app ends."""
        self.stop()


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return speakable(str(error))[:80] or type(error).__name__


def _signal(process: Process, signum: int) -> None:
    """Signal the engine's process group when it leads one (so a script's children stop too),
    else the process itself. Only called while the process is not yet reaped, so its pid is its own."""
    pid = getattr(process, "pid", None)
    if isinstance(pid, int) and pid > 0 and hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            if os.getpgid(pid) == pid:
                os.killpg(pid, signum)
                return
    with contextlib.suppress(OSError):
        if signum == signal.SIGTERM:
            process.terminate()
        else:
            process.kill()
