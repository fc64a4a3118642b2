"""The ``hamstring`` command: the app, and its shell companions.

Only the bare ``hamstring`` (and ``hamstring session``) start the Textual app;
every other subcommand works from ``tui.core`` alone and never imports
textual, so it stays fast enough for a shell prompt.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from . import __version__
from .core import paths

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user: one line, exit status 2."""


class CommandError(Exception):
    """Something failed that is not the user's input: one line, exit status 1."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (try '{self.prog} --help')\n")


def _data_dir_help() -> str:
    where = paths.data_dir()
    return f"where the history lives (default {where}; or set ${paths.DATA_DIR_ENV})"


def build_parser() -> argparse.ArgumentParser:
    # --data-dir is accepted before or after the subcommand; SUPPRESS keeps a
    # subcommand's missing flag from overwriting the global one.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=_data_dir_help())

    parser = _Parser(
        prog="hamstring",
        description="A daily hamstring-stretching habit in your terminal. Run without a command to open the app.",
        epilog=f"History file: {paths.data_dir() / paths.HISTORY_FILENAME}. "
        f"Your own stretches: {paths.user_catalog_path()}.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"hamstring {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    stretches = commands.add_parser(
        "stretches", help="print the catalog of stretches", description="Print the merged catalog.", parents=[common]
    )
    stretches.add_argument("--json", action="store_true", help="print the catalog as JSON, shaped like stretches.json")
    stretches.set_defaults(handler=cmd_stretches)

    session = commands.add_parser(
        "session",
        help="open the app on the Session screen and start a routine",
        description="Open the app on the Session screen and start a routine at once.",
        parents=[common],
    )
    session.add_argument("--routine", metavar="NAME", default="daily", help="the routine to run (default: daily)")
    session.add_argument("--hold", metavar="SECONDS", type=_int_in(1, 600), help="hold every stretch this long (1-600)")
    session.add_argument(
        "--transition", metavar="SECONDS", type=_int_in(0, 60), help="seconds to get ready and to switch sides (0-60)"
    )
    session.set_defaults(handler=cmd_session)
    return parser


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not from {low} to {high}")
        return value

    return parse


# -- commands --------------------------------------------------------------------
def _load_catalog():  # noqa: ANN202 - the catalog type is imported lazily
    from .core.catalog import CatalogError, load_catalog

    try:
        return load_catalog()
    except CatalogError as error:
        raise UsageError(str(error)) from None


def cmd_stretches(args: argparse.Namespace) -> int:
    catalog = _load_catalog()
    if args.json:
        print(json.dumps(catalog.to_dict(), indent=2, ensure_ascii=False))
        return EXIT_OK
    rows = [("ID", "NAME", "SIDES", "HOLD", "EQUIPMENT")]
    for stretch in catalog:
        rows.append(
            (
                stretch.id,
                stretch.name,
                "each" if stretch.one_sided else "both",
                f"{stretch.hold_s}s",
                ", ".join(stretch.equipment) or "-",
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[4])
    return EXIT_OK


def open_store(args: argparse.Namespace):  # noqa: ANN201 - the store type is imported lazily
    """The history store; its notices (recovery, read-only) go to stderr, one line each."""
    from .core.store import HistoryStore

    store = HistoryStore.open(getattr(args, "data_dir", None))
    for notice in store.notices:
        print(f"hamstring: {notice}", file=sys.stderr)
    return store


def cmd_session(args: argparse.Namespace) -> int:
    from .core.routines import routines_from_setting

    catalog = _load_catalog()
    store = open_store(args)
    routines = routines_from_setting(store.get_setting("routines"), catalog)
    if args.routine not in routines:
        raise UsageError(f"no routine named {args.routine!r} (known: {', '.join(routines)})")
    request = {"routine": args.routine, "hold_override": args.hold, "transition_override": args.transition, "autostart": True}
    return run_app(args, start_mode="session", request=request)


def run_app(args: argparse.Namespace, start_mode: str = "catalog", request: dict | None = None) -> int:
    from .core.catalog import CatalogError, builtin_catalog

    try:
        builtin_catalog()
    except CatalogError as error:
        raise CommandError(f"hamstring is damaged: {error}") from None
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UsageError("the app needs an interactive terminal (try 'hamstring status' in scripts)")
    from .app import HamstringApp
    from .screens.session import SessionRequest

    session_request = SessionRequest(**request) if request else None
    HamstringApp(data_dir=getattr(args, "data_dir", None), start_mode=start_mode, session_request=session_request).run()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", run_app)
    try:
        return handler(args)
    except UsageError as error:
        print(f"hamstring: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CommandError as error:
        print(f"hamstring: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `hamstring export | head`); stay quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
