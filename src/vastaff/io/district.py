"""`load_district(path)`: a data folder (or workbook) -> one validated District, or InputError with every problem."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from vastaff.contract import ContractModel, load_contract
from vastaff.district import District
from vastaff.errors import InputError, InputProblem
from vastaff.io.tables import ROW, TableSource, empty_frame, validate_rows
from vastaff.schemas.fields import HOMEROOM
from vastaff.schemas.inputs import INPUT_TABLES, OPTIONAL_COLUMNS


def load_district(
    path: str | Path,
    contract: ContractModel | None = None,
    previous: str | Path | None = None,
) -> District:
    """Read and validate a data folder of CSV files or one .xlsx workbook (SPEC "Input").

    `previous` (a plan folder) wins over `DATA/previous/`. Raises InputError listing every problem.
    """
    contract = contract or load_contract()
    source = TableSource.open(path)
    if not source.exists():
        raise InputError([InputProblem(str(path), expected="a data folder of CSV files or an .xlsx workbook (not found)")])
    tables, problems = _read_tables(source)
    if not problems or all(p.row is not None and p.row > 1 for p in problems):
        problems += _cross_checks(tables, source, contract)
    plan = None
    prev_path = Path(previous) if previous else (Path(path) / "previous" if Path(path).is_dir() else None)
    if previous or (prev_path and prev_path.is_dir()):
        from vastaff.io.plan import load_plan

        try:
            plan = load_plan(prev_path, label_prefix="previous/")
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return District(
        **{name: tables[name].reset_index(drop=True) for name in INPUT_TABLES},
        has_positions=source.has("positions"),
        previous=plan,
        path=str(path),
        input_sha256=source.digest.hexdigest(),
    )


def _read_tables(source: TableSource) -> tuple[dict[str, pd.DataFrame], list[InputProblem]]:
    tables: dict[str, pd.DataFrame] = {}
    problems: list[InputProblem] = []
    for name, (schema, required) in INPUT_TABLES.items():
        label = source.label(name)
        if not source.has(name):
            if required:
                what = "a sheet" if source.sheets is not None else "a file"
                problems.append(InputProblem(label, expected=f"{what} named {name} (missing)"))
            tables[name] = empty_frame(schema)
            continue
        optional = {c for t, c in OPTIONAL_COLUMNS if t == name}
        typed, found = validate_rows(source.read(name), schema, label, optional)
        tables[name] = _with_dtypes(typed)
        problems += found
    return tables, problems


def _with_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    for col in ("seniority_date", "date"):
        if col in frame.columns:
            frame[col] = pd.to_datetime(frame[col])
    for col in ("seniority_tiebreak", "grade_min", "grade_max", "grade", "students", "order", "capacity", "positions", ROW):
        if col in frame.columns:
            frame[col] = frame[col].astype("int64")
    for col in ("priority_site", "partitions", "stipend_consent"):
        if col in frame.columns:
            frame[col] = frame[col].astype(bool)
    return frame


# ----------------------------------------------------------------------------------------------
# Cross-table checks: duplicates and dangling references, all vectorised.


def _cross_checks(t: dict[str, pd.DataFrame], source: TableSource, contract: ContractModel) -> list[InputProblem]:
    L = source.label
    p: list[InputProblem] = []
    for name, keys in [
        ("schools", ["school_id"]), ("regions", ["region_id"]), ("sites", ["site_id"]), ("rooms", ["room_id"]),
        ("teachers", ["teacher_id"]), ("courses", ["course_id"]), ("demand", ["course_id", "grade"]),
        ("periods", ["school_id", "period_id"]), ("iep_meetings", ["meeting_id"]),
        ("sped_students", ["student_id"]), ("positions", ["school_id", "level", "department"]),
    ]:
        p += duplicates(t[name], keys, L(name))

    schools, regions, sites = set(t["schools"].school_id), set(t["regions"].region_id), set(t["sites"].site_id)
    teachers = set(t["teachers"].teacher_id)
    refs = [
        ("schools", "region_id", regions, "a region_id listed in regions.csv"),
        ("sites", "region_id", regions, "a region_id listed in regions.csv"),
        ("rooms", "site_id", sites, "a site_id listed in sites.csv"),
        ("teachers", "school_id", schools, "a school_id listed in schools.csv"),
        ("teachers", "home_region_id", regions, "a region_id listed in regions.csv"),
        ("teachers", "current_site_id", sites, "a site_id listed in sites.csv (or blank)"),
        ("teachers", "requested_site_ids", sites, "site_ids listed in sites.csv"),
        ("courses", "school_id", schools, "a school_id listed in schools.csv"),
        ("demand", "school_id", schools, "a school_id listed in schools.csv"),
        ("demand", "course_id", set(t["courses"].course_id), "a course_id listed in courses.csv"),
        ("periods", "school_id", schools, "a school_id listed in schools.csv"),
        ("iep_meetings", "school_id", schools, "a school_id listed in schools.csv"),
        ("iep_meetings", "eligible_teacher_ids", teachers, "teacher_ids listed in teachers.csv"),
        ("sped_students", "school_id", schools, "a school_id listed in schools.csv"),
        ("positions", "school_id", schools, "a school_id listed in schools.csv"),
    ]
    for name, column, valid, expected in refs:
        p += dangling(t[name], column, valid, L(name), expected)

    p += _level_offered(t, L)
    p += _grade_ranges(t, L, contract)
    p += _rule_of_rows(t["periods"], t["periods"].period_id.str.lower() == HOMEROOM, L("periods"), "period_id",
                       "a period_id other than 'homeroom' (reserved for elementary homerooms)")
    ieps = t["iep_meetings"]
    p += _rule_of_rows(ieps, ieps.end <= ieps.start, L("iep_meetings"), "end", "an end time after start")
    sites_df = t["sites"]
    p += _rule_of_rows(sites_df, sites_df.priority_site & (sites_df.status != "open"), L("sites"), "status",
                       "open for a priority site (Article 11.0)")
    return p


def duplicates(frame: pd.DataFrame, keys: list[str], label: str) -> list[InputProblem]:
    """One problem per repeated key, naming the row where it first appeared."""
    if frame.empty:
        return []
    dup = frame.duplicated(keys, keep=False)
    if not dup.any():
        return []
    rows = frame[dup]
    first = rows.groupby(keys, sort=False)[ROW].transform("min")
    later = rows[rows[ROW] != first]
    col = keys[-1] if len(keys) > 1 else keys[0]
    what = "a unique " + " + ".join(keys)
    return [
        InputProblem(label, int(r[ROW]), col, ":".join(str(r[k]) for k in keys), f"{what} (already on row {int(f)})")
        for (_, r), f in zip(later.iterrows(), first[rows[ROW] != first])
    ]


def dangling(frame: pd.DataFrame, column: str, valid: set, label: str, expected: str) -> list[InputProblem]:
    """Rows whose reference (or any item of a ';'-list) is not among `valid`."""
    if frame.empty:
        return []
    values = frame[[column, ROW]].explode(column).dropna(subset=[column])
    bad = values[~values[column].isin(valid)]
    return [InputProblem(label, int(r), column, str(v), expected) for v, r in zip(bad[column], bad[ROW])]


def _rule_of_rows(frame: pd.DataFrame, mask: pd.Series, label: str, column: str, expected: str) -> list[InputProblem]:
    bad = frame[mask]
    return [InputProblem(label, int(r), column, str(v), expected) for v, r in zip(bad[column], bad[ROW])]


def _level_offered(t: dict[str, pd.DataFrame], L) -> list[InputProblem]:
    """A teacher's, course's or position's level must be one the school offers."""
    offered = t["schools"][["school_id", "levels"]].explode("levels").rename(columns={"levels": "level"})
    pairs = set(zip(offered.school_id, offered.level))
    known = set(t["schools"].school_id)
    out = []
    for name in ("teachers", "courses", "positions"):
        f = t[name]
        if f.empty:
            continue
        mask = [(s in known) and ((s, lv) not in pairs) for s, lv in zip(f.school_id, f.level)]
        out += _rule_of_rows(f, pd.Series(mask, index=f.index), L(name), "level", "a level the school offers (schools.csv levels)")
    return out


def _grade_ranges(t: dict[str, pd.DataFrame], L, contract: ContractModel) -> list[InputProblem]:
    """grade_min <= grade_max; a demand grade lies within its course's level."""
    tt = t["teachers"]
    out = _rule_of_rows(tt, tt.grade_min > tt.grade_max, L("teachers"), "grade_max", "a grade_max at or above grade_min")
    d = t["demand"].merge(t["courses"][["course_id", "level", "school_id"]].rename(columns={"school_id": "course_school"}),
                          on="course_id", how="inner")
    if d.empty:
        return out
    lo = d.level.map(lambda lv: contract.level_grades(lv)[0])
    hi = d.level.map(lambda lv: contract.level_grades(lv)[1])
    out += _rule_of_rows(d, (d.grade < lo) | (d.grade > hi), L("demand"), "grade", "a grade within the course's level")
    out += _rule_of_rows(d, d.school_id != d.course_school, L("demand"), "school_id", "the school_id of the course in courses.csv")
    return out
