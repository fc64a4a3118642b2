"""``hamstring checkin``, ``hamstring measure`` and ``hamstring progress``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .common import after_write, check_writable, open_store, today
from .errors import EXIT_OK, UsageError
from .output import can_encode, clean, out

if TYPE_CHECKING:
    import argparse


def cmd_checkin(args: argparse.Namespace) -> int:
    from ..core.checkins import InputError, new_checkin
    from ..core.days import local_now

    store = open_store(args)
    try:
        checkin = new_checkin(args.date, args.pain, args.stiffness, args.note, local_now(), today=today(store))
    except InputError as error:
        raise UsageError(f"nothing saved: {clean(error)}") from None
    check_writable(store)
    store.add_checkin(checkin)
    after_write(store)
    stiffness = "" if checkin.stiffness is None else f", stiffness {checkin.stiffness}"
    out(f"checked in for {checkin.date:%a %d %b %Y}: pain {checkin.pain}{stiffness}")
    return EXIT_OK


def cmd_measure(args: argparse.Namespace) -> int:
    from ..core.checkins import RANGES, InputError, new_measurement
    from ..core.days import local_now

    store = open_store(args)
    try:
        measurement = new_measurement(args.date, args.kind, args.value, args.side, local_now(), today=today(store))
    except InputError as error:
        raise UsageError(f"nothing saved: {clean(error)}") from None
    check_writable(store)
    store.add_measurement(measurement)
    after_write(store)
    side = f" ({measurement.side})" if measurement.side else ""
    unit = RANGES[measurement.kind][2]
    out(f"{measurement.kind}{side} {measurement.value:g} {unit} on {measurement.date:%a %d %b %Y}")
    return EXIT_OK


def cmd_progress(args: argparse.Namespace) -> int:
    from ..core.progress import progress_json, progress_sentence, progress_table, weekly_progress
    from ..core.settings import effective, first_weekday

    store = open_store(args)
    day = today(store)
    done = store.digest().done
    checkins = store.checkins()
    weeks = weekly_progress(
        checkins, done, today=day, weeks=args.weeks, week_start=first_weekday(effective(store.settings()))
    )
    if args.json:
        out(json.dumps(progress_json(weeks, store.measurements())))
        return EXIT_OK
    for line in progress_table(weeks, "unicode" if can_encode("█▏▎▍▌▋▊▉") else "ascii"):
        out(line)
    out()
    out(progress_sentence(checkins, done, day))
    return EXIT_OK
