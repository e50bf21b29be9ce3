"""Scenario files: what loads, where relative paths point, and a clear error for each kind of mistake."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.scenario.conftest import ROOT, write_scenario
from vastaff.contract import DEFAULT_MODEL, load_contract
from vastaff.errors import InputError
from vastaff.scenario import load_scenario, scenario_from_dict


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as err:
        load_scenario(path)
    return [str(p) for p in err.value.problems]


def test_a_valid_file_loads_with_defaults(tiny_data, tmp_path):
    sc = load_scenario(write_scenario(tmp_path / "s", "base", tiny_data))
    assert sc.name == "base" and sc.data == tiny_data and sc.model == DEFAULT_MODEL
    assert sc.contract == load_contract() and sc.scenario.patches == [] and not sc.scenario.displaces()
    assert sc.scenario.solve.time_limit == 10 and sc.scenario.solve.seed == 0


def test_relative_paths_are_relative_to_the_scenario_file_not_the_working_directory(tmp_path, monkeypatch):
    sc_dir = tmp_path / "deep" / "scenarios"
    path = write_scenario(sc_dir, "rel", os.path.relpath(ROOT / "data" / "sample", sc_dir),
                          model=os.path.relpath(ROOT / "models" / "va-hypothetical-stipend-1500.yaml", sc_dir))
    monkeypatch.chdir(tmp_path)
    sc = load_scenario(path)
    assert sc.data.resolve() == (ROOT / "data" / "sample").resolve()
    assert sc.contract.stipend_per_course == 1500


def test_scenario_from_dict_resolves_against_base_dir():
    sc = scenario_from_dict({"name": "x", "description": "d", "data": "data/sample"}, base_dir=ROOT)
    assert sc.data == ROOT / "data" / "sample" and sc.label == "scenario x"


def test_displace_defaults_to_whether_positions_are_patched(tiny_data, tmp_path):
    cut = {"kind": "set", "table": "positions", "where": {"level": "high"}, "set": {"positions": 1}}
    other = {"kind": "set", "table": "sites", "where": {"site_id": "S2"}, "set": {"status": "closed"}}
    assert load_scenario(write_scenario(tmp_path, "a", tiny_data, patches=[cut])).scenario.displaces()
    assert not load_scenario(write_scenario(tmp_path, "b", tiny_data, patches=[other])).scenario.displaces()
    assert not load_scenario(write_scenario(tmp_path, "c", tiny_data, patches=[cut], displace=False)).scenario.displaces()
    assert load_scenario(write_scenario(tmp_path, "d", tiny_data, displace=True)).scenario.displaces()


def test_unknown_key_names_the_key_and_the_known_ones(tiny_data, tmp_path):
    path = write_scenario(tmp_path, "s", tiny_data, colour="blue", solve={"time_limit": 5, "sed": 1})
    assert problems(path) == [
        f"{path}, key colour: expected no such key (unknown key; known keys here: name, description, data, model, "
        "model_overrides, previous, displace, solve, tables, patches)",
        f"{path}, key solve.sed: expected no such key (unknown key; known keys here: time_limit, seed, method, strict)",
    ]


def test_unknown_key_inside_a_patch(tiny_data, tmp_path):
    path = write_scenario(tmp_path, "s", tiny_data, patches=[
        {"kind": "drop", "table": "sites", "where": {"site_id": "S2"}, "wehre": {}}])
    assert problems(path) == [
        f"{path}, key patches.0.wehre: expected no such key (unknown key; known keys here: kind, table, where, set, "
        "column, factor, rounding, rows, allow_empty, note)"]


def test_bad_patch_kind(tiny_data, tmp_path):
    path = write_scenario(tmp_path, "s", tiny_data, patches=[
        {"kind": "drop", "table": "sites", "where": {"site_id": "S2"}},
        {"kind": "rename", "table": "sites"},
        {"table": "sites"}])
    assert problems(path) == [
        f"{path}, key patches.1.kind: got 'rename', expected a patch kind: one of set, scale, add, drop",
        f"{path}, key patches.2.kind: expected a patch kind (missing): one of set, scale, add, drop"]


def test_unknown_table(tiny_data, tmp_path):
    path = write_scenario(tmp_path, "s", tiny_data, patches=[
        {"kind": "set", "table": "site", "where": {"site_id": "S2"}, "set": {"status": "closed"}}])
    assert problems(path) == [
        f"{path}, key patches.0.table: got 'site', expected an input table: one of schools, regions, sites, rooms, "
        "teachers, courses, demand, periods, iep_meetings, sped_students, positions, locks, matrix"]


def test_missing_base_folder_and_model_file(tmp_path):
    path = write_scenario(tmp_path / "sc", "s", "../nowhere", model="../no-model.yaml")
    assert problems(path) == [
        f"{path}, key data: got '../nowhere', expected a base data folder or .xlsx workbook, relative to the scenario "
        f"file's folder (not found: {tmp_path / 'nowhere'})",
        f"{path}, key model: got '../no-model.yaml', expected a contract model YAML file, relative to the scenario "
        f"file's folder (not found: {tmp_path / 'no-model.yaml'})"]


def test_a_missing_base_folder_and_a_bad_override_are_said_in_one_run(tmp_path):
    """The overrides were checked only once the paths were right: two runs to see two problems."""
    path = write_scenario(tmp_path / "sc", "s", "../nowhere", model_overrides={"caseload_cap": -5, "no_such_key": 1})
    got = problems(path)
    assert got[0].startswith(f"{path}, key data: got '../nowhere', expected a base data folder")
    assert [line.split(":")[0] for line in got[1:]] == [f"{path}, key model_overrides.caseload_cap",
                                                       f"{path}, key model_overrides.no_such_key"]


def test_unknown_columns_and_values_a_column_cannot_hold(tiny_data, tmp_path):
    path = write_scenario(tmp_path, "s", tiny_data, patches=[
        {"kind": "set", "table": "sites", "where": {"site_idx": "S2", "priority_site": "maybe"}, "set": {"statu": "x"}},
        {"kind": "scale", "table": "demand", "where": {"grade": "Z"}, "column": "studentz", "factor": 2}])
    assert problems(path) == [
        f"{path}, key patches.0.set: got 'statu', expected a column of sites.csv: site_id, name, region_id, "
        "priority_site, status",
        f"{path}, key patches.0.where: got 'site_idx', expected a column of sites.csv: site_id, name, region_id, "
        "priority_site, status",
        f"{path}, key patches.0.where.priority_site: got 'maybe', expected true or false",
        f"{path}, key patches.1.column: got 'studentz', expected a column of demand.csv: school_id, course_id, grade, "
        "students",
        f"{path}, key patches.1.where.grade: got 'Z', expected a grade: UTK, TK, K or 1..12 (UTK=-2, TK=-1, K=0)"]


def test_a_patch_failing_its_schema_has_its_columns_checked_in_the_same_run(tiny_data, tmp_path):
    """A negative factor hid the unknown column and the bad where-value: three runs for one patch (a scenario fuzz).
    A patch whose own table is wrong is not looked into."""
    path = write_scenario(tmp_path, "s", tiny_data, patches=[
        {"kind": "scale", "table": "demand", "where": {"grade": "Z"}, "column": "pupils", "factor": -2},
        {"kind": "scale", "table": "staff", "column": "pupils", "factor": 2}])
    assert problems(path) == [
        f"{path}, key patches.0.column: got 'pupils', expected a column of demand.csv: school_id, course_id, grade, "
        "students",
        f"{path}, key patches.0.factor: got '-2', expected a number >= 0",
        f"{path}, key patches.0.where.grade: got 'Z', expected a grade: UTK, TK, K or 1..12 (UTK=-2, TK=-1, K=0)",
        f"{path}, key patches.1.table: got 'staff', expected an input table: one of schools, regions, sites, rooms, "
        "teachers, courses, demand, periods, iep_meetings, sped_students, positions, locks, matrix"]


def test_an_extra_column_of_the_base_file_may_be_patched(tiny_data, tmp_path):
    demand = tiny_data / "demand.csv"
    lines = demand.read_text().splitlines()
    demand.write_text("\n".join([lines[0] + ",source"] + [line + ",projection" for line in lines[1:]]) + "\n")
    path = write_scenario(tmp_path, "s", tiny_data, patches=[
        {"kind": "set", "table": "demand", "where": {"source": "projection"}, "set": {"source": "2026"}}])
    assert load_scenario(path).scenario.patches[0].where == {"source": "projection"}


def test_bad_values_name_their_key(tiny_data, tmp_path):
    path = write_scenario(tmp_path, "bad name", tiny_data, solve={"time_limit": 0},
                          patches=[{"kind": "scale", "table": "demand", "column": "students", "factor": -1}])
    assert problems(path) == [
        f"{path}, key name: got 'bad name', expected a name of letters, digits, '.', '_' or '-', "
        "starting with a letter or digit (it names the run folder)",
        f"{path}, key patches.0.factor: got '-1', expected a number >= 0",
        f"{path}, key solve.time_limit: got '0', expected a number > 0"]


def test_not_a_mapping_duplicate_keys_and_bad_yaml(tmp_path):
    cases = {"list.yaml": "- a\n", "twice.yaml": "name: a\nname: b\n", "broken.yaml": "name: [a\n"}
    for file, text in cases.items():
        (tmp_path / file).write_text(text)
    assert problems(tmp_path / "list.yaml") == [
        f"{tmp_path / 'list.yaml'}: expected a YAML mapping of scenario keys (name, description, data, ...)"]
    assert problems(tmp_path / "twice.yaml") == [
        f"{tmp_path / 'twice.yaml'}, key name: expected each key once in its mapping (found on lines 1 and 2)"]
    assert problems(tmp_path / "broken.yaml")[0].startswith(f"{tmp_path / 'broken.yaml'}: expected valid YAML (line 2")
    assert problems(tmp_path / "absent.yaml") == [f"{tmp_path / 'absent.yaml'}: expected a scenario YAML file (file not found)"]


def test_a_where_value_of_no_form_is_one_line_without_the_forms_pydantic_tried(tiny_data, tmp_path):
    """`where: {teacher_id: [[E1]]}` was 8 lines, one per form tried, each with pydantic's inner type names."""
    path = write_scenario(tmp_path, "nested", tiny_data, patches=[
        {"kind": "set", "table": "teachers", "where": {"teacher_id": [["E1"]], "school_id": {"a": 1}},
         "set": {"name": "x"}}])
    assert problems(path) == [
        f"{path}, key patches.0.where.school_id: got \"{{'a': 1}}\", expected a cell value (text, a number, true or "
        "false, a date), or a list of them",
        f"{path}, key patches.0.where.teacher_id: got \"[['E1']]\", expected a cell value (text, a number, true or "
        "false, a date), or a list of them"]


def test_a_file_with_bad_keys_also_names_its_missing_files_and_bad_overrides_at_once(tmp_path):
    """The files a scenario names and its model_overrides were checked only once every key had a valid type: a
    user fixed a file in three runs (the types, then the paths, then the overrides)."""
    path = write_scenario(tmp_path, "bad", tmp_path / "nowhere", previous="gone", tables={"matrix": "m.csv"},
                          model_overrides={"nosuchkey": 3}, solve={"seed": -1})
    assert problems(path) == [
        f"{path}, key data: got '{tmp_path / 'nowhere'}', expected a base data folder or .xlsx workbook, relative to "
        f"the scenario file's folder (not found: {tmp_path / 'nowhere'})",
        f"{path}, key model_overrides.nosuchkey: expected a key of the contract model (no key 'nosuchkey' in it; use a "
        "key name such as stipend_per_course, or a dotted path such as courses.stipend_per_course.value)",
        f"{path}, key previous: got 'gone', expected a plan folder, relative to the scenario file's folder (not found: "
        f"{tmp_path / 'gone'})",
        f"{path}, key solve.seed: got '-1', expected a number >= 0",
        f"{path}, key tables.matrix: got 'm.csv', expected a CSV file, relative to the scenario file's folder (not "
        f"found: {tmp_path / 'm.csv'})"]


def test_scale_factor_seed_and_time_limit_are_bounded(tiny_data, tmp_path):
    path = write_scenario(tmp_path, "big", tiny_data, solve={"time_limit": 1e9, "seed": 2**40},
                          patches=[{"kind": "scale", "table": "demand", "column": "students", "factor": 1e6}])
    assert problems(path) == [
        f"{path}, key patches.0.factor: got '1000000.0', expected a number <= 1,000",
        f"{path}, key solve.seed: got '1099511627776', expected a number <= 2,147,483,647",
        f"{path}, key solve.time_limit: got '1000000000.0', expected a number <= 86,400"]


def test_a_table_the_scenario_brings_must_be_an_input_table_and_a_readable_csv_file(tiny_data, tmp_path):
    (tmp_path / "ragged.csv").write_text("teacher_id,rank,grade,course_id,level\nE1,1,1,,,extra\n")
    path = write_scenario(tmp_path, "s", tiny_data, tables={"teacher": "t.csv", "matrix": "mine/matrix.csv"})
    missing = (f"{path}, key tables.matrix: got 'mine/matrix.csv', expected a CSV file, relative to the scenario "
               f"file's folder (not found: {tmp_path / 'mine' / 'matrix.csv'})")
    assert problems(path) == [
        missing,  # said with the unknown table, not after it is fixed
        f"{path}, key tables.teacher: got 'teacher', expected an input table: one of schools, regions, sites, rooms, "
        "teachers, courses, demand, periods, iep_meetings, sped_students, positions, locks, matrix"]
    path = write_scenario(tmp_path, "s", tiny_data, tables={"matrix": "mine/matrix.csv"})
    assert problems(path) == [missing]
    path = write_scenario(tmp_path, "s", tiny_data, tables={"matrix": "ragged.csv"})
    assert problems(path) == ["ragged.csv, row 2: expected at most 5 cells, one per header column (this row has 6; a "
                              "cell holding a comma needs quotes)"]


def test_patches_of_a_table_the_scenario_brings_name_its_columns(tiny_data, tmp_path):
    (tmp_path / "m.csv").write_text("teacher_id,rank,grade,course_id,level,why\nE1,1,1,,,closer to home\n")
    bump = {"kind": "set", "table": "matrix", "where": {"why": "closer to home"}, "set": {"rank": 1}}
    assert load_scenario(write_scenario(tmp_path, "s", tiny_data, tables={"matrix": "m.csv"}, patches=[bump]))
    path = write_scenario(tmp_path, "s", tiny_data, patches=[bump])  # the base data has no matrix.csv
    assert problems(path) == [
        f"{path}, key patches.0.where: got 'why', expected a column of matrix.csv: teacher_id, rank, grade, course_id, "
        "level"]


def test_a_flag_is_true_or_false_not_a_text_that_looks_like_one(tiny_data, tmp_path):
    """A quoted "yes" is a text: pydantic alone would read it (and "on", "1", 1) as true."""
    path = write_scenario(tmp_path, "s", tiny_data, displace="yes", solve={"strict": 1},
                          patches=[{"kind": "set", "table": "sites", "where": {}, "set": {"status": "open"},
                                    "allow_empty": "on"}])
    assert sorted(problems(path)) == [f"{path}, key displace: got 'yes', expected true or false",
                                      f"{path}, key patches.0.allow_empty: got 'on', expected true or false",
                                      f"{path}, key solve.strict: got '1', expected true or false"]


def test_a_folder_given_for_a_table_says_it_is_a_folder(tmp_path):
    """An audit read "not found" for a table that was there, as a folder."""
    (tmp_path / "m").mkdir()
    path = write_scenario(tmp_path, "folder", tmp_path, tables={"matrix": "m"})
    assert problems(path)[-1] == (f"{path}, key tables.matrix: got 'm', expected a CSV file, relative to the scenario "
                                  f"file's folder (got a folder: {tmp_path / 'm'})")


def test_values_a_set_or_add_would_write_are_checked_at_load(tiny_data, tmp_path):
    """A `stipend_consent: maybe` was found only when the scenario ran (exit 1, its error.txt): it is said at load, by
    key, with every other problem; the text written is what is checked (7 is a grade, `true` a boolean, blank left to
    the data)."""
    path = write_scenario(tmp_path, "s", tiny_data, patches=[
        {"kind": "set", "table": "teachers", "where": {"teacher_id": "E1"},
         "set": {"grade_max": 7, "stipend_consent": "maybe", "name": 123, "current_site_id": ""}},
        {"kind": "add", "table": "rooms", "rows": [{"room_id": "RX", "site_id": "S1", "kind": "hall", "capacity": 3},
                                                   {"room_id": "RY", "site_id": "S1", "kind": "shared",
                                                    "capacity": 5000, "partitions": True}]}])
    assert problems(path) == [
        f"{path}, key patches.0.set.stipend_consent: got 'maybe', expected true or false",
        f"{path}, key patches.1.rows.0.kind: got 'hall', expected one of classroom, shared",
        f"{path}, key patches.1.rows.1.capacity: got '5000', expected a whole number from 1 to 1,000"]
