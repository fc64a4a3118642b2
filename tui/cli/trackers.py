"""``hamstring import --from loop|harsh FILE``: another tracker's history, read only.

Everything is read and checked before anything is written; ``--dry-run`` only says
what would be added (and the streak and strength it would give). The import is one
write, and importing the same file (or a newer backup of it) again adds only what is
new: each session's id comes from the source habit and the day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .common import after_write, check_writable, open_store, today
from .errors import EXIT_OK, UsageError
from .output import clean, note, out

if TYPE_CHECKING:
    import argparse
    from datetime import date

    from ..core.records import SessionRecord
    from ..core.store import HistoryStore


SOURCE_NAMES = {"loop": "Loop Habit Tracker", "harsh": "harsh"}


def cmd_import_from(args: argparse.Namespace) -> int:
    from ..core.days import local_now
    from ..core.importers import ImportFormatError, read_source, to_records

    if args.file == "-":
        raise UsageError("--from reads a file, not standard input")
    try:
        source = read_source(args.from_source, args.file, args.habit, today=local_now().date())
    except ImportFormatError as error:
        raise UsageError(f"nothing imported: {error}") from None
    sessions, rest_days = to_records(source)
    habit = source.habit
    if habit.frequency != (1, 1):
        times, days = habit.frequency
        note(
            f"{SOURCE_NAMES[source.source]} counts {clean(habit.name)!r} {times} times in {days} days; "
            "hamstring counts every day, so its strength will be lower than there"
        )
    store = open_store(args)
    known = {session.id for session in store.sessions()}
    fresh = [session for session in sessions if session.id not in known]
    fresh_rest = sorted(rest_days - store.rest_days())
    what = f"{SOURCE_NAMES[source.source]} {source.format.split('-', 1)[-1]} {source.file}, habit {clean(habit.name)!r}"
    if not fresh and not fresh_rest:
        out(f"{what}: nothing new to import")
        return EXIT_OK
    if args.dry_run:
        out(f"{what}: would add {_counted(len(fresh), 'session')} and {_counted(len(fresh_rest), 'rest day')}")
        out(f"  {_span([s.date for s in fresh] + fresh_rest)}; {_outlook(store, fresh, fresh_rest)}")
        return EXIT_OK
    check_writable(store)
    outcome = store.import_many(fresh, fresh_rest)
    after_write(store)
    out(f"{what}: added {_counted(outcome.added, 'session')} and {_counted(len(fresh_rest), 'rest day')}")
    return EXIT_OK


def _counted(count: int, thing: str) -> str:
    return f"{count} {thing}{'' if count == 1 else 's'}"


def _span(days: list[date]) -> str:
    return f"{min(days).isoformat()} to {max(days).isoformat()}"


def _outlook(store: HistoryStore, fresh: list[SessionRecord], fresh_rest: list[date]) -> str:
    """The streak and strength the history would have with the import."""
    from ..core.streaks import current_streak, strength

    digest = store.digest()
    day = today(store)
    done = set(digest.done) | {session.date for session in fresh if session.counts}
    rest = set(digest.resting) | set(fresh_rest)
    streak = current_streak(done, rest, day).length
    return f"then a {streak}-day streak and strength {round(strength(done, rest, day) * 100)}%"
