"""``settings.json``: the user's settings in a file of their own, beside the history.

The file is one JSON object of setting name to value. The values of the
settings hamstring knows (:data:`tui.core.settings.SETTINGS`) are checked with
their own specs; other keys (the saved routines, settings of a newer
hamstring) are kept as they are. Only the standard library: ``status`` reads
the settings with :func:`read_settings` without loading the store.
"""

from __future__ import annotations

import json
import os

from .settings import SETTINGS
from .text import json_reason

TYPE_CHECKING = False  # not typing's: `status` reads the settings on every shell prompt
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

SETTINGS_FILENAME = "settings.json"
MAX_BYTES = 8 * 1024 * 1024


class SettingsDamaged(Exception):
    """``settings.json`` cannot be trusted; ``reason`` says why, in one line."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def settings_path(data_dir: str | os.PathLike[str]) -> Path:
    from pathlib import Path

    return Path(data_dir) / SETTINGS_FILENAME


def value_problem(key: str, value: Any) -> str | None:
    """Why ``value`` cannot be saved as setting ``key``, or None when it can."""
    spec = SETTINGS.get(key)
    if spec is not None:
        if value is None and spec.default is None:
            return None
        return None if spec.accepts(value) else f"{key}: {value!r} is not a usable value"
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return f"{key}: the value cannot be saved as JSON"
    return None


def decode_settings(data: bytes) -> dict[str, Any]:
    """Parse the bytes of ``settings.json``: a JSON object of text keys.

    Raises :class:`SettingsDamaged` for anything else. Values are not checked
    here (see :func:`usable`).
    """
    if not data.strip():
        raise SettingsDamaged("the file is empty")
    if len(data) > MAX_BYTES:
        raise SettingsDamaged(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        values = json.loads(data)
    except UnicodeDecodeError as error:
        raise SettingsDamaged(f"the file is not UTF-8 text (bad byte at offset {error.start})") from None
    except json.JSONDecodeError as error:
        raise SettingsDamaged(f"the file is not valid JSON ({json_reason(error.msg)} at line {error.lineno})") from None
    except (RecursionError, ValueError):
        raise SettingsDamaged("the file is not valid JSON") from None
    if not isinstance(values, dict):
        kind = "null" if values is None else type(values).__name__
        raise SettingsDamaged(f"the file holds {kind} instead of an object of settings")
    return values


def usable(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The settings whose values can be used, and a problem line for each one left out."""
    kept: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in values.items():
        problem = value_problem(key, value)
        if problem is None:
            kept[key] = value
        else:
            problems.append(problem)
    return kept, problems


def serialise_settings(values: Mapping[str, Any]) -> bytes:
    """The bytes of ``settings.json``, checked to read back as they are: hamstring
    never writes a file it would refuse. Raises :class:`SettingsDamaged`.

    Values this hamstring cannot use (a newer one's) are kept, as the reader
    ignores them; a new value is checked with :func:`value_problem` first.
    """
    if not all(isinstance(key, str) for key in values):
        raise SettingsDamaged("a setting name is not text")
    try:
        text = json.dumps(dict(values), ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)
        data = (text + "\n").encode("utf-8")
    except (TypeError, ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        raise SettingsDamaged("a value cannot be saved as JSON") from None
    decode_settings(data)  # what the reader takes (a size limit too)
    return data


def read_settings(data_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """The usable saved settings, read fast for ``status``; never raises, never writes.

    A missing, unreadable or damaged file gives ``{}`` (the store tells the
    user and sets a damaged file aside the next time it opens).
    """
    try:
        with open(os.path.join(data_dir, SETTINGS_FILENAME), "rb") as handle:  # no pathlib: see above
            data = handle.read(MAX_BYTES + 1)
        return usable(decode_settings(data))[0]
    except (OSError, ValueError, SettingsDamaged, RecursionError):
        return {}
