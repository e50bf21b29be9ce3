"""Data patches (set, scale, add, drop) on the raw tables of the tiny district, and the no-match error."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import tiny_tables, write_tables
from vastaff import load_contract, load_district
from vastaff.errors import InputError
from vastaff.scenario.patches import PatchError, apply_patches, read_tables, write_tables as write_raw
from vastaff.scenario.schema import validate_scenario


def patches(*items: dict) -> list:
    """Validated patch objects, as a scenario file would give them."""
    return validate_scenario({"name": "t", "description": "t", "data": ".", "patches": list(items)}, "t.yaml").patches


def apply(folder, *items: dict):
    return apply_patches(read_tables(folder), patches(*items))


def ids(frame, column: str = "teacher_id") -> list[str]:
    return sorted(frame[column])


# ---- set ---------------------------------------------------------------------------------------------------

def test_set_changes_only_the_selected_row(tiny_data):
    frames, (applied,) = apply(tiny_data, {"kind": "set", "table": "sites", "where": {"site_id": "S2"},
                                           "set": {"status": "temporarily_closed"}})
    assert frames["sites"].set_index("site_id")["status"].to_dict() == {"S1": "open", "S2": "temporarily_closed"}
    assert applied.rows == 1
    assert applied.summary == "sites where site_id=S2: status=temporarily_closed (1 row)"


def test_an_unquoted_yaml_date_is_set_and_matched_as_its_text(tiny_data):
    """`set: {seniority_date: 2000-01-01}` unquoted is a date to YAML: four lines (one per Cell type) said it was no
    bool, number, whole number or text; it is the date as written."""
    frames, (applied,) = apply(tiny_data, {"kind": "set", "table": "teachers", "where": {"teacher_id": "H2"},
                                           "set": {"seniority_date": date(2000, 1, 1)}})
    assert frames["teachers"].set_index("teacher_id").at["H2", "seniority_date"] == "2000-01-01"
    frames, (applied,) = apply(tiny_data, {"kind": "set", "table": "teachers",
                                           "where": {"seniority_date": [date(2001, 1, 10)]}, "set": {"name": "X"}})
    assert applied.rows == 1


def test_where_list_means_any_of_and_several_columns_mean_all(tiny_data):
    frames, (a, b) = apply(
        tiny_data,
        {"kind": "set", "table": "teachers", "where": {"teacher_id": ["E1", "H2", "R1T"], "department": "general"},
         "set": {"work_location": "home"}},
        {"kind": "set", "table": "teachers", "where": {"teacher_id": ["E1", "E2"]}, "set": {"ra_status": "granted"}},
    )
    t = frames["teachers"].set_index("teacher_id")
    assert a.rows == 2 and t.loc[["E1", "H2"], "work_location"].tolist() == ["home", "home"]
    assert t.loc["R1T", "work_location"] == "home"  # R1T was home already: not selected (special_education)
    assert t.loc["H1", "work_location"] == "either"
    assert b.rows == 2 and t.loc[["E1", "E2", "H1"], "ra_status"].tolist() == ["granted", "granted", "none"]


@pytest.mark.parametrize(("where", "expected"), [
    ({"credentials": "eld"}, ["H2"]),                       # a ';'-list cell contains the value
    ({"credentials": "english"}, ["H2"]),
    ({"credentials": ["math", "special_education"]}, ["H1", "R1T"]),
    ({"grade_min": 0}, ["E1", "E2"]),                       # the cells say K: compared as grades
    ({"grade_min": "K"}, ["E1", "E2"]),
    ({"stipend_consent": True}, ["H1"]),                    # booleans as the loader reads them
    ({"current_site_id": None}, ["E2", "R1T"]),             # blank selects blank cells
    ({"requested_site_ids": "S2"}, ["H1", "H2"]),
])
def test_where_compares_cells_as_their_column_reads_them(tiny_data, where, expected):
    frames, _ = apply(tiny_data, {"kind": "drop", "table": "teachers", "where": where})
    kept = set(ids(frames["teachers"]))
    assert sorted({"E1", "E2", "H1", "H2", "R1T"} - kept) == expected


def test_set_of_a_missing_optional_column_adds_it(tmp_path):
    t = tiny_tables()
    t["positions"] = [{"school_id": "VA1", "level": "high", "positions": 2}]  # no department column
    frames, _ = apply(write_tables(tmp_path / "d", t), {"kind": "set", "table": "positions",
                                                       "where": {"level": "high"}, "set": {"department": "general"}})
    assert frames["positions"][["level", "department"]].values.tolist() == [["high", "general"]]


# ---- scale -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("rounding", "after"), [("nearest", [45, 18, 38, 15]), ("down", [45, 18, 37, 15]),
                                                 ("up", [45, 18, 38, 15])])
def test_scale_multiplies_and_rounds_to_whole_students(tiny_data, rounding, after):
    frames, (applied,) = apply(tiny_data, {"kind": "scale", "table": "demand", "where": {"grade": 9},
                                           "column": "students", "factor": 1.5, "rounding": rounding})
    d = frames["demand"]
    assert d[d["grade"] == "9"]["students"].astype(int).tolist() == after    # 30, 12, 25, 10 x 1.5
    assert d[d["grade"] == "1"]["students"].tolist() == ["40"]                # grade 1 untouched
    total = sum(after)
    assert applied.summary == (f"demand where grade=9: students x1.5 rounded {rounding} (4 rows; students 77 -> "
                               f"{total}, +{total - 77})")


def test_scale_up_rounds_a_fraction_up_and_down_keeps_whole_values(tiny_data):
    frames, _ = apply(tiny_data, {"kind": "scale", "table": "demand", "where": {"course_id": "MA-ALG1"},
                                  "column": "students", "factor": 1.01, "rounding": "up"})
    assert frames["demand"].set_index("course_id").loc["MA-ALG1", "students"] == "31"   # 30.3 -> 31
    frames, _ = apply(tiny_data, {"kind": "scale", "table": "demand", "where": {"course_id": "MA-ALG1"},
                                  "column": "students", "factor": 1.0, "rounding": "up"})
    assert frames["demand"].set_index("course_id").loc["MA-ALG1", "students"] == "30"   # 30.0 stays 30


def test_scale_nearest_rounds_a_half_up_that_binary_floats_miss(tiny_data):
    """30 x 2.05 is 61.49999999999999 in binary floats: the half goes up to 62 (a scenario fuzz saw 45 x 0.7 give 31)."""
    frames, applied = apply(tiny_data, {"kind": "scale", "table": "demand", "where": {"course_id": "MA-ALG1"},
                                        "column": "students", "factor": 2.05})
    assert frames["demand"].set_index("course_id").loc["MA-ALG1", "students"] == "62"
    assert applied[0].summary.endswith("(1 row; students 30 -> 62, +32)")


def test_scale_of_a_text_cell_is_a_patch_error(tiny_data):
    with pytest.raises(PatchError) as err:
        apply(tiny_data, {"kind": "scale", "table": "teachers", "where": {"teacher_id": "E1"},
                          "column": "name", "factor": 2})
    assert str(err.value) == "patch 0 (scale teachers): column name is not a number in row 2 (got 'Ada Elem')"


# ---- add ---------------------------------------------------------------------------------------------------

def test_add_appends_rows_and_the_result_validates(tiny_data, tmp_path):
    frames, applied = apply(
        tiny_data,
        {"kind": "add", "table": "courses", "rows": [{"course_id": "MA-GEO", "school_id": "VA1", "title": "Geometry",
                                                      "subject": "math", "credential": "math", "level": "high",
                                                      "program": "general", "semester": 2}]},
        {"kind": "add", "table": "demand", "rows": [{"school_id": "VA1", "course_id": "MA-GEO", "grade": 10,
                                                     "students": 28}]},
    )
    assert [a.summary for a in applied] == ["courses: 1 row added", "demand: 1 row added"]
    district = load_district(write_raw(frames, tmp_path / "patched"), load_contract())
    geo = district.demand[district.demand["course_id"] == "MA-GEO"]
    assert geo[["grade", "students"]].values.tolist() == [[10, 28]]
    assert district.courses.set_index("course_id").loc["MA-GEO", "semester"] == "2"


def test_add_to_a_table_the_base_folder_lacks_creates_it(tmp_path):
    t = tiny_tables()
    del t["positions"]
    frames, _ = apply(write_tables(tmp_path / "d", t),
                      {"kind": "add", "table": "positions", "rows": [{"school_id": "VA1", "level": "high",
                                                                      "positions": 1}]})
    assert frames["positions"][["school_id", "level", "department", "positions"]].values.tolist() == [
        ["VA1", "high", "", "1"]]


# ---- drop --------------------------------------------------------------------------------------------------

def test_drop_removes_the_selected_rows(tiny_data):
    frames, (applied,) = apply(tiny_data, {"kind": "drop", "table": "demand", "where": {"course_id": "ELD-1"}})
    assert ids(frames["demand"], "course_id") == ["EL-1", "EN-9", "MA-ALG1", "MA-HALG1"]
    assert applied.summary == "demand where course_id=ELD-1: 1 row dropped"


def test_patches_apply_in_order(tiny_data):
    frames, _ = apply(tiny_data,
                      {"kind": "add", "table": "sites", "rows": [{"site_id": "S3", "name": "New", "region_id": "R2",
                                                                  "priority_site": False, "status": "open"}]},
                      {"kind": "set", "table": "sites", "where": {"site_id": "S3"}, "set": {"status": "closed"}})
    assert frames["sites"].set_index("site_id").loc["S3", ["status", "priority_site"]].tolist() == ["closed", "false"]


# ---- no match ----------------------------------------------------------------------------------------------

def test_a_patch_that_selects_no_row_is_an_error(tiny_data):
    with pytest.raises(PatchError) as err:
        apply(tiny_data, {"kind": "set", "table": "sites", "where": {"site_id": "S9", "status": ["open", "closed"]},
                          "set": {"status": "closed"}})
    assert str(err.value) == ("patch 0 (set sites): no row of sites.csv matches where site_id=S9, status=open|closed "
                              "(set allow_empty: true if that is expected)")


def test_allow_empty_accepts_a_patch_that_selects_no_row(tiny_data):
    frames, (applied,) = apply(tiny_data, {"kind": "drop", "table": "sites", "where": {"site_id": "S9"},
                                           "allow_empty": True})
    assert applied.rows == 0 and ids(frames["sites"], "site_id") == ["S1", "S2"]


def test_base_data_that_cannot_be_read_is_an_input_error(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    (folder / "sites.csv").write_text("site_id,name,region_id,priority_site,status\nS1,a,R1,true,open,extra\n")
    with pytest.raises(InputError) as err:
        read_tables(folder)
    assert "sites.csv, row 2" in str(err.value)


# ---- bounds ------------------------------------------------------------------------------------------------

def test_a_scale_past_the_column_bound_is_invalid_patched_data(tiny_data, tmp_path):
    """x1,000 of 40 students is 40,000 (within 100,000); x1,000 again is 40 million: the loader names the cell,
    and the scenario fails as INVALID_INPUT (never an OverflowError or hours of search)."""
    from vastaff.scenario.load import scenario_from_dict
    from vastaff.scenario.runner import ScenarioFailed, patched_district

    scale = {"kind": "scale", "table": "demand", "where": {"course_id": "EL-1"}, "column": "students", "factor": 1000}
    sc = scenario_from_dict({"name": "t", "description": "t", "data": str(tiny_data), "patches": [scale, scale]})
    with pytest.raises(ScenarioFailed) as err:
        patched_district(sc, tmp_path / "input")
    assert err.value.status == "INVALID_INPUT" and err.value.lines == [
        "the patched data is invalid (1 problem(s)):",
        "demand.csv, row 2, column students: got '40000000', expected a whole number from 0 to 100,000"]


def test_set_and_add_past_a_bound_are_invalid_patched_data(tiny_data, tmp_path):
    frames, _ = apply(tiny_data,
                      {"kind": "set", "table": "rooms", "where": {"room_id": "S1-200"}, "set": {"capacity": 1e20}},
                      {"kind": "add", "table": "demand",
                       "rows": [{"school_id": "VA1", "course_id": "EN-9", "grade": 10, "students": 10**12}]})
    with pytest.raises(InputError) as err:
        load_district(write_raw(frames, tmp_path / "patched"))
    assert [str(p) for p in err.value.problems] == [
        "demand.csv, row 7, column students: got '1000000000000', expected a whole number from 0 to 100,000",
        "rooms.csv, row 3, column capacity: got '100000000000000000000', expected a whole number from 1 to 1,000"]


def test_scale_of_an_infinite_cell_is_a_patch_error(tiny_data):
    demand = tiny_data / "demand.csv"
    demand.write_text(demand.read_text().replace("EL-1,1,40", "EL-1,1,inf"))
    with pytest.raises(PatchError) as err:
        apply(tiny_data, {"kind": "scale", "table": "demand", "where": {"course_id": "EL-1"}, "column": "students",
                          "factor": 2})
    assert str(err.value) == "patch 0 (scale demand): column students is too large to scale in row 2 (got 'inf')"


# ---- a table the scenario brings ---------------------------------------------------------------------------

def test_a_table_of_the_scenario_replaces_the_base_table_before_the_patches(tiny_data, tmp_path):
    """The tiny district has no matrix.csv: the scenario's own file is used, a patch then edits it, and the
    patched data validates (matrix.csv's cross-table checks included)."""
    from vastaff.scenario.load import load_scenario
    from vastaff.scenario.runner import patched_district
    from tests.scenario.conftest import write_scenario

    (tmp_path / "spring").mkdir()
    (tmp_path / "spring" / "matrix.csv").write_text(
        "teacher_id,rank,grade,course_id,level\nE1,1,2,,\nE1,2,1,,\nH1,1,,MA-HALG1,\n")
    sc = load_scenario(write_scenario(tmp_path, "s", tiny_data, tables={"matrix": "spring/matrix.csv"}, patches=[
        {"kind": "drop", "table": "matrix", "where": {"teacher_id": "H1"}}]))
    district, (table, drop) = patched_district(sc, tmp_path / "input")
    assert district.matrix[["teacher_id", "rank", "grade"]].values.tolist() == [["E1", 1, 2], ["E1", 2, 1]]
    assert table.as_dict() == {"kind": "table", "table": "matrix", "rows": 3,
                               "summary": f"matrix: 3 rows from {tmp_path / 'spring' / 'matrix.csv'} (instead of the "
                                          "base data's)"}
    assert drop.as_dict()["patch"] == 0 and drop.rows == 1
    assert (tmp_path / "input" / "matrix.csv").read_text() == "teacher_id,rank,grade,course_id,level\nE1,1,2,,\nE1,2,1,,\n"


def test_an_invalid_row_of_the_scenarios_table_fails_the_scenario_naming_the_row(tiny_data, tmp_path):
    from vastaff.scenario.load import load_scenario
    from vastaff.scenario.runner import ScenarioFailed, patched_district
    from tests.scenario.conftest import write_scenario

    (tmp_path / "m.csv").write_text("teacher_id,rank,grade,course_id,level\nE1,1,2,,\nZ9,1,1,,\n")
    sc = load_scenario(write_scenario(tmp_path, "s", tiny_data, tables={"matrix": "m.csv"}))
    with pytest.raises(ScenarioFailed) as err:
        patched_district(sc, tmp_path / "input")
    assert err.value.status == "INVALID_INPUT" and err.value.lines == [
        "the patched data is invalid (1 problem(s)):",
        "matrix.csv, row 3, column teacher_id: got 'Z9', expected a teacher_id listed in teachers.csv"]
