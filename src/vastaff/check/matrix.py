"""A9.1 — the matrix: teachers' own choices by seniority (docs/contract.md, A9.1; Article 9.0, IX-A 2.0(c)/(d), 9.0(1)).

Read from the plan alone, independently of the optimizer:

- Elementary (IX-A 2.0(c), hard): no blocking pair. A senior S ranked grade g above what S got — the rank of S's
  homeroom is the best rank among the grades it holds; no homeroom, or grades S did not list, rank below every
  listed grade — and a junior J of S's school (later in District.seniority_order) holds g in a homeroom; S is
  qualified for J's homeroom and J for S's (when S has one): credential, grade range, school, level, special
  education by its department, classroom role, as the CRED check reads them. Exempt: a lock in the way of the swap
  (`matrix_locks.excused`) — a `require` lock of J on the course of J's homeroom, or of a meeting needing a grade it
  holds when S has no homeroom (docs/contract.md: a lock placed J there), a course lock outside the academic periods
  that keeps S out of J's homeroom or J out of S's, or a meeting lock that needs S (or J) to teach a grade the other
  homeroom does not hold. One finding per senior, for the best grade S is blocked from, naming its most junior holder.
- Level moves (9.0(1), hard): a section of another level than its teacher's, where the teacher listed that level,
  must have been a would-be vacancy — no teacher of that level at the school could take it: every one who is
  qualified for it holds a homeroom already (elementary) or, in every semester it meets, finds no period with room
  under A6.1/A6.2 or is at the A6.3 course limit without stipend consent (secondary), or a lock keeps them out of
  it (`locked_out`). An unlisted level, and the
  mover's own credential and grades, stay with the CRED check, which reports every section.
- Figures per school and level (a teacher's level of record): teachers with choices, first choice granted, a choice
  of the top 3 granted, none granted. A grade row is granted when the teacher's homeroom holds that grade, a
  course_id row when they teach a section of the course, a level row when they teach a section of that level.
"""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import (
    SECTIONS, TEACHERS, CheckContext, RowRef, cached, course_label, each, finding, grades_text, has_section_plan,
    meetings, section_rule, sections_full, short_list, teacher_label,
)
from vastaff.check.demand import credential_keys
from vastaff.check.matrix_locks import excused, locked_out, seated_grades
from vastaff.rules import Finding
from vastaff.schemas.fields import grade_name

RULE = "A9.1"
MATRIX_FILE = "matrix.csv"
UNLISTED = 10**9
"""The rank of a homeroom whose grades the teacher did not list, or of no homeroom: below every listed rank."""


# ----------------------------------------------------------------------------------------------
# Shared tables


@cached
def seniority(ctx: CheckContext) -> pd.Series:
    """teacher_id -> 1-based place in District seniority (1 = most senior)."""
    order = ctx.district.seniority_order().teacher_id
    return pd.Series(range(1, len(order) + 1), index=order.to_numpy())


@cached
def choices(ctx: CheckContext) -> pd.DataFrame:
    """matrix.csv with each row's kind (`grade`, `course_id` or `level`) and its row key `teacher_id:rank`."""
    m = ctx.district.matrix
    kind = pd.Series("level", index=m.index, dtype=object)
    kind[m.course_id.notna()] = "course_id"
    kind[m.grade.notna()] = "grade"
    return m.assign(kind=kind, key=m.teacher_id.astype(str) + ":" + m["rank"].astype(str))


@cached
def staffed(ctx: CheckContext) -> pd.DataFrame:
    """Staffed sections of known courses (sections_full: course school, level, credential, program, lo, hi)."""
    s = sections_full(ctx)
    return s[~s.vacancy & s.course_school.notna()].reset_index(drop=True)


@cached
def homeroom_grades(ctx: CheckContext) -> pd.DataFrame:
    """(section_id, teacher_id, course_id, school_id, grade) of every grade with students in a staffed homeroom."""
    s = staffed(ctx)
    h = s[s.homeroom][["section_id", "teacher_id", "course_id", "course_school"]].rename(
        columns={"course_school": "school_id"})
    return h.merge(seated_grades(ctx), on="section_id", how="inner")


def qualified(ctx: CheckContext, teacher_ids: pd.Series, section_ids: pd.Series, level: str | None = None
              ) -> pd.Series:
    """Whether each teacher may teach each section as the CRED check reads it (index of `teacher_ids`); `level`: the
    level the teachers asked to move to (9.0(1)), in place of their own."""
    t = ctx.district.teachers.drop_duplicates("teacher_id").set_index("teacher_id")
    s = sections_full(ctx).drop_duplicates("section_id").set_index("section_id")  # vacancies too (check.avoidable)
    tid, sid = teacher_ids.astype(object), section_ids.astype(object)

    def of(frame: pd.DataFrame, keys: pd.Series, column: str) -> pd.Series:
        return keys.map(frame[column])

    lo, hi = of(s, sid, "lo"), of(s, sid, "hi")
    ok = (tid + "|" + of(s, sid, "credential").astype(str)).isin(credential_keys(ctx))
    ok &= lo.isna() | ((lo >= of(t, tid, "grade_min")) & (hi <= of(t, tid, "grade_max")))
    own = of(t, tid, "level") if level is None else pd.Series(level, index=tid.index)
    ok &= of(s, sid, "course_school").eq(of(t, tid, "school_id")) & of(s, sid, "level").eq(own)
    ok &= ~of(s, sid, "program").eq("special_education") | of(t, tid, "department").eq("special_education")
    return ok & of(t, tid, "role").eq("classroom")


# ----------------------------------------------------------------------------------------------
# Elementary: no blocking pair (IX-A 2.0(c))


def received_grades(ctx: CheckContext) -> pd.DataFrame:
    """Per elementary chooser: `got` (the best rank among their homerooms' grades; UNLISTED if none is listed or
    they have no homeroom) and `s_section` (the homeroom giving it; None without one)."""
    c = choices(ctx)
    c = c[c.kind == "grade"].astype({"grade": "int64"})
    h = homeroom_grades(ctx)
    held = c.merge(h[["teacher_id", "section_id", "grade"]], on=["teacher_id", "grade"], how="inner")
    best = held.sort_values(["teacher_id", "rank", "section_id"]).drop_duplicates("teacher_id")
    mine = h.sort_values(["teacher_id", "section_id"]).drop_duplicates("teacher_id")[["teacher_id", "section_id"]]
    out = pd.DataFrame({"teacher_id": c.teacher_id.unique()})
    out = out.merge(best[["teacher_id", "rank", "section_id"]], on="teacher_id", how="left")
    out = out.merge(mine.rename(columns={"section_id": "any_section"}), on="teacher_id", how="left")
    out["got"] = out["rank"].fillna(UNLISTED).astype("int64")
    out["s_section"] = out.section_id.where(out.section_id.notna(), out.any_section)
    out["s_section"] = out.s_section.astype(object).where(out.s_section.notna(), None)
    return out[["teacher_id", "got", "s_section"]]


def blocking_pairs(ctx: CheckContext) -> pd.DataFrame:
    """Every (senior, grade, junior homeroom) pair that blocks, per A9.1 (docs/contract.md), locks exempting."""
    c = choices(ctx)
    want = c[c.kind == "grade"].astype({"grade": "int64"})[["teacher_id", "rank", "grade", "key"]]
    want = want.merge(received_grades(ctx), on="teacher_id")
    want = want[want["rank"] < want.got]
    school = ctx.district.teachers.drop_duplicates("teacher_id").set_index("teacher_id").school_id
    want = want.assign(school_id=want.teacher_id.map(school))
    h = homeroom_grades(ctx).rename(columns={"teacher_id": "junior", "section_id": "j_section", "course_id": "j_course"})
    pairs = want.merge(h, on=["school_id", "grade"], how="inner")
    rank = seniority(ctx)
    pairs = pairs[pairs.junior.map(rank) > pairs.teacher_id.map(rank)].reset_index(drop=True)
    if pairs.empty:
        return pairs
    has_own = pairs.s_section.notna()
    ok = qualified(ctx, pairs.teacher_id, pairs.j_section)
    back = qualified(ctx, pairs.junior[has_own], pairs.s_section[has_own])
    ok &= ~has_own | back.reindex(pairs.index, fill_value=True)
    pairs = pairs[ok.to_numpy(dtype=bool)]
    if ctx.district.locks.empty or pairs.empty:
        return pairs
    s_course = pairs.s_section.map(staffed(ctx).drop_duplicates("section_id").set_index("section_id").course_id)
    locked = [excused(ctx, s, None if pd.isna(c) else c, ss, j, jc, js) for s, c, ss, j, jc, js
              in zip(pairs.teacher_id, s_course, pairs.s_section, pairs.junior, pairs.j_course, pairs.j_section)]
    return pairs[~pd.Series(locked, index=pairs.index, dtype=bool)]


@section_rule
def check_a9_1_homerooms(ctx: CheckContext) -> list[Finding]:
    """A9.1 (9.0; IX-A 2.0(c)): no senior elementary teacher is blocked from a grade they ranked higher by a junior
    who holds it and could swap (or simply give it up, when the senior has no homeroom)."""
    if ctx.district.matrix.empty:
        return []
    pairs = blocking_pairs(ctx)
    if pairs.empty:
        return []
    rank = seniority(ctx)
    pairs = pairs.assign(j_place=pairs.junior.map(rank), s_place=pairs.teacher_id.map(rank))
    pairs = pairs.sort_values(["s_place", "rank", "j_place"], ascending=[True, True, False])
    held = grades_text(ctx, set(pairs.s_section.dropna()))
    out = []
    for _, group in pairs.groupby("s_place", sort=True):
        best = group[group["rank"] == group["rank"].iloc[0]]
        out.append(_blocked(ctx, best.iloc[0], len(best) - 1, held))
    return out


def _blocked(ctx: CheckContext, r, others: int, held: dict[str, str]) -> Finding:
    """The finding of one blocked senior: the best grade they are blocked from, its most junior holder."""
    if pd.isna(r.s_section):
        got, swap = "no homeroom", f"{teacher_label(ctx, r.teacher_id)} could take it"
    else:
        listed = f"choice {r.got}" if r.got < UNLISTED else "not listed"
        grades = held.get(r.s_section, "")
        got = f"grade{'s' if ';' in grades else ''} {grades} in {r.s_section} ({listed})"
        swap = "they could swap"
    more = f" (and {others} more junior holder{'s' if others > 1 else ''} of it)" if others else ""
    msg = (f"teacher {teacher_label(ctx, r.teacher_id)} (seniority #{r.s_place}) ranked grade {grade_name(r.grade)} "
           f"as choice {r['rank']} but got {got}, while junior "
           f"{teacher_label(ctx, r.junior)} (seniority #{r.j_place}) holds grade {grade_name(r.grade)} in homeroom "
           f"{r.j_section}{more}; {swap}")
    rows = [RowRef(TEACHERS, r.teacher_id), RowRef(TEACHERS, r.junior), RowRef(MATRIX_FILE, r.key),
            RowRef(SECTIONS, r.j_section)]
    return finding(RULE, msg, rows + ([] if pd.isna(r.s_section) else [RowRef(SECTIONS, r.s_section)]))


# ----------------------------------------------------------------------------------------------
# Level moves: only into a would-be vacancy (9.0(1))


@section_rule
def check_a9_1_level_moves(ctx: CheckContext) -> list[Finding]:
    """A9.1 (9.0(1)): a section of a level its teacher asked to move to was a would-be vacancy — no teacher of that
    level at the school could take it."""
    c = choices(ctx)
    asked = c[c.kind == "level"]
    if asked.empty:
        return []
    level_of = ctx.district.teachers.drop_duplicates("teacher_id").set_index("teacher_id").level
    s = staffed(ctx)
    s = s.assign(own_level=s.teacher_id.map(level_of))
    moves = s[s.own_level.notna() & (s.level != s.own_level)].merge(
        asked[["teacher_id", "level", "key"]], on=["teacher_id", "level"], how="inner")
    out = []
    for r in each(moves.sort_values("section_id")):
        takers = could_take(ctx, r)
        if takers:
            out.append(finding(RULE, (
                f"teacher {teacher_label(ctx, r.teacher_id)} ({r.own_level}) teaches section {r.section_id} of "
                f"{course_label(ctx, r.course_id)}, a move to {r.level} they asked for, but it was no vacancy: "
                f"{short_list(teacher_label(ctx, t) for t in takers)} ({r.level}, school {r.course_school}) could "
                f"take it"), [RowRef(TEACHERS, r.teacher_id), RowRef(SECTIONS, r.section_id),
                              RowRef(MATRIX_FILE, r.key), *(RowRef(TEACHERS, t) for t in takers)]))
    return out


def could_take(ctx: CheckContext, move, movers: bool = False) -> list[str]:
    """Teachers of the section's level and school, other than its teacher, who are qualified for it and have room:
    no homeroom yet (elementary); a period with room and a course under the limit (secondary). `movers`: instead,
    the school's teachers of other levels who asked to move to the section's level (matrix.csv, 9.0(1))."""
    t = ctx.district.teachers
    if movers:
        c = choices(ctx)
        asked = set(c.teacher_id[(c.kind == "level") & (c.level == move.level)])
        pool = t[(t.school_id == move.course_school) & t.teacher_id.isin(asked) & (t.level != move.level)]
    else:
        pool = t[(t.school_id == move.course_school) & (t.level == move.level) & (t.teacher_id != move.teacher_id)]
    as_level = move.level if movers else None
    pool = pool[qualified(ctx, pool.teacher_id, pd.Series(move.section_id, index=pool.index), as_level)
                .to_numpy(dtype=bool)]
    pool = pool[pd.Series([not locked_out(ctx, u, move.course_id, move.homeroom or move.level == "elementary")
                           for u in pool.teacher_id], index=pool.index, dtype=bool)]
    if move.homeroom or move.level == "elementary":
        s = staffed(ctx)
        busy = set(s.teacher_id[s.homeroom])
        return sorted(set(pool.teacher_id) - busy)
    return sorted(u for u, consent in zip(pool.teacher_id, pool.stipend_consent) if _has_room(ctx, u, move, consent))


def _has_room(ctx: CheckContext, teacher_id: str, move, consent: bool) -> bool:
    """A6.1/A6.2: one academic period where the section fits in every semester it meets; A6.3: its course is
    theirs already, or they are under the course limit, or they consented to a stipend."""
    terms = _section_terms(ctx).get(move.section_id, ())
    courses, held = _loads(ctx).get(teacher_id, ({}, {}))
    limit = ctx.contract.max_courses_per_semester
    for term in terms:
        mine = courses.get(term, set())
        if move.course_id not in mine and len(mine) >= limit and not consent:
            return False
    kept = _kept_free(ctx, teacher_id, move.course_id)
    return any(all(_fits(ctx, held.get((term, p), []), move) and (p, term) not in kept for term in terms)
               for p in _school_periods(ctx).get(move.course_school, []))


@cached
def _section_terms(ctx: CheckContext) -> dict[str, tuple[int, ...]]:
    """section_id -> the semesters (terms) it meets."""
    m = meetings(ctx)
    return {sid: tuple(sorted(set(terms))) for sid, terms in m.groupby("section_id", sort=False).term}


@cached
def _loads(ctx: CheckContext) -> dict[str, tuple[dict, dict]]:
    """teacher_id -> (term -> their courses, (term, period_id) -> their sections' (subject, program))."""
    m = meetings(ctx)
    out: dict[str, tuple[dict, dict]] = {}
    for t, term, period, course, subject, program in zip(*(m[~m.vacancy][c] for c in (
            "teacher_id", "term", "period_id", "course_id", "subject", "program"))):
        courses, held = out.setdefault(t, ({}, {}))
        courses.setdefault(term, set()).add(course)
        held.setdefault((term, period), []).append((subject, program))
    return out


@cached
def _school_periods(ctx: CheckContext) -> dict[str, list[str]]:
    """school_id -> its academic period_ids."""
    periods = ctx.district.academic_periods()
    return {school: list(ps) for school, ps in periods.groupby("school_id", sort=False).period_id}


def _kept_free(ctx: CheckContext, teacher_id: str, course_id: str) -> set[tuple[str, int]]:
    """(period_id, term) a lock keeps free of the teacher's sections of the course (`forbid` of a period, with no
    course or with this one)."""
    k = ctx.district.locks
    k = k[k.teacher_id.eq(teacher_id) & k["mode"].eq("forbid") & (k.course_id.isna() | k.course_id.eq(course_id))
          & k.period_id.notna()]
    terms = {"1": (1,), "2": (2,), "year": (1, 2)}
    return {(p, term) for p, sem in zip(k.period_id, k.semester) for term in terms.get(sem, (1, 2))}


def _fits(ctx: CheckContext, held: list[tuple[str, str]], move) -> bool:
    """Whether the section may join `held` (one teacher's sections of one semester and period: subject, program)
    under A6.1/A6.2."""
    if not held:
        return True
    if len(held) >= ctx.contract.max_sections_per_period or any(subject != move.subject for subject, _ in held):
        return False
    eld = move.program == "eld" or any(program == "eld" for _, program in held)
    return not (eld and ctx.contract.periods.eld_alone_in_period.value)


# ----------------------------------------------------------------------------------------------
# Figures


def granted(ctx: CheckContext) -> pd.DataFrame:
    """Per teacher with choices: their school, level of record and `received` (the best granted rank; NaN: none)."""
    c = choices(ctx)
    s = staffed(ctx)
    homes = homeroom_grades(ctx)
    hit = pd.Series(False, index=c.index)
    by_grade = c[c.kind == "grade"].astype({"grade": "int64"}).reset_index().merge(
        homes[["teacher_id", "grade"]].drop_duplicates(), on=["teacher_id", "grade"])["index"]
    hit[by_grade] = True
    hit |= (c.teacher_id + "|" + c.course_id.fillna("")).isin(set(s.teacher_id + "|" + s.course_id))
    hit |= (c.teacher_id + "|" + c.level.fillna("")).isin(set(s.teacher_id + "|" + s.level))
    received = c["rank"].where(hit).groupby(c.teacher_id).min().rename("received")
    t = ctx.district.teachers.drop_duplicates("teacher_id")[["teacher_id", "school_id", "level"]]
    return t.merge(received, left_on="teacher_id", right_index=True, how="inner")


def matrix_figures(ctx: CheckContext) -> dict:
    """A9.1 figures per school and level: teachers_with_choices, first_choice, within_top3, none_granted."""
    if not has_section_plan(ctx) or ctx.district.matrix.empty:
        return {}
    g = granted(ctx)
    g = g.assign(first=g.received.eq(1), top3=g.received.le(3), none=g.received.isna())
    per = g.groupby(["school_id", "level"], sort=True).agg(
        teachers_with_choices=("teacher_id", "size"), first_choice=("first", "sum"), within_top3=("top3", "sum"),
        none_granted=("none", "sum")).reset_index()
    return {"matrix": [{"school_id": r.school_id, "level": r.level, "teachers_with_choices": int(r.teachers_with_choices),
                        "first_choice": int(r.first_choice), "within_top3": int(r.within_top3),
                        "none_granted": int(r.none_granted)} for r in each(per)]}


CHECKS = [check_a9_1_homerooms, check_a9_1_level_moves]
FIGURES = [matrix_figures]
