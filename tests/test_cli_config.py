"""`hamstring config` for the settings that name something the history must have."""

from __future__ import annotations

from tests.helpers import run_cli


def test_config_routine_takes_only_a_routine_that_exists(data_dir) -> None:
    refused = run_cli("config", "routine", "nope")
    assert refused.returncode == 2 and "names no routine" in refused.stderr and "daily" in refused.stderr
    assert run_cli("config", "routine").stdout.strip() != "nope"
    accepted = run_cli("config", "routine", "daily")
    assert accepted.returncode == 0 and accepted.stdout == "routine = daily\n"


def test_a_voice_without_an_engine_is_saved_and_said(data_dir, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to speak with
    result = run_cli("config", "voice", "maybe")
    assert result.returncode == 0 and result.stdout == "voice = maybe\n"
    assert "no speech engine found" in result.stderr and "maybe" in result.stderr
    engine = tmp_path / "espeak-ng"
    engine.write_text("#!/bin/sh\n")
    engine.chmod(0o755)
    found = run_cli("config", "voice", "on")
    assert found.returncode == 0 and found.stderr == ""
