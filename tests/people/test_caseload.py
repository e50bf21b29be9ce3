"""A7.3 — resource-specialist caseloads (vastaff.people.caseload): coverage, cap, balance, stability, explanations."""

from __future__ import annotations

import functools
import itertools
import json
import random
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.conftest import tiny_tables, write_tables
from vastaff.contract import DEFAULT_MODEL, contract_from_dict, load_contract
from vastaff.people.caseload import assign_caseloads
from vastaff.rules import Infeasible
from vastaff.schemas.district import District, Plan
from vastaff.io.district import load_district
from vastaff.schemas.inputs import INPUT_TABLES

CONTRACT = load_contract()


@functools.lru_cache
def with_cap(cap: int):
    raw = yaml.safe_load(DEFAULT_MODEL.read_text())
    raw["special_education"]["caseload_cap"]["value"] = cap
    return contract_from_dict(raw)


def specialist(tid: str, grades: tuple[int, int], *, school: str = "VA1", year: int = 2010, tiebreak: int = 1,
               role: str = "resource_specialist") -> dict:
    return {"teacher_id": tid, "name": tid, "school_id": school, "level": "high", "department": "special_education",
            "role": role, "seniority_date": pd.Timestamp(f"{year}-08-15"), "seniority_tiebreak": tiebreak,
            "grade_min": grades[0], "grade_max": grades[1]}


def students(grade: int, n: int, *, prefix: str | None = None, school: str = "VA1", start: int = 0) -> list[dict]:
    prefix = prefix or f"G{grade}-"
    return [{"student_id": f"{prefix}{i:03d}", "school_id": school, "grade": grade} for i in range(start, start + n)]


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    cols = list(INPUT_TABLES[name][0].model_fields)
    frame = pd.DataFrame(rows, columns=cols) if rows else pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    frame["_row"] = range(2, len(frame) + 2)
    return frame


def district(teachers: list[dict], sped: list[dict], previous: list[tuple[str, str]] | None = None) -> District:
    empty = {name: _frame(name, []) for name in INPUT_TABLES}
    prev = None
    if previous is not None:
        prev = Plan(*(pd.DataFrame() for _ in range(4)),
                    caseloads=pd.DataFrame(previous, columns=["student_id", "teacher_id"]))
    sped_frame = _frame("sped_students", sped).astype({"grade": "int64"})
    return District(**{**empty, "teachers": _frame("teachers", teachers), "sped_students": sped_frame}, previous=prev)


def loads(result, teachers: list[str]) -> dict[str, int]:
    n = result.assignments.teacher_id.value_counts()
    return {t: int(n.get(t, 0)) for t in teachers}


# ----------------------------------------------------------------------------------------------
# A7.3 who may take whom


def test_each_student_goes_to_a_specialist_covering_the_grade():
    d = district([specialist("R6", (6, 8)), specialist("R9", (9, 12))], students(7, 2) + students(10, 3))
    result = assign_caseloads(d, CONTRACT)
    assert dict(zip(result.assignments.student_id, result.assignments.teacher_id)) == {
        "G7-000": "R6", "G7-001": "R6", "G10-000": "R9", "G10-001": "R9", "G10-002": "R9"}


def test_only_resource_specialists_of_the_students_school():
    d = district([specialist("OTHER", (9, 12), school="VA2"), specialist("CLASS", (9, 12), role="classroom"),
                  specialist("R1", (9, 12), year=2020)], students(9, 3))
    assert assign_caseloads(d, CONTRACT).assignments.teacher_id.tolist() == ["R1", "R1", "R1"]


def test_tiny_district_through_the_loader(tmp_path: Path):
    d = load_district(write_tables(tmp_path / "tiny", tiny_tables()))
    result = assign_caseloads(d, CONTRACT)
    assert result.assignments.to_dict("records") == [{"student_id": "ST1", "teacher_id": "R1T"},
                                                     {"student_id": "ST3", "teacher_id": "R1T"}]
    assert result.figures == {"specialists": {"R1T": 2},
                              "schools": {"VA1": {"students": 2, "specialists": 1, "max": 2, "min": 2, "spread": 0}}}
    assert json.loads(json.dumps(result.figures)) == result.figures  # goes into run.json as it is
    assert result.status == "OPTIMAL"


# ----------------------------------------------------------------------------------------------
# A7.3 cap and balance


def test_the_cap_is_met_exactly():
    d = district([specialist("R1", (9, 12)), specialist("R2", (9, 12))], students(9, 48))
    assert loads(assign_caseloads(d, CONTRACT), ["R1", "R2"]) == {"R1": 24, "R2": 24}


def test_one_student_over_the_cap_is_infeasible_and_explained():
    d = district([specialist("R1", (9, 12)), specialist("R2", (9, 12))], students(9, 49))
    with pytest.raises(Infeasible) as exc:
        assign_caseloads(d, CONTRACT)
    [conflict] = exc.value.conflicts
    assert conflict.rules == ("A7.3",)
    assert conflict.message == "VA1: 49 students in grade 9 but 2 resource specialists cover them (cap 24 each): R1, R2"
    assert conflict.rows[-2:] == (("teachers.csv", "R1"), ("teachers.csv", "R2"))
    assert len(conflict.rows) == 51


def test_the_cap_comes_from_the_contract_model():
    d = district([specialist("R1", (9, 12))], students(9, 11))
    with pytest.raises(Infeasible) as exc:
        assign_caseloads(d, with_cap(10))
    assert exc.value.conflicts[0].message == ("VA1: 11 students in grade 9 but 1 resource specialist covers them "
                                              "(cap 10 each): R1")
    assert len(assign_caseloads(d, with_cap(11)).assignments) == 11  # control


def test_a_subset_of_grades_over_the_cap_is_found_by_halls_theorem():
    # 32 students for 48 places, but grades 9–10 (30 students) only have R1T.
    d = district([specialist("R1T", (9, 12)), specialist("R2", (11, 12))],
                 students(9, 20) + students(10, 10) + students(11, 2))
    with pytest.raises(Infeasible) as exc:
        assign_caseloads(d, CONTRACT)
    [conflict] = exc.value.conflicts
    assert conflict.message == "VA1: 30 students in grades 9–10 but 1 resource specialist covers them (cap 24 each): R1T"
    assert conflict.rows[-1] == ("teachers.csv", "R1T")
    assert {key for file, key in conflict.rows if file == "sped_students.csv"} == {
        s["student_id"] for s in students(9, 20) + students(10, 10)}


def test_a_grade_nobody_covers_is_explained():
    d = district([specialist("R1", (9, 12))], students(3, 2, prefix="ST") + students(9, 1))
    with pytest.raises(Infeasible) as exc:
        assign_caseloads(d, CONTRACT)
    [conflict] = exc.value.conflicts
    assert conflict.rules == ("A7.3",)
    assert conflict.message == "VA1: 2 students in grade 3 (ST000, ST001) but no resource specialist of VA1 covers grade 3"
    assert conflict.rows == (("sped_students.csv", "ST000"), ("sped_students.csv", "ST001"))


def test_largest_caseload_first_by_hand():
    # Grade 9 only R1 covers; grade 11 both: R1 keeps the 10 of grade 9, the 4 of grade 11 go to R2.
    d = district([specialist("R1", (9, 12)), specialist("R2", (11, 12))], students(9, 10) + students(11, 4))
    result = assign_caseloads(d, CONTRACT)
    assert loads(result, ["R1", "R2"]) == {"R1": 10, "R2": 4}
    assert result.figures["schools"]["VA1"] == {"students": 14, "specialists": 2, "max": 10, "min": 4, "spread": 6}


def test_the_largest_caseload_comes_before_seniority():
    # R1 alone covers grade 9 (6 students) and is the most junior: seniority would also hand it grade 11,
    # but the least largest caseload is 6; R2 and R3 share grade 11, the more junior R3 taking the extra one.
    d = district([specialist("R1", (9, 12), year=2020), specialist("R2", (11, 12), year=2000),
                  specialist("R3", (11, 12), year=2005)], students(9, 6) + students(11, 3))
    result = assign_caseloads(d, CONTRACT)
    assert loads(result, ["R1", "R2", "R3"]) == {"R1": 6, "R2": 1, "R3": 2}
    assert result.figures["schools"]["VA1"] == {"students": 9, "specialists": 3, "max": 6, "min": 1, "spread": 5}


def test_odd_student_goes_to_the_junior_specialist():
    d = district([specialist("R1", (9, 12), year=2001), specialist("R2", (9, 12), year=2015)], students(9, 7))
    assert loads(assign_caseloads(d, CONTRACT), ["R1", "R2"]) == {"R1": 3, "R2": 4}
    d = district([specialist("R1", (9, 12), year=2015), specialist("R2", (9, 12), year=2001)], students(9, 7))
    assert loads(assign_caseloads(d, CONTRACT), ["R1", "R2"]) == {"R1": 4, "R2": 3}  # control


def test_specialists_covering_no_student_are_outside_the_spread():
    d = district([specialist("R1", (9, 12)), specialist("R2", (9, 12)), specialist("R6", (6, 8))], students(9, 4))
    result = assign_caseloads(d, CONTRACT)
    assert result.figures["schools"]["VA1"] == {"students": 4, "specialists": 2, "max": 2, "min": 2, "spread": 0}
    assert result.figures["specialists"] == {"R1": 2, "R2": 2, "R6": 0}


def _brute_force(specs: list[dict], sped: list[dict], cap: int, previous: dict[str, str],
                 weight: dict[str, int]) -> tuple | None:
    options = [[s["teacher_id"] for s in specs if s["grade_min"] <= st["grade"] <= s["grade_max"]] for st in sped]
    eligible = sorted({t for o in options for t in o})
    best = None
    for choice in itertools.product(*options):
        n = [choice.count(t) for t in eligible]
        if max(n) > cap:
            continue
        moved = sum(previous.get(st["student_id"]) in o and previous[st["student_id"]] != c
                    for st, c, o in zip(sped, choice, options))
        key = (max(n), max(n) - min(n), moved, sum(weight[t] * k for t, k in zip(eligible, n)))
        best = key if best is None or key < best else best
    return best


@pytest.mark.parametrize("seed", range(30))
def test_caseloads_are_lexicographically_optimal_against_brute_force(seed: int):
    rng = random.Random(seed)
    specs = []
    for i in range(rng.randint(2, 3)):
        lo = rng.randint(6, 10)
        specs.append(specialist(f"R{i}", (lo, rng.randint(lo + 1, 12)), year=rng.randint(1995, 2020), tiebreak=i))
    covered = sorted({g for s in specs for g in range(s["grade_min"], s["grade_max"] + 1)})
    sped = [{"student_id": f"S{i}", "school_id": "VA1", "grade": rng.choice(covered) if rng.random() < 0.97 else 5}
            for i in range(rng.randint(3, 7))]
    previous = {s["student_id"]: rng.choice(["R0", "R0", "R1"]) for s in sped if rng.random() < 0.7}
    d = district(specs, sped, list(previous.items()))
    order = [t for t in d.seniority_order().teacher_id]
    weight = {t: len(order) - i for i, t in enumerate(order)}
    cap = 4
    best = _brute_force(specs, sped, cap, previous, weight)
    if best is None:
        with pytest.raises(Infeasible) as exc:
            assign_caseloads(d, with_cap(cap))
        assert all(c.rules == ("A7.3",) and c.rows for c in exc.value.conflicts)
        return
    result = assign_caseloads(d, with_cap(cap))
    chosen = dict(zip(result.assignments.student_id, result.assignments.teacher_id))
    assert sorted(chosen) == sorted(s["student_id"] for s in sped)
    options = {st["student_id"]: [s["teacher_id"] for s in specs if s["grade_min"] <= st["grade"] <= s["grade_max"]]
               for st in sped}
    assert all(chosen[s] in options[s] for s in chosen)
    eligible = sorted({t for o in options.values() for t in o})
    n = [list(chosen.values()).count(t) for t in eligible]
    moved = sum(previous.get(s) in options[s] and previous[s] != chosen[s] for s in chosen)
    assert (max(n), max(n) - min(n), moved, sum(weight[t] * k for t, k in zip(eligible, n))) == best


# ----------------------------------------------------------------------------------------------
# Stability and determinism


def test_students_keep_last_nights_specialist_when_balance_allows():
    # 4 students, 2 specialists: 2/2 either way; last night all four had R2 -> two stay with R2.
    sped = students(9, 4)
    previous = [(s["student_id"], "R2") for s in sped]
    result = assign_caseloads(district([specialist("R1", (9, 12)), specialist("R2", (9, 12))], sped, previous), CONTRACT)
    assert dict(zip(result.assignments.student_id, result.assignments.teacher_id)) == {
        "G9-000": "R2", "G9-001": "R2", "G9-002": "R1", "G9-003": "R1"}


def test_last_nights_specialist_is_ignored_when_no_longer_covering():
    sped = students(9, 1)
    d = district([specialist("R1", (9, 12)), specialist("R2", (10, 12))], sped, [("G9-000", "R2")])
    assert assign_caseloads(d, CONTRACT).assignments.teacher_id.tolist() == ["R1"]


def test_stability_moves_the_right_students():
    # Last night: G9-000 with R1, G9-001..003 with R2. Tonight 2/2: R2 keeps two of its three (lowest IDs).
    sped = students(9, 4)
    previous = [("G9-000", "R1"), ("G9-001", "R2"), ("G9-002", "R2"), ("G9-003", "R2")]
    result = assign_caseloads(district([specialist("R1", (9, 12)), specialist("R2", (9, 12))], sped, previous), CONTRACT)
    assert dict(zip(result.assignments.student_id, result.assignments.teacher_id)) == {
        "G9-000": "R1", "G9-001": "R2", "G9-002": "R2", "G9-003": "R1"}


def test_same_input_same_frames():
    specs = [specialist("R1", (6, 10)), specialist("R2", (8, 12)), specialist("R3", (9, 12))]
    sped = students(6, 5) + students(9, 17) + students(11, 8)
    first = assign_caseloads(district(specs, sped), CONTRACT)
    again = assign_caseloads(district(specs, list(reversed(sped))), CONTRACT)
    pd.testing.assert_frame_equal(first.assignments, again.assignments)
    assert first.figures == again.figures
    assert first.assignments.student_id.is_monotonic_increasing


def test_no_students_gives_empty_caseloads():
    result = assign_caseloads(district([specialist("R1", (9, 12))], []), CONTRACT)
    assert result.assignments.empty and list(result.assignments.columns) == ["student_id", "teacher_id"]
    assert result.figures == {"specialists": {"R1": 0}, "schools": {}}


# ----------------------------------------------------------------------------------------------
# The independent checker agrees (vastaff.check.caseload, written from the documentation alone)


def _check(d: District, result) -> list:
    from vastaff.check import caseload as check_caseload
    from vastaff.check.core import CheckContext

    plan = Plan(sections=pd.DataFrame(), section_grades=pd.DataFrame(), teachers=pd.DataFrame(),
                iep_assignments=pd.DataFrame(), caseloads=result.assignments)
    ctx = CheckContext(d, plan, CONTRACT)
    return [v for check in check_caseload.CHECKS for v in check(ctx)]


def test_checker_finds_no_violation():
    specs = [specialist("R1", (6, 10)), specialist("R2", (8, 12)), specialist("R3", (9, 12)),
             specialist("E1", (0, 5), school="VA2")]
    sped = students(6, 5) + students(9, 30) + students(11, 20) + students(2, 7, school="VA2")
    d = district(specs, sped)
    assert _check(d, assign_caseloads(d, CONTRACT)) == []


# ----------------------------------------------------------------------------------------------
# Performance: a 20,000-teacher district


def big_district(n_schools: int = 20, seed: int = 0) -> District:
    """20 schools of 1,000 teachers: 10 resource specialists each (K–5 x4, 6–8 x3, 9–12 x3), 150 students each."""
    rng = random.Random(seed)
    teachers, sped = [], []
    ranges = [(0, 5)] * 4 + [(6, 8)] * 3 + [(9, 12)] * 3
    for s in range(n_schools):
        school = f"VA{s + 1}"
        for i in range(1000):
            grades = ranges[i] if i < len(ranges) else (0, 12)
            teachers.append(specialist(f"{school}-T{i:04d}", grades, school=school, year=rng.randint(1990, 2024),
                                       tiebreak=i, role="resource_specialist" if i < len(ranges) else "classroom"))
        sped += [{"student_id": f"{school}-S{k:04d}", "school_id": school, "grade": rng.randint(0, 12)}
                 for k in range(150)]
    return district(teachers, sped)


def test_twenty_thousand_teachers_in_a_few_seconds():
    d = big_district()
    t0 = time.perf_counter()
    result = assign_caseloads(d, CONTRACT)
    elapsed = time.perf_counter() - t0
    assert len(result.assignments) == 3000 and result.status == "OPTIMAL"
    assert all(f["max"] <= CONTRACT.caseload_cap for f in result.figures["schools"].values())
    assert elapsed < 10, f"{elapsed:.1f} s"
