"""What several commands share: the store (and its notices), the catalog, today."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .errors import AlreadySaid, UsageError
from .output import opened

if TYPE_CHECKING:
    import argparse

    from ..core.catalog import Catalog
    from ..core.store import HistoryStore


def open_store(args: argparse.Namespace) -> HistoryStore:
    """The history store; its notices (recovery, read-only) go to stderr, one line each,
    now and again after the command's work."""
    from ..core.store import HistoryStore

    store = HistoryStore.open(getattr(args, "data_dir", None))
    opened(store)
    return store


def load_catalog() -> Catalog:
    from ..core.catalog import CatalogError
    from ..core.catalog import load_catalog as load

    try:
        return load()
    except CatalogError as error:
        raise UsageError(str(error)) from None


def today(store: Any) -> date:
    from ..core.days import local_now, session_day
    from ..core.settings import effective

    return session_day(local_now(), effective(store.settings())["day-start-hour"])


def check_writable(store: Any) -> None:
    """A read-only history was already told as a notice at open: one line, exit 2."""
    if store.read_only:
        if not any(store.read_only_reason in notice for notice in store.notices):
            raise UsageError(store.read_only_reason)
        raise AlreadySaid()


def after_write(store: Any) -> None:
    """After a command changed the history: the digest for the next start, and this
    computer's file in the sync folder when sync is on (a failure there is a notice)."""
    from ..core import paths
    from ..core.store.syncing import write_own_file
    from .output import note

    store.renew_digest()
    problem = write_own_file(store, paths.config_dir())
    if problem is not None:
        note(problem)
