"""`vastaff generate`: the synthetic district loads cleanly, is deterministic per seed, and is feasible by
construction, checked straight from the written tables (plus the generator's own witness plan)."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ortools.graph.python import max_flow
from typer.testing import CliRunner

from vastaff.cli import app
from vastaff.contract import load_contract
from vastaff.errors import OutputError
from vastaff.generate import build_district, generate_district, write_district
from vastaff.generate.common import ACADEMIC_PERIODS
from vastaff.generate.schools import school_count
from vastaff.io.district import load_district
from vastaff.schemas.inputs import INPUT_TABLES

CONTRACT = load_contract()
SIZES = [(20, 1), (60, 7), (300, 5), (1500, 11)]

GENERATED = [name for name in INPUT_TABLES if name != "locks"] + ["calendar", "meeting_requests"]
"""Every input table but locks.csv (matrix.csv included): locks are decisions people make about a plan, not something
to synthesize; and the meetings calendar's inputs (meetings.csv is what `vastaff meetings` makes of them)."""


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict:
    """(n, seed) -> (GeneratedDistrict, folder, loaded District), built once for the module."""
    out = {}
    for n, seed in SIZES:
        g = build_district(n, seed, CONTRACT)
        folder = write_district(g.tables, tmp_path_factory.mktemp("gen") / f"n{n}-s{seed}")
        out[(n, seed)] = (g, folder, load_district(folder, CONTRACT))
    return out


@pytest.fixture(params=SIZES, ids=[f"n{n}-s{s}" for n, s in SIZES])
def case(request, generated):
    return generated[request.param]


# ----------------------------------------------------------------------------------------------
# Feasibility checks, straight from the tables.


def eligible(d) -> pd.DataFrame:
    """CRED: demand rows x classroom teachers of the school and level holding the credential, grade in range;
    special_education courses only with special-education department teachers."""
    dem = d.demand[d.demand.students > 0].merge(
        d.courses[["course_id", "credential", "level", "program", "semester"]], on="course_id")
    t = d.teachers[d.teachers.role == "classroom"].explode("credentials").rename(columns={"credentials": "credential"})
    pairs = dem.merge(t[["teacher_id", "school_id", "level", "department", "credential", "grade_min", "grade_max"]],
                      on=["school_id", "level", "credential"])
    ok = (pairs.grade >= pairs.grade_min) & (pairs.grade <= pairs.grade_max)
    ok &= (pairs.program != "special_education") | (pairs.department == "special_education")
    return pairs[ok]


def uncovered_demand(d) -> set[str]:
    """`course_id:grade` of demand rows with students that no teacher may take."""
    dem = d.demand[d.demand.students > 0]
    keys = set(dem.course_id + ":" + dem.grade.astype(str))
    pairs = eligible(d)
    return keys - set(pairs.course_id + ":" + pairs.grade.astype(str))


def section_cap(program: pd.Series, grade: pd.Series) -> np.ndarray:
    """Seats per section at the A8.1 band mean (general, eld) or the A8.2 norm (special_education, tk, utk)."""
    band = np.array([CONTRACT.band_mean_max[CONTRACT.band_of(max(int(g), 0))] for g in grade])
    norm = program.map(CONTRACT.program_max).to_numpy()
    return np.where(program.isin(["general", "eld"]), np.minimum(band, CONTRACT.section_max), norm)


def flow_fits(units: pd.DataFrame, edges: pd.DataFrame, capacity: dict[str, int]) -> bool:
    """Max flow: every unit's `need` (column) reaches teachers along `edges` (unit, teacher) within `capacity`."""
    flow = max_flow.SimpleMaxFlow()
    unit_ids = {u: i + 2 for i, u in enumerate(units.unit)}
    teacher_ids = {t: i + 2 + len(unit_ids) for i, t in enumerate(capacity)}
    for unit, need in zip(units.unit, units.need):
        flow.add_arc_with_capacity(0, unit_ids[unit], int(need))
    for unit, teacher in zip(edges.unit, edges.teacher_id):
        flow.add_arc_with_capacity(unit_ids[unit], teacher_ids[teacher], 10**6)
    for teacher, cap in capacity.items():
        flow.add_arc_with_capacity(teacher_ids[teacher], 1, int(cap))
    assert flow.solve(0, 1) == flow.OPTIMAL
    return flow.optimal_flow() == int(units.need.sum())


def sections_fit(d, levels: list[str], semester: str | None, per_teacher: int) -> list[str]:
    """Schools (and level) whose sections at the band mean cannot be spread over eligible teachers,
    `per_teacher` sections each (elementary: one homeroom; secondary: one section per academic period)."""
    pairs = eligible(d)
    pairs = pairs[pairs.level.isin(levels)]
    if semester is not None:
        pairs = pairs[pairs.semester.isin([semester, "year"])]
    pairs = pairs.assign(unit=pairs.course_id + ":" + pairs.grade.astype(str))
    dem = d.demand.merge(d.courses[["course_id", "level", "program", "semester"]], on="course_id")
    dem = dem[dem.level.isin(levels) & (dem.students > 0)]
    if semester is not None:
        dem = dem[dem.semester.isin([semester, "year"])]
    dem = dem.assign(unit=dem.course_id + ":" + dem.grade.astype(str),
                     need=np.ceil(dem.students / section_cap(dem.program, dem.grade)).astype(int))
    staff = d.teachers[(d.teachers.role == "classroom") & d.teachers.level.isin(levels)]
    failing = []
    for (school, level), units in dem.groupby(["school_id", "level"]):
        teachers = staff[(staff.school_id == school) & (staff.level == level)].teacher_id
        if not flow_fits(units, pairs[pairs.unit.isin(units.unit)], {t: per_teacher for t in teachers}):
            failing.append(f"{school}:{level}")
    return failing


def room_shortfall(d) -> dict[str, int]:
    """Per region: site choosers of its schools minus teacher places in its open sites (A19), where short."""
    rooms = d.rooms.merge(d.sites[["site_id", "region_id", "status"]], on="site_id")
    rooms = rooms[rooms.status == "open"]
    places = rooms.capacity.where((rooms.kind == "shared") & rooms.partitions, 1).groupby(rooms.region_id).sum()
    choosers = d.teachers[d.teachers.work_location == "site"].merge(
        d.schools[["school_id", "region_id"]], on="school_id")
    need = choosers.groupby("region_id").size()
    short = need.sub(places.reindex(need.index, fill_value=0))
    return {r: int(v) for r, v in short.items() if v > 0}


def caseloads_fit(d) -> bool:
    """A7.3: students of each school and grade reach specialists of the school covering the grade, cap each."""
    rsp = d.teachers[d.teachers.role == "resource_specialist"]
    units = d.sped_students.groupby(["school_id", "grade"]).size().rename("need").reset_index()
    units["unit"] = units.school_id + ":" + units.grade.astype(str)
    edges = units.merge(rsp[["teacher_id", "school_id", "grade_min", "grade_max"]], on="school_id")
    edges = edges[(edges.grade >= edges.grade_min) & (edges.grade <= edges.grade_max)]
    return flow_fits(units, edges, {t: CONTRACT.caseload_cap for t in rsp.teacher_id})


# ----------------------------------------------------------------------------------------------
# Loading, sizes, determinism.


def test_output_loads_without_problems(case):
    g, folder, d = case
    assert len(d.teachers) == len(g.tables["teachers"])
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{name}.csv" for name in GENERATED)
    assert d.has_positions and not d.iep_meetings.empty and not d.sped_students.empty


@pytest.mark.parametrize("n, schools", [(20, 1), (45, 1), (60, 2), (100, 3), (2000, 15), (20000, 19)])
def test_school_count_grows_then_levels_off(n, schools):
    assert school_count(n) == schools


def test_exact_teacher_count_and_sample_shape(generated):
    for (n, _), (_, _, d) in generated.items():
        assert len(d.teachers) == n
    _, _, sample = generated[(60, 7)]
    assert len(sample.schools) == 2
    assert all(levels == ("elementary", "middle", "high") for levels in sample.schools.levels)


def test_periods_are_advisory_then_p1_to_p6(generated):
    _, _, d = generated[(60, 7)]
    one = d.periods[d.periods.school_id == "VA01"].sort_values("order")
    assert list(one.period_id) == ["ADV", "P1", "P2", "P3", "P4", "P5", "P6"]
    assert list(one.kind) == ["advisory"] + ["academic"] * 6
    assert list(one.order) == list(range(7))


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path):
    def digests(folder: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}

    a = digests(write_district(generate_district(40, 3), tmp_path / "a"))
    b = digests(write_district(generate_district(40, 3), tmp_path / "b"))
    c = digests(write_district(generate_district(40, 4), tmp_path / "c"))
    assert a == b
    assert a.keys() == c.keys()
    assert a["teachers.csv"] != c["teachers.csv"] and a["demand.csv"] != c["demand.csv"]


def test_rows_are_sorted_by_id(case):
    g, _, _ = case
    t = g.tables
    for name, key in [("teachers", "teacher_id"), ("courses", "course_id"), ("rooms", "room_id"),
                      ("sites", "site_id"), ("iep_meetings", "meeting_id"), ("sped_students", "student_id")]:
        ids = list(t[name][key])
        assert ids == sorted(ids) and len(set(ids)) == len(ids), name


@pytest.mark.parametrize("n", [19, 20001, 0])
def test_api_refuses_sizes_out_of_range(n):
    with pytest.raises(ValueError, match=rf"expected a whole number from 20 to 20,000 \(got {n}\)"):
        generate_district(n, 1)


# ----------------------------------------------------------------------------------------------
# Feasibility by construction.


def test_every_demand_row_has_an_eligible_teacher(case):
    _, _, d = case
    assert uncovered_demand(d) == set()


def test_uncovered_demand_is_caught_when_the_math_teachers_leave(generated):
    """Control: drop every high-school math credential holder of VA01; exactly VA01's high math rows fail."""
    _, _, d = generated[(60, 7)]
    t = d.teachers
    gone = (t.school_id == "VA01") & (t.level == "high") & t.credentials.map(lambda c: "math" in c)
    assert gone.any()
    broken = dataclasses.replace(d, teachers=t[~gone])
    math_rows = d.demand.merge(d.courses[["course_id", "credential", "level"]], on="course_id")
    math_rows = math_rows[(math_rows.school_id == "VA01") & (math_rows.level == "high")
                          & (math_rows.credential == "math")]
    assert uncovered_demand(broken) == set(math_rows.course_id + ":" + math_rows.grade.astype(str))


def test_elementary_demand_fits_one_homeroom_per_teacher_at_the_band_mean(case):
    _, _, d = case
    assert sections_fit(d, ["elementary"], None, per_teacher=1) == []


def test_elementary_check_fails_when_a_grade_outgrows_its_teachers(generated):
    """Control: 3 more sections' worth of grade-2 students at VA01 than elementary teachers can hold."""
    _, _, d = generated[(60, 7)]
    dem = d.demand.copy()
    teachers = int(((d.teachers.school_id == "VA01") & (d.teachers.level == "elementary")).sum())
    dem.loc[dem.course_id == "VA01-E-G2", "students"] = (teachers + 3) * CONTRACT.band_mean_max["K-3"]
    assert sections_fit(dataclasses.replace(d, demand=dem), ["elementary"], None, per_teacher=1) == ["VA01:elementary"]


@pytest.mark.parametrize("semester", ["1", "2"])
def test_secondary_demand_fits_one_section_per_period_at_the_band_mean(case, semester):
    _, _, d = case
    assert sections_fit(d, ["middle", "high"], semester, per_teacher=ACADEMIC_PERIODS) == []


def test_rooms_in_open_sites_cover_every_site_chooser(case):
    _, _, d = case
    assert room_shortfall(d) == {}


def test_room_check_fails_without_open_rooms(generated):
    """Control: with the rooms of R1's sites gone, R1 is short by exactly its site choosers."""
    _, _, d = generated[(60, 7)]
    r1_sites = d.sites[d.sites.region_id == "R1"].site_id
    choosers = d.teachers[d.teachers.work_location == "site"].merge(d.schools, on="school_id")
    expected = int((choosers.region_id == "R1").sum())
    assert expected > 0
    broken = dataclasses.replace(d, rooms=d.rooms[~d.rooms.site_id.isin(r1_sites)])
    assert room_shortfall(broken) == {"R1": expected}


def test_caseloads_fit_the_specialists(case):
    _, _, d = case
    assert caseloads_fit(d)
    rsp = d.teachers[d.teachers.role == "resource_specialist"]
    per_level = rsp.groupby(["school_id", "level"]).size() * CONTRACT.caseload_cap
    assert d.sped_students.groupby("school_id").size().le(per_level.groupby("school_id").sum()).all()


def test_caseload_check_fails_with_one_student_too_many(generated):
    """Control: fill one school and grade beyond what its covering specialists can take."""
    _, _, d = generated[(60, 7)]
    rsp = d.teachers[(d.teachers.role == "resource_specialist") & (d.teachers.school_id == "VA01")
                     & (d.teachers.level == "high")]
    capacity = len(rsp) * CONTRACT.caseload_cap
    already = int(((d.sped_students.school_id == "VA01") & d.sped_students.grade.between(9, 12)).sum())
    extra = pd.DataFrame({"student_id": [f"X{i}" for i in range(capacity - already + 1)],
                          "school_id": "VA01", "grade": 10})
    assert not caseloads_fit(dataclasses.replace(d, sped_students=pd.concat([d.sped_students, extra])))


# ----------------------------------------------------------------------------------------------
# The witness plan keeps every rule, and it adds up to demand.csv.


def semesters(frame: pd.DataFrame) -> pd.DataFrame:
    """A `year` row meets in semester 1 and 2."""
    year = frame[frame.semester == "year"]
    return pd.concat([frame[frame.semester != "year"], year.assign(semester="1"), year.assign(semester="2")])


def test_witness_plan_keeps_the_contract(case):
    g, _, d = case
    w = g.witness
    t = d.teachers.set_index("teacher_id")
    # CRED: credential, grade range, school and level; special_education only by that department
    joined = w.merge(d.courses[["course_id", "credential"]], on="course_id").merge(
        t, left_on="teacher_id", right_index=True, suffixes=("", "_t"))
    assert (joined.school_id == joined.school_id_t).all() and (joined.level == joined.level_t).all()
    assert all(c in creds for c, creds in zip(joined.credential, joined.credentials))
    assert joined.grade.between(joined.grade_min, joined.grade_max).all()
    assert (joined.department_t[joined.program == "special_education"] == "special_education").all()
    assert (joined.role == "classroom").all()
    # A6.1 / A6.2: one section per teacher, semester and period; A6.3: at most 8 courses per semester
    per_period = semesters(w).groupby(["teacher_id", "semester", "period_id"]).size()
    assert per_period.max() == 1
    courses = semesters(w).groupby(["teacher_id", "semester"]).course_id.nunique()
    assert courses.max() <= CONTRACT.max_courses_per_semester
    # elementary: one year-long homeroom per classroom teacher
    el = w[w.level == "elementary"]
    assert el.teacher_id.is_unique and (el.period_id == "homeroom").all() and (el.semester == "year").all()
    # A8.1 means per school, band, semester; A8.2 norms
    gen = semesters(w[w.program.isin(["general", "eld"])])
    gen = gen.assign(band=[CONTRACT.band_of(max(x, 0)) for x in gen.grade])
    means = gen.groupby(["school_id", "band", "semester"]).students.mean()
    assert all(m <= CONTRACT.band_mean_max[band] for (_, band, _), m in means.items())
    assert gen.students.max() <= CONTRACT.section_max
    special = w[w.program.isin(["special_education", "tk", "utk"])]
    assert (special.students <= special.program.map(CONTRACT.program_max)).all()


def test_witness_plan_adds_up_to_demand(case):
    g, _, d = case
    summed = g.witness.groupby(["course_id", "grade"]).students.sum()
    demand = d.demand.set_index(["course_id", "grade"]).students
    pd.testing.assert_series_equal(summed.sort_index(), demand.sort_index(), check_names=False)


def test_secondary_loads_are_four_or_five_sections_in_two_to_four_courses(generated):
    g, _, _ = generated[(1500, 11)]
    sec = semesters(g.witness[g.witness.level != "elementary"])
    loads = sec.groupby(["teacher_id", "semester"]).size()
    assert loads.max() <= 5 and loads.quantile(.5) >= 4
    offerings = g.witness[g.witness.level != "elementary"].groupby("teacher_id").period_id.nunique()
    assert offerings.between(4, 5).all()


def small_upper_courses(d) -> pd.DataFrame:
    """General high-school courses with both a grade-11 and a grade-12 group of at most 12 students."""
    dem = d.demand.merge(d.courses[["course_id", "program", "level"]], on="course_id")
    upper = dem[(dem.program == "general") & (dem.level == "high") & dem.grade.isin([11, 12])].pivot_table(
        index=["school_id", "course_id"], columns="grade", values="students")
    return upper[(upper[11] <= 12) & (upper[12] <= 12)].reset_index()


@pytest.mark.parametrize("size", [(60, 7), (1500, 11)])
def test_small_grade_11_and_12_groups_invite_multigrade_sections(generated, size):
    """One or two such courses at most schools with a high level (where one is taught in 2-3 sections)."""
    _, _, d = generated[size]
    small = small_upper_courses(d)
    high_schools = d.schools[d.schools.levels.map(lambda lv: "high" in lv)]
    assert 1 <= small.groupby("school_id").size().max() <= 2
    assert len(small) >= len(high_schools) // 2


# ----------------------------------------------------------------------------------------------
# Sites, seniority, IEP meetings, positions.


def test_exactly_one_priority_site_and_it_is_open(case):
    _, _, d = case
    priority = d.sites[d.sites.priority_site]
    assert len(priority) == 1 and priority.status.iloc[0] == "open"


def test_larger_districts_have_sites_not_open_but_every_region_an_open_one(generated):
    _, _, big = generated[(1500, 11)]
    assert {"temporarily_closed", "closed"} <= set(big.sites.status)
    assert set(big.sites[big.sites.status == "open"].region_id) == set(big.regions.region_id)
    _, _, small = generated[(60, 7)]
    assert set(small.sites.status) == {"open"}


def test_seniority_ties_exist_and_are_broken_by_tiebreak(case):
    _, _, d = case
    t = d.teachers
    tied = t[t.duplicated(["school_id", "seniority_date"], keep=False)]
    assert len(tied) >= 2
    assert not t.duplicated(["school_id", "seniority_date", "seniority_tiebreak"]).any()
    assert t.seniority_date.min() >= pd.Timestamp("1996-08-01") and t.seniority_date.max() < pd.Timestamp("2026-08-01")
    if len(t) >= 300:
        assert (t.seniority_date.max() - t.seniority_date.min()).days > 25 * 365


def test_work_locations_and_accommodations_are_realistic(generated):
    _, _, d = generated[(1500, 11)]
    t = d.teachers
    assert t.current_site_id[t.work_location == "home"].isna().all()
    assert set(t.work_location) == {"site", "home", "either"}
    assert .8 < (t.ra_status == "none").mean() < .97 and set(t.ra_status) == {"none", "granted", "pending"}
    assert t[t.ra_status != "none"].work_location.isin(["home", "either"]).all()
    requests = t.requested_site_ids.map(len)
    assert .5 < (requests == 0).mean() < .9 and requests.max() == 3
    assert 0 < t.stipend_consent.mean() < .2


def test_iep_meetings_have_an_overlap_free_witness(case):
    g, _, d = case
    m = d.iep_meetings.merge(g.iep_witness, on="meeting_id")
    assert len(m) == len(d.iep_meetings)
    explicit = m[m.eligible_teacher_ids.map(len) > 0]
    assert all(w in ids for w, ids in zip(explicit.teacher_id, explicit.eligible_teacher_ids))
    teaches = g.witness[g.witness.department == "general"][["teacher_id", "school_id", "grade"]].drop_duplicates()
    assert len(m.merge(teaches, on=["teacher_id", "school_id", "grade"])) == len(m)
    same_day = m.merge(m, on=["teacher_id", "date"])
    overlap = (same_day.meeting_id_x < same_day.meeting_id_y) & (same_day.start_x < same_day.end_y) & (
        same_day.start_y < same_day.end_x)
    assert not overlap.any()


def test_iep_meetings_mix_window_times_and_explicit_lists(generated):
    _, _, d = generated[(1500, 11)]
    m = d.iep_meetings
    start, end = CONTRACT.synchronous_window
    minutes = lambda s: s.str.slice(0, 2).astype(int) * 60 + s.str.slice(3, 5).astype(int)
    inside = (minutes(m.start) < end) & (minutes(m.end) > start)
    assert .15 < inside.mean() < .5
    explicit = m.eligible_teacher_ids.map(len) > 0
    assert .05 < explicit.mean() < .3
    assert set(m.student_id) <= set(d.sped_students.student_id)


def test_positions_mostly_head_count_with_a_cut_and_a_vacancy_below(case):
    _, _, d = case
    heads = d.teachers.groupby(["school_id", "level", "department"]).size().rename("heads")
    pos = d.positions.join(heads, on=["school_id", "level", "department"])
    cuts = pos[pos.positions < pos.heads]
    assert len(cuts) >= 1 and (pos.heads - pos.positions).max() <= 3
    assert (pos.positions == pos.heads).mean() >= .5
    below = {"high": "middle", "middle": "elementary"}
    vacancies = set(zip(pos[pos.positions > pos.heads].school_id, pos[pos.positions > pos.heads].level))
    assert any((s, below[lv]) in vacancies for s, lv in zip(cuts.school_id, cuts.level))


# ----------------------------------------------------------------------------------------------
# Writing and the command line.


def test_write_district_refuses_a_non_empty_folder_and_leaves_it_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(OutputError, match="is not empty; add --force to replace it; nothing was written.$") as exc:
        write_district(generate_district(20, 1), out)
    assert exc.value.refused
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_write_district_leaves_no_temporary_folder_when_a_table_is_bad(tmp_path):
    tables = generate_district(20, 1)
    tables["teachers"] = tables["teachers"].drop(columns=["seniority_date"])
    with pytest.raises(KeyError):
        write_district(tables, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


runner = CliRunner()


def test_cli_writes_and_summarises(tmp_path):
    out = tmp_path / "d"
    result = runner.invoke(app, ["generate", str(out), "--teachers", "60", "--seed", "7"])
    assert result.exit_code == 0, result.output
    tables = generate_district(60, 7)
    seats = int(tables["demand"].students.sum())
    assert result.stdout.startswith(f"Wrote {out}: 60 teachers, 2 schools, {len(tables['courses'])} courses, "
                                    f"{seats:,} course seats (seed 7, ")
    one = runner.invoke(app, ["generate", str(tmp_path / "one"), "--teachers", "20", "--seed", "1"])
    assert one.stdout.startswith(f"Wrote {tmp_path / 'one'}: 20 teachers, 1 school, ")  # not "1 schools"
    api = write_district(tables, tmp_path / "api")
    for name in GENERATED:
        assert (out / f"{name}.csv").read_bytes() == (api / f"{name}.csv").read_bytes(), name


@pytest.mark.parametrize("n", ["19", "20001"])
def test_cli_refuses_sizes_out_of_range(tmp_path, n):
    result = runner.invoke(app, ["generate", str(tmp_path / "d"), "--teachers", n])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"vastaff generate: --teachers: expected a whole number from 20 to 20,000 "
                                     f"(got {n}); nothing was written.")
    assert not (tmp_path / "d").exists()


def test_cli_refuses_a_non_empty_folder_unless_forced(tmp_path):
    out = tmp_path / "d"
    out.mkdir()
    (out / "old.csv").write_text("x\n")
    refused = runner.invoke(app, ["generate", str(out), "--teachers", "20"])
    assert refused.exit_code == 2
    assert refused.stderr.strip() == f"{out} is not empty; add --force to replace it; nothing was written."
    assert [p.name for p in out.iterdir()] == ["old.csv"]
    forced = runner.invoke(app, ["generate", str(out), "--teachers", "20", "--force"])
    assert forced.exit_code == 0, forced.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.csv" for name in GENERATED)
    assert [p.name for p in tmp_path.iterdir()] == ["d"]


def test_cli_writes_into_an_empty_folder_and_refuses_a_file(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(app, ["generate", str(empty), "--teachers", "20"]).exit_code == 0
    file = tmp_path / "file.csv"
    file.write_text("x")
    result = runner.invoke(app, ["generate", str(file), "--teachers", "20"])
    assert result.exit_code == 2
    assert f"{file} is a file, not a folder" in result.stderr


def test_cli_reports_a_bad_contract_model(tmp_path):
    result = runner.invoke(app, ["generate", str(tmp_path / "d"), "--teachers", "20",
                                 "--model", str(tmp_path / "no.yaml")])
    assert result.exit_code == 2
    assert "no.yaml: expected a contract model YAML file (file not found)" in result.stderr
    assert not (tmp_path / "d").exists()


def test_cli_help_shows_an_example():
    result = runner.invoke(app, ["generate", "--help"])
    assert result.exit_code == 0
    assert "vastaff generate /tmp/district --teachers 60 --seed 7" in result.stdout


def test_cli_refuses_a_negative_seed(tmp_path):
    result = runner.invoke(app, ["generate", str(tmp_path / "d"), "--teachers", "20", "--seed", "-1"])
    assert result.exit_code == 2
    assert result.stderr.strip() == ("vastaff generate: --seed: expected a whole number >= 0 (got -1); "
                                     "nothing was written.")


def test_open_sites_have_a_place_for_every_teacher_working_there_now(case):
    _, _, d = case
    rooms = d.rooms.merge(d.sites[["site_id", "status"]], on="site_id")
    rooms = rooms[rooms.status == "open"]
    places = rooms.capacity.where((rooms.kind == "shared") & rooms.partitions, 1).groupby(rooms.site_id).sum()
    now = d.teachers.dropna(subset=["current_site_id"]).groupby("current_site_id").size()
    now = now[now.index.isin(places.index)]
    assert (now <= places.reindex(now.index)).all()
    assert len(now) > 0


def test_a_district_with_no_explicit_iep_list_generates():
    """Regression (found by the optimizer's property test): seed 38 at 20 teachers picks no explicit IEP list."""
    from vastaff.generate import generate_district

    tables = generate_district(20, 38)
    assert (tables["iep_meetings"].eligible_teacher_ids.fillna("") == "").all()
