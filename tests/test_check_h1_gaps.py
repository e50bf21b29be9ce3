"""Two gaps of the independent checker, closed.

1. The sites a teacher "may be given" (check/site_locks.py `owed_a_place`) honour A26's region, not only site locks:
   the place a `forbid home` lock gives a closed site's teacher while every site they may be given is full counts as
   a locked one (A24), and a closed site's `site` chooser kept home is owed no free place outside that region (A19).
   The district: tiny (tests/conftest.py; R1 at 0 km, R2 20 km south, R3 further) with closed site C1 in R1, whose
   teacher H2 (2010) has `forbid home`; H1 (2001, the most senior) asked for S1, R1's one-place site.
2. A displacement.csv without the X-time columns (an older plan's) is named once (A12), not read as X-time 0 for
   every teacher moved level; a wrong amount with the columns there is still one finding per teacher.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from displace_fixtures import three_levels
from tests.conftest import tiny_tables, write_tables
from vastaff.check.runner import run_checks
from vastaff.cli import app
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan

CONTRACT = load_contract()
PEOPLE = ("A16", "A19", "A24", "A25", "A26", "LOCK")


def site(sid: str, region: str, status: str = "open") -> dict:
    return {"site_id": sid, "name": f"Site {sid}", "region_id": region, "priority_site": "false", "status": status}


def room(rid: str, sid: str) -> dict:
    return {"room_id": rid, "site_id": sid, "kind": "classroom", "capacity": 1, "partitions": "false"}


def lock(lid: str, teacher: str, mode: str, where: str) -> dict:
    return {"lock_id": lid, "teacher_id": teacher, "mode": mode, "course_id": "", "semester": "", "period_id": "",
            "site_id": where, "room_id": "", "meeting_id": "", "reason": ""}


def district(sites: list[str], locks: list[dict], h2_chooses: str = "either") -> dict:
    """Open sites of `sites` ("S1", "S2", "S3", "S4"), one classroom each, beside closed C1 (R1). S1 and S3 are in R1,
    S2 in R2 (20 km), S4 in R3 (50 km). H2 of C1 (home R1), H1 asks for S1, everyone else works from home."""
    where = {"S1": "R1", "S2": "R2", "S3": "R1", "S4": "R3"}
    t = tiny_tables()
    t["regions"] = t["regions"] + [{"region_id": "R3", "name": "Far", "x_km": 0, "y_km": -50}]
    t["sites"] = [site("C1", "R1", "closed")] + [site(s, where[s]) for s in sites]
    t["rooms"] = [room("C1-101", "C1")] + [room(f"{s}-101", s) for s in sites]
    places = {"E1": ("", "home", ""), "H1": ("", "either", "S1"), "H2": ("C1", h2_chooses, "")}
    for row in t["teachers"]:
        current, chooses, asks = places.get(row["teacher_id"], ("", row["work_location"], ""))
        row.update(current_site_id=current, work_location=chooses, requested_site_ids=asks, home_region_id="R1")
    t["locks"] = locks
    return t


FORBID_HOME = lock("L1", "H2", "forbid", "home")
NOT_S3 = lock("L2", "H2", "forbid", "S3")
NOT_S2 = lock("L2", "H2", "forbid", "S2")


def solve(tmp: Path, tables: dict) -> Path:
    data, out = write_tables(tmp / "data", tables), tmp / "plan"
    result = CliRunner().invoke(app, ["solve", str(data), "--out", str(out), "--no-report", "--store", "off"])
    assert result.exit_code == 0, result.output
    return out


def placed(plan: Path) -> dict[str, str | None]:
    t = pd.read_csv(plan / "teachers.csv", dtype=str)
    return {tid: None if pd.isna(s) else s for tid, s in zip(t["teacher_id"], t["site_id"])}


def moved(plan: Path, to: Path, **where: str | None) -> Path:
    """A copy of the plan folder with teachers placed by hand (`H2="S2"`; None: at home), in each site's one room."""
    shutil.copytree(plan, to)
    t = pd.read_csv(to / "teachers.csv", dtype=str, keep_default_na=False)
    for tid, s in where.items():
        t.loc[t["teacher_id"] == tid, ["work_location", "site_id", "room_id"]] = (
            ["site", s, f"{s}-101"] if s else ["home", "", ""])
    t.to_csv(to / "teachers.csv", index=False)
    return to


def people_findings(tmp: Path, tables: dict, plan: Path) -> list[str]:
    district_ = load_district(write_tables(tmp / "check-data", tables), CONTRACT)
    report = run_checks(district_, load_plan(plan), CONTRACT)
    return [str(v) for v in report.violations if v.rule in PEOPLE]


# ----------------------------------------------------------------------------------------------
# Item 1: A26's region in the sites a teacher may be given


def test_every_site_of_the_region_full_and_a_free_place_elsewhere_is_no_gap(tmp_path):
    """S1, R1's one open site, goes to H1; S2 in R2 is free: A26 gives H2 the nearest region with a free place, the
    optimizer seats H2 there (no escalation), and the plan checks OK."""
    tables = district(["S1", "S2"], [FORBID_HOME])
    plan = solve(tmp_path, tables)
    assert {t: placed(plan)[t] for t in ("H1", "H2")} == {"H1": "S1", "H2": "S2"}
    assert people_findings(tmp_path, tables, plan) == []


@pytest.fixture(scope="module")
def escalated(tmp_path_factory) -> Path:
    """The plan `forbid home` stands for when every site H2 may be given is full: H2 at the first site on their list,
    S1, before anyone (docs/decisions.md: as `require S1` does). Made by `solve` with `require S1` in its place."""
    tmp = tmp_path_factory.mktemp("escalated")
    plan = solve(tmp, district(["S1", "S2", "S3"], [lock("L1", "H2", "require", "S1"), NOT_S3]))
    assert {t: placed(plan)[t] for t in ("H1", "H2")} == {"H1": None, "H2": "S1"}
    return plan


def test_forbid_home_with_the_a26_region_full_to_the_teacher_is_a_locked_place(tmp_path, escalated):
    """R1 keeps a free place at S3, which L2 keeps H2 from; S2 (R2) is free but outside H2's A26 region while R1 has
    room. Every site H2 may be given is full to them, so S1 is L1's place, not a move into the site H1 asked for
    (the checker once read site locks only and called it an A24 move)."""
    tables = district(["S1", "S2", "S3"], [FORBID_HOME, NOT_S3])
    assert people_findings(tmp_path, tables, escalated) == []


def test_the_teacher_moved_to_a_wrong_site_is_still_caught(tmp_path, escalated):
    """The same plan with H2 at S2: outside A26's region (R1 has a free place), S1, which H1 asked for, left free; with
    H2 at S3, the site L2 keeps them from: LOCK."""
    tables = district(["S1", "S2", "S3"], [FORBID_HOME, NOT_S3])
    wrong = moved(escalated, tmp_path / "wrong", H2="S2")
    assert people_findings(tmp_path, tables, wrong) == [
        "A24: teacher H1 listed site S1 as request 1, above what they got (home) while S1 has 1 free place(s)",
        "A26: teacher H2 of closed site C1 (region R1) is placed at S2 in region R2, while region R1 of that site "
        "still has a free place"]
    at_s3 = moved(escalated, tmp_path / "s3", H2="S3", H1="S1")
    assert people_findings(tmp_path, tables, at_s3) == [
        "LOCK: lock L2 (forbid): teacher H2 must not work at site S3, but the plan has them at site S3 in room S3-101"]


def test_a_free_place_in_the_a26_region_still_makes_the_escalated_place_a_move(tmp_path, escalated):
    """Without S3, R1 is full, so A26 gives H2 R2, whose S2 is free: H2 at S1 took the site H1 asked for (A24)."""
    tables = district(["S1", "S2"], [FORBID_HOME])
    assert people_findings(tmp_path, tables, escalated) == [
        "A24: teacher H2 (seniority 2010-03-01, tiebreak 2) moved into site S1, which more senior teacher H1 "
        "(seniority 2001-01-10, tiebreak 1) listed as request 1, above what they got (home)"]


def test_the_nearest_region_with_a_free_place_is_the_one_a26_gives(tmp_path, escalated):
    """R1 full; R2 (20 km) has a free place only at S2, which L2 keeps H2 from; R3 (50 km) has a free S4. A26 gives
    H2 R2, not R3: every site H2 may be given is full, S1 is L1's place. Without L2, S2 is owed: a move (A24)."""
    plan = moved(escalated, tmp_path / "plan")
    assert people_findings(tmp_path, district(["S1", "S2", "S4"], [FORBID_HOME, NOT_S2]), plan) == []
    assert [f[:40] for f in people_findings(tmp_path, district(["S1", "S2", "S4"], [FORBID_HOME]), plan)] == [
        "A24: teacher H2 (seniority 2010-03-01, t"]


def test_a_site_chooser_of_a_closed_site_is_owed_no_place_outside_the_a26_region(tmp_path, escalated):
    """H2 chose site, has no lock of home and works from home: R1's free place is S3, which L2 keeps them from, and
    S2 (R2) is outside their A26 region — a shortfall, not A19. Without L2, S3 is owed (A19)."""
    plan = moved(escalated, tmp_path / "plan", H2=None, H1="S1")
    assert people_findings(tmp_path, district(["S1", "S2", "S3"], [NOT_S3], h2_chooses="site"), plan) == []
    assert people_findings(tmp_path, district(["S1", "S2", "S3"], [], h2_chooses="site"), plan) == [
        "A19: teacher H2 chose to work on site but works from home while room S2-101 at site S2 has 1 free place(s) "
        "(and 1 more room(s))"]


# ----------------------------------------------------------------------------------------------
# Item 2: displacement.csv without its X-time columns


@pytest.fixture(scope="module")
def displaced(tmp_path_factory) -> tuple[Path, Path]:
    """(data, plan) of `vastaff displace` where H3 and H4 move from high to middle (12 h, $720 each)."""
    tmp = tmp_path_factory.mktemp("displaced")
    tables = three_levels()
    for r in tables["teachers"]:
        if r["teacher_id"] == "H3":
            r.update(credentials="english;math", grade_min="6")
    tables["positions"] = [{**p, "positions": 4} if p["level"] == "middle" else p for p in tables["positions"]]
    data, out = write_tables(tmp / "data", tables), tmp / "plan"
    result = CliRunner().invoke(app, ["displace", str(data), "--out", str(out), "--store", "off"])
    assert result.exit_code == 0, result.output
    d = pd.read_csv(out / "displacement.csv", dtype=str)
    assert sorted(d.loc[d["outcome"] == "moved_level", "teacher_id"]) == ["H3", "H4"]
    return data, out


def edited(plan: Path, to: Path, drop: tuple[str, ...] = (), **hours_of: float) -> Path:
    """A copy of the displacement plan without the columns `drop`, X-time hours (and their cost) set per teacher."""
    shutil.copytree(plan, to)
    d = pd.read_csv(to / "displacement.csv", dtype=str, keep_default_na=False)
    for tid, h in hours_of.items():
        d.loc[d["teacher_id"] == tid, ["xtime_hours", "xtime_cost"]] = [str(h), str(h * 60)]
    d.drop(columns=list(drop)).to_csv(to / "displacement.csv", index=False)
    return to


def check(data: Path, plan: Path) -> tuple[int, list[tuple[str, str, list[str]]]]:
    found_csv = plan.with_name(plan.name + "-found.csv")  # outside the plan folder, which displace owns
    result = CliRunner().invoke(app, ["check", str(data), str(plan), "--csv", str(found_csv)])
    assert result.exit_code in (0, 1), result.output
    found = pd.read_csv(found_csv, dtype=str, keep_default_na=False)
    return result.exit_code, [(r, m, rows.split(";")) for r, m, rows in zip(found["rule"], found["message"],
                                                                           found["rows"])]


def test_the_file_displace_writes_checks_ok(displaced, tmp_path):
    data, plan = displaced
    assert check(data, edited(plan, tmp_path / "plan")) == (0, [])


def test_a_file_without_the_xtime_columns_is_named_once(displaced, tmp_path):
    """An older plan's displacement.csv: one A12 finding naming the columns and the teachers moved level it could
    not verify (it was one per teacher, "has xtime_hours 0", as if the plan had underpaid each)."""
    data, plan = displaced
    older = edited(plan, tmp_path / "older", drop=("xtime_hours", "xtime_cost"))
    assert check(data, older) == (1, [(
        "A12", "displacement.csv has no xtime_hours or xtime_cost column (a file of the format before A12 on "
               "displacement): the X-time owed to the 2 teacher(s) moved level (12 h, $720.00 each) is not stated, so "
               "it cannot be checked: H3, H4", ["displacement.csv:H3", "displacement.csv:H4"])])


def test_a_file_without_the_xtime_columns_and_nobody_moved_level_owes_nothing(tmp_path):
    tables = three_levels()
    tables["positions"] = [{**p, "positions": 9} for p in tables["positions"]]
    data, out = write_tables(tmp_path / "data", tables), tmp_path / "plan"
    assert CliRunner().invoke(app, ["displace", str(data), "--out", str(out), "--store", "off"]).exit_code == 0
    assert check(data, edited(out, tmp_path / "older", drop=("xtime_hours", "xtime_cost"))) == (0, [])


def test_wrong_xtime_with_the_columns_there_is_one_finding_per_teacher(displaced, tmp_path):
    data, plan = displaced
    code, found = check(data, edited(plan, tmp_path / "unpaid", H3=0.0, H4=0.0, E1=12.0))
    assert code == 1 and found == [
        ("A12", "teacher E1 (retained) has xtime_hours 12 and xtime_cost 720.00 in displacement.csv; expected 0 h and "
                "0.00", ["displacement.csv:E1"]),
        ("A12", "teacher H3 (moved_level) has xtime_hours 0 and xtime_cost 0.00 in displacement.csv; expected 12 h "
                "and 720.00 (a teacher moved level switches courses)", ["displacement.csv:H3"]),
        ("A12", "teacher H4 (moved_level) has xtime_hours 0 and xtime_cost 0.00 in displacement.csv; expected 12 h "
                "and 720.00 (a teacher moved level switches courses)", ["displacement.csv:H4"])]


def test_one_column_missing_the_other_still_compared(displaced, tmp_path):
    """Without xtime_cost, H3's 0 hours is a breach of the column there (per teacher); the missing column is named
    once."""
    data, plan = displaced
    code, found = check(data, edited(plan, tmp_path / "half", drop=("xtime_cost",), H3=0.0))
    assert code == 1 and [(rule, message[:60]) for rule, message, _ in found] == [
        ("A12", "displacement.csv has no xtime_cost column (a file of the for"),
        ("A12", "teacher H3 (moved_level) has xtime_hours 0 in displacement.c")]
    assert found[1][1].endswith("expected 12 h (a teacher moved level switches courses)")


def test_a_workbook_plan_without_the_xtime_columns_is_named_once(displaced, tmp_path):
    """The same reading for a plan given as one .xlsx workbook (a sheet per plan file)."""
    data, plan = displaced
    d = pd.read_csv(plan / "displacement.csv", dtype=str, keep_default_na=False)
    book = tmp_path / "older.xlsx"
    with pd.ExcelWriter(book) as writer:
        d.drop(columns=["xtime_hours", "xtime_cost"]).to_excel(writer, sheet_name="displacement", index=False)
    result = CliRunner().invoke(app, ["check", str(data), str(book), "--csv", str(tmp_path / "found.csv")])
    found = pd.read_csv(tmp_path / "found.csv", dtype=str)
    assert result.exit_code == 1 and list(found["rule"]) == ["A12"]
    assert found["message"][0].startswith("displacement.csv has no xtime_hours or xtime_cost column")
