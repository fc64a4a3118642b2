"""Catalog loading, validation and user overrides."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import REPO, builtin_catalog_dict
from tui.core.catalog import CatalogError, builtin_catalog, load_catalog, parse_catalog
from tui.core.text import printable

ARTICLE = REPO.parent / "shared" / "seed" / "hamstring-stretches-article.txt"
EXPECTED_IDS = [
    "reclined-strap-stretch",
    "active-forward-fold",
    "half-splits",
    "active-leg-raise",
    "downward-dog",
    "pyramid-pose",
    "seated-forward-fold",
]


def test_builtin_catalog_has_the_seven_stretches_in_article_order() -> None:
    catalog = builtin_catalog()
    assert catalog.ids == EXPECTED_IDS
    fold = catalog.get("active-forward-fold")
    assert fold is not None and fold.equipment == ("2 yoga blocks",) and fold.sides == "both"
    assert "hip flexors" in catalog.get("half-splits").targets  # type: ignore[union-attr]
    assert "quadriceps" in catalog.get("pyramid-pose").summary.lower()  # type: ignore[union-attr]


def test_every_stretch_is_complete() -> None:
    for stretch in builtin_catalog():
        assert 3 <= len(stretch.steps) <= 8, stretch.id
        assert stretch.cues and stretch.cautions and stretch.targets, stretch.id
        assert 5 <= stretch.hold_s <= 600
        assert stretch.sides in ("each", "both")


def _sentences(text: str) -> list[str]:
    return [s.strip().lower() for s in re.split(r"[.:!?\n]", text) if len(s.split()) >= 5]


@pytest.mark.skipif(not ARTICLE.exists(), reason="the seed article is not beside this checkout")
def test_no_sentence_of_the_article_is_copied() -> None:
    catalog_text = json.dumps(builtin_catalog_dict()).lower()
    copied = [s for s in _sentences(ARTICLE.read_text(encoding="utf-8")) if s in catalog_text]
    assert copied == []


def test_no_five_word_run_of_the_article_is_copied() -> None:
    """A stricter check that also runs without the article: known phrases of it."""
    article_phrases = [
        "relieving tension in the hamstrings",
        "increase your flexibility and prevent your hamstrings",
        "open up your hamstrings, hips, and hip flexors",
        "gain more range of motion and avoid pulling",
        "keep your quadriceps active while",
        "keep your back long, and breathe steadily",
    ]
    catalog_text = json.dumps(builtin_catalog_dict()).lower()
    assert [p for p in article_phrases if p in catalog_text] == []


def write_user_catalog(config_dir: Path, stretches: list[dict], version: object = 1) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "stretches.json"
    path.write_text(json.dumps({"version": version, "stretches": stretches}), encoding="utf-8")
    return path


def a_stretch(**changes: object) -> dict:
    stretch = copy.deepcopy(builtin_catalog_dict()["stretches"][0])
    stretch.update(changes)
    return stretch


def test_user_file_overrides_by_id_in_place_and_appends_new(config_dir: Path) -> None:
    override = a_stretch(id="downward-dog", name="My Dog", hold_s=90)
    extra = a_stretch(id="calf-wall-stretch", name="Calf Wall Stretch")
    write_user_catalog(config_dir, [extra, override])
    catalog = load_catalog()
    assert catalog.ids == [*EXPECTED_IDS, "calf-wall-stretch"]
    dog = catalog.get("downward-dog")
    assert dog is not None and dog.name == "My Dog" and dog.hold_s == 90


def test_no_user_file_gives_the_builtin_catalog(config_dir: Path) -> None:
    assert load_catalog().ids == EXPECTED_IDS


@pytest.mark.parametrize(
    ("stretches", "expected"),
    [
        (
            [a_stretch(hold_s=3)],
            "stretch 'reclined-strap-stretch': field 'hold_s': must be from 5 to 600 seconds, not 3",
        ),
        ([a_stretch(hold_s=601)], "field 'hold_s': must be from 5 to 600"),
        ([a_stretch(hold_s="30")], "field 'hold_s': must be a whole number of seconds, not text"),
        ([a_stretch(hold_s=True)], "field 'hold_s': must be a whole number"),
        (
            [{k: v for k, v in a_stretch().items() if k != "cues"}],
            "stretch 'reclined-strap-stretch': field 'cues': is missing",
        ),
        ([a_stretch(sides="left")], 'field \'sides\': must be "each" or "both"'),
        ([a_stretch(steps=["one", "two"])], "field 'steps': needs 3 to 8 items, has 2"),
        ([a_stretch(steps=["a"] * 9)], "field 'steps': needs 3 to 8 items, has 9"),
        ([a_stretch(equipment="mat")], "field 'equipment': must be a list of text, not text"),
        ([a_stretch(id="Bad Id")], "field 'id': must be a lowercase slug"),
        ([a_stretch(), a_stretch()], "stretch 'reclined-strap-stretch': field 'id': is used by another stretch"),
        (["nope"], "stretch #1: must be an object, not text"),
    ],
)
def test_broken_user_file_names_file_stretch_and_field(config_dir: Path, stretches: list, expected: str) -> None:
    path = write_user_catalog(config_dir, stretches)
    with pytest.raises(CatalogError) as caught:
        load_catalog()
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"{", "is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
        (b"\xff\xfe", "is not UTF-8 text"),
        (b"[]", "must hold a JSON object, not a list"),
        (b'{"version": 2, "stretches": []}', "field 'version': must be 1, not 2"),
        (b'{"version": 1}', "field 'stretches': must be a list of stretches, not missing"),
    ],
)
def test_broken_file_shapes(text: bytes, expected: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, "mine.json")
    assert str(caught.value) == f"mine.json: {expected}" or expected in str(caught.value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def _mutated_catalog(draw: st.DrawFn) -> dict:
    document = builtin_catalog_dict()
    stretch = draw(st.sampled_from(document["stretches"]))
    field = draw(st.sampled_from(sorted(stretch)))
    if draw(st.booleans()):
        del stretch[field]
    else:
        stretch[field] = draw(json_values)
    return document


@st.composite
def mutated_catalogs(draw: st.DrawFn) -> dict:
    return _mutated_catalog(draw)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_clear_error_or_a_catalog(data: bytes) -> None:
    try:
        stretches = parse_catalog(data, "fuzz.json")
    except CatalogError as error:
        assert str(error).startswith("fuzz.json: ")
        assert "\n" not in str(error)
    else:  # only a well-formed catalog document is accepted
        assert json.loads(data)["version"] == 1 and len(stretches) == len(json.loads(data)["stretches"])


@settings(max_examples=300)
@given(mutated_catalogs())
def test_mutated_catalog_is_rejected_with_a_named_field_or_accepted(document: dict) -> None:
    try:
        stretches = parse_catalog(json.dumps(document), "mutated.json")
    except CatalogError as error:
        assert error.field is not None or error.stretch is not None
        assert "\n" not in str(error)
    else:
        assert len(stretches) == 7


@settings(max_examples=200)
@given(json_values)
def test_arbitrary_json_values_as_a_stretch_are_rejected_by_name(value: object) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(json.dumps({"version": 1, "stretches": [value]}), "value.json")
    assert caught.value.stretch is not None
    assert str(caught.value).startswith("value.json: stretch ")


# -- a user file from outside: byte order marks, hostile text (#11 smaller, #11.15) ---------------
def test_a_user_file_with_a_utf8_bom_is_accepted(config_dir: Path) -> None:
    """An import accepted a BOM but a user stretches.json refused one."""
    config_dir.mkdir(parents=True, exist_ok=True)
    document = {"version": 1, "stretches": [a_stretch(id="calf-wall-stretch", name="Calf Wall Stretch")]}
    (config_dir / "stretches.json").write_text(json.dumps(document), encoding="utf-8-sig")
    assert load_catalog().ids == [*EXPECTED_IDS, "calf-wall-stretch"]
    assert parse_catalog("\ufeff" + json.dumps(document), "text.json")[0].id == "calf-wall-stretch"


HOSTILE_TEXT = ["\x1b]0;PWNED\x07", "Dog\x1b[2J", "a\u202eb", "tab\tname", "x\x85", "\x7f", "lone \ud800"]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
@pytest.mark.parametrize("field", ["id", "name", "summary"])
def test_control_characters_are_refused_naming_file_stretch_and_field(config_dir: Path, field: str, text: str) -> None:
    path = write_user_catalog(config_dir, [a_stretch(id="calf-wall-stretch"), a_stretch(**{field: text})])
    with pytest.raises(CatalogError) as caught:
        load_catalog()
    message = str(caught.value)
    assert message.startswith(f"{path}: stretch ") and f"field '{field}'" in message
    assert caught.value.field == field
    # The stretch is named by its id only when that is a slug; else by its place in the file.
    assert caught.value.stretch == ("#2" if field == "id" else "'reclined-strap-stretch'")
    assert message.isprintable() and "control character" in message


@pytest.mark.parametrize("field", ["targets", "equipment", "steps", "cues", "cautions"])
def test_control_characters_in_list_items_are_refused(field: str) -> None:
    items = list(a_stretch()[field]) or ["a mat"]
    items[-1] = "fine\x1b]0;PWNED\x07"
    with pytest.raises(CatalogError) as caught:
        parse_catalog(json.dumps({"version": 1, "stretches": [a_stretch(**{field: items})]}), "mine.json")
    assert caught.value.field == field and f"item {len(items)} holds the control character U+001B" in str(caught.value)


def test_a_number_too_long_to_read_is_a_catalog_error() -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(b'{"version": ' + b"1" * 5000 + b"}", "long.json")
    assert str(caught.value).startswith("long.json: is not valid JSON") and "\n" not in str(caught.value)


@st.composite
def hostile_catalog_bytes(draw: st.DrawFn) -> bytes:
    document = {"version": 1, "stretches": [a_stretch(id="calf-wall-stretch")]}
    stretch = document["stretches"][0]
    field = draw(st.sampled_from(["id", "name", "summary", "steps", "hold_s", "sides"]))
    value = draw(st.text(max_size=12) | st.integers() | json_values)
    stretch[field] = [value, value, value] if field == "steps" else value
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    cut = draw(st.integers(0, len(data)))
    return data if draw(st.booleans()) else data[:cut] + draw(st.binary(max_size=8)) + data[cut:]


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_catalog_bytes() | st.binary(max_size=300))
def test_any_bytes_as_a_user_catalog_load_cleanly_or_give_one_printable_line(data: bytes) -> None:
    try:
        stretches = parse_catalog(data, "fuzz.json")
    except CatalogError as error:
        message = str(error)
        assert message.startswith("fuzz.json: ") and message.isprintable()
    else:
        for stretch in stretches:
            for text in (stretch.id, stretch.name, stretch.summary, *stretch.steps, *stretch.cues, *stretch.cautions):
                assert printable(text)


# -- wording (#17.7, #17.14) ------------------------------------------------------------------------
def test_sides_read_as_each_leg_or_both_legs() -> None:
    catalog = builtin_catalog()
    assert catalog.get("half-splits").sides_label == "each leg"  # type: ignore[union-attr]
    assert catalog.get("downward-dog").sides_label == "both legs"  # type: ignore[union-attr]


def test_half_splits_names_which_thigh() -> None:
    text = " ".join(builtin_catalog().get("half-splits").steps)  # type: ignore[union-attr]
    assert "front of the back thigh" not in text
    assert "kneeling leg" in text and "back of that front thigh" in text


def test_the_active_leg_raise_is_one_hold_not_repeated_lifts() -> None:
    text = " ".join(builtin_catalog().get("active-leg-raise").steps).lower()  # type: ignore[union-attr]
    assert "repeat" not in text and "whole hold" in text


def test_a_safety_note_names_when_to_stop() -> None:
    from tui.core.catalog import SAFETY_NOTE

    note = SAFETY_NOTE.lower()
    for words in ("sharp", "shooting", "numbness", "tingling", "back", "stop", "doctor or physiotherapist"):
        assert words in note, words
    assert SAFETY_NOTE.isprintable()
