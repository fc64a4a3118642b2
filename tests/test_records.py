"""Record validation: the fast path agrees with the careful one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.records import RecordError, StepRecord, step_from_dict, steps_from_list

values = (
    st.none()
    | st.booleans()
    | st.integers(-5, 100_000)
    | st.text(max_size=5)
    | st.sampled_from(["left", "right", "both", "downward-dog"])
)
step_dicts = st.fixed_dictionaries(
    {"stretch": values, "side": values, "held_s": values, "skipped": values}
) | st.dictionaries(st.sampled_from(["stretch", "side", "held_s", "skipped", "extra"]), values, max_size=5)


def careful(steps: list) -> tuple[StepRecord, ...]:
    return tuple(step_from_dict(raw, index) for index, raw in enumerate(steps))


@settings(max_examples=500)
@given(st.lists(step_dicts | values, max_size=4))
def test_the_fast_path_accepts_and_refuses_exactly_what_the_careful_one_does(steps: list) -> None:
    try:
        expected = careful(steps)
    except RecordError as error:
        with pytest.raises(RecordError) as caught:
            steps_from_list(steps)
        assert str(caught.value) == str(error)
    else:
        assert steps_from_list(steps) == expected


def test_cached_steps_do_not_confuse_true_with_1_or_0_with_false() -> None:
    steps_from_list([{"stretch": "downward-dog", "side": "both", "held_s": 1, "skipped": False}])
    with pytest.raises(RecordError, match="held_s"):
        steps_from_list([{"stretch": "downward-dog", "side": "both", "held_s": True, "skipped": False}])
    with pytest.raises(RecordError, match="skipped"):
        steps_from_list([{"stretch": "downward-dog", "side": "both", "held_s": 1, "skipped": 0}])


def test_equal_steps_share_one_record() -> None:
    raw = {"stretch": "pyramid-pose", "side": "left", "held_s": 30, "skipped": False}
    first, second = steps_from_list([raw, dict(raw)])
    assert first is second
