"""sections/plain.py: `grouped` gives what the pandas group it replaces gives."""

from __future__ import annotations

import pandas as pd
import pytest

from vastaff.sections.plain import grouped

FRAME = pd.DataFrame({"teacher_id": ["T3", "T1", "T3", "T2", "T1"], "sid": [4, 2, 1, 4, 2]})


@pytest.mark.parametrize("into", [list, set, sorted, tuple])
@pytest.mark.parametrize("key, value", [("teacher_id", "sid"), ("sid", "teacher_id")])
def test_grouped_is_the_pandas_group_it_replaces(key, value, into):
    expected = FRAME.groupby(key)[value].agg(into).to_dict()
    found = grouped(FRAME[key], FRAME[value], into)
    assert found == expected
    assert list(found) == list(expected)  # keys in the group's (sorted) order
    assert all(type(k) is type(e) for k, e in zip(found, expected))


def test_values_keep_row_order_and_an_empty_frame_gives_nothing():
    assert grouped(FRAME.teacher_id, FRAME.sid) == {"T1": [2, 2], "T2": [4], "T3": [4, 1]}
    assert grouped(FRAME.teacher_id[:0], FRAME.sid[:0]) == {}
