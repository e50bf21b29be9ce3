"""The cross-table checks of matrix.csv (docs/data-format.md, "matrix.csv"), called by
`load_district`.

A row is one ranked choice of one teacher and fills exactly one of `grade` (an elementary teacher's homeroom,
IX-A 2.0(c)), `course_id` (a secondary teacher's course, IX-A 2.0(d)) or `level` (a level move, 9.0(1)). A row is
invalid input when it cannot mean anything for its teacher: an unknown teacher or course, no choice or two, a rank
or a choice the teacher already listed, ranks with a gap (a teacher's ranks run 1, 2, 3, ...), a grade row of a
secondary teacher or a grade outside the elementary level, a course_id row of an elementary teacher or a course of
another school or level than the teacher's, a level row naming the teacher's own level or one their school does
not offer. Whether a choice can be granted (a credential, a grade range) is not decided here: that is the plan's.

Like the lock checks, a check runs whenever the tables it reads could be read, references are checked against
every ID a table lists (raw), and the rules between tables only on rows valid themselves (typed). Choices are few
per teacher: rows are walked one by one, which keeps each rule a readable sentence.
"""

from __future__ import annotations

from typing import Callable, Iterator

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.errors import InputProblem
from vastaff.io.locks import records
from vastaff.io.judging import views
from vastaff.io.tables import ROW
from vastaff.schemas.fields import _text, grade_name
from vastaff.schemas.inputs import MATRIX_CHOICES

Label = Callable[[str], str]
MATRIX = "matrix"
CHOICE_TEXT = {"grade": "grade", "course_id": "course", "level": "level"}


def matrix_problems(t: dict[str, pd.DataFrame], raw: dict[str, pd.DataFrame], broken: set[str], L: Label,
                    contract: ContractModel) -> list[InputProblem]:
    """Every problem of matrix.csv's rows, alone and against teachers, courses and schools."""
    if MATRIX in broken or t[MATRIX].empty:
        return []
    rows = sorted(records(t[MATRIX]), key=lambda r: r[ROW])
    label = L(MATRIX)
    found = list(_one_choice(rows, label))
    found += _repeats(rows, label)
    found += _gaps(rows, label, _with_rows_left_out(t[MATRIX], raw[MATRIX]))
    found += _references(rows, raw, broken, L)
    if "teachers" not in broken:
        found += _fits_teacher(rows, views(t, FITS_READS), broken, L, contract)
    return found


FITS_READS = {"teachers": ("teacher_id", "level", "school_id"), "courses": ("course_id", "school_id", "level"),
              "schools": ("school_id", "levels")}
"""The columns `_fits_teacher` reads of each table: a row of it takes part when those cells are good
(io/judging.py)."""


def choice_of(row: dict) -> str | None:
    """The column a matrix row chooses by: the first filled of grade, course_id, level (None: none filled)."""
    return next((c for c in MATRIX_CHOICES if row[c] is not None), None)


def _problem(label: str, row: dict, column: str | None, expected: str) -> InputProblem:
    value = None if column is None else _shown(row, column)
    return InputProblem(label, int(row[ROW]), column, value, expected)


def _shown(row: dict, column: str) -> str:
    return grade_name(row[column]) if column == "grade" else str(row[column])


def _one_choice(rows: list[dict], label: str) -> Iterator[InputProblem]:
    """docs/data-format.md ("matrix.csv"): a row fills exactly one of grade, course_id, level."""
    for row in rows:
        choice = choice_of(row)
        if choice is None:
            yield _problem(label, row, None, "one of grade, course_id or level filled: the teacher's choice "
                                             "(all are blank)")
            continue
        for column in MATRIX_CHOICES[MATRIX_CHOICES.index(choice) + 1:]:
            if row[column] is not None:
                yield _problem(label, row, column, f"blank (a row fills one of grade, course_id or level: this row "
                                                   f"chooses {CHOICE_TEXT[choice]} {_shown(row, choice)})")


def _repeats(rows: list[dict], label: str) -> Iterator[InputProblem]:
    """A teacher lists each rank once and each choice once (the first row of a repeat stands)."""
    ranks: dict[tuple, int] = {}
    choices: dict[tuple, int] = {}
    for row in rows:
        key = (row["teacher_id"], row["rank"])
        if key in ranks:
            yield _problem(label, row, "rank", f"a rank teacher {row['teacher_id']} has not used yet (rank "
                                               f"{row['rank']} is already on row {ranks[key]})")
        ranks.setdefault(key, row[ROW])
        choice = choice_of(row)
        if choice is None:
            continue
        key = (row["teacher_id"], choice, row[choice])
        if key in choices:
            yield _problem(label, row, choice, f"a choice teacher {row['teacher_id']} has not listed yet "
                                               f"({CHOICE_TEXT[choice]} {_shown(row, choice)} is already on row "
                                               f"{choices[key]})")
        choices.setdefault(key, row[ROW])


def _with_rows_left_out(typed: pd.DataFrame, raw: pd.DataFrame) -> dict[str, set[int] | None]:
    """Per teacher with a matrix row left out for a problem of its own: the ranks those rows hold, or None when one
    holds no whole number (a rank `1x`: it could be any)."""
    if "teacher_id" not in raw.columns or "rank" not in raw.columns:
        return {}
    left = raw[~raw[ROW].isin(typed[ROW])]
    out: dict[str, set[int] | None] = {}
    for teacher, rank in zip(left.teacher_id, left["rank"]):
        t, k = _text(teacher), _text(rank)
        if out.get(t, set()) is not None:
            out[t] = (out.get(t) or set()) | ({int(k)} - {0}) if k.isdigit() else None
    return out


def _gaps(rows: list[dict], label: str, left_out: dict[str, set[int] | None]) -> Iterator[InputProblem]:
    """A teacher's ranks run 1, 2, 3, ... without a gap (docs/data-format.md: 1 = first choice), so that "first choice"
    and "within the top 3" read the same in every figure. One problem per teacher, on the first rank after the gap.
    The ranks of rows left out for a problem of their own count as used; a teacher with one that is not a whole number
    is not judged (its bad rank is the problem, not the next row's)."""
    by_teacher: dict[str, dict[int, dict]] = {}
    for row in rows:
        by_teacher.setdefault(row["teacher_id"], {}).setdefault(row["rank"], row)
    for teacher, ranked in by_teacher.items():
        if teacher in left_out and left_out[teacher] is None:
            continue
        for k, rank in enumerate(sorted(set(ranked) | left_out.get(teacher, set())), start=1):
            if rank != k:
                if rank in ranked:
                    yield _problem(label, ranked[rank], "rank", f"rank {k} (teacher {teacher}'s choices are ranked "
                                                                f"1, 2, 3, ... without gaps; no row of theirs has "
                                                                f"rank {k})")
                break


def _listed_ids(frame: pd.DataFrame, column: str) -> set[str]:
    """Every ID a table lists, also on rows with a problem of their own (so one bad row is one message)."""
    if column not in frame.columns:
        return set()
    return {_text(v) for v in pd.unique(frame[column])} - {""}


def _references(rows: list[dict], raw: dict[str, pd.DataFrame], broken: set[str], L: Label) -> list[InputProblem]:
    """An unknown teacher or course."""
    out = []
    for column, target, blank in (("teacher_id", "teachers", ""), ("course_id", "courses", ", or blank")):
        if target in broken:
            continue
        known = _listed_ids(raw[target], column)
        out += [_problem(L(MATRIX), r, column, f"a {column} listed in {L(target)}{blank}")
                for r in rows if r[column] is not None and r[column] not in known]
    return out


def _by_id(frame: pd.DataFrame, key: str) -> dict[str, dict]:
    """The rows of a typed table by ID (the first of a repeated ID: the repeat is reported by the key check)."""
    return {r[key]: r for r in frame.drop_duplicates(key).to_dict("records")}


def _fits_teacher(rows: list[dict], t: dict[str, pd.DataFrame], broken: set[str], L: Label,
                  contract: ContractModel) -> list[InputProblem]:
    """Each choice is one the row's teacher can make (the kind of choice by level, the school, the level)."""
    teachers = _by_id(t["teachers"], "teacher_id")
    courses = {} if "courses" in broken else _by_id(t["courses"], "course_id")
    offered = {} if "schools" in broken else {s: r["levels"] for s, r in _by_id(t["schools"], "school_id").items()}
    lo, hi = contract.level_grades("elementary")
    out = []
    for row in rows:
        teacher, choice = teachers.get(row["teacher_id"]), choice_of(row)
        if teacher is None or choice is None:
            continue
        if choice == "grade":
            expected = _grade_fits(row, teacher, lo, hi)
        elif choice == "course_id":
            expected = _course_fits(row, teacher, courses.get(row["course_id"]), L)
        else:
            expected = _level_fits(row, teacher, offered.get(teacher["school_id"]), L)
        if expected is not None:
            out.append(_problem(L(MATRIX), row, choice, expected))
    return out


def _who(teacher: dict) -> str:
    level = teacher["level"]
    return f"teacher {teacher['teacher_id']}, a{'n' if level == 'elementary' else ''} {level} teacher"


def _grade_fits(row: dict, teacher: dict, lo: int, hi: int) -> str | None:
    """A grade row is an elementary teacher's homeroom choice, of a grade of the elementary level (IX-A 2.0(c))."""
    if teacher["level"] != "elementary":
        return (f"blank for {_who(teacher)} (a grade row chooses an elementary homeroom; a secondary teacher "
                "ranks course_id rows)")
    if not lo <= row["grade"] <= hi:
        return f"a grade of the elementary level, {grade_name(lo)}..{grade_name(hi)} ({_who(teacher)})"
    return None


def _course_fits(row: dict, teacher: dict, course: dict | None, L: Label) -> str | None:
    """A course_id row is a secondary teacher's choice of a course of their school and level (IX-A 2.0(d))."""
    if teacher["level"] == "elementary":
        return (f"blank for {_who(teacher)} (an elementary teacher ranks grade rows, their homeroom; a level row "
                "asks for a move to a secondary level)")
    if course is None:
        return None
    if course["school_id"] != teacher["school_id"]:
        return (f"a course of school {teacher['school_id']}, teacher {teacher['teacher_id']}'s school "
                f"({L('courses')} puts course {row['course_id']} at {course['school_id']})")
    if course["level"] != teacher["level"]:
        return (f"a course of teacher {teacher['teacher_id']}'s level, {teacher['level']} ({L('courses')} makes "
                f"course {row['course_id']} {course['level']}; a level row asks for a move to another level)")
    return None


def _level_fits(row: dict, teacher: dict, offered: tuple[str, ...] | None, L: Label) -> str | None:
    """A level row asks for a move (9.0(1)): a level of the teacher's school other than their own."""
    if row["level"] == teacher["level"]:
        return (f"a level other than teacher {teacher['teacher_id']}'s own, {teacher['level']} (a level row asks "
                "for a move to another level, 9.0(1))")
    if offered is not None and row["level"] not in offered:
        return (f"a level school {teacher['school_id']} offers: {', '.join(offered)} ({L('schools')}; a move stays "
                "within the teacher's school)")
    return None
