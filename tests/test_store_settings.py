"""settings.json: apart from the history, migrated out of it, kept safe like it."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core import digest as digests
from tui.core.factory import make_sessions
from tui.core.schema import SCHEMA_VERSION
from tui.core.settings_file import SettingsDamaged, decode_settings, read_settings, usable
from tui.core.store import HistoryStore, StoreError, StoreReadOnly
from tui.core.sync import legacy_rest_mark

NOW = datetime(2025, 6, 18, 9, 30, tzinfo=timezone(timedelta(hours=2)))


def open_store(data_dir: Path, **kwargs) -> HistoryStore:
    return HistoryStore.open(data_dir, clock=lambda: NOW, **kwargs)


def v1_history(data_dir: Path, settings: dict) -> bytes:
    """A history as hamstring wrote it before settings.json (schema 1)."""
    (session,) = make_sessions(1, end=date(2025, 6, 17))
    document = {
        "sessions": {"1": session.to_dict()},
        "rest_days": {"1": {"date": "2025-06-01"}},
        "settings": {str(n): {"key": k, "value": v} for n, (k, v) in enumerate(settings.items(), 1)},
        "_meta": {"1": {"schema_version": 1}},
    }
    data = json.dumps(document).encode()
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "history.json").write_bytes(data)
    return data


def test_a_setting_change_leaves_the_history_byte_identical_with_the_same_mtime(data_dir: Path) -> None:
    store = open_store(data_dir)
    store.import_many(make_sessions(30, end=date(2025, 6, 17)), [date(2025, 6, 1)])
    store.digest()
    history = data_dir / "history.json"
    before, stat = history.read_bytes(), os.stat(history)
    store.set_setting("bell", "off")
    store.update_setting("theme", lambda _old: "nord")
    store.set_setting("routines", {"short": ["downward-dog"]})
    after = os.stat(history)
    assert history.read_bytes() == before
    assert (after.st_mtime_ns, after.st_ino, after.st_ctime_ns) == (stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)
    assert digests.read_fresh(history, SCHEMA_VERSION) is not None  # a setting never makes the digest stale
    assert json.loads((data_dir / "settings.json").read_text()) == {
        "bell": "off",
        "theme": "nord",
        "routines": {"short": ["downward-dog"]},
    }
    assert store.digest().settings["theme"] == "nord"


def test_migration_moves_the_settings_out_after_a_backup_and_is_idempotent(data_dir: Path) -> None:
    original = v1_history(data_dir, {"bell": "off", "hold": 30, "routines": {"a": ["half-splits"]}})
    (data_dir / "settings.json").write_text(json.dumps({"hold": 45}))  # already there: it wins
    store = open_store(data_dir)
    assert store.settings() == {"bell": "off", "hold": 45, "routines": {"a": ["half-splits"]}}
    document = json.loads((data_dir / "history.json").read_text())
    assert "settings" not in document and document["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert len(document["sessions"]) == 1 and document["rest_days"] == {"1": legacy_rest_mark(date(2025, 6, 1))}
    (backup,) = (data_dir / "backups").glob("history-v1-before-migration-*.json")
    assert backup.read_bytes() == original
    assert any(f"upgraded the history to schema {SCHEMA_VERSION}" in n for n in store.notices)
    settings_bytes, history_bytes = (data_dir / "settings.json").read_bytes(), (data_dir / "history.json").read_bytes()
    again = open_store(data_dir)
    assert again.settings() == store.settings() and again.notices == []
    assert (data_dir / "settings.json").read_bytes() == settings_bytes
    assert (data_dir / "history.json").read_bytes() == history_bytes


def test_a_migration_cut_short_after_the_settings_loses_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    v1_history(data_dir, {"bell": "off", "week-start": "sunday"})
    from tui.core.store import base

    def fail(*args, **kwargs):
        raise StoreError("the disk is full; your history is unchanged")

    monkeypatch.setattr(base.StoreBase, "_write_whole", fail)
    broken = open_store(data_dir)
    assert broken.read_only and json.loads((data_dir / "history.json").read_text())["_meta"]["1"] == {
        "schema_version": 1
    }
    monkeypatch.undo()
    store = open_store(data_dir)
    assert store.settings() == {"bell": "off", "week-start": "sunday"}
    assert "settings" not in json.loads((data_dir / "history.json").read_text())
    assert len(store.sessions()) == 1


def test_update_setting_reads_the_file_as_it_is_now(data_dir: Path) -> None:
    a, b = open_store(data_dir), open_store(data_dir)
    assert a.update_setting("routines", lambda old: {**(old or {}), "bee": ["half-splits"]}) == {"bee": ["half-splits"]}
    assert b.get_setting("routines") == {"bee": ["half-splits"]}
    seen: list = []
    b.update_setting("routines", lambda old: seen.append(old) or {**old, "aye": ["downward-dog"]})
    assert seen == [{"bee": ["half-splits"]}]
    assert a.get_setting("routines") == {"bee": ["half-splits"], "aye": ["downward-dog"]}


def test_a_value_that_would_not_read_back_is_refused_and_nothing_written(data_dir: Path) -> None:
    store = open_store(data_dir)
    store.set_setting("bell", "off")
    before = (data_dir / "settings.json").read_bytes()
    for key, value in (("bell", "loud"), ("hold", 10_000), ("x", float("nan")), ("y", object())):
        with pytest.raises(StoreError, match="not saved"):
            store.set_setting(key, value)
    assert (data_dir / "settings.json").read_bytes() == before
    store.set_setting("hold", None)  # a setting whose default is None takes None
    assert store.get_setting("hold") is None


def test_a_value_this_hamstring_cannot_use_is_told_ignored_and_kept(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "settings.json").write_text(json.dumps({"theme": "from-the-future", "bell": "off"}))
    store = open_store(data_dir)
    assert store.settings() == {"bell": "off"}
    assert any("theme" in n and "from-the-future" in n for n in store.take_notices())
    store.set_setting("week-start", "sunday")
    assert json.loads((data_dir / "settings.json").read_text())["theme"] == "from-the-future"


def test_a_damaged_settings_file_is_set_aside_and_the_defaults_used(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "settings.json").write_bytes(b'{"bell": "off",')
    store = open_store(data_dir)
    assert store.settings() == {}
    (aside,) = data_dir.glob("settings.json.corrupt-*")
    assert aside.name == "settings.json.corrupt-20250618T073000Z"
    assert aside.read_bytes() == b'{"bell": "off",'
    notices = store.take_notices()
    assert len(notices) == 1 and str(aside) in notices[0] and "default settings" in notices[0]
    store.set_setting("bell", "on")
    assert store.get_setting("bell") == "on" and aside.read_bytes() == b'{"bell": "off",'


def test_read_settings_never_raises_and_never_writes(data_dir: Path) -> None:
    assert read_settings(data_dir) == {}
    data_dir.mkdir(parents=True)
    for junk in (b"", b"null", b"[1]", b"\xff\xfe", b'{"bell": "off"', b"[" * 100_000):
        (data_dir / "settings.json").write_bytes(junk)
        assert read_settings(data_dir) == {}
        assert sorted(p.name for p in data_dir.iterdir()) == ["settings.json"]
    (data_dir / "settings.json").write_text('{"bell": "off", "theme": "no-such-theme"}')
    assert read_settings(data_dir) == {"bell": "off"}
    (data_dir / "settings.json").unlink()
    (data_dir / "settings.json").mkdir()
    assert read_settings(data_dir) == {}


def test_a_symlinked_settings_file_is_written_through(data_dir: Path, tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "hamstring-settings.json"
    target.write_text('{"bell": "off"}')
    data_dir.mkdir(parents=True)
    (data_dir / "settings.json").symlink_to(target)
    store = open_store(data_dir)
    store.set_setting("theme", "nord")
    assert (data_dir / "settings.json").is_symlink()
    assert json.loads(target.read_text()) == {"bell": "off", "theme": "nord"}
    target.unlink()
    assert store.settings() == {}  # told, never read as empty and replaced
    with pytest.raises(StoreError, match="symbolic link"):
        store.set_setting("bell", "on")
    assert (data_dir / "settings.json").is_symlink() and not target.exists()


def test_a_read_only_history_refuses_setting_changes(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "history.json").write_text(json.dumps({"_meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}}))
    store = open_store(data_dir)
    with pytest.raises(StoreReadOnly):
        store.set_setting("bell", "off")
    assert not (data_dir / "settings.json").exists()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.binary(max_size=200)
    | st.dictionaries(st.text(max_size=12), st.none() | st.integers() | st.text()).map(lambda d: json.dumps(d).encode())
)
def test_any_bytes_as_settings_json_load_cleanly_or_are_set_aside(tmp_path_factory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("settings")
    (folder / "settings.json").write_bytes(data)
    store = HistoryStore.open(folder, clock=lambda: NOW)
    values = store.settings()
    try:
        expected = usable(decode_settings(data))[0]
    except SettingsDamaged:
        (aside,) = folder.glob("settings.json.corrupt-*")
        assert aside.read_bytes() == data and values == {}
        assert any("settings.json" in n for n in store.take_notices())
    else:
        assert values == expected
        assert (folder / "settings.json").read_bytes() == data
    assert read_settings(folder) == values
