"""Text from files made safe to show, and the symbols the interface draws.

Two rules for everything the interface shows:

* Text that comes from a file (stretch ids and names from the catalog or the
  history, routine names, paths, error messages) is never read as markup
  (it goes through ``Content(...)``, ``$variables`` or ``markup=False``) and
  passes :func:`inert` first, so no control character (an escape sequence that
  sets the terminal's title, say) ever reaches the terminal.
* Every symbol comes from :data:`GLYPHS`, picked once at start: when the
  output cannot encode the Unicode ones (``LC_ALL=C``), plain ASCII ones.
"""

from __future__ import annotations

import os
import re
import sys

from ..core.values import Value

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: object) -> str:
    """``text`` with every control character shown as ``\\xNN`` (newlines and tabs kept)."""
    value = str(text)
    return _CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), value)


class Glyphs(Value):
    """The symbols of the interface, in one place (a :class:`~tui.core.values.Value`: made at
    every start, before the first frame, where a frozen dataclass costs a millisecond)."""

    __slots__ = (
        "bar",
        "bullet",
        "check",
        "dash",
        "done",
        "dot",
        "ellipsis",
        "empty",
        "heat",
        "icon",
        "join",
        "muted",
        "partial",
        "paused",
        "quote_close",
        "quote_open",
        "rest",
        "unicode",
        "warn",
    )
    done: str
    partial: str
    rest: str
    join: str
    heat: str
    empty: str
    dot: str
    check: str
    ellipsis: str
    dash: str
    muted: str
    paused: str
    icon: str
    bar: str
    bullet: str
    warn: str
    quote_open: str
    quote_close: str
    unicode: bool

    def __init__(
        self,
        *,
        done: str,
        partial: str,
        rest: str,
        join: str,
        heat: str,
        empty: str,
        dot: str,
        check: str,
        ellipsis: str,
        dash: str,
        muted: str,
        paused: str,
        icon: str,
        bar: str,
        bullet: str,
        warn: str,
        quote_open: str,
        quote_close: str,
        unicode: bool,
    ) -> None:
        self._fill(
            done=done,
            partial=partial,
            rest=rest,
            join=join,
            heat=heat,
            empty=empty,
            dot=dot,
            check=check,
            ellipsis=ellipsis,
            dash=dash,
            muted=muted,
            paused=paused,
            icon=icon,
            bar=bar,
            bullet=bullet,
            warn=warn,
            quote_open=quote_open,
            quote_close=quote_close,
            unicode=unicode,
        )

    @property
    def sep(self) -> str:
        return f" {self.dot} "


UNICODE = Glyphs(
    done="●",
    partial="◐",
    rest="z",
    join="━━",
    heat="░▒▓█",
    empty="·",
    dot="·",
    check="✓",
    ellipsis="…",
    dash="–",
    muted="🔇 muted",
    paused="‖ PAUSED",
    icon="⭘",
    bar="│",
    bullet="•",
    warn="!",
    quote_open="“",
    quote_close="”",
    unicode=True,
)
ASCII = Glyphs(
    done="*",
    partial="o",
    rest="z",
    join="==",
    heat=".:+#",
    empty=".",
    dot="-",
    check="ok",
    ellipsis="...",
    dash="-",
    muted="(muted)",
    paused="|| PAUSED",
    icon="o",
    bar="|",
    bullet="*",
    warn="!",
    quote_open='"',
    quote_close='"',
    unicode=False,
)


def _sample() -> str:
    return "".join(getattr(UNICODE, name) for name in Glyphs.__slots__ if isinstance(getattr(UNICODE, name), str))


def can_encode(encoding: str | None) -> bool:
    if not encoding:
        return True
    try:
        _sample().encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def choose(*encodings: str | None) -> Glyphs:
    """Unicode symbols when every one of the output ``encodings`` can encode them, else ASCII."""
    return UNICODE if all(can_encode(encoding) for encoding in encodings) else ASCII


def _stream_encoding(stream: object) -> str | None:
    return getattr(stream, "encoding", None)


def locale_encoding(environ: dict[str, str] | os._Environ[str] = os.environ) -> str | None:
    """``ascii`` when the locale in force is plain C or POSIX (``LC_ALL=C``), else None.

    Python then still writes UTF-8 (its UTF-8 mode), but the terminal was told to expect ASCII.
    """
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = environ.get(name)
        if value:
            return "ascii" if value.split(".")[0] in ("C", "POSIX") and "utf" not in value.lower() else None
    return None


#: Picked once, at start, from the output streams' encodings (Textual draws on one of them) and the locale.
GLYPHS: Glyphs = choose(_stream_encoding(sys.__stdout__), _stream_encoding(sys.__stderr__), locale_encoding())


def use(glyphs: Glyphs) -> None:
    """Switch the table (tests and the app's start-up only)."""
    global GLYPHS
    GLYPHS = glyphs


def glyphs() -> Glyphs:
    return GLYPHS
