"""`displace(district, contract, cuts)`: who is retained (A10), moves level (A10.1) or is displaced (A11).

Deterministic and seed-free: the outcome follows from the data and the contract alone; every tie the data
cannot break is an input error.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from vastaff.contract import ContractModel
from vastaff.schemas.district import District
from vastaff.errors import InputError, InputProblem
from vastaff.rules import article
from vastaff.schemas.plan import PLAN_COLUMNS
from vastaff.schemas.run import (
    CutLine, CutLineTeacher, DisplacementCosts, DisplacementCounts, DisplacementRun, Move,
)

from vastaff.displace.cuts import Cut, cut_problems, parse_cuts, positions_table, sort_groups
from vastaff.displace.move_down import assign_vacancies, credentialed_levels, level_bounds
from vastaff.displace.report_site import reporting_sites
from vastaff.displace.retain import cut_lines, retain
from vastaff.displace.seniority import (
    GROUP, LEVEL_ORDER, SENIORITY, group_ties, rank_within_groups, table_label, unbreakable_ties,
)

RULE = {"retained": "A10", "moved_level": "A10.1", "displaced": "A11"}
DETERMINISM = ("seed-free: the outcome follows from the data and the contract; ties the data cannot break are "
               "rejected as invalid input")
OUTCOMES = ("retained", "moved_level", "displaced")
GRADE_NAMES = {g: {-2: "UTK", -1: "TK", 0: "K"}.get(g, str(g)) for g in range(-2, 13)}


@dataclass(frozen=True)
class DisplacementResult:
    """The answer of `displace`: displacement.csv, the same with reasons, cut lines, moves and counts."""

    frame: pd.DataFrame
    """displacement.csv: the documented columns and order, sorted by school, level, department, seniority_rank."""
    detail: pd.DataFrame
    """`frame` plus rule, name, role, seniority_date, seniority_tiebreak, positions, teachers, step, credential,
    site_reason, and the reasons: `rank_note` (A10), `move_note` (A10.1) and `why` (all, one sentence)."""
    cut_lines: pd.DataFrame
    """Per school, level and department: teachers, positions, retained, the least senior retained teacher
    (cut_line_*), surplus, moved_out, moved_in, vacancies, vacancies_left, displaced."""
    moves: pd.DataFrame
    """A10.1 moves in order: school_id, department, step, teacher_id, from_level, to_level, credential."""
    counts: dict[str, int]
    cuts: tuple[Cut, ...] = ()
    positions_source: str = "positions.csv"
    seconds: float = field(default=0.0, compare=False)


def displace(district: District, contract: ContractModel, cuts=()) -> DisplacementResult:
    """A10, A10.1, A11: the displacement the contract gives for positions.csv (and `cuts` on top of it).

    `cuts` are Cut objects or strings like "VA1:high:2" / "VA1:high:special_education:1".
    Raises InputError for bad cuts, missing positions, positions below 0 and ties the data cannot break.
    """
    start = time.perf_counter()
    cuts, groups = _checked_positions(district, cuts)
    ranked = retain(rank_within_groups(district.teachers), groups)
    lines = cut_lines(ranked, groups)
    surplus = ranked[~ranked["retained"]]
    options = _move_options(surplus, lines, district, contract)
    moves = _moves(surplus, options, lines, district)
    still = surplus[~surplus["teacher_id"].isin(moves["teacher_id"])]
    sites = reporting_sites(still, district)
    detail = _with_xtime(_detail(ranked, moves, sites, lines, _blocked_reasons(still, options, lines, contract)),
                         contract)
    frame = detail[PLAN_COLUMNS["displacement"]].reset_index(drop=True)
    counts = {"teachers": len(frame), **{o: int((frame["outcome"] == o).sum()) for o in OUTCOMES}}
    return DisplacementResult(
        frame=frame, detail=detail, cut_lines=_final_lines(lines, moves, detail), moves=_move_table(moves, ranked),
        counts=counts, cuts=cuts, positions_source=_positions_source(district, cuts),
        seconds=time.perf_counter() - start,
    )


def _checked_positions(district: District, cuts) -> tuple[tuple[Cut, ...], pd.DataFrame]:
    """Parsed cuts and the positions table; every problem at once: bad cuts, no positions, below 0, A10 ties."""
    cuts = tuple(cuts)
    parsed, problems = parse_cuts(cuts)
    unknown = cut_problems(parsed, district)
    problems += unknown
    bad = {p.file for p in unknown}
    good = tuple(c for c in parsed if c.label not in bad)
    if not district.has_positions and not cuts:
        label = table_label(district.path, "positions")
        what = "a sheet named positions" if ":" in label else "a file named positions.csv"
        problems.append(InputProblem(label, expected=f"{what} (missing): `vastaff displace` needs positions.csv "
                                                     "or at least one --cut SCHOOL:LEVEL:N"))
    problems += group_ties(district.teachers, table_label(district.path, "teachers"))
    groups = None
    try:
        groups = positions_table(district, good)
    except InputError as exc:
        problems += exc.problems
    if problems:
        raise InputError(problems)
    return parsed, groups


def _positions_source(district: District, cuts: tuple[Cut, ...]) -> str:
    source = "positions.csv" if district.has_positions else "head counts"
    return source + (" with --cut" if cuts else "")


def _move_options(surplus: pd.DataFrame, lines: pd.DataFrame, district: District, contract: ContractModel) -> pd.DataFrame:
    """A10.1 (10.0(1)): each surplus teacher x lower level, with credential/grade tests and the vacancies there."""
    options = credentialed_levels(surplus, district.courses, contract)
    options = options.merge(surplus[["teacher_id", "school_id", "department"]], on="teacher_id")
    open_seats = lines[["school_id", "level", "department", "vacancies"]].rename(columns={"level": "to_level"})
    options = options.merge(open_seats, on=["school_id", "to_level", "department"], how="left")
    options["vacancies"] = options["vacancies"].fillna(0).astype("int64")
    options["eligible"] = options["cred_ok"] & options["grades_ok"] & (options["vacancies"] > 0)
    return options


def _moves(surplus: pd.DataFrame, options: pd.DataFrame, lines: pd.DataFrame, district: District) -> pd.DataFrame:
    """A10.1 (10.0(1)): the moves, after rejecting ties among teachers who compete for the same vacancies."""
    levels = join_per_key(options[options["eligible"]].sort_values(["teacher_id", "to_level"]),
                          "teacher_id", "to_level", ";")
    kinds = {text: frozenset(text.split(";")) for text in levels.unique()}
    candidates = surplus.merge(levels.map(kinds).rename("eligible").reset_index(), on="teacher_id")
    open_seats = lines[lines["vacancies"] > 0]
    vacancies: dict[tuple[str, str], dict[str, int]] = {}
    for school, level, department, n in zip(open_seats["school_id"], open_seats["level"],
                                            open_seats["department"], open_seats["vacancies"]):
        vacancies.setdefault((school, department), {})[level] = int(n)
    moves = assign_vacancies(candidates, vacancies)
    _deciding_ties(candidates, vacancies, moves, table_label(district.path, "teachers"))
    return moves.merge(options[["teacher_id", "to_level", "credential"]], on=["teacher_id", "to_level"], how="left")


def _deciding_ties(candidates: pd.DataFrame, vacancies: dict, moves: pd.DataFrame, label: str) -> None:
    """InputError for full seniority ties among teachers competing for the same lower-level vacancies (A10.1) — unless
    every tie is of two teachers and taking each pair the other way round moves the same teachers to the same levels
    (two vacancies for two tied teachers: the tie decides nothing, and refusing the run helped no one)."""
    problems = unbreakable_ties(
        candidates, ["school_id", "department"], label,
        "among the displaced teachers of {where} competing for vacancies one or more levels down (Article 10.0(1))")
    if not problems:
        return
    pairs = candidates.groupby(["school_id", "department", *SENIORITY]).size().max() == 2
    other = assign_vacancies(candidates, vacancies, ties_reversed=True)
    same = set(zip(moves["teacher_id"], moves["to_level"])) == set(zip(other["teacher_id"], other["to_level"]))
    if not (pairs and same):
        raise InputError(problems)


def _blocked_reasons(still: pd.DataFrame, options: pd.DataFrame, lines: pd.DataFrame,
                     contract: ContractModel) -> pd.Series:
    """Why each teacher still displaced did not move down (A10.1), one phrase per lower level, by teacher_id."""
    lower = still[["teacher_id", "school_id", "department", "level", "grade_min", "grade_max"]].merge(
        lines[lines["vacancies"] > 0][["school_id", "level", "department", "vacancies"]].rename(
            columns={"level": "to_level"}), on=["school_id", "department"])
    lower = lower[lower["to_level"].map(LEVEL_ORDER) < lower["level"].map(LEVEL_ORDER)]
    lower = lower.merge(options[["teacher_id", "to_level", "cred_ok", "grades_ok"]], on=["teacher_id", "to_level"],
                        how="left")
    lo, hi = level_bounds(contract)
    grades = lower["grade_min"].map(GRADE_NAMES).astype(str) + "–" + lower["grade_max"].map(GRADE_NAMES).astype(str)
    level_grades = lower["to_level"].map(lambda lv: f"{grade_name(lo[lv])}–{grade_name(hi[lv])}").astype(str)
    phrase = np.select(
        [~lower["cred_ok"].fillna(False).astype(bool), ~lower["grades_ok"].fillna(False).astype(bool)],
        ["holds no credential of any " + lower["to_level"] + " course at " + lower["school_id"],
         "grades " + grades + " do not meet " + lower["to_level"] + " grades " + level_grades],
        default="taken by more senior teachers",
    )
    lower = lower.assign(phrase=lower["vacancies"].astype(str) + " " + lower["to_level"] + " vacancy(ies): "
                         + pd.Series(phrase, index=lower.index, dtype=object))
    lower = lower.assign(_down=lower["to_level"].map(LEVEL_ORDER)).sort_values(["teacher_id", "_down"],
                                                                               ascending=[True, False], kind="stable")
    reasons = join_per_key(lower, "teacher_id", "phrase", "; ")
    default = np.where(still["level"].map(LEVEL_ORDER) == 0, "no level below " + still["level"],
                       "no vacancy at a lower level of " + still["school_id"] + " " + still["department"])
    found = still["teacher_id"].map(reasons).astype(object)
    return found.where(found.notna(), pd.Series(default, index=still.index, dtype=object)).set_axis(still["teacher_id"])


def join_per_key(frame: pd.DataFrame, key: str, column: str, sep: str) -> pd.Series:
    """`column` joined with `sep` per `key`, in frame order (a vectorised groupby-join: few items per key)."""
    if frame.empty:
        return pd.Series(dtype=object, index=pd.Index([], name=key))
    wide = frame.assign(_n=frame.groupby(key, sort=False).cumcount()).pivot(index=key, columns="_n", values=column)
    joined = wide[0].astype(object)
    for n in wide.columns[1:]:
        joined = joined.where(wide[n].isna(), joined + sep + wide[n].astype(object))
    return joined


def grade_name(g: int) -> str:
    """UTK, TK, K or the grade number."""
    return GRADE_NAMES.get(int(g), str(int(g)))


def _detail(ranked: pd.DataFrame, moves: pd.DataFrame, sites: pd.DataFrame, lines: pd.DataFrame,
            blocked: pd.Series) -> pd.DataFrame:
    """One row per teacher: outcome, to_level, site, article, step and a one-sentence reason."""
    d = ranked.merge(moves, on="teacher_id", how="left").merge(sites, on="teacher_id", how="left")
    d = d.merge(lines[GROUP + ["positions", "teachers"]], on=GROUP, how="left")
    d["outcome"] = np.select([d["retained"], d["to_level"].notna()], ["retained", "moved_level"], "displaced")
    d["to_level"] = d["to_level"].where(~d["retained"], d["level"])
    d["from_level"] = d["level"]
    d["rule"] = d["outcome"].map(RULE)
    d["article"] = d["rule"].map(article)
    d["step"] = d["step"].astype("Int64")
    d[["rank_note", "move_note", "why"]] = _why(d, blocked)
    d = sort_groups(d, ["seniority_rank"])
    return d[PLAN_COLUMNS["displacement"][:-2] + ["rule", "name", "role", "seniority_date", "seniority_tiebreak",
                                             "positions", "teachers", "step", "credential", "site_reason",
                                             "rank_note", "move_note", "why"]]


def _with_xtime(d: pd.DataFrame, contract: ContractModel) -> pd.DataFrame:
    """A12 (12.0): a teacher moved level switches courses, so they are owed the X-time hours at the hourly rate."""
    moved = d["outcome"] == "moved_level"
    hours = np.where(moved, float(contract.xtime_hours), 0.0)
    return d.assign(xtime_hours=hours, xtime_cost=hours * float(contract.xtime_hourly_rate))


def _why(d: pd.DataFrame, blocked: pd.Series) -> pd.DataFrame:
    """Per teacher: `rank_note` (A10 rank against the positions), `move_note` (A10.1: the move, or why none) and
    `why` (both, plus the A11 reporting site and why that one)."""
    rank = ("rank " + d["seniority_rank"].astype(str) + " of " + d["teachers"].astype(str) + " in "
            + d["school_id"] + " " + d["level"] + " " + d["department"])
    positions = d["positions"].astype(str) + " position(s)"
    retained = d["outcome"] == "retained"
    rank_note = pd.Series(np.where(retained, rank + ", within " + positions, rank + ", beyond " + positions),
                          index=d.index, dtype=object)
    moved = ("fills a " + d["to_level"].fillna("") + " vacancy (step " + d["step"].astype(str)
             + ", holds " + d["credential"].fillna("") + ")")
    move_note = pd.Series(np.select([retained, d["outcome"] == "moved_level"], ["", moved],
                                    d["teacher_id"].map(blocked).astype(object).fillna("")), index=d.index, dtype=object)
    site_note = "; reports to " + d["site_id"].fillna("") + " (" + d["site_reason"].fillna("") + ")"
    why = rank_note.where(retained, rank_note + "; " + move_note.where(d["site_id"].isna(), move_note + site_note))
    return pd.DataFrame({"rank_note": rank_note, "move_note": move_note, "why": why}, index=d.index)


def _final_lines(lines: pd.DataFrame, moves: pd.DataFrame, detail: pd.DataFrame) -> pd.DataFrame:
    """Cut lines with the A10.1 flows: moved out of, moved into, vacancies left, still displaced."""
    moved = detail[detail["outcome"] == "moved_level"]
    out_ = moved.groupby(["school_id", "from_level", "department"]).size().rename("moved_out")
    out_.index = out_.index.set_names(GROUP)
    in_ = moved.groupby(["school_id", "to_level", "department"]).size().rename("moved_in")
    in_.index = in_.index.set_names(GROUP)
    res = lines.merge(out_, on=GROUP, how="left").merge(in_, on=GROUP, how="left")
    for col in ("moved_out", "moved_in"):
        res[col] = res[col].fillna(0).astype("int64")
    res["vacancies_left"] = res["vacancies"] - res["moved_in"]
    res["displaced"] = res["surplus"] - res["moved_out"]
    cols = GROUP + ["teachers", "listed", "listed_positions", "cut", "positions", "retained", "cut_line_teacher_id",
                    "cut_line_rank", "cut_line_seniority_date", "cut_line_tiebreak", "surplus", "moved_out",
                    "moved_in", "vacancies", "vacancies_left", "displaced"]
    return sort_groups(res[cols])


def _move_table(moves: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """A10.1 moves in order: school, department, step."""
    m = moves.merge(ranked[["teacher_id", "school_id", "department", "level", "seniority_date", "seniority_tiebreak"]],
                    on="teacher_id")
    m = m.rename(columns={"level": "from_level"}).sort_values(["school_id", "department", "step"], kind="stable")
    return m[["school_id", "department", "step", "teacher_id", "from_level", "to_level", "credential",
              "seniority_date", "seniority_tiebreak"]].reset_index(drop=True)


def run_record(result: DisplacementResult, district: District, contract: ContractModel,
               wall_seconds: float | None = None) -> DisplacementRun:
    """run.json of a displacement plan: status, counts, cut lines per school/level/department, moves, provenance."""
    return DisplacementRun(
        wall_seconds=round(result.seconds if wall_seconds is None else wall_seconds, 3),
        determinism=DETERMINISM,
        contract_model=contract.name,
        input_sha256=district.input_sha256,
        positions_source=result.positions_source,
        cuts=[c.spelled() for c in result.cuts],
        counts=DisplacementCounts(**result.counts),
        costs=DisplacementCosts(xtime=round(float(result.frame["xtime_cost"].sum()), 2),
                                xtime_teachers=int((result.frame["xtime_hours"] > 0).sum())),
        cut_lines=[_cut_line(row) for row in result.cut_lines.to_dict("records")],
        moves=[Move(**{k: m[k] for k in Move.model_fields}) for m in result.moves.to_dict("records")],
        reporting_sites={str(site): int(n)
                         for site, n in result.frame["site_id"].dropna().value_counts().sort_index().items()},
    )


def _cut_line(row: dict) -> CutLine:
    """One row of `cut_lines` in run.json's form (numpy counts become ints through the record's types)."""
    line = None
    if isinstance(row["cut_line_teacher_id"], str):
        line = CutLineTeacher(teacher_id=row["cut_line_teacher_id"], seniority_rank=row["cut_line_rank"],
                              seniority_date=f"{row['cut_line_seniority_date']:%Y-%m-%d}",
                              seniority_tiebreak=row["cut_line_tiebreak"])
    counts = {k: row[k] for k in CutLine.model_fields.keys() & row.keys()}
    return CutLine(**counts, positions_listed=bool(row["listed"]), cut_line=line)
