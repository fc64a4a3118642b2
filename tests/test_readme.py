"""The README's promises that CI relies on."""

from __future__ import annotations

from tests.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
FIRST_SCREEN = README.split("\n---\n", 1)[0]


def _commands(text: str) -> list[str]:
    blocks = text.split("```sh\n")[1:]
    return [block.split("\n```", 1)[0].strip() for block in blocks]


def test_first_screen_has_exactly_two_commands_install_and_test() -> None:
    commands = _commands(FIRST_SCREEN)
    assert len(commands) == 2
    install, test = commands
    assert "pip install ." in install and install.endswith("&& hamstring")
    assert "pip install '.[test]'" in test and test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in ci
    assert "grep -m1 -F \"'.[test]' && python -m pytest\" README.md" in ci
    assert _commands(FIRST_SCREEN)[1].count("'.[test]' && python -m pytest") == 1


def test_screenshots_are_embedded_and_exist() -> None:
    for name in ("catalog", "session", "calendar"):
        assert f"(screenshots/{name}.svg)" in README
        assert (REPO / "screenshots" / f"{name}.svg").is_file()


def test_every_command_and_setting_is_documented() -> None:
    """The README names every subcommand `hamstring --help` offers and every setting `config` lists."""
    import argparse

    from tui.cli.parser import build_parser
    from tui.core.settings import SETTINGS

    parser = build_parser()
    (commands,) = [
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    ]  # argparse has no public walk
    for name in commands.choices:
        assert f"`hamstring {name}" in README or f"`{name}`" in README, name
    for key in SETTINGS:
        assert f"| `{key}` |" in README, key


def test_every_screen_key_is_documented() -> None:
    """Each screen's own keys appear in the README's tables."""
    from tui.screens.calendar import CalendarScreen
    from tui.screens.catalog import CatalogScreen
    from tui.screens.progress import ProgressScreen
    from tui.screens.session import SessionScreen

    names = {"slash": "/", "plus": "+", "minus": "-", "left_square_bracket": "[", "right_square_bracket": "]"}
    for screen in (CatalogScreen, SessionScreen, CalendarScreen, ProgressScreen):
        for binding in screen.BINDINGS:
            key = binding[0] if isinstance(binding, tuple) else binding.key  # type: ignore[union-attr]
            first = key.split(",")[0]
            shown = {"pagedown": "pgdn", "pageup": "pgup"}.get(first, names.get(first, first))
            assert f"`{shown}`" in README, (screen.__name__, shown)
