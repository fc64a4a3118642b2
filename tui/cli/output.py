"""What the commands write, made safe for any terminal and any output.

- Text that comes from files (stretch names, routine names, paths, error
  messages quoting a file) never reaches the terminal with control
  characters in it: :func:`clean` shows them as ``\\x1b``-style escapes.
- An output that cannot encode a symbol (``PYTHONIOENCODING=ascii``, the C
  locale) gets a plain ASCII stand-in for it (:func:`mark`), and anything
  else that cannot be encoded is replaced, never a ``UnicodeEncodeError``.
- Errors and notices are one line each on stderr, prefixed ``hamstring:``.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: `status` imports this module on every shell prompt
if TYPE_CHECKING:
    from typing import Any, TextIO

#: Characters that drive a terminal: C0 (but tab), DEL, C1, and the
#: bidirectional overrides and isolates that reorder what is shown.
_CONTROLS = [*range(0x09), *range(0x0A, 0x20), *range(0x7F, 0xA0)]
_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_SHOWN = {code: f"\\x{code:02x}" for code in _CONTROLS} | {code: f"\\u{code:04x}" for code in _BIDI}
_SHOWN_KEEP_NEWLINE = {code: shown for code, shown in _SHOWN.items() if code != 0x0A}
#: In JSON text every C0 control is already escaped; DEL, C1 and bidi are legal raw.
_JSON = {code: f"\\u{code:04x}" for code in [*range(0x7F, 0xA0), *_BIDI]}

#: Each symbol the commands print, and what an output that cannot encode it gets.
PLAIN = {"✓": "+", "·": "-", "—": "-", "…": "...", "×": "x", "’": "'", "→": "->"}


def clean(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with every terminal control character shown as an escape."""
    return str(text).translate(_SHOWN_KEEP_NEWLINE if keep_newlines else _SHOWN)


def clean_json(text: str) -> str:
    """JSON text with DEL, C1 and bidi controls escaped (still the same JSON)."""
    return text.translate(_JSON)


def _encoding(stream: TextIO) -> str:
    return getattr(stream, "encoding", None) or "utf-8"


def can_encode(text: str, stream: TextIO | None = None) -> bool:
    try:
        text.encode(_encoding(stream or sys.stdout))
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def mark(symbol: str, stream: TextIO | None = None) -> str:
    """``symbol`` if the output can show it, else its plain ASCII stand-in."""
    return symbol if can_encode(symbol, stream) else PLAIN.get(symbol, "?")


def plain(text: str, stream: TextIO | None = None) -> str:
    """``text`` with every symbol the output cannot encode swapped for its stand-in."""
    if can_encode(text, stream):
        return text
    return "".join(mark(char, stream) if char in PLAIN else char for char in text)


def prepare_streams() -> None:
    """Never fail on a character the output cannot encode: replace it instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace" if stream is sys.stderr else "replace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to do
                continue


class OutputFailed(Exception):
    """stdout cannot be written (a full disk, an I/O error); ``str()`` says why."""


def _failed(error: OSError) -> OutputFailed:
    import errno

    if error.errno == errno.ENOSPC:
        return OutputFailed("the disk is full")
    return OutputFailed(error.strerror or str(error))


def out(text: str = "", *, end: str = "\n") -> None:
    """One piece of the command's output on stdout (symbols made plain if need be)."""
    if sys.stdout is None:  # started with stdout closed: nowhere to write, as print() does
        return
    try:
        sys.stdout.write(plain(text) + end)
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _failed(error) from None


def flush() -> None:
    """Push out what is buffered, so a failure is seen here, not at exit."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _failed(error) from None
    except ValueError:  # stdout was closed
        pass


_SAID: set[str] = set()


def say(message: Any) -> None:
    """One line on stderr: ``hamstring: MESSAGE``, controls escaped; never the same line twice."""
    line = plain(clean(message), sys.stderr)
    if line in _SAID:
        return
    _SAID.add(line)
    print(f"hamstring: {line}", file=sys.stderr)


def note(message: Any) -> None:
    """One line on stderr about what the command did (not an error), controls escaped."""
    print(plain(clean(message), sys.stderr), file=sys.stderr)


def store_notices(store: Any) -> list[str]:
    """The store's notices not yet told: the one place that asks the store for them."""
    notices: list[str] = store.take_notices()
    return notices


def tell_notices(store: Any) -> None:
    for notice in store_notices(store):
        say(notice)


_OPENED: list[Any] = []


def opened(store: Any) -> None:
    """A store the command opened: its notices are told now, and after the command's work."""
    _OPENED.append(store)
    tell_notices(store)


def tell_pending() -> None:
    """Every notice an opened store added while the command worked."""
    for store in _OPENED:
        tell_notices(store)


def begin() -> None:
    """A new command (in the same process, as tests run them): nothing said or opened yet."""
    _SAID.clear()
    _OPENED.clear()


def tell_tz_problem() -> None:
    """An unusable $TZ is read as UTC; say so once per command."""
    from ..core.days import tz_problem

    problem = tz_problem()
    if problem:
        say(problem)
