"""User settings: their names, defaults and validation.

Stored as key/value documents in the history's ``settings`` table. Shared by
``hamstring config`` and the app, so both accept exactly the same values.
"""

from __future__ import annotations

from . import rules
from .days import DAY_START_MAX, DAY_START_MIN
from .values import Value

TYPE_CHECKING = False  # not typing's: `status` reads the settings on every shell prompt
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

#: Textual's built-in theme names (a test keeps this in step with textual, which
#: the shell companions must not import).
THEMES = (
    "textual-dark", "textual-light", "nord", "gruvbox", "catppuccin-mocha", "dracula", "tokyo-night",
    "monokai", "flexoki", "catppuccin-latte", "catppuccin-frappe", "catppuccin-macchiato",
    "solarized-light", "solarized-dark", "rose-pine", "rose-pine-moon", "rose-pine-dawn",
    "atom-one-dark", "atom-one-light", "ansi-dark", "ansi-light",
)  # fmt: skip


#: The setting that holds the user's routines (:mod:`tui.core.routines` reads and writes it).
ROUTINES_KEY = "routines"

_NAME_FIRST = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_NAME_REST = _NAME_FIRST | frozenset(" _-")


def routine_name_ok(name: object) -> bool:
    """A routine's name: 1 to 40 ASCII letters, digits, spaces, '-' or '_', not starting with the last three.

    The same rule as :data:`tui.core.routines.NAME_PATTERN` (a test keeps them in step), without ``re``,
    which the quick status command does not load.
    """
    return (
        isinstance(name, str) and 1 <= len(name) <= 40 and name[0] in _NAME_FIRST and all(c in _NAME_REST for c in name)
    )


class SettingError(ValueError):
    """A setting name or value is not acceptable; the message is one line."""


class Setting(Value):
    __slots__ = ("accepts", "default", "help", "key", "parse", "unset")
    key: str
    default: Any
    help: str
    parse: Callable[[str], Any]  # text from the command line -> stored value
    accepts: Callable[[Any], bool]  # is a stored value usable?
    unset: str  # what an unset (None) value shows

    def __init__(
        self,
        key: str,
        default: Any,
        help: str,
        parse: Callable[[str], Any],
        accepts: Callable[[Any], bool],
        unset: str = "(catalog holds)",
    ) -> None:
        self._fill(key=key, default=default, help=help, parse=parse, accepts=accepts, unset=unset)

    def show(self, value: Any) -> str:
        return self.unset if value is None else str(value)


def _int_range(low: int, high: int) -> tuple[Callable[[str], int], Callable[[Any], bool]]:
    def accepts(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise SettingError(f"must be a whole number from {low} to {high}, not {text!r}") from None
        if not accepts(value):
            raise SettingError(f"must be from {low} to {high}, not {value}")
        return value

    return parse, accepts


def _choice(*choices: str) -> tuple[Callable[[str], str], Callable[[Any], bool]]:
    def accepts(value: Any) -> bool:
        return value in choices

    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in choices:
            raise SettingError(f"must be one of {', '.join(choices)}, not {text!r}")
        return value

    return parse, accepts


def _voice() -> tuple[Callable[[str], str], Callable[[Any], bool]]:
    """Checked by :mod:`.speech` (imported only when a voice value is checked)."""

    def accepts(value: Any) -> bool:
        if value in ("off", "on"):  # the usual values, without loading speech on every prompt
            return True
        from .speech import voice_accepts

        return voice_accepts(value)

    def parse(text: str) -> str:
        from .speech import parse_voice

        try:
            return parse_voice(text).text
        except ValueError as error:
            raise SettingError(str(error)) from None

    return parse, accepts


def _routine_name() -> tuple[Callable[[str], str], Callable[[Any], bool]]:
    def parse(text: str) -> str:
        value = text.strip()
        if not routine_name_ok(value):
            raise SettingError("must be a routine name: 1 to 40 letters, digits, spaces, '-' or '_'")
        return value

    return parse, routine_name_ok


def check_known(key: str, value: Any, stored: Mapping[str, Any]) -> None:
    """Refuse a value that names something this history does not have (a ``routine`` not defined)."""
    if key == "routine" and isinstance(value, str):
        known = routine_names(stored)
        if value not in known:
            raise SettingError(f"names no routine: {value!r} (known: {', '.join(known)})")


def routine_names(stored: Mapping[str, Any]) -> list[str]:
    """``daily`` and the names of the routines in the stored ``routines`` setting."""
    raw = stored.get(ROUTINES_KEY)
    names = ["daily"]
    if isinstance(raw, dict):  # the stored value came from JSON
        names += [n for n in raw if n != "daily" and routine_name_ok(n)]
    return names


SETTINGS: dict[str, Setting] = {
    setting.key: setting
    for setting in (
        Setting(
            "day-start-hour",
            0,
            f"hour ({DAY_START_MIN}-{DAY_START_MAX}) at which a new day starts",
            *_int_range(DAY_START_MIN, DAY_START_MAX),
        ),
        Setting("week-start", "monday", "first day of the week: monday or sunday", *_choice("monday", "sunday")),
        Setting("bell", "on", "terminal bell cues during a session: on or off", *_choice("on", "off")),
        Setting("theme", "textual-dark", "the app's colour theme", *_choice(*THEMES)),
        Setting(
            "hold",
            None,
            f"default hold in seconds ({rules.HOLD_MIN_S}-{rules.HOLD_MAX_S}) for every stretch",
            *_int_range(rules.HOLD_MIN_S, rules.HOLD_MAX_S),
        ),
        Setting(
            "transition",
            rules.TRANSITION_DEFAULT_S,
            f"seconds to get ready for the next stretch and to switch sides ({rules.TRANSITION_MIN_S}-{rules.TRANSITION_MAX_S})",
            *_int_range(rules.TRANSITION_MIN_S, rules.TRANSITION_MAX_S),
        ),
        Setting(
            "rest-budget",
            rules.REST_BUDGET_DEFAULT,
            f"rest days allowed in any 7 days ({rules.REST_BUDGET_MIN}-{rules.REST_BUDGET_MAX})",
            *_int_range(rules.REST_BUDGET_MIN, rules.REST_BUDGET_MAX),
        ),
        Setting(
            "lead-in-position",
            rules.LEAD_IN_POSITION_DEFAULT_S,
            f"seconds to get into a new position: lying, seated, kneeling... ({rules.TRANSITION_MIN_S}-{rules.TRANSITION_MAX_S})",
            *_int_range(rules.TRANSITION_MIN_S, rules.TRANSITION_MAX_S),
        ),
        Setting("voice", "off", "spoken cues: off, on, or a command such as 'espeak-ng {text}'", *_voice()),
        Setting("routine", "daily", "the routine a session runs unless told otherwise", *_routine_name()),
    )
}


def _folder() -> tuple[Callable[[str], str], Callable[[Any], bool]]:
    import os.path

    def accepts(value: Any) -> bool:
        return isinstance(value, str) and 0 < len(value) <= 4096 and value.isprintable() and os.path.isabs(value)

    def parse(text: str) -> str:
        value = os.path.abspath(os.path.expanduser(text.strip())) if text.strip() else ""
        if not accepts(value):
            raise SettingError(f"must be a folder, not {text!r}")
        if not os.path.isdir(value):
            raise SettingError(f"must be an existing folder: {value} is not one")
        return value

    return parse, accepts


SETTINGS["sync-dir"] = Setting(
    "sync-dir",
    None,
    "a folder your sync tool keeps in step (Syncthing, Dropbox, ...); 'default' turns sync off",
    *_folder(),
    unset="(off)",
)


def setting(key: str) -> Setting:
    try:
        return SETTINGS[key]
    except KeyError:
        raise SettingError(f"unknown setting {key!r}; known: {', '.join(SETTINGS)}") from None


def effective(stored: Mapping[str, Any]) -> dict[str, Any]:
    """Every setting's value: the stored one when usable, else the default."""
    values = {}
    for key, spec in SETTINGS.items():
        value = stored.get(key, spec.default)
        values[key] = value if (value is None and spec.default is None) or spec.accepts(value) else spec.default
    return values


def first_weekday(values: Mapping[str, Any]) -> int:
    """0 for Monday, 6 for Sunday (``datetime.weekday`` numbering)."""
    return 6 if values.get("week-start") == "sunday" else 0
