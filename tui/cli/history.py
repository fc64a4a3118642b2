"""``hamstring status`` and ``hamstring log``: the streak, and a day done away from the computer."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..core import paths
from .common import after_write, check_writable, load_catalog, open_store, today
from .errors import EXIT_OK, UsageError
from .output import mark, out

if TYPE_CHECKING:
    import argparse


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


def cmd_status(args: argparse.Namespace) -> int:
    from ..core import digest as digests
    from ..core.days import local_now, session_day
    from ..core.schema import SCHEMA_VERSION
    from ..core.settings import effective
    from ..core.settings_file import read_settings
    from ..core.streaks import best_streaks, current_streak, strength

    history = paths.history_path(getattr(args, "data_dir", None))
    found = digests.read_fresh(history, SCHEMA_VERSION)
    if found is None and not history.exists() and not history.parent.joinpath(history.name + ".lock").exists():
        found = digests.Digest()  # nothing recorded yet
    if found is None:  # the history changed since its digest: load it in full, with every check
        found = open_store(args).digest()
    settings = effective(read_settings(history.parent))
    day = session_day(local_now(), settings["day-start-hour"])
    rest = found.resting
    current = current_streak(found.done, rest, day)
    best = best_streaks(found.done, rest, count=1)
    longest = best[0].length if best else 0
    score = strength(found.done, rest, day)
    today_done = day in found.done
    if args.json:
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
    from ..core.days import local_now, local_tz_name
    from ..core.records import manual_session
    from ..core.settings import effective, first_weekday
    from ..core.streaks import stats_from_digest

    store = open_store(args)
    day_today = today(store)
    day = args.date or day_today
    if day > day_today:
        raise UsageError(f"{day.isoformat()} is in the future (today is {day_today.isoformat()})")
    if args.rest and args.minutes is not None:
        raise UsageError("--rest and --minutes do not go together")
    check_writable(store)
    if args.rest:
        store.set_rest_day(day, True)
        after_write(store)
        out(f"marked {day:%a %d %b %Y} as a rest day")
        return EXIT_OK
    from ..core.routines import daily_log_minutes

    minutes = args.minutes if args.minutes is not None else daily_log_minutes(store.settings(), load_catalog())
    store.mark_day(manual_session(day, minutes, local_now(), local_tz_name()))
    after_write(store)
    digest = store.digest()
    stats = stats_from_digest(digest, today(store), first_weekday(effective(store.settings())))
    out(f"logged {minutes} min for {day:%a %d %b %Y} · {stats.current.length}-day streak")
    return EXIT_OK
