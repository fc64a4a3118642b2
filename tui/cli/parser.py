"""The command line's grammar: every subcommand, flag and bound, and nothing else.

Each subcommand names its handler as ``"module:function"`` inside
``tui.cli``; :mod:`tui.cli.main` imports only that module, so a quick
command never loads the code (or the libraries) of another.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date
from typing import Any, NoReturn

from .. import __version__
from ..core import paths, rules
from .errors import EXIT_USAGE
from .output import mark


def _terminal_columns() -> int:
    """Like ``shutil.get_terminal_size().columns``: $COLUMNS, else the terminal, else 80."""
    if os.environ.get("COLUMNS", "").isdigit() and int(os.environ["COLUMNS"]) > 0:
        return int(os.environ["COLUMNS"])
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]  # None is caught below
    except (AttributeError, OSError, ValueError):
        return 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, sized without ``shutil`` (which pulls in the
    compression modules: a tenth of a quick command's run time)."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        if kwargs.get("width") is None:
            kwargs["width"] = _terminal_columns() - 2
        super().__init__(prog, **kwargs)


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line, exit status 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        from .output import clean

        self.exit(EXIT_USAGE, f"{self.prog}: {clean(message)} (try '{self.prog} --help')\n")


def past_or_today_date(text: str) -> date:
    from ..core.records import RecordError, parse_date

    try:
        return parse_date(text.strip())
    except RecordError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real date in the form YYYY-MM-DD") from None


def int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not from {low} to {high}")
        return value

    return parse


def figure_size(text: str) -> tuple[int, int]:
    """``--size COLSxROWS`` for a figure, within the renderer's limits."""
    from ..core.figures import parse_size

    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser(full_help: bool = True) -> argparse.ArgumentParser:
    # --data-dir is accepted before or after the subcommand; SUPPRESS keeps a
    # subcommand's missing flag from overwriting the global one.
    common = Parser(add_help=False)
    # The paths in the help cost a platformdirs import: worked out only when help is asked for.
    data_dir_help = (
        f"where the history lives (default {paths.data_dir()}; or set ${paths.DATA_DIR_ENV})"
        if full_help
        else "where the history lives"
    )
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=data_dir_help)

    parser = Parser(
        prog="hamstring",
        description="A daily hamstring-stretching habit in your terminal. Run without a command to open the app.",
        epilog=(
            f"History file: {paths.data_dir() / paths.HISTORY_FILENAME}. Your own stretches: {paths.user_catalog_path()}."
            if full_help
            else None
        ),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"hamstring {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def command(name: str, handler: str, help: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=description, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

    stretches = command(
        "stretches", "catalog:cmd_stretches", "print the catalog of stretches", "Print the merged catalog."
    )
    shown = stretches.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="print the catalog as JSON, shaped like stretches.json")
    shown.add_argument("--figure", metavar="ID", help="print only the figure of this stretch, drawn in braille")
    stretches.add_argument(
        "--side", choices=("left", "right"), help="with --figure: the leg being stretched (default: left)"
    )
    stretches.add_argument(
        "--size",
        metavar="COLSxROWS",
        type=figure_size,
        help="with --figure: the figure's size in characters (default: 40x16)",
    )

    session = command(
        "session",
        "app:cmd_session",
        "open the app on the Session screen and start a routine",
        "Open the app on the Session screen and start a routine at once.",
    )
    session.add_argument(
        "--routine",
        metavar="NAME",
        default=None,
        help="the routine to run (default: the default routine, see 'config routine')",
    )
    session.add_argument(
        "--hold",
        metavar="SECONDS",
        type=int_in(rules.HOLD_MIN_S, rules.HOLD_MAX_S),
        help=f"hold every stretch this long ({rules.HOLD_MIN_S}-{rules.HOLD_MAX_S})",
    )
    session.add_argument(
        "--transition",
        metavar="SECONDS",
        type=int_in(rules.TRANSITION_MIN_S, rules.TRANSITION_MAX_S),
        help=f"seconds to get ready and to switch sides ({rules.TRANSITION_MIN_S}-{rules.TRANSITION_MAX_S})",
    )

    status = command(
        "status", "history:cmd_status", "print today's state and your streak in one line", "Print your streak."
    )
    shape = status.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print one JSON object")
    shape.add_argument(
        "--short",
        action="store_true",
        help=f"print the streak and a mark ({mark('✓')} done today, ! at risk, {mark('·')} rest day), for prompts",
    )

    log = command(
        "log",
        "history:cmd_log",
        "log a session done away from the computer, or a rest day",
        "Record a complete manual session for today or a past date (once a day), or mark a rest day "
        "(up to a year ahead; at most rest-budget rest days in any 7 days).",
    )
    log.add_argument("--date", metavar="YYYY-MM-DD", type=past_or_today_date, help="the day (default: today)")
    log.add_argument(
        "--minutes",
        metavar="N",
        type=int_in(rules.LOG_MINUTES_MIN, rules.LOG_MINUTES_MAX),
        help=f"minutes stretched, {rules.LOG_MINUTES_MIN}-{rules.LOG_MINUTES_MAX} (default: the daily routine's)",
    )
    log.add_argument("--rest", action="store_true", help="mark the day as a planned rest day instead")

    remind = command(
        "remind",
        "remind:cmd_remind",
        "send a desktop reminder when today is not done yet; --install sets a daily one",
        "Send a desktop notification when today is neither done nor a rest day (otherwise do nothing; "
        "without a notifier the reminder goes to stderr; exit 0 either way). --install HH:MM sets a daily "
        "reminder (a systemd user timer, a launchd agent, or the crontab line to add); --uninstall removes it.",
    )
    remind.add_argument("--json", action="store_true", help="print what was done as one JSON object")
    when = remind.add_mutually_exclusive_group()
    when.add_argument("--install", metavar="HH:MM", help="run 'hamstring remind' every day at this time")
    when.add_argument("--uninstall", action="store_true", help="remove the daily reminder that --install set")

    config = command(
        "config",
        "config:cmd_config",
        "list, show or change settings",
        "List settings; 'config KEY' shows one; 'config KEY VALUE' changes it ('default' resets it).",
    )
    config.add_argument("key", nargs="?", metavar="KEY")
    config.add_argument("value", nargs="?", metavar="VALUE")

    export = command(
        "export",
        "transfer:cmd_export",
        "write your whole history as JSON or CSV",
        "Export the history: JSON holds everything and is what 'hamstring import' reads back; "
        "CSV is one row a session, for spreadsheets.",
    )
    export.add_argument("--format", choices=("json", "csv"), default="json", help="json (everything, default) or csv")
    export.add_argument(
        "--what",
        choices=("sessions", "checkins", "measurements"),
        default="sessions",
        help="with --format csv: which records, one row each (default: sessions)",
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (a new or regular file, a pipe or a device) instead of standard output",
    )

    importer = command(
        "import",
        "transfer:cmd_import",
        "merge a JSON export into your history",
        "Merge a JSON export made by 'hamstring export' into your history; sessions already present are skipped.",
    )
    importer.add_argument(
        "file",
        metavar="FILE",
        help="a JSON export made by 'hamstring export' ('-' reads standard input), or with --from another tracker's file",
    )
    importer.add_argument(
        "--from",
        dest="from_source",
        choices=("loop", "harsh"),
        help="read another tracker's file: loop (Loop Habit Tracker's .db backup or its export .zip) or harsh (its log)",
    )
    importer.add_argument(
        "--habit", metavar="NAME", help="with --from: the habit to import (when the file has several)"
    )
    importer.add_argument(
        "--dry-run", action="store_true", help="with --from: say what would be added, and write nothing"
    )
    _records_commands(command)
    return parser


def _records_commands(command: Callable[[str, str, str, str], argparse.ArgumentParser]) -> None:
    """check-ins, measurements, progress, the history's edits and sync."""
    checkin = command(
        "checkin",
        "progress:cmd_checkin",
        "record how your back feels today (pain 0-10)",
        "Record a check-in: back pain 0 to 10, and optionally stiffness 0 to 10 and a note. "
        "A later check-in the same day counts instead of an earlier one.",
    )
    checkin.add_argument("--pain", metavar="N", required=True, help="back pain from 0 (none) to 10")
    checkin.add_argument("--stiffness", metavar="N", help="stiffness from 0 to 10")
    checkin.add_argument("--note", metavar="TEXT", help="a note, one line, up to 500 characters")
    checkin.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")

    measure = command(
        "measure",
        "progress:cmd_measure",
        "record a flexibility measurement",
        "Record sit-and-reach in cm (past the toes positive, -50 to 80) or an active straight-leg raise "
        "(slr) in degrees (0 to 150) for one side.",
    )
    measure.add_argument("kind", metavar="KIND", help="sit-and-reach or slr")
    measure.add_argument("value", metavar="VALUE", help="cm for sit-and-reach, degrees for slr")
    measure.add_argument("--side", metavar="SIDE", help="left or right (slr only)")
    measure.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")

    progress = command(
        "progress",
        "progress:cmd_progress",
        "print weekly pain and days stretched",
        "Print the last weeks' average pain and days done (weeks start on the week-start setting's day), "
        "a small chart and one sentence of figures.",
    )
    progress.add_argument("--weeks", metavar="N", type=int_in(1, 520), default=12, help="how many weeks (default 12)")
    progress.add_argument("--json", action="store_true", help="print one JSON object")

    history = command(
        "history",
        "edit:cmd_history",
        "list every session with its id",
        "List sessions, oldest first, with the ids that delete, move and note take.",
    )
    history.add_argument("--from", dest="start", metavar="YYYY-MM-DD", type=past_or_today_date, help="first day")
    history.add_argument("--to", dest="end", metavar="YYYY-MM-DD", type=past_or_today_date, help="last day")
    history.add_argument("--json", action="store_true", help="print a JSON list")

    delete = command(
        "delete",
        "edit:cmd_delete",
        "delete sessions by id",
        "Delete sessions (ids from 'hamstring history'); all or nothing. A deleted session "
        "never comes back from an import or a sync.",
    )
    delete.add_argument("ids", nargs="+", metavar="ID")

    move = command("move", "edit:cmd_move", "move a session to another day", "Move a session to another day.")
    move.add_argument("id", metavar="ID")
    move.add_argument("date", metavar="YYYY-MM-DD", type=past_or_today_date)

    note = command(
        "note",
        "edit:cmd_note",
        "set a session's note",
        "Set a note on a session (one line, up to 500 characters); an empty TEXT removes it.",
    )
    note.add_argument("id", metavar="ID")
    note.add_argument("text", metavar="TEXT")

    unrest = command("unrest", "edit:cmd_unrest", "remove a rest day", "Remove the rest mark of a day.")
    unrest.add_argument("date", metavar="YYYY-MM-DD", type=past_or_today_date)

    command(
        "sync",
        "sync:cmd_sync",
        "merge the other computers' files from the sync folder now",
        "Merge every other computer's file in the sync folder (see 'hamstring config sync-dir') "
        "into your history, then write this computer's file there.",
    )
