"""Text shared by every part: what may reach a terminal, and one way to show minutes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.text import UnprintableText, control_problem, format_minutes, printable, reject_control

HOSTILE = [
    "\x1b]0;PWNED\x07",  # sets the terminal title
    "\x1b[2J",
    "tab\there",
    "new\nline",
    "\x7f",
    "\x85",  # C1 next line
    "\x9b31m",  # C1 CSI
    "abc\u202edcba",  # right-to-left override
    "\u2066isolate\u2069",
    "line\u2028separator",
    "lone \ud800 surrogate",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_control_characters_are_refused_with_the_field_named(text: str) -> None:
    assert not printable(text)
    assert control_problem(text) is not None and control_problem(text).startswith("holds the control character U+")  # type: ignore[union-attr]
    with pytest.raises(UnprintableText) as caught:
        reject_control(text, "name")
    assert str(caught.value).startswith("field 'name': holds the control character U+")
    assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value)


@pytest.mark.parametrize("text", ["Downward-Facing Dog", "Pyramid Pose · 45 s", "Hüftöffner", "前屈", "🧘 fold", "a b"])
def test_ordinary_text_passes(text: str) -> None:
    assert printable(text) and control_problem(text) is None
    assert reject_control(text, "name") == text


@given(st.text())
def test_printable_agrees_with_the_listed_characters(text: str) -> None:
    listed = any(
        ord(ch) < 0x20
        or 0x7F <= ord(ch) <= 0x9F
        or ch in "\u2028\u2029"
        or 0x202A <= ord(ch) <= 0x202E
        or 0x2066 <= ord(ch) <= 0x2069
        or 0xD800 <= ord(ch) <= 0xDFFF
        for ch in text
    )
    assert printable(text) is not listed


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0 s"),
        (17, "17 s"),  # totals said "0 min held" and the day line "1 min" for this
        (59, "59 s"),
        (59.4, "59 s"),
        (59.5, "1 min"),
        (60, "1 min"),
        (89, "1 min"),
        (90, "2 min"),  # half a minute rounds up
        (149, "2 min"),
        (150, "3 min"),
        (3600, "60 min"),
        (-5, "0 s"),
        (float("nan"), "0 s"),
    ],
)
def test_format_minutes_rule(seconds: float, shown: str) -> None:
    assert format_minutes(seconds) == shown


def _as_seconds(shown: str) -> int:
    number, unit = shown.split(" ")
    return int(number) * (60 if unit == "min" else 1)


@given(st.integers(0, 10**7))
def test_format_minutes_is_monotonic_and_within_half_a_minute(seconds: int) -> None:
    shown = format_minutes(seconds)
    assert _as_seconds(format_minutes(seconds + 1)) >= _as_seconds(shown)
    assert abs(_as_seconds(shown) - seconds) <= 30
    assert shown.endswith(" s") == (seconds < 60)


# -- a JSON error's reason, said once ----------------------------------------------------------
@pytest.mark.parametrize("data", [b'{"theme": "nord', b'{"a": "x\x01y"}', b'{"a": 1', b'{"a": 1} x'])
def test_a_json_error_is_told_without_a_dangling_or_doubled_at(tmp_path, data: bytes) -> None:
    """Python's decoder says 'Unterminated string starting at' and 'Invalid control character at'
    (its own message appends the place): what hamstring appends must not double the 'at'."""
    from tui.core.catalog import CatalogError, parse_catalog
    from tui.core.document import CorruptHistory, decode_document
    from tui.core.resume import decode
    from tui.core.settings_file import SettingsDamaged, decode_settings
    from tui.core.sync_files import read_peer
    from tui.core.transfer import ImportProblem, parse_import

    said = []
    for call, errors in (
        (lambda: decode_settings(data), SettingsDamaged),
        (lambda: decode_document(data), CorruptHistory),
        (lambda: decode(data), ValueError),
        (lambda: parse_catalog(data, "stretches.json"), CatalogError),
        (lambda: parse_import(data), ImportProblem),
    ):
        with pytest.raises(errors) as caught:
            call()
        said.append(str(caught.value))
    peer = tmp_path / "hamstring-peer.json"
    peer.write_bytes(data)
    said.append(str(read_peer(peer)))
    assert len(said) == 6
    for line in said:
        assert " at at " not in line and " at)" not in line and not line.rstrip(")").endswith(" at"), line
