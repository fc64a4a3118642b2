"""``hamstring history``, ``delete``, ``move``, ``note`` and ``unrest``: see and correct the history."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .common import after_write, check_writable, open_store, today
from .errors import EXIT_OK, UsageError
from .output import clean, clean_json, out

if TYPE_CHECKING:
    import argparse

    from ..core.records import SessionRecord


def _row(session: SessionRecord) -> dict[str, Any]:
    return {
        "id": session.id,
        "date": session.date.isoformat(),
        "source": session.source,
        "minutes": round(session.duration_s / 60, 1),
        "complete": session.complete,
        "note": session.note,
    }


def cmd_history(args: argparse.Namespace) -> int:
    if args.start and args.end and args.start > args.end:
        raise UsageError(f"--from {args.start.isoformat()} is after --to {args.end.isoformat()}")
    store = open_store(args)
    sessions = store.sessions(args.start, args.end)
    if args.json:
        out(clean_json(json.dumps([_row(s) for s in sessions], ensure_ascii=False)))
        return EXIT_OK
    if not sessions:
        out("no sessions" + (" in those days" if args.start or args.end else " yet"))
        return EXIT_OK
    for session in sessions:
        row = _row(session)
        done = "complete" if session.complete else "partial"
        note = f"  {clean(session.note)}" if session.note else ""
        out(f"{row['id']}  {row['date']}  {session.source:<6}  {row['minutes']:>5} min  {done:<8}{note}")
    return EXIT_OK


def _store_for_change(args: argparse.Namespace) -> Any:
    store = open_store(args)
    check_writable(store)
    return store


def _known(error: Exception) -> UsageError:
    return UsageError(clean(error))


def cmd_delete(args: argparse.Namespace) -> int:
    from ..core.store import UnknownRecord

    store = _store_for_change(args)
    try:
        count = store.delete_sessions(args.ids)
    except UnknownRecord as error:
        raise _known(error) from None
    after_write(store)
    out(f"deleted {count} session{'s' if count != 1 else ''}")
    return EXIT_OK


def cmd_move(args: argparse.Namespace) -> int:
    from ..core.rules_days import can_move_session
    from ..core.store import StoreError

    store = _store_for_change(args)
    day_today = today(store)
    session = store.get_session(args.id)
    if session is not None:
        reason = can_move_session(session, args.date, day_today, store.sessions_on(args.date))
        if reason is not None:
            raise UsageError(f"not moved: {reason}")
    try:
        store.move_session(args.id, args.date, today=day_today)
    except StoreError as error:
        raise _known(error) from None
    after_write(store)
    out(f"moved to {args.date:%a %d %b %Y}")
    return EXIT_OK


def cmd_note(args: argparse.Namespace) -> int:
    from ..core.store import StoreError

    store = _store_for_change(args)
    try:
        store.set_session_note(args.id, args.text)
    except StoreError as error:
        raise _known(error) from None
    after_write(store)
    out("note saved" if args.text.strip() else "note removed")
    return EXIT_OK


def cmd_unrest(args: argparse.Namespace) -> int:
    store = _store_for_change(args)
    if args.date not in store.rest_days():  # already as asked: like log --rest on a rest day
        out(f"{args.date:%a %d %b %Y} is not a rest day: nothing changed")
        return EXIT_OK
    store.set_rest_day(args.date, False)
    after_write(store)
    out(f"{args.date:%a %d %b %Y} is no longer a rest day")
    return EXIT_OK
