"""``hamstring sync``: merge the other computers' files from the sync folder now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .common import check_writable, open_store
from .errors import EXIT_OK, UsageError
from .output import clean, note, out

if TYPE_CHECKING:
    import argparse


def cmd_sync(args: argparse.Namespace) -> int:
    from ..core import paths
    from ..core.store import StoreError
    from ..core.store.syncing import sync_dir_of, sync_now

    store = open_store(args)
    folder = sync_dir_of(store)
    if folder is None:
        raise UsageError("sync is off: turn it on with 'hamstring config sync-dir DIR'")
    check_writable(store)
    try:
        outcome = sync_now(store, folder, paths.config_dir())
    except StoreError as error:
        raise UsageError(clean(error)) from None
    if outcome.changed:
        store.renew_digest()
    for problem in outcome.problems:
        note(problem)
    out(outcome.summary)
    return EXIT_OK
