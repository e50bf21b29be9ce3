"""sections/decode.py `number_sections`: tonight's sections take last night's IDs where they fit (same course, shape
and teacher; same course and teacher; same course and shape; same course), then the lowest free `<course>-NN`."""

from __future__ import annotations

import pandas as pd

from vastaff.sections.decode import number_sections


def last_night(*rows: tuple) -> pd.DataFrame:
    """(section_id, course_id, sid or None, teacher_id or None) rows, as `sections.last_night` names them."""
    frame = pd.DataFrame(rows, columns=["section_id", "course_id", "sid", "teacher_id"])
    return frame.astype({"sid": "float64"})


def planned(*rows: tuple) -> list[tuple]:
    """(course_id, sid, teacher or None) rows with an empty grade split, as `decode_school` plans them."""
    return [(*row, {}) for row in rows]


def test_without_last_night_sections_are_numbered_per_course_in_order():
    assert number_sections(planned(("ALG", 0, "H1"), ("ALG", 1, "H2"), ("GEO", 2, None), ("ALG", 1, None)), None) == [
        "ALG-01", "ALG-02", "GEO-01", "ALG-03"]


def test_an_unchanged_section_keeps_its_id_wherever_it_is_planned():
    previous = last_night(("ALG-01", "ALG", 1, "H2"), ("ALG-02", "ALG", 0, "H1"), ("ALG-03", "ALG", 1, None))
    assert number_sections(planned(("ALG", 0, "H1"), ("ALG", 1, "H2"), ("ALG", 1, None)), previous) == [
        "ALG-02", "ALG-01", "ALG-03"]


def test_a_teacher_keeps_the_id_of_a_section_whose_grades_changed_and_a_new_teacher_takes_over_a_shape():
    """H1's ALG-01 was shape 0 and is shape 2 tonight (same course and teacher); H9 left, and H2 takes over ALG-02 of
    shape 1 (same course and shape); the third section tonight is new: the lowest free number."""
    previous = last_night(("ALG-01", "ALG", 0, "H1"), ("ALG-02", "ALG", 1, "H9"))
    assert number_sections(planned(("ALG", 2, "H1"), ("ALG", 1, "H2"), ("ALG", 1, "H3")), previous) == [
        "ALG-01", "ALG-02", "ALG-03"]


def test_ids_are_never_given_twice_and_fresh_numbers_skip_the_kept_ones():
    """Last night's ALG-02 (its shape gone, its teacher H9 gone) is the only ID of ALG: the first section takes it
    (same course), the others get ALG-01 and ALG-03; last night's GEO-01 is not reused for ALG."""
    previous = last_night(("ALG-02", "ALG", None, "H9"), ("GEO-01", "GEO", 3, "H1"))
    assert number_sections(planned(("ALG", 0, "H1"), ("ALG", 0, "H2"), ("ALG", 1, None)), previous) == [
        "ALG-02", "ALG-01", "ALG-03"]
