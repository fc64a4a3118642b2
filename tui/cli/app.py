"""The app: plain ``hamstring``, and ``hamstring session`` (the only commands that load textual)."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING, Any

from .common import load_catalog, open_store
from .errors import EXIT_ERROR, EXIT_OK, CommandError, UsageError

if TYPE_CHECKING:
    import argparse


def cmd_session(args: argparse.Namespace) -> int:
    from ..core.routines import routines_from_setting

    catalog = load_catalog()
    store = open_store(args)
    routines = routines_from_setting(store.get_setting("routines"), catalog)
    if args.routine is not None and args.routine not in routines:
        raise UsageError(f"no routine named {args.routine!r} (known: {', '.join(routines)})")
    request = {
        "routine": args.routine,
        "hold_override": args.hold,
        "transition_override": args.transition,
        "autostart": True,
    }
    return run_app(args, start_mode="session", request=request)


def run_app(args: argparse.Namespace, start_mode: str = "catalog", request: dict[str, Any] | None = None) -> int:
    from ..core.catalog import CatalogError, builtin_catalog

    try:
        builtin_catalog()
    except CatalogError as error:
        raise CommandError(f"hamstring is damaged: {error}") from None
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UsageError("the app needs an interactive terminal (try 'hamstring status' in scripts)")
    from ..app import HamstringApp

    session_request = None
    if request:  # `hamstring session`; plain `hamstring` does not load the routine rules to start
        from ..core.routines import SessionRequest

        session_request = SessionRequest(**request)
    app = HamstringApp(data_dir=getattr(args, "data_dir", None), start_mode=start_mode, session_request=session_request)
    if not gc.isenabled():
        # ``main`` turned the collector off while the modules loaded. What they built lives until
        # the app exits: frozen, no collection walks it again. The app turns the collector back on
        # once its first frame is on screen (HamstringApp.screen_shown): the garbage of its own
        # start-up (parsing its styles, for one) is then collected as usual, not kept.
        gc.freeze()
    app.run()
    # An exception inside the app: Textual has printed it and ended the app with return code 1.
    return EXIT_ERROR if app.return_code else EXIT_OK
