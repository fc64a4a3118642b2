"""Spoken cues: the voice setting, the engine search, the speaker (with a fake engine on PATH), bells."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.speech import (
    Cue,
    Speaker,
    VoiceSetting,
    bell_pattern,
    cue_text,
    fill,
    find_engine,
    parse_voice,
    speakable,
    voice_accepts,
)

SLEEP = shutil.which("sleep")  # found before the tests narrow PATH to the fake engines
FAKE_ENGINE = """#!{python}
import json, os, sys, time
with open(os.environ["FAKE_ENGINE_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps([os.path.basename(sys.argv[0]), *sys.argv[1:]]) + "\\n")
time.sleep(float(os.environ.get("FAKE_ENGINE_SLEEP", "0")))
"""


class Engines:
    """Fake speech engines in a folder that is the whole PATH; each logs its arguments."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        self.log = tmp_path / "engine.log"
        self.monkeypatch = monkeypatch
        monkeypatch.setenv("PATH", str(self.bin))
        monkeypatch.setenv("FAKE_ENGINE_LOG", str(self.log))
        self.sleep(0)

    def add(self, name: str, script: str = FAKE_ENGINE) -> Path:
        path = self.bin / name
        path.write_text(script.format(python=sys.executable), encoding="utf-8")
        path.chmod(0o755)
        return path

    def sleep(self, seconds: float) -> None:
        self.monkeypatch.setenv("FAKE_ENGINE_SLEEP", str(seconds))

    def lines(self) -> list[list[str]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]


class Recorder:
    """A popen that starts real processes, keeps them, and checks none is running when the next starts."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen[bytes]] = []
        self.options: list[dict[str, Any]] = []

    def __call__(self, argv: list[str], **options: Any) -> subprocess.Popen[bytes]:
        assert all(process.poll() is not None for process in self.started), "two engines at once"
        self.options.append(options)
        process = subprocess.Popen(argv, **options)
        self.started.append(process)
        return process

    def reap(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


@pytest.fixture
def engines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engines:
    return Engines(tmp_path, monkeypatch)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    rec = Recorder()
    yield rec
    rec.reap()


# -- the setting -------------------------------------------------------------------------------
def test_parse_voice_off_on_and_templates() -> None:
    assert parse_voice("off") == VoiceSetting("off")
    assert parse_voice(" ON ") == VoiceSetting("on", (), "on")
    assert parse_voice("espeak-ng -s 140 {text}").command == ("espeak-ng", "-s", "140", "{text}")
    assert parse_voice("my-tts --say").command == ("my-tts", "--say", "{text}")  # text appended last
    assert parse_voice("say -v 'Daniel' --text={text}").command == ("say", "-v", "Daniel", "--text={text}")
    assert not parse_voice("off").enabled and parse_voice("on").enabled


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("espeak 'unclosed", "not a command line"),
        ("espeak\n{text}", "control characters"),
        ("espeak \x1b[31m", "control characters"),
        ("''", "names no program"),
        ("-s 140 {text}", "start with a program"),
        ("x" * 501, "at most 500"),
    ],
)
def test_parse_voice_refuses_with_one_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_voice(text)
    assert "\n" not in str(caught.value)


def test_voice_accepts_only_what_parse_voice_stores() -> None:
    assert voice_accepts("off") and voice_accepts("on") and voice_accepts("espeak-ng {text}")
    assert not voice_accepts("ON")  # stored values are the canonical text
    assert not voice_accepts(" espeak-ng")
    assert not voice_accepts("") and not voice_accepts(3) and not voice_accepts(None)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_voice_raises_only_value_error(text: str) -> None:
    try:
        parsed = parse_voice(text)
    except ValueError as error:
        assert "\n" not in str(error)
    else:
        assert voice_accepts(parsed.text)
        assert parse_voice(parsed.text) == parsed  # what is stored is accepted again


# -- finding an engine -------------------------------------------------------------------------
def test_find_engine_prefers_espeak_ng_then_falls_back_in_order(engines: Engines) -> None:
    on = parse_voice("on")
    assert find_engine(on) is None  # nothing on PATH
    names = ["say", "spd-say", "espeak", "espeak-ng"]
    expected = [["say"], ["spd-say", "--wait"], ["espeak"], ["espeak-ng"]]
    for name, argv in zip(names, expected, strict=True):
        path = engines.add(name)
        assert find_engine(on) == [str(path), *argv[1:], "{text}"]
    for name in reversed(names[1:]):  # take them away again, best first
        (engines.bin / name).unlink()
        found = find_engine(on)
        assert found is not None and Path(found[0]).name == names[names.index(name) - 1]


def test_find_engine_with_a_template_needs_its_program(engines: Engines) -> None:
    template = parse_voice("my-tts -v en {text}")
    assert find_engine(template) is None
    path = engines.add("my-tts")
    assert find_engine(template) == [str(path), "-v", "en", "{text}"]
    assert find_engine(parse_voice("off")) is None


def test_find_engine_uses_the_which_it_is_given() -> None:
    found = {"spd-say": "/opt/spd-say"}
    assert find_engine(parse_voice("on"), which=found.get) == ["/opt/spd-say", "--wait", "{text}"]


# -- the speaker ------------------------------------------------------------------------------
def test_say_returns_while_the_engine_still_speaks_and_close_stops_it(engines: Engines, recorder: Recorder) -> None:
    engines.add("espeak-ng")
    engines.sleep(5)
    speaker = Speaker(find_engine(parse_voice("on")), popen=recorder)
    assert speaker.say("Switch sides")
    (first,) = recorder.started
    assert first.poll() is None and speaker.speaking  # say returned; the engine is still running
    assert recorder.options[0]["start_new_session"] is True
    assert {recorder.options[0][key] for key in ("stdin", "stdout", "stderr")} == {subprocess.DEVNULL}
    speaker.close()
    assert first.poll() is not None and not speaker.speaking


def test_a_new_line_replaces_the_one_still_speaking(engines: Engines, recorder: Recorder) -> None:
    engines.add("espeak-ng")
    engines.sleep(5)
    speaker = Speaker(find_engine(parse_voice("on")), popen=recorder)
    for text in ("3", "2", "1"):
        assert speaker.say(text)  # the recorder asserts no engine runs when the next starts
    assert [process.poll() is None for process in recorder.started] == [False, False, True]
    speaker.close()
    assert recorder.started[-1].poll() is not None


@pytest.mark.skipif(not Path("/proc/self/stat").exists() or SLEEP is None, reason="reads /proc, runs sleep")
def test_stopping_reaches_what_the_engine_started(engines: Engines, tmp_path: Path, recorder: Recorder) -> None:
    """A template may be a script that runs the real engine as a child: that child stops too."""
    child_pid = tmp_path / "child.pid"
    engines.add("wrapper", f"#!/bin/sh\n{SLEEP} 30 &\necho $! > {child_pid}\nwait\n")
    speaker = Speaker(find_engine(parse_voice("wrapper")), popen=recorder)
    assert speaker.say("Hold for 30 seconds")
    while not child_pid.exists() or not child_pid.read_text().strip():
        assert recorder.started[0].poll() is None
        time.sleep(0.01)
    pid = int(child_pid.read_text())
    assert _running(pid)
    speaker.close()
    deadline = time.monotonic() + 10  # the signal is sent; give the OS a moment to end it
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not _running(pid)


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in {"Z", "X"}


def test_a_whole_two_stretch_routine_is_spoken_in_order(engines: Engines, recorder: Recorder) -> None:
    engines.add("espeak-ng")
    engines.add("espeak")  # found too, but espeak-ng comes first
    speaker = Speaker(find_engine(parse_voice("on")), popen=recorder)
    routine = [
        (Cue.GET_READY, {"name": "Seated forward fold", "side": "left"}),
        (Cue.HOLD_START, {"seconds": 30}),
        *[(Cue.COUNTDOWN, {"seconds": n}) for n in (3, 2, 1)],
        (Cue.SWITCH_SIDES, {"side": "right"}),
        (Cue.HOLD_START, {"seconds": 30}),
        *[(Cue.COUNTDOWN, {"seconds": n}) for n in (3, 2, 1)],
        (Cue.GET_READY, {"name": "Active forward fold with blocks", "side": "both"}),
        (Cue.HOLD_START, {"seconds": 45}),
        (Cue.CONTRACT, {}),
        (Cue.RELAX, {}),
        *[(Cue.COUNTDOWN, {"seconds": n}) for n in (3, 2, 1)],
        (Cue.DONE, {"streak": 12}),
    ]
    for event, facts in routine:
        assert speaker.say(cue_text(event, **facts))
        recorder.started[-1].wait(timeout=30)
    speaker.close()
    assert engines.lines() == [
        ["espeak-ng", line]
        for line in [
            "Seated forward fold. Left leg.",
            "Hold for 30 seconds",
            "3",
            "2",
            "1",
            "Switch sides. Right leg.",
            "Hold for 30 seconds",
            "3",
            "2",
            "1",
            "Active forward fold with blocks.",
            "Hold for 45 seconds",
            "Contract",
            "Relax",
            "3",
            "2",
            "1",
            "Done. 12 day streak.",
        ]
    ]


def test_a_template_gets_the_text_where_it_says(engines: Engines, recorder: Recorder) -> None:
    engines.add("my-tts")
    speaker = Speaker(find_engine(parse_voice("my-tts -v en --text={text} {0}")), popen=recorder)
    assert speaker.say("-rf Relax\x1b[2J\n")
    recorder.started[-1].wait(timeout=30)
    assert engines.lines() == [["my-tts", "-v", "en", "--text= -rf Relax [2J", "{0}"]]


def test_an_engine_that_cannot_start_turns_the_voice_off_with_one_problem() -> None:
    calls: list[list[str]] = []

    def broken(argv: list[str], **options: Any) -> Any:
        calls.append(argv)
        raise PermissionError(13, "Permission denied", argv[0])

    speaker = Speaker(["/usr/bin/espeak-ng", "{text}"], popen=broken)
    assert speaker.available and speaker.problem is None
    assert not speaker.say("Relax")
    assert speaker.problem == "Voice off: could not start espeak-ng (Permission denied)"
    assert not speaker.available
    assert not speaker.say("Contract")  # no second try, no second problem
    assert len(calls) == 1


def test_no_engine_means_say_does_nothing() -> None:
    speaker = Speaker(None, popen=lambda *a, **k: pytest.fail("no engine was found"))
    assert not speaker.available and not speaker.say("Relax") and speaker.problem is None
    speaker.close()


# -- the lines and bells -----------------------------------------------------------------------
def test_cue_texts() -> None:
    assert cue_text("get_ready", name="Seated forward fold", side="left") == "Seated forward fold. Left leg."
    assert cue_text(Cue.GET_READY, name="Standing forward fold.", side="both") == "Standing forward fold."
    assert cue_text(Cue.HOLD_START, seconds=30) == "Hold for 30 seconds"
    assert cue_text(Cue.HOLD_START, seconds=1) == "Hold for 1 second"
    assert cue_text(Cue.SWITCH_SIDES) == "Switch sides."
    assert [cue_text(Cue.COUNTDOWN, seconds=n) for n in (3, 2, 1)] == ["3", "2", "1"]
    assert (cue_text(Cue.CONTRACT), cue_text(Cue.RELAX)) == ("Contract", "Relax")
    assert cue_text(Cue.DONE, streak=12) == "Done. 12 day streak."
    assert cue_text(Cue.DONE) == "Done."
    with pytest.raises(ValueError):
        cue_text("nap")


def test_text_for_an_engine_is_one_safe_argument() -> None:
    assert speakable("--help") == " --help"
    assert speakable("a\tb\nc\x00d\u202ee") == "a b c d e"
    assert fill(["espeak-ng", "{text}"], "-v xx") == ["espeak-ng", " -v xx"]
    assert fill(["say", "{text}"], "{text}") == ["say", "{text}"]  # a placeholder in the text stays text


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(list(Cue)),
    st.text(),
    st.sampled_from(["left", "right", "both", "", "sideways"]),
    st.integers(min_value=-(10**6), max_value=10**6),
)
def test_cue_text_never_returns_control_characters(event: Cue, name: str, side: str, number: int) -> None:
    text = cue_text(event, name=name, side=side, seconds=number, streak=number)
    assert text.strip()
    assert not any(unicodedata.category(char)[0] == "C" for char in text)
    assert not text.startswith("-")


def test_bell_patterns_tell_the_moments_apart() -> None:
    patterns = {cue: bell_pattern(cue) for cue in Cue}
    assert all(pattern[0] == 0 and list(pattern) == sorted(pattern) for pattern in patterns.values())
    assert len(patterns[Cue.GET_READY]) == 1
    assert len(patterns[Cue.SWITCH_SIDES]) == 2
    assert len(patterns[Cue.COUNTDOWN]) == 1
    assert len(patterns[Cue.DONE]) == 3
    assert bell_pattern("done") == patterns[Cue.DONE]


def test_the_module_docstring_documents_every_pattern() -> None:
    import tui.core.speech as speech

    doc = speech.__doc__ or ""
    for offsets in {bell_pattern(cue) for cue in Cue}:
        assert ", ".join(f"{value:g}" for value in offsets) in doc


def test_the_speaker_leaves_no_process_behind(engines: Engines) -> None:
    engines.add("espeak-ng")
    engines.sleep(5)
    speaker = Speaker(find_engine(parse_voice("on")))  # the real popen
    assert speaker.say("Relax") and speaker.speaking
    speaker.close()
    assert not speaker.speaking
