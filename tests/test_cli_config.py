"""`hamstring config` for the settings that name something the history must have."""

from __future__ import annotations

from tests.helpers import run_cli


def test_config_routine_takes_only_a_routine_that_exists(data_dir) -> None:
    refused = run_cli("config", "routine", "nope")
    assert refused.returncode == 2 and "names no routine" in refused.stderr and "daily" in refused.stderr
    assert run_cli("config", "routine").stdout.strip() != "nope"
    accepted = run_cli("config", "routine", "daily")
    assert accepted.returncode == 0 and accepted.stdout == "routine = daily\n"
