"""Positions per school, level and department: `positions.csv`, head counts, and quick `--cut`s on top.

A school, level and department absent from positions.csv keeps its head count (docs/data-format.md, "positions.csv");
`--cut VA1:high:2` removes 2 positions from VA1's high general department, starting from positions.csv
when it lists that department and from its head count otherwise. Several cuts on one department add up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from vastaff.schemas.district import District
from vastaff.errors import InputError, InputProblem
from vastaff.schemas.fields import DEPARTMENTS, LEVELS
from vastaff.schemas.inputs import MAX_POSITIONS

from vastaff.displace.seniority import GROUP, LEVEL_ORDER

CUT_FORMAT = "SCHOOL:LEVEL:N or SCHOOL:LEVEL:DEPARTMENT:N"
CUT_NUMBER = f"a number of positions to remove, a whole number from 0 to {MAX_POSITIONS:,} (positions.csv's bound)"


@dataclass(frozen=True)
class Cut:
    """Remove `n` positions from one school, level and department."""

    school_id: str
    level: str
    department: str
    n: int
    text: str = ""

    @property
    def label(self) -> str:
        """How the cut is named in messages: `--cut VA1:high:2`."""
        return f"--cut {self.text or self.spelled()}"

    def spelled(self) -> str:
        return f"{self.school_id}:{self.level}:{self.department}:{self.n}"


def parse_cut(text: str) -> Cut:
    """`VA1:high:2` or `VA1:high:special_education:1` -> Cut; InputError naming the bad part."""
    parts = [p.strip() for p in str(text).split(":")]
    label = f"--cut {text}"
    if len(parts) not in (3, 4) or not all(parts):
        raise InputError([InputProblem(label, value=str(text), expected=CUT_FORMAT)])
    school, level, *department, number = parts
    department = department[0] if department else "general"
    problems = []
    if level not in LEVELS:
        problems.append(InputProblem(label, value=level, expected=f"a level: {', '.join(LEVELS)}"))
    if department not in DEPARTMENTS:
        problems.append(InputProblem(label, value=department, expected=f"a department: {', '.join(DEPARTMENTS)}"))
    if not re.fullmatch(r"[0-9]+", number) or int(number) > MAX_POSITIONS:  # a huge one wrapped round in int64
        problems.append(InputProblem(label, value=number, expected=CUT_NUMBER))
    if problems:
        raise InputError(problems)
    return Cut(school, level, department, int(number), str(text))


def parse_cuts(texts) -> tuple[tuple[Cut, ...], list[InputProblem]]:
    """Every cut that parses (Cut objects pass through), and one problem per part that does not."""
    cuts, problems = [], []
    for text in texts:
        if isinstance(text, Cut):
            cuts.append(text)
            continue
        try:
            cuts.append(parse_cut(text))
        except InputError as exc:
            problems += exc.problems
    return tuple(cuts), problems


def cut_problems(cuts: tuple[Cut, ...], district: District) -> list[InputProblem]:
    """A cut names a school of schools.csv and a level that school offers."""
    offered = district.schools[["school_id", "levels"]].explode("levels")
    pairs = set(zip(offered["school_id"], offered["levels"]))
    schools = set(district.schools["school_id"])
    problems = []
    for cut in cuts:
        if not 0 <= cut.n <= MAX_POSITIONS:
            problems.append(InputProblem(cut.label, value=str(cut.n), expected=CUT_NUMBER))
        if cut.school_id not in schools:
            problems.append(InputProblem(cut.label, value=cut.school_id, expected="a school_id listed in schools.csv"))
        elif (cut.school_id, cut.level) not in pairs:
            problems.append(InputProblem(cut.label, value=cut.level,
                                         expected=f"a level {cut.school_id} offers (schools.csv levels)"))
    return problems


def head_counts(teachers: pd.DataFrame) -> pd.DataFrame:
    """Teachers per school, level and department (classroom teachers and resource specialists alike)."""
    return teachers.groupby(GROUP).size().rename("teachers").reset_index()


def positions_table(district: District, cuts: tuple[Cut, ...]) -> pd.DataFrame:
    """A10 positions per school, level and department after cuts, with head count and where the number came from.

    Columns: school_id, level, department, teachers, listed (in positions.csv), listed_positions, cut, positions.
    Raises InputError when a department would keep fewer than 0 positions.
    """
    listed = district.positions[GROUP + ["positions"]].rename(columns={"positions": "listed_positions"})
    cut_frame = _cuts_frame(cuts)
    groups = (head_counts(district.teachers)
              .merge(listed, on=GROUP, how="outer")
              .merge(cut_frame.groupby(GROUP, as_index=False)["cut"].sum(), on=GROUP, how="outer"))
    groups["teachers"] = groups["teachers"].fillna(0).astype("int64")
    groups["listed"] = groups["listed_positions"].notna()
    groups["cut"] = groups["cut"].fillna(0).astype("int64")
    base = groups["listed_positions"].fillna(groups["teachers"]).astype("int64")
    groups["listed_positions"] = base
    groups["positions"] = base - groups["cut"]
    _raise_below_zero(groups, cut_frame)
    return sort_groups(groups)


def _cuts_frame(cuts: tuple[Cut, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"school_id": c.school_id, "level": c.level, "department": c.department, "cut": c.n, "label": c.label}
         for c in cuts],
        columns=GROUP + ["cut", "label"],
    ).astype({"cut": "int64"})


def _raise_below_zero(groups: pd.DataFrame, cut_frame: pd.DataFrame) -> None:
    """Positions below 0 after cuts: one problem per department, naming every cut on it."""
    below = groups[groups["positions"] < 0]
    if below.empty:
        return
    labels = cut_frame.groupby(GROUP)["label"].agg(" ".join)
    problems = []
    for row in below.itertuples(index=False):
        key = (row.school_id, row.level, row.department)
        source = "positions.csv" if row.listed else "its head count"
        problems.append(InputProblem(
            labels[key], value=str(row.cut),
            expected=f"at most {row.listed_positions} positions to cut from {' '.join(key)} "
                     f"({row.listed_positions} in {source}; positions cannot go below 0)"))
    raise InputError(problems)


def sort_groups(frame: pd.DataFrame, extra: list[str] = ()) -> pd.DataFrame:
    """Sorted by school, level (elementary, middle, high), department, then `extra` columns."""
    order = frame.assign(_level=frame["level"].map(LEVEL_ORDER))
    order = order.sort_values(["school_id", "_level", "department", *extra], kind="stable")
    return order.drop(columns="_level").reset_index(drop=True)
