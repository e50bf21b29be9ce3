"""A10, A10.1, A11 — seniority displacement (Articles 10.0, 10.0(1), 11.0), on the plan's displacement.csv.

Groups are school, level and department (special_education vs general, Article 9.0(1)); seniority is an
earlier seniority_date, then a lower seniority_tiebreak, then teacher_id (a full tie is broken by ID, as
District.seniority_order does). Checked only when the plan has displacement.csv.

Readings: vacancies come from the data (positions - teachers the data says are retained), so a wrong
retention is reported once, under A10. A teacher eligible for two lower levels may take either; the check is
that nobody is left displaced while a level they were eligible for keeps an open vacancy or took a more junior
teacher. With several open priority sites, the one check/priority_site.py finds (the school's region, else
nearest home); with none, a displaced teacher's site_id stays blank. A displaced teacher's blank to_level and the
`article` column are check/displacement_form.py's.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from vastaff.check.core import MONEY_TOLERANCE, CheckContext, RowRef, cached, finding, fmt_money
from vastaff.check.displacement_form import missing_xtime_columns, xtime_not_stated
from vastaff.check.iep import blank, clean_ids
from vastaff.check.location import seniority_position
from vastaff.check.priority_site import open_priority_sites, reporting_site
from vastaff.rules import Finding

LEVEL_ORDER = {"elementary": 0, "middle": 1, "high": 2}
"""Article 10.0(1) moves go down this order: high -> middle -> elementary."""
GROUP = ["school_id", "level", "department"]


def _applies(ctx: CheckContext) -> bool:
    return ctx.plan.displacement is not None


def _teacher(tid) -> RowRef:
    return RowRef("teachers.csv", str(tid))


def _row(tid) -> RowRef:
    return RowRef("displacement.csv", str(tid))


# ----------------------------------------------------------------------------------------------
# What the data says: group ranks, positions kept, vacancies, who may move where


@cached
def expected_ranks(ctx: CheckContext) -> pd.DataFrame:
    """Every teacher with seniority_rank (1 = most senior in school, level, department) and positions kept."""
    t = ctx.district.teachers.copy()
    t["seniority"] = seniority_position(t)
    t = t.sort_values("seniority")
    t["rank"] = t.groupby(GROUP).cumcount() + 1
    t = t.merge(positions_kept(ctx), on=GROUP, how="left")
    t["keeps_head_count"] = t["positions"].isna()
    t["kept"] = t["positions"].fillna(np.inf)
    t["should_retain"] = t["rank"] <= t["kept"]
    return t.astype({"teacher_id": "string"})


CUT = re.compile(r"([^:]+):(elementary|middle|high):(general|special_education):([0-9]+)")
"""A cut as run.json lists it (`vastaff displace --cut`): school_id:level:department:positions cut."""


@cached
def plan_cuts(ctx: CheckContext) -> tuple[pd.DataFrame, list]:
    """The positions cut on top of positions.csv that the plan was made under (run.json's `cuts`), summed per school,
    level and department; and the entries that are not cuts."""
    listed = ctx.plan.run.get("cuts") if isinstance(ctx.plan.run, dict) else None
    entries = listed if isinstance(listed, list) else []
    found = [CUT.fullmatch(str(e)) for e in entries]
    cuts = pd.DataFrame([(*m.groups()[:3], int(m[4])) for m in found if m], columns=GROUP + ["cut"])
    return cuts.groupby(GROUP, as_index=False)["cut"].sum(), [e for e, m in zip(entries, found) if not m]


@cached
def positions_kept(ctx: CheckContext) -> pd.DataFrame:
    """Positions per school, level and department of positions.csv, less the plan's cuts; a cut department absent from
    positions.csv starts from its head count (every teacher of it, resource specialists too)."""
    cuts, _ = plan_cuts(ctx)
    pos = ctx.district.positions[GROUP + ["positions"]].merge(cuts, on=GROUP, how="outer")
    heads = ctx.district.teachers.groupby(GROUP).size().rename("teachers").reset_index()
    pos = pos.merge(heads, on=GROUP, how="left")
    base = pos["positions"].fillna(pos["teachers"].fillna(0))
    pos["positions"] = (base - pos["cut"].fillna(0)).clip(lower=0)
    return pos[GROUP + ["positions"]]


def check_a10_cuts(ctx: CheckContext) -> list[Finding]:
    """A10 10.0: every cut the plan's run.json lists reads school_id:level:department:positions (else the positions it
    was made under are unknown)."""
    return [finding("A10", f"run.json cuts: got {e!r}, expected school_id:level:department:positions (e.g. "
                           "VA01:high:general:2)", ()) for e in plan_cuts(ctx)[1]]


def vacancies(ctx: CheckContext, ranks: pd.DataFrame) -> pd.DataFrame:
    """Per school, level and department of positions.csv: positions - teachers retained there (A10.1)."""
    retained = ranks[ranks["should_retain"]].groupby(GROUP).size().rename("retained")
    pos = positions_kept(ctx).merge(retained.reset_index(), on=GROUP, how="left")
    pos["vacancies"] = (pos["positions"] - pos["retained"].fillna(0)).clip(lower=0).astype(int)
    return pos[GROUP + ["vacancies"]]


def level_eligibility(ctx: CheckContext, teachers: pd.DataFrame) -> pd.DataFrame:
    """(teacher_id, level) pairs of lower levels of the teacher's school the credential and grade range permit."""
    courses = ctx.district.courses[["school_id", "level", "credential"]].drop_duplicates()
    held = teachers[["teacher_id", "school_id", "level", "department", "credentials", "grade_min", "grade_max",
                     "seniority"]].rename(columns={"level": "from_level"}).explode("credentials")
    pairs = held.merge(courses.rename(columns={"level": "to_level", "credential": "credentials"}),
                       on=["school_id", "credentials"])
    pairs = pairs[pairs["to_level"].map(LEVEL_ORDER) < pairs["from_level"].map(LEVEL_ORDER)]
    lo = pairs["to_level"].map({lv: ctx.contract.level_grades(lv)[0] for lv in LEVEL_ORDER})
    hi = pairs["to_level"].map({lv: ctx.contract.level_grades(lv)[1] for lv in LEVEL_ORDER})
    pairs = pairs[(pairs["grade_min"] <= hi) & (pairs["grade_max"] >= lo)]
    return pairs.drop(columns=["credentials"]).drop_duplicates(["teacher_id", "to_level"])


@cached
def displacement_rows(ctx: CheckContext) -> pd.DataFrame:
    """displacement.csv with clean IDs, one row per listed teacher (first occurrence), joined with the data."""
    d = ctx.plan.displacement
    rows = pd.DataFrame({
        "teacher_id": clean_ids(d["teacher_id"]), "plan_school": clean_ids(d["school_id"]),
        "from_level": clean_ids(d["from_level"]), "plan_department": clean_ids(d["department"]),
        "outcome": clean_ids(d["outcome"]), "to_level": clean_ids(d["to_level"]), "site_id": clean_ids(d["site_id"]),
        "seniority_rank": pd.to_numeric(d["seniority_rank"], errors="coerce"),
    }).drop_duplicates("teacher_id")
    return rows.merge(expected_ranks(ctx), on="teacher_id", how="inner")


# ----------------------------------------------------------------------------------------------
# A10 — who is retained


def check_a10_every_teacher(ctx: CheckContext) -> list[Finding]:
    """A10 (10.0): every teacher of teachers.csv appears exactly once in displacement.csv, as in the data."""
    if not _applies(ctx):
        return []
    d = clean_ids(ctx.plan.displacement["teacher_id"])
    teachers = ctx.district.teachers
    out = [finding("A10", f"teacher {t} ({s} {lv} {dep}) is missing from displacement.csv",
                   (_teacher(t),))
           for t, s, lv, dep in teachers.loc[~teachers["teacher_id"].isin(d.dropna()),
                                             ["teacher_id", "school_id", "level", "department"]].itertuples(index=False)]
    counts = d.value_counts()
    out += [finding("A10", f"teacher {t} appears {n} times in displacement.csv; exactly once expected",
                    (_row(t),)) for t, n in counts[counts > 1].sort_index().items()]
    out += [finding("A10", f"displacement.csv lists teacher {t}, who is not in teachers.csv", (_row(t),))
            for t in sorted(set(d.dropna()) - set(teachers["teacher_id"]))]
    rows = displacement_rows(ctx)
    wrong = rows[(rows["plan_school"] != rows["school_id"]) | (rows["from_level"] != rows["level"])
                 | (rows["plan_department"] != rows["department"])]
    out += [finding("A10", f"teacher {r.teacher_id} is listed as {r.plan_school} {r.from_level} "
                    f"{r.plan_department}, but teachers.csv has {r.school_id} {r.level} {r.department}",
                    (_row(r.teacher_id), _teacher(r.teacher_id))) for r in wrong.itertuples()]
    return out


def check_a10_seniority_rank(ctx: CheckContext) -> list[Finding]:
    """A10 (10.0): seniority_rank is 1 for the most senior of each school, level and department, and so on."""
    if not _applies(ctx):
        return []
    rows = displacement_rows(ctx)
    wrong = rows[rows["seniority_rank"] != rows["rank"]].sort_values("seniority")
    return [finding("A10", f"teacher {r.teacher_id} has seniority_rank {_num(r.seniority_rank)}, but is "
                    f"number {r.rank} by seniority in {r.school_id} {r.level} {r.department} "
                    f"(seniority {r.seniority_date:%Y-%m-%d}, tiebreak {r.seniority_tiebreak})", (_row(r.teacher_id),))
            for r in wrong.itertuples()]


def _num(v) -> str:
    return "(blank)" if pd.isna(v) else f"{v:g}"


def check_a10_retention(ctx: CheckContext) -> list[Finding]:
    """A10 (10.0): each school, level and department retains its most senior teachers up to positions."""
    if not _applies(ctx):
        return []
    rows = displacement_rows(ctx)
    retained = rows["outcome"] == "retained"
    bad = rows[retained != rows["should_retain"]].sort_values("seniority")
    out = [_retention_violation(r) for r in bad.itertuples()]
    wrong_level = rows[retained & (rows["to_level"] != rows["level"]).fillna(True)]
    out += [finding("A10", f"retained teacher {r.teacher_id} has to_level {r.to_level if pd.notna(r.to_level) else '(blank)'}; "
                    f"a retained teacher's to_level is their level, {r.level}", (_row(r.teacher_id),))
            for r in wrong_level.itertuples()]
    return out


def _retention_violation(r) -> Finding:
    group = f"{r.school_id} {r.level} {r.department}"
    kept = "keeps its head count (not in positions.csv)" if r.keeps_head_count else f"keeps {int(r.positions)} position(s)"
    if r.should_retain:
        text = f"teacher {r.teacher_id} is number {r.rank} by seniority in {group}, which {kept}, so is retained, but the plan says {r.outcome}"
    else:
        text = f"teacher {r.teacher_id} is retained, but is number {r.rank} by seniority in {group}, which {kept}"
    return finding("A10", text, (_row(r.teacher_id), _teacher(r.teacher_id)))


# ----------------------------------------------------------------------------------------------
# A10.1 — displaced teachers fill vacancies at lower levels, most senior first


@cached
def _moves(ctx: CheckContext) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(rows, eligible lower levels of every listed teacher, vacancies with moves in and places left)."""
    rows = displacement_rows(ctx)
    eligible = level_eligibility(ctx, rows)
    vac = vacancies(ctx, expected_ranks(ctx)).rename(columns={"level": "to_level"})
    moved = rows[rows["outcome"] == "moved_level"]
    into = moved.groupby(["school_id", "to_level", "department"]).size().rename("moves_in").reset_index()
    vac = vac.merge(into, on=["school_id", "to_level", "department"], how="outer").fillna({"vacancies": 0, "moves_in": 0})
    vac["left"] = vac["vacancies"] - vac["moves_in"]
    return rows, eligible, vac


def check_a10_1_moves(ctx: CheckContext) -> list[Finding]:
    """A10.1 (10.0(1)): a move goes to a lower level of the same school and department, credential permitting."""
    if not _applies(ctx):
        return []
    rows, eligible, _ = _moves(ctx)
    moved = rows[rows["outcome"] == "moved_level"]
    ok = moved.merge(eligible[["teacher_id", "to_level"]].assign(ok=True), on=["teacher_id", "to_level"], how="left")
    bad = ok[ok["ok"].isna()].sort_values("seniority")
    return [finding("A10.1", f"teacher {r.teacher_id} ({r.school_id} {r.level} {r.department}) moves to "
                    f"{r.to_level if pd.notna(r.to_level) else '(blank)'}: {_why_not(r, ctx)}",
                    (_row(r.teacher_id), _teacher(r.teacher_id)))
            for r in bad.itertuples()]


def _why_not(r, ctx: CheckContext) -> str:
    if pd.isna(r.to_level) or r.to_level not in LEVEL_ORDER:
        return "not a school level"
    if LEVEL_ORDER[r.to_level] >= LEVEL_ORDER[r.level]:
        return "not a lower level (moves go high -> middle -> elementary)"
    lo, hi = ctx.contract.level_grades(r.to_level)
    if r.grade_max < lo or r.grade_min > hi:
        return f"grades {r.grade_min}..{r.grade_max} do not meet {r.to_level} grades {lo}..{hi}"
    return f"holds no credential ({';'.join(r.credentials)}) of any {r.to_level} course of {r.school_id}"


def check_a10_1_vacancies(ctx: CheckContext) -> list[Finding]:
    """A10.1 (10.0(1)): no level takes more moves than its vacancies (positions - retained)."""
    if not _applies(ctx):
        return []
    _, _, vac = _moves(ctx)
    over = vac[vac["left"] < 0].sort_values(["school_id", "to_level", "department"])
    return [finding("A10.1", f"{r.school_id} {r.to_level} {r.department} takes {int(r.moves_in)} teacher(s) "
                    f"moving level, but has {int(r.vacancies)} vacancy(ies) (positions - retained)",
                    (RowRef("positions.csv", f"{r.school_id}:{r.to_level}:{r.department}"),))
            for r in over.itertuples()]


def check_a10_1_seniority(ctx: CheckContext) -> list[Finding]:
    """A10.1 (10.0(1)): no displaced teacher is passed over for a vacancy left open or given to a junior."""
    if not _applies(ctx):
        return []
    rows, eligible, vac = _moves(ctx)
    stuck = rows[rows["outcome"] == "displaced"][["teacher_id"]]
    options = stuck.merge(eligible, on="teacher_id").merge(vac, on=["school_id", "to_level", "department"], how="left")
    options = options.fillna({"left": 0})
    moved = rows[rows["outcome"] == "moved_level"]
    junior = moved.groupby(["school_id", "to_level", "department"])["seniority"].max().rename("most_junior")
    junior_id = moved.sort_values("seniority").drop_duplicates(["school_id", "to_level", "department"], keep="last")
    junior_id = junior_id.set_index(["school_id", "to_level", "department"])["teacher_id"].rename("junior_id")
    options = options.join(junior, on=["school_id", "to_level", "department"]).join(
        junior_id, on=["school_id", "to_level", "department"])
    options["open"] = options["left"] > 0
    options["passed_over"] = options["most_junior"] > options["seniority"]
    bad = options[options["open"] | options["passed_over"]].sort_values(["seniority", "to_level"])
    bad = bad.drop_duplicates("teacher_id")
    return [_passed_over(r) for r in bad.itertuples()]


def _passed_over(r) -> Finding:
    where = f"{r.school_id} {r.to_level} {r.department}"
    why = (f"a vacancy there stays open ({int(r.left)} left)" if r.open
           else f"more junior teacher {r.junior_id} moved there")
    return finding("A10.1", f"teacher {r.teacher_id} is left displaced though eligible for {where}, where {why}",
                   (_row(r.teacher_id), _teacher(r.teacher_id)))


# ----------------------------------------------------------------------------------------------
# A11 — where a displaced teacher reports


def check_a11_priority_site(ctx: CheckContext) -> list[Finding]:
    """A11 (11.0): a displaced teacher reports to a priority site; nobody else has a site_id."""
    if not _applies(ctx):
        return []
    rows = displacement_rows(ctx)
    displaced = rows["outcome"] == "displaced"
    has_sites = len(open_priority_sites(ctx)) > 0
    out = []
    for r in rows[displaced].sort_values("seniority").itertuples():
        site, why = reporting_site(ctx, r.school_id, r.home_region_id) if has_sites else (None, "")
        given = r.site_id if pd.notna(r.site_id) else None
        if given != site:
            out.append(finding("A11", f"displaced teacher {r.teacher_id} reports to {given or '(blank)'}; the priority "
                               f"site is {site or '(none in sites.csv: blank)'}" + (f" ({why})" if why else ""),
                               (_row(r.teacher_id),) + ((RowRef("sites.csv", site),) if site else ())))
    extra = rows[~displaced & ~blank(rows["site_id"])].sort_values("seniority")
    out += [finding("A11", f"teacher {r.teacher_id} is {r.outcome} but has site_id {r.site_id}; only a "
                    f"displaced teacher has a reporting site", (_row(r.teacher_id),))
            for r in extra.itertuples()]
    return out


def displacement_figures(ctx: CheckContext) -> dict:
    """Figures beside the verdict, per school, level and department: positions, teachers, and the plan's
    retained / moved_level (out of and into) / displaced counts (A10, A10.1, A11)."""
    if not _applies(ctx):
        return {}
    rows = displacement_rows(ctx)
    groups = expected_ranks(ctx).groupby(GROUP).agg(teachers=("teacher_id", "size"), positions=("positions", "first"))
    outcome = rows.groupby(GROUP)["outcome"].value_counts().unstack(fill_value=0)
    moved = rows[rows["outcome"] == "moved_level"]
    into = moved.groupby(["school_id", "to_level", "department"]).size()
    out = []
    for key, g in groups.iterrows():
        counts = outcome.loc[key] if key in outcome.index else {}
        out.append({"school_id": key[0], "level": key[1], "department": key[2],
                    "positions": "head count" if pd.isna(g["positions"]) else int(g["positions"]),
                    "teachers": int(g["teachers"]),
                    **{o: int(counts.get(o, 0)) for o in ("retained", "moved_level", "displaced")},
                    "moved_in": int(into.get(key, 0))})
    return {"A10 displacement per school, level and department": out}


def check_a12_moved_level(ctx: CheckContext) -> list[Finding]:
    """A12 (12.0) on displacement: a teacher moved level switches courses, so displacement.csv gives them the X-time
    hours (and hours x rate in dollars); every other teacher none. A column the file lacks (an older plan's) states
    nothing to compare: one finding names it and the teachers moved level it leaves unverified."""
    if not _applies(ctx):
        return []
    d = ctx.plan.displacement
    hours = np.where(d["outcome"] == "moved_level", float(ctx.contract.xtime_hours), 0.0)
    owed = {"xtime_hours": hours, "xtime_cost": hours * float(ctx.contract.xtime_hourly_rate)}
    given = [c for c in owed if c not in missing_xtime_columns(ctx)]
    wrong = np.zeros(len(d), dtype=bool)
    for c in given:
        wrong |= ~np.isclose(d[c].astype(float), owed[c])
    text, unverified = xtime_not_stated(ctx)
    out = [finding("A12", text, tuple(map(_row, unverified)))] if text else []
    return out + [_xtime_finding(d.iloc[i], {c: owed[c][i] for c in given}) for i in np.flatnonzero(wrong)]


def _xtime_finding(r: pd.Series, owed: dict[str, float]) -> Finding:
    """A12: `teacher H3 (moved_level) has xtime_hours 0 and xtime_cost 0.00 in displacement.csv; expected 12 h and
    720.00 (...)`, of the columns the file has."""
    def amount(column: str, value: float) -> str:
        return f"{value:g}" if column == "xtime_hours" else f"{value:,.2f}"

    has = " and ".join(f"{c} {amount(c, float(r[c]))}" for c in owed)
    expected = " and ".join(amount(c, v) + (" h" if c == "xtime_hours" else "") for c, v in owed.items())
    why = " (a teacher moved level switches courses)" if r["outcome"] == "moved_level" else ""
    return finding("A12", f"teacher {r['teacher_id']} ({r['outcome']}) has {has} in displacement.csv; expected "
                          f"{expected}{why}", (_row(r["teacher_id"]),))


def check_a12_run_costs(ctx: CheckContext) -> list[Finding]:
    """A12 on displacement, summed: run.json costs.xtime is the X-time cost of the teachers moved level and
    costs.xtime_teachers their count — a scenario's run.json keeps them in its `displacement` block, beside the
    solve's own costs (a plan made by hand may leave its totals out)."""
    run = ctx.plan.run or {}
    block = run["displacement"] if isinstance(run.get("displacement"), dict) else run
    costs = block.get("costs") if _applies(ctx) else None
    if not isinstance(costs, dict):
        return []
    moved = int((ctx.plan.displacement["outcome"] == "moved_level").sum())
    cost = round(moved * float(ctx.contract.xtime_hours) * float(ctx.contract.xtime_hourly_rate), 2)
    out = []
    for key, value, shown in (("xtime", cost, fmt_money(cost)), ("xtime_teachers", moved, str(moved))):
        if key in costs and not _equal(costs[key], value):
            where = "displacement.costs" if block is not run else "costs"
            out.append(finding("A12", f"run.json {where}.{key} is {costs[key]!r}, recomputed {shown} "
                                      f"({moved} teacher(s) moved level)", [RowRef("run.json", f"{where}.{key}")]))
    return out


def _equal(given, value: float) -> bool:
    try:
        return abs(float(given) - value) <= MONEY_TOLERANCE
    except (TypeError, ValueError):
        return False


CHECKS = [check_a10_cuts, check_a10_every_teacher, check_a10_seniority_rank, check_a10_retention,
          check_a10_1_moves, check_a10_1_vacancies, check_a10_1_seniority, check_a11_priority_site,
          check_a12_moved_level, check_a12_run_costs]
FIGURES = [displacement_figures]
