"""``hamstring status`` and ``hamstring log``: the streak, and a day done away from the computer."""

from __future__ import annotations

import os

from ..core import paths
from .errors import EXIT_OK, UsageError
from .output import mark, out

# `status` runs on every shell prompt: nothing here imports typing, pathlib or
# the store unless the command needs it (mypy reads this name as typing's).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Set
    from datetime import date
    from typing import Any

    from ..core.digest import Digest


def short_mark(length: int, today_done: bool, at_risk: bool) -> str:
    """``status --short``: the streak and one mark, for a shell prompt.

    ``N✓`` done today; ``N!`` not yet, and the streak ends tonight without it;
    ``N·`` a streak resting today; ``0`` no streak (nothing to lose yet).
    """
    if today_done:
        return f"{length}{mark('✓')}"
    if at_risk:
        return f"{length}!"
    if length:
        return f"{length}{mark('·')}"
    return "0"


def read_today(args: argparse.Namespace) -> tuple[Digest, dict[str, Any], date]:
    """The history's digest (its saved copy when fresh), the saved settings and today:
    what ``status`` and ``remind`` read, without loading the history when they can."""
    from ..core import digest as digests
    from ..core.days import local_now, session_day
    from ..core.schema import SCHEMA_VERSION
    from ..core.settings import effective
    from ..core.settings_file import read_settings

    history = paths.history_file(getattr(args, "data_dir", None))
    folder = os.path.dirname(history)
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise UsageError(f"{folder} is not a directory: give --data-dir a folder for the history")
    found = digests.read_fresh(history, SCHEMA_VERSION)
    if found is None and not _exists(history) and not _exists(history + ".lock"):
        found = digests.Digest()  # nothing recorded yet
    if found is None:  # the history changed since its digest: load it in full, with every check
        from .common import open_store

        found = open_store(args).digest()
    stored = read_settings(os.path.dirname(history))
    return found, stored, session_day(local_now(), effective(stored)["day-start-hour"])


def _exists(path: str) -> bool:
    """As ``Path.exists`` (without loading pathlib): False for a missing file; a name
    that cannot be looked up at all (too long, no permission) raises ``OSError``."""
    import errno

    try:
        os.stat(path)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return False
        raise
    return True


def cmd_status(args: argparse.Namespace) -> int:
    from ..core.streaks import best_streaks, current_streak, strength

    found, _settings, day = read_today(args)
    rest = found.resting
    current = current_streak(found.done, rest, day)
    best = best_streaks(found.done, rest, count=1)
    longest = best[0].length if best else 0
    score = strength(found.done, rest, day)
    today_done = day in found.done
    if args.json:
        import json

        out(
            json.dumps(
                {
                    "today": day.isoformat(),
                    "today_done": today_done,
                    "current_streak": current.length,
                    "at_risk": current.at_risk,
                    "longest_streak": longest,
                    "strength": round(score, 4),
                    # Complete sessions (manual logs count); "total_sessions" is the old
                    # name of the same figure, kept for one more version.
                    "complete_sessions": found.counting_sessions,
                    "total_sessions": found.counting_sessions,
                    "last_session_date": found.last_session_date.isoformat() if found.last_session_date else None,
                }
            )
        )
    elif args.short:
        out(short_mark(current.length, today_done, current.at_risk))
    else:
        streak = f"{current.length}-day streak" if current.length else "no streak yet"
        out(
            f"hamstring: {streak} (today: {'done' if today_done else 'not yet'}) · longest {longest} · strength {round(score * 100)}%"
        )
    return EXIT_OK


def cmd_log(args: argparse.Namespace) -> int:
    """Log a day done by hand, or mark a rest day, by the rules of :mod:`tui.core.rules_days`
    (the Calendar's ``m`` and ``r`` keys follow the same ones); say what was done, or why not."""
    from ..core.days import local_now, local_tz_name
    from ..core.records import manual_session
    from ..core.rules_days import can_log_day, can_mark_rest
    from ..core.settings import effective, first_weekday
    from ..core.streaks import stats_from_digest
    from .common import after_write, check_writable, open_store, today

    if args.rest and args.minutes is not None:
        raise UsageError("--rest and --minutes do not go together")
    store = open_store(args)
    check_writable(store)
    day_today = today(store)
    day = args.date or day_today
    sessions = store.sessions_on(day)
    settings = effective(store.settings())
    if args.rest:
        rest_days = store.rest_days()
        budget = settings["rest-budget"]
        reason = can_mark_rest(day, day_today, sessions, rest_days, budget)
        if reason is not None:
            raise UsageError(f"not marked: {reason}")
        if day in rest_days:
            out(f"{day:%a %d %b %Y} is already a rest day: nothing changed")
            return EXIT_OK
        store.set_rest_day(day, True)
        after_write(store)
        out(f"marked {day:%a %d %b %Y} as a rest day ({rest_count(day, rest_days, budget)})")
        return EXIT_OK
    reason = can_log_day(day, day_today, sessions)
    if reason is not None:
        raise UsageError(f"not logged: {reason}")
    from ..core.routines import daily_log_minutes
    from ..core.text import format_minutes
    from .common import load_catalog

    minutes = args.minutes if args.minutes is not None else daily_log_minutes(store.settings(), load_catalog())
    store.mark_day(manual_session(day, minutes, local_now(), local_tz_name()))
    after_write(store)
    digest = store.digest()
    stats = stats_from_digest(digest, today(store), first_weekday(settings))
    streak = f"{stats.current.length}-day streak" if stats.current.length else "no streak today"
    out(f"logged {format_minutes(minutes * 60)} for {day:%a %d %b %Y} · {streak}")
    return EXIT_OK


def rest_count(day: date, rest_days: Set[date], budget: int) -> str:
    """``1 of 2 in 7 days``: where a new rest day ``day`` leaves the rest-budget."""
    from ..core.rules_days import rest_days_near

    return f"{rest_days_near(day, rest_days) + 1} of {budget} in 7 days"
