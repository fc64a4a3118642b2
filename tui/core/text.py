"""Text rules shared by every part of hamstring: what may reach a terminal, and minutes.

* :func:`printable` / :func:`control_problem` / :func:`reject_control`: text from
  outside (a user ``stretches.json``, an import, the history, routines) may not
  hold control characters: C0 (U+0000-U+001F, tab and newline included), DEL,
  C1 (U+0080-U+009F), the bidi embeddings and overrides (U+202A-U+202E) and
  isolates (U+2066-U+2069), the line and paragraph separators (U+2028, U+2029),
  or lone surrogates (which no terminal can encode). Such text could move the
  cursor, set the terminal title or reorder what is shown, so it is refused at
  the edge rather than shown.
* :func:`format_minutes`: one way to show a duration in totals and day lines.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


class UnprintableText(ValueError):
    """Text holds a control character; ``field`` names where, ``problem`` says which."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"field '{field}': {problem}")


def control_problem(text: str) -> str | None:
    """``None`` when ``text`` is safe to show, else a one-line reason naming the first bad character."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return f"holds the control character U+{ord(found.group()):04X}"


def printable(text: str) -> bool:
    """Whether ``text`` holds no control character (see the module's list)."""
    return _CONTROL.search(text) is None


def reject_control(text: str, field: str) -> str:
    """``text`` unchanged when printable; else :class:`UnprintableText` naming ``field``."""
    problem = control_problem(text)
    if problem is not None:
        raise UnprintableText(field, problem)
    return text


def format_minutes(seconds: float) -> str:
    """A duration for people: under a minute in seconds, else whole minutes, rounded half up.

    ``0 s``, ``17 s``, ``59 s``, ``1 min`` (60..89 s), ``2 min`` (90..149 s), ...
    Seconds are rounded half up first; a negative duration shows as ``0 s``.
    """
    value = float(seconds)
    if not 0 < value < float("inf"):  # negative, zero, NaN or infinite: nothing to show
        value = 0.0
    whole = int(value + 0.5)
    if whole < 60:
        return f"{whole} s"
    return f"{(whole + 30) // 60} min"


def json_reason(message: str) -> str:
    """A ``json.JSONDecodeError``'s ``msg`` without the dangling 'at' Python leaves for the place
    ('Unterminated string starting at', 'Invalid control character at'): the caller says where."""
    return message.removesuffix(" at").removesuffix(" starting")
