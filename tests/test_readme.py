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
