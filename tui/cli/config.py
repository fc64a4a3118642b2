"""``hamstring config``: list, show or change settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .common import check_writable, open_store
from .errors import EXIT_OK, UsageError
from .output import clean, out

if TYPE_CHECKING:
    import argparse


def cmd_config(args: argparse.Namespace) -> int:
    from ..core.settings import SETTINGS, SettingError, check_known, effective, setting

    store = open_store(args)
    values = effective(store.settings())
    if args.key is None:
        width = max(len(key) for key in SETTINGS)
        for key, spec in SETTINGS.items():
            out(f"{key.ljust(width)}  {clean(spec.show(values[key])):<16}  # {spec.help}")
        return EXIT_OK
    try:
        spec = setting(args.key)
    except SettingError as error:
        raise UsageError(str(error)) from None
    if args.value is None:
        out(clean(spec.show(values[spec.key])))
        return EXIT_OK
    if args.value.strip().lower() == "default":
        value = spec.default
    else:
        try:
            value = spec.parse(args.value)
            check_known(spec.key, value, store.settings())
        except SettingError as error:
            raise UsageError(f"{spec.key} {error}") from None
    check_writable(store)
    store.set_setting(spec.key, value)
    store.renew_digest()
    out(f"{spec.key} = {clean(spec.show(value))}")
    if spec.key == "voice" and value != "off":
        _tell_missing_engine(value)
    return EXIT_OK


def _tell_missing_engine(value: str) -> None:
    """Saved all the same (the engine may be installed later), but said now, not mid-session."""
    from ..core.speech import find_engine, parse_voice
    from .output import note

    if find_engine(parse_voice(value)) is None:
        wanted = "espeak-ng, espeak, spd-say or say" if value == "on" else f"the program of {value!r}"
        note(f"no speech engine found on PATH ({clean(wanted)}): sessions ring the bell until there is one")
