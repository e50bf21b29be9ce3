"""A10 / A10.1 / A11 on tiny hand-solved districts (see tests/displace_fixtures.py for `three_levels`)."""

from __future__ import annotations

import json

import pytest

from displace_fixtures import CONTRACT, load, position, rows_by_teacher, site, teacher, three_levels
from vastaff.displace import Cut, displace, parse_cut
from vastaff.displace.cuts import CUT_NUMBER
from vastaff.errors import InputError
from vastaff.schemas.plan import PLAN_COLUMNS


_RESULTS: dict[str, object] = {}


def run(tmp_path, tables, cuts=()):
    """displace() on the tables; identical inputs are solved once (the result is deterministic)."""
    key = json.dumps([tables, list(cuts)], sort_keys=True, default=str)
    if key not in _RESULTS:
        _RESULTS[key] = displace(load(tmp_path, tables), CONTRACT, cuts)
    return _RESULTS[key]


def outcome(result) -> dict[str, tuple]:
    """teacher_id -> (outcome, to_level, site_id, seniority_rank, article)."""
    return {t: (r["outcome"], r["to_level"], r["site_id"], r["seniority_rank"], r["article"])
            for t, r in rows_by_teacher(result.frame).items()}


def line(result, level, department="general", school="VA1") -> dict:
    lines = result.cut_lines
    row = lines[(lines.school_id == school) & (lines.level == level) & (lines.department == department)]
    assert len(row) == 1
    return row.iloc[0].to_dict()


def messages(exc: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in exc.value.problems]


def set_teacher(tables, tid, **changes):
    row = next(t for t in tables["teachers"] if t["teacher_id"] == tid)
    row.update(changes)


# ---------------------------------------------------------------------------------------------- A10


def test_a10_three_levels_outcome_by_hand(tmp_path):
    result = run(tmp_path, three_levels())
    assert outcome(result) == {
        "E1": ("retained", "elementary", "", 1, "10.0"),
        "E2": ("retained", "elementary", "", 2, "10.0"),
        "M1": ("retained", "middle", "", 1, "10.0"),
        "M2": ("retained", "middle", "", 2, "10.0"),
        "H1": ("retained", "high", "", 1, "10.0"),
        "H2": ("retained", "high", "", 2, "10.0"),
        "H3": ("displaced", "", "S1", 3, "11.0"),
        "H4": ("moved_level", "middle", "", 4, "10.0(1)"),
        "X1": ("retained", "high", "", 1, "10.0"),
    }
    assert result.counts == {"teachers": 9, "retained": 7, "moved_level": 1, "displaced": 1}


def test_a10_exact_cut_lines(tmp_path):
    result = run(tmp_path, three_levels(), ["VA1:high:1"])
    high = line(result, "high")
    assert (high["teachers"], high["positions"], high["retained"], high["cut_line_teacher_id"], high["cut_line_rank"]) \
        == (4, 1, 1, "H1", 1)
    assert f"{high['cut_line_seniority_date']:%Y-%m-%d}" == "2001-01-01"
    assert line(result, "middle")["cut_line_teacher_id"] == "M2"
    assert line(result, "elementary")["cut_line_teacher_id"] == "E2"
    assert line(result, "high", "special_education")["cut_line_teacher_id"] == "X1"


def test_a10_no_position_left_has_no_cut_line(tmp_path):
    result = run(tmp_path, three_levels(), ["VA1:high:special_education:1"])
    sped = line(result, "high", "special_education")
    assert (sped["positions"], sped["retained"], sped["displaced"]) == (0, 0, 1)
    assert sped["cut_line_teacher_id"] != sped["cut_line_teacher_id"]  # NaN: nobody retained
    assert outcome(result)["X1"] == ("displaced", "", "S1", 1, "11.0")


def test_a10_tie_on_date_decided_by_lower_tiebreak(tmp_path):
    tables = three_levels()
    set_teacher(tables, "H2", seniority_date="2001-01-01", seniority_tiebreak=0)  # same date as H1, lower tiebreak
    result = run(tmp_path, tables, ["VA1:high:1"])
    got = outcome(result)
    assert got["H2"][:1] + got["H2"][3:4] == ("retained", 1)
    assert got["H1"][3] == 2 and got["H1"][0] != "retained"
    assert line(result, "high")["cut_line_teacher_id"] == "H2"


def test_a10_tie_that_data_cannot_break_is_rejected(tmp_path):
    tables = three_levels()
    set_teacher(tables, "H2", seniority_date="2001-01-01", seniority_tiebreak=1)  # identical to H1
    with pytest.raises(InputError) as exc:
        run(tmp_path, tables)
    assert messages(exc) == [
        "teachers.csv, row 3, column seniority_tiebreak: got '1', expected a seniority_tiebreak that differs from "
        "teacher H1's (row 2): H1 and H2 share seniority_date 2001-01-01 and seniority_tiebreak 1 in VA1 high general "
        "(Article 10.0), a tie the data cannot break"]


def test_a10_same_seniority_in_another_department_is_no_tie(tmp_path):
    tables = three_levels()
    set_teacher(tables, "X1", seniority_date="2001-01-01", seniority_tiebreak=1)  # as H1, but special education
    assert run(tmp_path, tables).counts["teachers"] == 9


def test_a10_special_education_counted_apart_from_general(tmp_path):
    tables = three_levels()
    set_teacher(tables, "X1", seniority_date="1990-01-01")  # the most senior high teacher, but not of general
    result = run(tmp_path, tables)
    got = outcome(result)
    assert got["X1"] == ("retained", "high", "", 1, "10.0")
    assert [got[t][3] for t in ("H1", "H2", "H3", "H4")] == [1, 2, 3, 4]
    assert line(result, "high")["retained"] == 2
    assert line(result, "high", "special_education")["positions"] == 1  # absent from positions.csv: head count


def test_a10_special_education_teacher_cannot_fill_a_general_vacancy(tmp_path):
    tables = three_levels()
    set_teacher(tables, "X1", credentials="special_education;math", grade_min="6")
    result = run(tmp_path, tables, ["VA1:high:special_education:1"])
    got = outcome(result)
    assert got["X1"][0] == "displaced"
    assert got["H4"][:2] == ("moved_level", "middle")
    why = result.detail.set_index("teacher_id").loc["X1", "move_note"]
    assert why == "no vacancy at a lower level of VA1 special_education"


def test_a10_resource_specialists_count_like_classroom_teachers(tmp_path):
    tables = three_levels()
    tables["teachers"].append(teacher("X2", "high", "2012-01-01", credentials="special_education",
                                      department="special_education", role="classroom"))
    tables["positions"].append(position("high", 1, "special_education"))
    got = outcome(run(tmp_path, tables))
    assert got["X1"][0] == "retained"  # resource specialist, more senior
    assert got["X2"][0] == "displaced"


# ---------------------------------------------------------------------------------------------- A10.1


def test_a10_1_senior_blocked_by_credential_junior_with_it_moves(tmp_path):
    result = run(tmp_path, three_levels())
    detail = result.detail.set_index("teacher_id")
    assert detail.loc["H3", "outcome"] == "displaced"
    assert detail.loc["H3", "move_note"] == "1 middle vacancy(ies): holds no credential of any middle course at VA1"
    assert detail.loc["H4", "outcome"] == "moved_level"
    assert detail.loc["H4", "why"] == ("rank 4 of 4 in VA1 high general, beyond 2 position(s); "
                                       "fills a middle vacancy (step 1, holds math)")


def test_a10_1_senior_blocked_by_grade_range_junior_whose_grades_meet_moves(tmp_path):
    tables = three_levels()
    set_teacher(tables, "H3", credentials="math")  # math, but grades 9-12 only
    result = run(tmp_path, tables)
    detail = result.detail.set_index("teacher_id")
    assert detail.loc["H3", "outcome"] == "displaced"
    assert detail.loc["H3", "move_note"] == "1 middle vacancy(ies): grades 9–12 do not meet middle grades 6–8"
    assert detail.loc["H4", "outcome"] == "moved_level"


def test_a10_1_control_senior_with_credential_and_grades_takes_the_one_vacancy(tmp_path):
    tables = three_levels()
    set_teacher(tables, "H3", credentials="math", grade_min="6")
    result = run(tmp_path, tables)
    got = outcome(result)
    assert got["H3"][:2] == ("moved_level", "middle")
    assert got["H4"][0] == "displaced"
    note = result.detail.set_index("teacher_id").loc["H4", "move_note"]
    assert note == "1 middle vacancy(ies): taken by more senior teachers"


def test_a10_1_no_vacancy_means_priority_site(tmp_path):
    tables = three_levels()
    tables["positions"] = [position("high", 2), position("middle", 2), position("elementary", 2)]
    result = run(tmp_path, tables)
    got = outcome(result)
    assert got["H3"] == ("displaced", "", "S1", 3, "11.0")
    assert got["H4"] == ("displaced", "", "S1", 4, "11.0")
    assert result.detail.set_index("teacher_id").loc["H4", "why"] == (
        "rank 4 of 4 in VA1 high general, beyond 2 position(s); no vacancy at a lower level of VA1 general; "
        "reports to S1 (priority site in the school's region R1)")
    assert result.moves.empty


def test_a10_1_vacancies_only_where_positions_exceed_retained(tmp_path):
    result = run(tmp_path, three_levels())
    assert [line(result, lv)["vacancies"] for lv in ("elementary", "middle", "high")] == [0, 1, 0]
    assert line(result, "middle")["vacancies_left"] == 0
    assert line(result, "middle")["moved_in"] == 1
    assert line(result, "high")["moved_out"] == 1


def test_a10_1_unfilled_vacancy_is_reported_left(tmp_path):
    tables = three_levels()
    tables["positions"] = [position("high", 2), position("middle", 2), position("elementary", 4)]
    result = run(tmp_path, tables)
    assert line(result, "elementary")["vacancies"] == 2
    assert line(result, "elementary")["vacancies_left"] == 2  # nobody holds multiple_subject
    assert result.counts["moved_level"] == 0


def cascade_tables():
    """Middle cut to 1 (M2 surplus), elementary has 4 positions for 2 teachers, high keeps 2 of 4."""
    tables = three_levels()
    set_teacher(tables, "M2", credentials="math;multiple_subject", grade_min="K")
    set_teacher(tables, "H4", credentials="math;multiple_subject", grade_min="K")
    tables["positions"] = [position("high", 2), position("middle", 1), position("elementary", 4)]
    return tables


def test_a10_1_moves_from_several_levels_in_seniority_order(tmp_path):
    result = run(tmp_path, cascade_tables())
    moves = result.moves[["step", "teacher_id", "from_level", "to_level"]].values.tolist()
    assert moves == [[1, "H4", "high", "elementary"], [2, "M2", "middle", "elementary"]]
    assert line(result, "elementary")["moved_in"] == 2


def test_a10_1_a_single_vacancy_goes_to_the_senior_across_levels(tmp_path):
    tables = cascade_tables()
    tables["positions"][-1] = position("elementary", 3)
    got = outcome(run(tmp_path, tables))
    assert got["H4"][:2] == ("moved_level", "elementary")  # 2007 beats M2 (2010) from the level in between
    assert got["M2"][0] == "displaced"


def test_a10_1_senior_goes_further_down_so_a_junior_can_move_too(tmp_path):
    tables = three_levels()
    set_teacher(tables, "H3", credentials="math;multiple_subject", grade_min="K")  # fits middle and elementary
    tables["positions"] = [position("high", 2), position("middle", 3), position("elementary", 3)]
    result = run(tmp_path, tables)
    moves = result.moves[["step", "teacher_id", "to_level"]].values.tolist()
    assert moves == [[1, "H3", "elementary"], [2, "H4", "middle"]]  # H4 (math 6-12) fits middle only


def test_a10_1_control_senior_takes_the_nearest_level_when_nobody_needs_it(tmp_path):
    tables = three_levels()
    set_teacher(tables, "H3", credentials="math;multiple_subject", grade_min="K")
    set_teacher(tables, "H4", credentials="english")
    tables["positions"] = [position("high", 2), position("middle", 3), position("elementary", 3)]
    result = run(tmp_path, tables)
    assert result.moves[["step", "teacher_id", "to_level"]].values.tolist() == [[1, "H3", "middle"]]
    assert line(result, "elementary")["vacancies_left"] == 1


def test_a10_1_tie_between_levels_competing_for_a_vacancy_is_rejected(tmp_path):
    tables = cascade_tables()
    set_teacher(tables, "H4", seniority_date="2010-01-01")  # same date and tiebreak as M2, both fit elementary
    tables["positions"][-1] = position("elementary", 3)  # one vacancy: the order decides who gets it
    with pytest.raises(InputError) as exc:
        run(tmp_path, tables)
    assert messages(exc) == [
        "teachers.csv, row 7, column seniority_tiebreak: got '1', expected a seniority_tiebreak that differs from "
        "teacher H4's (row 5): H4 and M2 share seniority_date 2010-01-01 and seniority_tiebreak 1 among the displaced "
        "teachers of VA1 general competing for vacancies one or more levels down (Article 10.0(1)), "
        "a tie the data cannot break"]


def test_a10_1_a_tie_across_levels_that_decides_nothing_is_no_error(tmp_path):
    """The same tie with two vacancies for the two: both move whoever goes first (the run was refused, exit 2)."""
    tables = cascade_tables()
    set_teacher(tables, "H4", seniority_date="2010-01-01")
    got = outcome(run(tmp_path, tables))  # elementary 4 positions for 2 teachers: 2 vacancies
    assert got["H4"][:2] == got["M2"][:2] == ("moved_level", "elementary")


def test_a10_1_control_tie_broken_by_tiebreak_across_levels(tmp_path):
    tables = cascade_tables()
    set_teacher(tables, "H4", seniority_date="2010-01-01", seniority_tiebreak=2)
    tables["positions"][-1] = position("elementary", 3)
    got = outcome(run(tmp_path, tables))
    assert got["M2"][:2] == ("moved_level", "elementary")
    assert got["H4"][0] == "displaced"


# ---------------------------------------------------------------------------------------------- A11


def a11_tables(sites):
    tables = three_levels()
    tables["sites"] = sites
    tables["positions"] = [position("high", 2), position("middle", 2), position("elementary", 2)]
    return tables


def site_of(result, tid):
    d = result.detail.set_index("teacher_id")
    return d.loc[tid, "site_id"], d.loc[tid, "site_reason"]


def test_a11_priority_site_in_the_school_region_first(tmp_path):
    result = run(tmp_path, a11_tables([site("S3", "R3", True), site("S1", "R1", True), site("S0", "R2", True)]))
    assert site_of(result, "H3") == ("S1", "priority site in the school's region R1")


def test_a11_else_nearest_to_home_region(tmp_path):
    tables = a11_tables([site("S1", "R1", False), site("S3", "R3", True), site("S4", "R2", True)])
    set_teacher(tables, "H4", home_region_id="R3")
    result = run(tmp_path, tables)
    assert site_of(result, "H3") == ("S4", "priority site nearest the home region R1 (10 km)")
    assert site_of(result, "H4") == ("S3", "priority site nearest the home region R3 (0 km)")


def test_a11_ties_go_to_the_lowest_site_id(tmp_path):
    tables = a11_tables([site("S9", "R2", True), site("S4", "R2", True), site("S1", "R1", False)])
    result = run(tmp_path, tables)
    assert site_of(result, "H3") == ("S4", "priority site nearest the home region R1 (10 km), lowest site_id of 2 tied")


def test_a11_no_priority_site_with_displaced_teachers_is_invalid(tmp_path):
    tables = a11_tables([site("S1", "R1", False)])
    with pytest.raises(InputError) as exc:
        run(tmp_path, tables)
    assert messages(exc) == ["sites.csv, column priority_site: expected an open site with priority_site = true "
                             "(Article 11.0): 2 teacher(s) are displaced and must report to it"]


def test_a11_control_no_priority_site_needed_when_nobody_is_displaced(tmp_path):
    tables = a11_tables([site("S1", "R1", False)])
    tables["positions"] = [position("middle", 2)]
    assert run(tmp_path, tables).counts["displaced"] == 0


# ---------------------------------------------------------------------------------------------- cuts


def test_cut_on_a_listed_department_starts_from_positions_csv(tmp_path):
    result = run(tmp_path, three_levels(), ["VA1:middle:1"])
    assert (line(result, "middle")["positions"], line(result, "middle")["vacancies"]) == (2, 0)


def test_cut_on_an_unlisted_department_starts_from_its_head_count(tmp_path):
    tables = three_levels()
    tables["teachers"].append(teacher("X2", "high", "2012-01-01", credentials="special_education",
                                      department="special_education"))
    result = run(tmp_path, tables, ["VA1:high:special_education:1"])
    assert line(result, "high", "special_education")["positions"] == 1
    assert outcome(result)["X2"][0] == "displaced"


def test_cuts_on_one_department_add_up(tmp_path):
    result = run(tmp_path, three_levels(), ["VA1:high:1", "VA1:high:general:1"])
    assert line(result, "high")["positions"] == 0
    assert line(result, "high")["cut"] == 2


def test_cut_below_zero_is_rejected_naming_every_cut(tmp_path):
    with pytest.raises(InputError) as exc:
        run(tmp_path, three_levels(), ["VA1:high:2", "VA1:high:1"])
    assert messages(exc) == ["--cut VA1:high:2 --cut VA1:high:1: got '3', expected at most 2 positions to cut from "
                             "VA1 high general (2 in positions.csv; positions cannot go below 0)"]


@pytest.mark.parametrize("text, message", [
    ("VA9:high:2", "--cut VA9:high:2: got 'VA9', expected a school_id listed in schools.csv"),
    ("VA1:senior:2", "--cut VA1:senior:2: got 'senior', expected a level: elementary, middle, high"),
    ("VA1:high:art:1", "--cut VA1:high:art:1: got 'art', expected a department: general, special_education"),
    ("VA1:high:two", f"--cut VA1:high:two: got 'two', expected {CUT_NUMBER}"),
    ("VA1:high:-1", f"--cut VA1:high:-1: got '-1', expected {CUT_NUMBER}"),
    ("VA1:high:\u0662", f"--cut VA1:high:\u0662: got '\u0662', expected {CUT_NUMBER}"),
    ("VA1:high:18446744073709551615", "--cut VA1:high:18446744073709551615: got '18446744073709551615', expected "
                                      "a number of positions to remove, a whole number from 0 to 10,000 "
                                      "(positions.csv's bound)"),  # it wrapped round to -1 and added a position
    ("VA1-high-2", "--cut VA1-high-2: got 'VA1-high-2', expected SCHOOL:LEVEL:N or SCHOOL:LEVEL:DEPARTMENT:N"),
])
def test_bad_cut_is_one_clear_line(tmp_path, text, message):
    with pytest.raises(InputError) as exc:
        run(tmp_path, three_levels(), [text])
    assert messages(exc) == [message]


def test_cut_on_a_level_the_school_does_not_offer(tmp_path):
    tables = three_levels()
    tables["schools"][0]["levels"] = "middle;high"
    tables["teachers"] = [t for t in tables["teachers"] if t["level"] != "elementary"]
    tables["courses"] = [c for c in tables["courses"] if c["level"] != "elementary"]
    tables["demand"] = [d for d in tables["demand"] if d["course_id"] != "EL-1"]
    tables["positions"] = [position("high", 2)]
    with pytest.raises(InputError) as exc:
        run(tmp_path, tables, ["VA1:elementary:1"])
    assert messages(exc) == ["--cut VA1:elementary:1: got 'elementary', expected a level VA1 offers (schools.csv levels)"]


def test_parse_cut_defaults_to_general():
    assert parse_cut("VA1:high:2") == Cut("VA1", "high", "general", 2, "VA1:high:2")
    assert parse_cut("VA1:high:special_education:1").department == "special_education"


def test_without_positions_csv_a_cut_is_needed(tmp_path):
    tables = three_levels()
    del tables["positions"]
    with pytest.raises(InputError) as exc:
        run(tmp_path, tables)
    assert messages(exc) == ["positions.csv: expected a file named positions.csv (missing): `vastaff displace` needs "
                             "positions.csv or at least one --cut SCHOOL:LEVEL:N"]
    result = run(tmp_path, tables, ["VA1:high:2"])  # from head counts
    assert line(result, "high")["positions"] == 2
    assert line(result, "middle")["vacancies"] == 0
    assert result.positions_source == "head counts with --cut"


# ---------------------------------------------------------------------------------------------- output


def test_frame_has_spec_columns_one_row_per_teacher_sorted(tmp_path):
    result = run(tmp_path, three_levels())
    frame = result.frame
    assert list(frame.columns) == PLAN_COLUMNS["displacement"]
    assert sorted(frame.teacher_id) == sorted(t["teacher_id"] for t in three_levels()["teachers"])
    assert frame.teacher_id.tolist() == ["E1", "E2", "M1", "M2", "H1", "H2", "H3", "H4", "X1"]
    assert frame.site_id.notna().tolist() == (frame.outcome == "displaced").tolist()
    assert frame.to_level.isna().tolist() == (frame.outcome == "displaced").tolist()


def test_api_accepts_cut_objects_and_rejects_negative_ones(tmp_path):
    result = run(tmp_path, three_levels(), [Cut("VA1", "high", "general", 1)])
    assert line(result, "high")["positions"] == 1
    with pytest.raises(InputError) as exc:
        run(tmp_path, three_levels(), [Cut("VA1", "high", "general", -1)])
    assert messages(exc) == [f"--cut VA1:high:general:-1: got '-1', expected {CUT_NUMBER}"]
