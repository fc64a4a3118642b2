"""``settings.json`` kept safe like the history: its own lock, a fresh read inside
it for every change, atomic writes through a symbolic link, and a damaged file
moved aside byte-identical (the defaults used, the user told)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from ..files import DanglingLink, Signature, StorageWriteError, atomic_write_bytes, describe, file_signature, real_path
from ..settings_file import (
    MAX_BYTES,
    SETTINGS_FILENAME,
    SettingsDamaged,
    decode_settings,
    serialise_settings,
    usable,
    value_problem,
)
from .errors import StoreError, StoreReadOnly, os_failure
from .locking import StoreLock
from .recovery import move_aside


class SettingsStore:
    """The settings file of one data directory."""

    def __init__(
        self,
        data_dir: Path,
        *,
        lock_timeout: float,
        clock: Callable[[], datetime],
        notices: list[str],
        read_only: Callable[[], str | None],
    ) -> None:
        self.path = data_dir / SETTINGS_FILENAME
        self.lock = StoreLock(
            self.path.with_name(self.path.name + ".lock"),
            data_dir,
            lock_timeout,
            f"another hamstring is saving to {self.path}; nothing was changed, try again in a moment",
        )
        self.clock = clock
        self.notices = notices
        self.read_only = read_only
        self._cached: tuple[Signature, dict[str, Any]] | None = None
        self._told: set[str] = set()

    def _tell(self, notice: str) -> None:
        if notice not in self._told:
            self._told.add(notice)
            self.notices.append(notice)

    # -- reading -----------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """The usable settings; never raises. A problem is told once and the defaults used."""
        with self.lock.guard:
            try:
                return dict(usable(self._raw())[0])
            except SettingsDamaged as damage:
                if self.read_only() is None:
                    try:
                        with self.lock.held(timeout=0):
                            return dict(usable(self._raw(recover=True))[0])
                    except (StoreError, SettingsDamaged):
                        pass
                self._tell(f"{self.path} is damaged ({damage.reason}); the default settings are used")
            except OSError as error:
                self._tell(f"cannot read {self.path}: {describe(error)}; the default settings are used")
            return {}

    def _raw(self, recover: bool = False) -> dict[str, Any]:
        """Everything the file holds (unusable values too). Raises ``OSError``, or
        :class:`SettingsDamaged` unless ``recover`` (lock held) moves a damaged file aside."""
        try:
            signature: Signature | None = file_signature(os.stat(self.path))
        except (FileNotFoundError, NotADirectoryError):
            real_path(self.path)  # a symbolic link to nothing is refused
            signature = None
        if signature is None:
            self._cached = None
            return {}
        if self._cached is not None and self._cached[0] == signature:
            return self._cached[1]
        with open(self.path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
            signature = file_signature(os.fstat(handle.fileno()))
        try:
            values = decode_settings(data)
        except SettingsDamaged as damage:
            if not recover:
                raise
            self._set_aside(data, damage)
            return {}
        for problem in usable(values)[1]:
            self._tell(f"{self.path}: {problem}; the default is used")
        self._cached = (signature, values)
        return values

    def _set_aside(self, data: bytes, damage: SettingsDamaged) -> None:
        aside = move_aside(real_path(self.path), self.path, damage.reason, self.clock)
        self._cached = None
        self._tell(f"{self.path} was damaged ({damage.reason}): moved it to {aside}; the default settings are used")

    # -- writing -----------------------------------------------------------------
    def update(self, key: str, change: Callable[[Any], Any]) -> Any:
        """Read-modify-write one setting under the lock; returns the new value."""
        reason = self.read_only()
        if reason is not None:
            raise StoreReadOnly(reason)
        with self.lock.held():
            current = self._fresh()
            value = change(current.get(key))
            problem = value_problem(key, value) if isinstance(key, str) else f"{key!r} is not a setting name"
            if problem is not None:
                raise StoreError(f"the setting was not saved: {problem}")
            self._write({**current, key: value})
            return value

    def merge(self, values: Mapping[str, Any]) -> None:
        """Add ``values`` the file lacks (the file's own win); one write, lock held inside."""
        with self.lock.held():
            current = self._fresh()
            merged = {**usable(values)[0], **current}
            if merged != current:
                self._write(merged)

    def _fresh(self) -> dict[str, Any]:
        try:
            return dict(self._raw(recover=True))
        except DanglingLink as error:
            raise StoreError(str(error.strerror)) from None
        except OSError as error:
            raise os_failure("read", self.path, error) from None

    def _write(self, values: dict[str, Any]) -> None:
        try:
            data = serialise_settings(values)
        except SettingsDamaged as damage:
            raise StoreError(f"the settings were not saved: {damage.reason}") from None
        try:
            atomic_write_bytes(self.path, data)
            signature = file_signature(os.stat(self.path))
        except StorageWriteError as error:
            raise StoreError(f"{error.strerror}; your settings are unchanged") from None
        except OSError as error:
            raise os_failure("save", self.path, error) from None
        self._cached = (signature, values)
