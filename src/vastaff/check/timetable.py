"""Timetable figures (docs/contract.md, "The timetable"; 4.0 B(3), 6.0 A(1)–(2)), from the plan
alone: doubled periods, singleton clashes, grade peaks, the largest live group, each against its floor, and the
mean class size of secondary teachers.

Written from the documented definitions, apart from of the solver's own figures, so that `vastaff check` can vouch for
the numbers in run.json. The measures read the staffed sections in a rotation period (`periods.period_meetings`:
homerooms and vacancies hold none); a `year` section meets in both semesters.
"""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import CheckContext, cached, has_section_plan, held_grades, plan_sections
from vastaff.check.periods import period_meetings

SECONDARY = ("middle", "high")
DISTRICT = "district"
COLUMNS = ["school_id", "doubled", "doubled_floor", "singleton_clashes", "singleton_floor", "grade_peak_excess",
           "max_live_students", "max_live_floor", "teacher_mean_class_min", "teacher_mean_class_max"]
SUMMED = ["doubled", "doubled_floor", "singleton_clashes", "singleton_floor", "grade_peak_excess"]
GRADE_KEYS = ["school_id", "term", "grade"]


def _ceil_div(a: pd.Series, b: int | pd.Series) -> pd.Series:
    """⌈a / b⌉ for whole numbers."""
    return -(-a // b)


@cached
def academic_period_counts(ctx: CheckContext) -> pd.Series:
    """school_id -> number of academic periods in periods.csv (advisory periods hold no classes)."""
    p = ctx.district.periods
    return p[p.kind.eq("academic")].groupby("school_id").period_id.nunique()


@cached
def teacher_schools(ctx: CheckContext) -> pd.Series:
    """teacher_id -> school_id of teachers.csv."""
    t = ctx.district.teachers.drop_duplicates("teacher_id")
    return t.set_index("teacher_id").school_id


@cached
def rotation(ctx: CheckContext) -> pd.DataFrame:
    """period_meetings with the section's school (`school_id`), its enrollment, the teacher's school (`home`: the
    section's when the teacher is not in teachers.csv) and `periods` (academic periods of `home`)."""
    s = plan_sections(ctx)[["section_id", "school_id", "enrollment"]]
    m = period_meetings(ctx).merge(s, on="section_id", how="left")
    m["enrollment"] = m.enrollment.astype("int64")
    m["home"] = m.teacher_id.map(teacher_schools(ctx)).fillna(m.school_id)
    m["periods"] = m.home.map(academic_period_counts(ctx)).fillna(0).astype("int64")
    return m.reset_index(drop=True)


def _by_school(values: pd.Series, how: str) -> pd.Series:
    """Per-row values (indexed by a MultiIndex whose first level is the school) combined per school."""
    return values.groupby(level=0).agg(how)


# ----------------------------------------------------------------------------------------------
# 1. Doubled periods and their floor.


def doubled(m: pd.DataFrame) -> pd.Series:
    """home school -> (teacher, semester, period) holding 2+ sections."""
    n = m.groupby(["home", "teacher_id", "term", "period_id"]).size()
    return _by_school(n.ge(2).astype("int64"), "sum")


def doubled_floor(m: pd.DataFrame, k: int, eld_alone: bool) -> pd.DataFrame:
    """Per teacher and semester (home, teacher_id, term, floor): at least how many periods hold 2+ sections.

    max(0, n − P) sections beyond the academic periods, ⌈·/(k − 1)⌉ periods when a period may hold k. ELD sections
    (A6.2) sit alone: within one semester they raise nothing, but a year section needs one period free of ELD in
    both semesters, so the y_other non-ELD year sections have at most P − y_eld − max(e1, e2) periods and double
    ⌈(y_other − that)/(k − 1)⌉ periods in each semester.
    """
    keys = ["home", "teacher_id", "term"]
    per = m.groupby(keys, as_index=False).agg(n=("section_id", "size"), periods=("periods", "first"))
    if k < 2 or per.empty:
        return per[keys].assign(floor=0)
    per["floor"] = _ceil_div((per.n - per.periods).clip(lower=0), k - 1)
    if not eld_alone:
        return per[keys + ["floor"]]
    sec = m.groupby(["teacher_id", "section_id"], as_index=False).agg(
        terms=("term", "nunique"), term=("term", "first"), program=("program", "first"))
    year, eld = sec.terms.eq(2), sec.program.eq("eld")
    count = pd.DataFrame({"teacher_id": sec.teacher_id, "y_other": year & ~eld, "y_eld": year & eld,
                          "e1": ~year & eld & sec.term.eq(1), "e2": ~year & eld & sec.term.eq(2)})
    count = count.groupby("teacher_id").sum().astype("int64")
    per = per.merge(count, left_on="teacher_id", right_index=True, how="left")
    room = (per.periods - per.y_eld - per[["e1", "e2"]].max(axis=1)).clip(lower=0)
    year_floor = _ceil_div((per.y_other - room).clip(lower=0), k - 1)
    per["floor"] = per.floor.where(per.floor >= year_floor, year_floor)
    return per[keys + ["floor"]]


# ----------------------------------------------------------------------------------------------
# 2–3. Singleton clashes and grade peaks, per school, semester and secondary grade.


def grade_meetings(m: pd.DataFrame, ctx: CheckContext) -> pd.DataFrame:
    """Section-semesters of secondary courses in a rotation period, one row per grade with students they hold."""
    sec = m[m.level.isin(SECONDARY)][["school_id", "term", "period_id", "section_id", "course_id"]]
    g = sec.merge(held_grades(ctx), on="section_id", how="inner")
    return g.assign(periods=g.school_id.map(academic_period_counts(ctx)).fillna(0).astype("int64"))


def singles(g: pd.DataFrame) -> pd.DataFrame:
    """The rows of `grade_meetings` of single-section courses: the only section of its course holding the grade in
    the semester."""
    return g[g.groupby(GRADE_KEYS + ["course_id"]).section_id.transform("size").eq(1)]


def singleton_clashes(g: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """school -> pairs of single-section courses of one grade meeting in one period (m of them: m(m−1)/2), and
    school -> its floor: m courses spread evenly over P periods, r·(q+1)q/2 + (P−r)·q(q−1)/2 with q, r = divmod(m, P).
    """
    single = singles(g)
    together = single.groupby(GRADE_KEYS + ["period_id"]).size()
    clashes = _by_school(together * (together - 1) // 2, "sum")
    per = single.groupby(GRADE_KEYS).agg(m=("section_id", "size"), periods=("periods", "first"))
    p = per.periods.clip(lower=1)
    q, r = per.m // p, per.m % p
    floor = r * (q + 1) * q // 2 + (p - r) * q * (q - 1) // 2
    return clashes, _by_school(floor, "sum")


def clash_groups(ctx: CheckContext) -> pd.DataFrame:
    """The singleton clashes one by one (what `singleton_clashes` counts): per school, semester, period and grade,
    the single-section courses of the grade meeting together there (`section_ids`, `course_ids`, by section) and the
    pairs they make; in the order of the school's periods, then by grade."""
    keys = GRADE_KEYS + ["period_id"]
    together: dict[tuple, list[tuple[str, str]]] = {}
    if has_section_plan(ctx):
        single = singles(grade_meetings(rotation(ctx), ctx)).sort_values("section_id")
        for *key, section, course in single[keys + ["section_id", "course_id"]].itertuples(index=False):
            together.setdefault(tuple(key), []).append((section, course))
    order = dict(zip(zip(ctx.district.periods.school_id, ctx.district.periods.period_id), ctx.district.periods.order))
    rows = sorted((k for k, met in together.items() if len(met) > 1),
                  key=lambda k: (k[0], k[1], order.get((k[0], k[3]), 0), k[2]))
    return pd.DataFrame([(*k, [s for s, _ in together[k]], [c for _, c in together[k]],
                          len(together[k]) * (len(together[k]) - 1) // 2) for k in rows],
                        columns=keys + ["section_ids", "course_ids", "pairs"])


def grade_peak_excess(g: pd.DataFrame) -> pd.Series:
    """school -> Σ over semester and grade of (most sections holding the grade in one period − ⌈sections / P⌉)."""
    peak = g.groupby(GRADE_KEYS + ["period_id"]).size().groupby(level=[0, 1, 2]).max()
    per = g.groupby(GRADE_KEYS).agg(n=("section_id", "size"), periods=("periods", "first"))
    floor = _ceil_div(per.n, per.periods.clip(lower=1))
    return _by_school((peak - floor).clip(lower=0), "sum")


# ----------------------------------------------------------------------------------------------
# 4–5. Live students and class sizes.


def max_live(m: pd.DataFrame) -> pd.Series:
    """home school -> the largest enrollment one teacher meets in one semester and period."""
    return _by_school(m.groupby(["home", "teacher_id", "term", "period_id"]).enrollment.sum(), "max")


def max_live_floor(m: pd.DataFrame, floors: pd.DataFrame, k: int, eld_alone: bool,
                   at_floor: pd.Series, alone: dict[tuple[str, str], frozenset] | None = None) -> pd.Series:
    """home school -> the largest section, and where a teacher must double in a semester the lightest heaviest
    pair they can double (`heaviest_forced_pair`; `at_floor`: school -> its plan holds the doubled floor; `alone`:
    `alone_singletons` of the schools whose plan holds both floors, sections that never pair)."""
    largest = _by_school(m.groupby(["home", "section_id"]).enrollment.max(), "max")
    pairs = heaviest_forced_pair(m, floors, k, eld_alone, at_floor, alone or {})
    return pd.concat([largest, pairs], axis=1).max(axis=1)


def alone_singletons(g: pd.DataFrame, schools) -> dict[tuple[str, str], frozenset]:
    """(section_id, term) -> the grades it holds as the only section of its course, in `schools` where the semester
    has no more such sections of that grade than academic periods: at the singleton-clash floor (the fewest pairs, an
    even spread) no two of them share a period."""
    single = singles(g)
    single = single[single.school_id.isin(schools)]
    few = single[single.groupby(GRADE_KEYS).section_id.transform("size").le(single.periods)]
    grades = few.groupby(["section_id", "term"]).grade.agg(frozenset)
    return dict(grades.items())


def heaviest_forced_pair(m: pd.DataFrame, floors: pd.DataFrame, k: int, eld_alone: bool,
                         at_floor: pd.Series, alone: dict[tuple[str, str], frozenset]) -> pd.Series:
    """home school -> with k = 2, a teacher who must double f periods in a semester puts two sections of one
    subject in each (never an ELD section that sits alone): the smallest X such that f disjoint same-subject pairs
    of at most X students exist. In a school whose plan doubles exactly its floor, each teacher doubles exactly f
    periods per semester, and two year sections together double a period in both: at most min(f₁, f₂) such pairs.
    With k > 2 a doubled period still holds two sections of one subject: the lightest such pair. Two sections whose
    `alone` grades meet never pair (where no such pairs exist, no plan holds both floors: the pairs without that rule).
    """
    if k < 2:
        return pd.Series(dtype="int64")
    must = floors[floors.floor > 0]
    c = m.merge(must, on=["home", "teacher_id", "term"], how="inner")
    if eld_alone:
        c = c[~c.program.eq("eld")]
    if c.empty:
        return pd.Series(dtype="int64")
    years = m.groupby("section_id").term.nunique().eq(2)
    both = floors.pivot_table(index=["home", "teacher_id"], columns="term", values="floor", fill_value=0)
    worst: dict[str, int] = {}
    for (home, teacher, term, f), g in c.groupby(["home", "teacher_id", "term", "floor"]):
        sections = [(subject, years[sid], size, alone.get((sid, term), frozenset()))
                    for subject, sid, size in zip(g.subject, g.section_id, g.enrollment)]
        need = int(f) if k == 2 else 1  # with k > 2 one doubled period is all a teacher's floor promises
        cap = int(both.loc[(home, teacher)].min()) if k == 2 and bool(at_floor.get(home, False)) else need
        x = _lightest_limit(sections, need, cap)
        if x is None and any(s[3] for s in sections):
            x = _lightest_limit([s[:3] + (frozenset(),) for s in sections], need, cap)
        if x is not None:
            worst[home] = max(worst.get(home, 0), x)
    return pd.Series(worst, dtype="int64")


def _lightest_limit(sections: list[tuple], f: int, cap: int) -> int | None:
    """The smallest pair size X for which `_pairs_within` finds f pairs (None: never)."""
    sums = sorted({a[2] + b[2] for i, a in enumerate(sections) for b in sections[i + 1:]
                   if a[0] == b[0] and not a[3] & b[3]})
    return next((x for x in sums if _pairs_within(sections, f, cap, x)), None)


def _pairs_within(sections: list[tuple], f: int, cap: int, x: int) -> bool:
    """Whether f disjoint pairs of (subject, year, enrollment, alone grades) sections exist, each of one subject, no
    alone grade in common and at most x students, at most `cap` of them two year sections: the first section sits out
    or pairs with a later one."""
    if f == 0:
        return True
    if len(sections) < 2 * f or _most_pairs(sections, x, cap) < f:
        return False
    (subject, year, size, alone), rest = sections[0], sections[1:]
    for i, (s2, y2, n2, alone2) in enumerate(rest):
        yy = year and y2
        if s2 == subject and size + n2 <= x and (cap > 0 or not yy) and not alone & alone2:
            if _pairs_within(rest[:i] + rest[i + 1:], f - 1, cap - yy, x):
                return True
    return _pairs_within(rest, f, cap, x)


def _most_pairs(sections: list[tuple], x: int, cap: int) -> int:
    """An upper bound of the disjoint pairs `_pairs_within` can find at most x students, alone grades aside: per
    subject, the largest section with the smallest while the two fit in x (else the largest pairs with none); and at
    most `cap` pairs of two year sections, every other pair holding a semester section of its own."""
    most = others = 0
    for subject in {s[0] for s in sections}:
        sizes = sorted(s[2] for s in sections if s[0] == subject)
        low, high, fit = 0, len(sizes) - 1, 0
        while low < high:
            if sizes[low] + sizes[high] <= x:
                fit, low = fit + 1, low + 1
            high -= 1
        most += fit
        others += min(fit, sum(not s[1] for s in sections if s[0] == subject))
    return min(most, cap + others)


def class_means(ctx: CheckContext) -> pd.DataFrame:
    """Per secondary teacher: the mean enrollment of their staffed sections, with the teacher's school (`home`)."""
    s = plan_sections(ctx)
    s = s[~s.vacancy & s.level.isin(SECONDARY)]
    means = s.groupby("teacher_id", as_index=False).agg(mean=("enrollment", "mean"), school_id=("school_id", "first"))
    means["home"] = means.teacher_id.map(teacher_schools(ctx)).fillna(means.school_id)
    return means


# ----------------------------------------------------------------------------------------------
# The figure.


def _schools(ctx: CheckContext) -> list[str]:
    """Every school of schools.csv, and any school a section of the plan names."""
    return sorted(set(ctx.district.schools.school_id) | set(plan_sections(ctx).school_id.dropna()))


def timetable_figures(ctx: CheckContext) -> pd.DataFrame:
    """One row per school (COLUMNS, sorted by school_id), then the district row (`school_id` 'district': sums,
    the max of max_live_students, max_live_floor and teacher_mean_class_max, the min of teacher_mean_class_min).

    Class-size means are rounded to one decimal; a school without a staffed secondary section has them None.
    """
    m, k = rotation(ctx), ctx.contract.max_sections_per_period
    eld_alone = bool(ctx.contract.periods.eld_alone_in_period.value)
    floors = doubled_floor(m, k, eld_alone)
    doubled_floors = _by_school(floors.set_index("home").floor, "sum")
    at_floor = doubled(m).reindex(doubled_floors.index, fill_value=0).le(doubled_floors)
    g = grade_meetings(m, ctx)
    clashes, clash_floor = singleton_clashes(g)
    spread = clashes.reindex(clash_floor.index, fill_value=0).le(clash_floor)
    both_floors = [school for school in spread.index[spread] if at_floor.get(school, False)]
    means = class_means(ctx).groupby("home")["mean"]
    out = pd.DataFrame({"school_id": _schools(ctx)}).set_index("school_id", drop=False)
    ints = {"doubled": doubled(m), "doubled_floor": doubled_floors,
            "singleton_clashes": clashes, "singleton_floor": clash_floor, "grade_peak_excess": grade_peak_excess(g),
            "max_live_students": max_live(m),
            "max_live_floor": max_live_floor(m, floors, k, eld_alone, at_floor, alone_singletons(g, both_floors))}
    for name, values in ints.items():
        out[name] = out.school_id.map(values).fillna(0).astype("int64")
    out["teacher_mean_class_min"] = out.school_id.map(means.min())
    out["teacher_mean_class_max"] = out.school_id.map(means.max())
    district = {"school_id": DISTRICT, **{c: int(out[c].sum()) for c in SUMMED},
                **{c: int(out[c].max()) if len(out) else 0 for c in ("max_live_students", "max_live_floor")},
                "teacher_mean_class_min": out.teacher_mean_class_min.min(),
                "teacher_mean_class_max": out.teacher_mean_class_max.max()}
    out = pd.concat([out.reset_index(drop=True), pd.DataFrame([district])], ignore_index=True)[COLUMNS]
    for c in ("teacher_mean_class_min", "teacher_mean_class_max"):
        out[c] = out[c].astype(float).round(1)
    return out


def _cell(value):
    """A plain JSON value: int, float, or None for a missing mean."""
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def timetable_figure(ctx: CheckContext) -> dict:
    """{"periods": [one dict per school, then the district's]} (docs/contract.md: `vastaff check` recomputes
    run.json's period figures from the plan alone); nothing for a plan without sections."""
    if not has_section_plan(ctx):
        return {}
    rows = timetable_figures(ctx).to_dict("records")
    return {"periods": [{c: _cell(v) for c, v in row.items()} for row in rows]}


CHECKS = []  # figures only: the rules of a teacher's period (A6.1, A6.2) are checked in check/periods.py
FIGURES = [timetable_figure]
