"""How good a school's rotation-period timetable is, computed from plain section rows (no ortools).

docs/contract.md, "The timetable" (4.0 B(3), 6.0 A(1)-(2)). The CP-SAT period model
(`vastaff.cpsat.timetable`) builds its variables from the same frames and is judged by these very functions, so
run.json's `periods` block and the optimizer cannot disagree on a definition. The definitions:

- a *timetabled* section is a staffed section of a secondary course (elementary homerooms and vacancies hold no
  rotation period); it *meets* semester 1, 2 or both (`year`), and *holds* grade g when it seats students of g;
- `doubled`: (teacher, semester, period) holding more than one section;
- `singleton_clashes`: per semester and grade g, pairs of different courses that each have exactly one timetabled
  section holding g, meeting in the same period;
- `grade_peak_excess`: Σ over semester and grade g of (most sections holding g in one period − ⌈sections holding g /
  academic periods⌉);
- `period_changes`: per (teacher, course) of the previous plan, sections that could have kept a previous period but
  did not: min(sections now, sections then) − Σ over periods of min(now there, then there);
- `max_live_students`: the largest enrollment one teacher meets at once (one semester, one period);
- `teacher_mean_class_min` / `_max`: the smallest and largest of the secondary teachers' average class sizes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from functools import cached_property

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.sections.pair_floor import Meeting, lightest_heaviest_pair
from vastaff.sections.problem import SEMESTERS_OF

MEASURES = ("doubled", "singleton_clashes", "grade_peak_excess", "period_changes", "max_live_students")
"""The timetable's measures in the documented order of preference (the stages of the period model)."""

TERMS = ("1", "2")
LIVE_ABOVE = "max_live_students_above_doubled_floor"
"""`floors`' key of the largest live group's floor for a timetable above the doubled floor."""
LIVE_SPREAD = "max_live_students_at_singleton_floor"
"""`floors`' key of the largest live group's floor for a timetable at the doubled and singleton-clash floors."""
_GROUP = ["teacher_id", "term", "period_id"]


@dataclass(frozen=True)
class PeriodFigures:
    """The `periods` figures of one school (or of a district, see `combine`)."""

    doubled: int = 0
    doubled_floor: int = 0
    singleton_clashes: int = 0
    singleton_floor: int = 0
    grade_peak_excess: int = 0
    max_live_students: int = 0
    max_live_floor: int = 0
    period_changes: int = 0
    teacher_mean_class_min: float = 0.0
    teacher_mean_class_max: float = 0.0

    def as_dict(self) -> dict[str, int | float]:
        return asdict(self)


_LARGEST = ("max_live_students", "max_live_floor", "teacher_mean_class_max")


def combine(figures: list[PeriodFigures]) -> PeriodFigures:
    """District figures: sums over schools, except maxima (the largest live group, its floor, the largest teacher
    average) and the smallest teacher average (schools without timetabled sections left out of both averages)."""
    total = {k: sum(getattr(f, k) for f in figures) for k in PeriodFigures.__dataclass_fields__}
    for k in _LARGEST:
        total[k] = max((getattr(f, k) for f in figures), default=0)
    taught = [f.teacher_mean_class_min for f in figures if f.teacher_mean_class_max > 0]
    total["teacher_mean_class_min"] = min(taught, default=0.0)
    return PeriodFigures(**total)


@dataclass(frozen=True)
class PeriodRows:
    """`PeriodData`'s frames as tuples: what `measures` counts, with the period each section holds (None: none)."""

    meetings: list[tuple[str, str, str, int]]   # section_id, teacher_id, term, enrollment
    grades: list[tuple[str, str, object]]       # section_id, term, grade
    singletons: list[tuple[str, str, object]]   # section_id, term, grade
    sections: list[tuple[str, str, str]]        # section_id, teacher_id, course_id
    periods: dict[str, str | None]


@dataclass(frozen=True)
class PeriodData:
    """One school's timetabled sections as frames: what the figures and the period model are computed from."""

    meetings: pd.DataFrame    # one row per section and term it meets: section_id, teacher_id, course_id, subject,
    #                           eld, semester, term, enrollment, period_id
    grades: pd.DataFrame      # section_id, term, grade, course_id, period_id (sections holding each grade)
    singletons: pd.DataFrame  # term, grade, section_id, period_id: the only section of its course holding that grade
    period_ids: tuple[str, ...]
    previous: dict[tuple[str, str], tuple[str, ...]]  # (teacher_id, course_id) -> previous periods, one per section

    @property
    def n_periods(self) -> int:
        return len(self.period_ids)

    def sections(self) -> pd.DataFrame:
        """One row per timetabled section (section_id order)."""
        return self.meetings.drop_duplicates("section_id")

    @cached_property
    def rows(self) -> PeriodRows:
        """The frames as plain rows, for `measures` (computed once: the frames never change)."""
        m, g, s = self.meetings, self.grades, self.singletons
        first = self.sections()
        periods = {sid: None if pd.isna(p) else p for sid, p in zip(first.section_id, first.period_id)}
        return PeriodRows(list(zip(m.section_id, m.teacher_id, m.term, m.enrollment.astype(int))),
                          list(zip(g.section_id, g.term, g.grade)), list(zip(s.section_id, s.term, s.grade)),
                          list(zip(first.section_id, first.teacher_id, first.course_id)), periods)

    def assigned(self, periods: dict[str, str]) -> PeriodData:
        """The same sections placed in `periods` (section_id -> period_id)."""
        meetings = self.meetings.assign(period_id=self.meetings.section_id.map(periods))
        grades = self.grades.assign(period_id=self.grades.section_id.map(periods))
        singletons = self.singletons.assign(period_id=self.singletons.section_id.map(periods))
        return PeriodData(meetings, grades, singletons, self.period_ids, self.previous)


def period_data(sections: pd.DataFrame, section_grades: pd.DataFrame, courses: pd.DataFrame,
                period_ids, previous_periods: dict | None = None) -> PeriodData:
    """Frames of one school's timetabled sections, from the plan's sections.csv / section_grades.csv / courses.csv rows.

    `previous_periods` maps (teacher_id, course_id) to a period_id, or to a list of them (one per previous section,
    in the order of their section_ids: then a school where nothing changed gets every section's own period back).
    """
    info = courses[["course_id", "subject", "program", "level"]]
    s = sections.merge(info, on="course_id", how="left", validate="many_to_one")
    s = s[s.teacher_id.notna() & (s.level != "elementary")]
    meetings = (s.assign(eld=s.program.eq("eld"), term=s.semester.astype(str).map(SEMESTERS_OF),
                         enrollment=s.enrollment.astype(int))
                .explode("term")
                [["section_id", "teacher_id", "course_id", "subject", "eld", "semester", "term", "enrollment",
                  "period_id"]]
                .sort_values(["section_id", "term"]).reset_index(drop=True))
    held = section_grades[section_grades.students > 0][["section_id", "grade"]]
    grades = (meetings[["section_id", "term", "course_id", "period_id"]].merge(held, on="section_id")
              .sort_values(["term", "grade", "section_id"]).reset_index(drop=True))
    per_course = grades.groupby(["term", "grade", "course_id"]).section_id.transform("size")
    singletons = grades[per_course == 1][["term", "grade", "section_id", "period_id"]].reset_index(drop=True)
    previous = {key: (value,) if isinstance(value, str) else tuple(value)
                for key, value in (previous_periods or {}).items() if value is not None}
    return PeriodData(meetings, grades, singletons, tuple(period_ids), previous)


def timetable_figures(sections: pd.DataFrame, section_grades: pd.DataFrame, courses: pd.DataFrame, period_ids,
                      contract: ContractModel, previous_periods: dict | None = None) -> PeriodFigures:
    """The `periods` figures of one school's plan rows."""
    return figures_of(period_data(sections, section_grades, courses, period_ids, previous_periods), contract)


def school_figures(sections: pd.DataFrame, section_grades: pd.DataFrame, courses: pd.DataFrame,
                   periods: pd.DataFrame, contract: ContractModel,
                   previous_periods: dict | None = None) -> dict[str, PeriodFigures]:
    """The figures of every school of a plan (`periods`: school_id, period_id of the academic periods, in order);
    `combine` gives the district's."""
    return {school: timetable_figures(rows, section_grades, courses[courses.school_id == school],
                                      periods[periods.school_id == school].period_id.tolist(), contract,
                                      previous_periods)
            for school, rows in sections.groupby("school_id", sort=True)}


def figures_of(data: PeriodData, contract: ContractModel, known: dict[str, int] | None = None,
               periods: dict[str, str] | None = None) -> PeriodFigures:
    """The figures of `data`'s periods, or of `periods` (section_id -> period_id) when given (`known`: its `floors`,
    when already computed — they do not depend on the periods)."""
    known = floors(data, contract) if known is None else known
    low, high = teacher_mean_class(data)
    values = measures(data, periods)
    return PeriodFigures(doubled_floor=known["doubled"], singleton_floor=known["singleton_clashes"],
                         max_live_floor=floor_of("max_live_students", known, values["doubled"],
                                                  values["singleton_clashes"]),
                         teacher_mean_class_min=low, teacher_mean_class_max=high, **values)


def teacher_mean_class(data: PeriodData) -> tuple[float, float]:
    """The smallest and largest average class size (enrollment per timetabled section) among the teachers."""
    means = data.sections().groupby("teacher_id").enrollment.mean()
    return (round(float(means.min()), 1), round(float(means.max()), 1)) if len(means) else (0.0, 0.0)


def measures(data: PeriodData, periods: dict[str, str] | None = None) -> dict[str, int]:
    """Every measure of MEASURES for the periods the sections hold (`periods`: section_id -> period_id instead of the
    frames' own). Counted over plain rows (`PeriodRows`): the spread and the period stages compare dozens of candidate
    timetables per school, and five pandas groupbys per candidate were a tenth of a 300-teacher district's solve."""
    rows = data.rows
    at = rows.periods if periods is None else periods
    meetings = Counter()  # (teacher, term, period) -> sections
    live = Counter()      # (teacher, term, period) -> students
    for sid, teacher, term, enrollment in rows.meetings:
        period = at.get(sid)
        if period is not None:
            meetings[teacher, term, period] += 1
            live[teacher, term, period] += enrollment
    singles = Counter((term, grade, at[sid]) for sid, term, grade in rows.singletons if at.get(sid) is not None)
    return {"doubled": sum(1 for n in meetings.values() if n > 1),
            "singleton_clashes": sum(m * (m - 1) // 2 for m in singles.values()),
            "grade_peak_excess": _grade_peak_excess(rows, at, data.n_periods),
            "period_changes": _period_changes(rows, at, data.previous),
            "max_live_students": max(live.values(), default=0)}


def _grade_peak_excess(rows: PeriodRows, at: dict[str, str], n_periods: int) -> int:
    """Σ over semester and grade of (the most sections holding it in one period − its even spread)."""
    held, placed = Counter(), Counter()
    for sid, term, grade in rows.grades:
        held[term, grade] += 1
        if at.get(sid) is not None:
            placed[term, grade, at[sid]] += 1
    peak: dict[tuple, int] = {}
    for (term, grade, _), n in placed.items():
        peak[term, grade] = max(peak.get((term, grade), 0), n)
    return sum(n - -(-held[key] // max(n_periods, 1)) for key, n in peak.items())


def _period_changes(rows: PeriodRows, at: dict[str, str], previous: dict) -> int:
    """Sections kept by the same teacher in a course that did not keep a period they could have kept."""
    if not previous:
        return 0
    now: dict[tuple[str, str], Counter] = {}
    for sid, teacher, course in rows.sections:
        now.setdefault((teacher, course), Counter())[at.get(sid)] += 1
    changes = 0
    for key, periods in previous.items():
        here, then = now.get(key, Counter()), Counter(periods)
        changes += min(here.total(), then.total()) - (here & then).total()
    return changes


def even_spread(held, n_periods: int):
    """⌈sections / periods⌉: no period can hold fewer of them at its busiest."""
    return -(-held // max(n_periods, 1))


def floors(data: PeriodData, contract: ContractModel) -> dict[str, int]:
    """A lower bound of every measure that needs no search (a timetable that reaches it is optimal). The largest
    live group's holds for timetables at the doubled floor; `LIVE_ABOVE` is its floor for the others, `LIVE_SPREAD`
    for those at the singleton-clash floor too (`floor_of`)."""
    forced = forced_doubles(data, contract)
    at_floor, above = (live_floor(data, contract, at_doubled_floor=a, forced=forced) for a in (True, False))
    spread = live_floor(data, contract, at_doubled_floor=True, forced=forced, alone_in=alone_grades(data))
    return {"doubled": int(forced.to_numpy().sum()), "singleton_clashes": singleton_floor(data),
            "grade_peak_excess": 0, "period_changes": 0, "max_live_students": at_floor, LIVE_ABOVE: above,
            LIVE_SPREAD: max(spread, at_floor)}


def floor_of(name: str, bounds: dict[str, int], doubled: int | None, clashes: int | None = None) -> int:
    """The floor of measure `name` (`bounds`: `floors`) for timetables with `doubled` doubled periods and `clashes`
    singleton clashes (None: not known yet): the largest live group's tighter floors need the doubled floor held
    (`live_floor`), and the tightest the singleton-clash floor too."""
    if name == "max_live_students" and (doubled is None or doubled > bounds["doubled"]):
        return bounds[LIVE_ABOVE]
    if name == "max_live_students" and clashes is not None and clashes <= bounds["singleton_clashes"]:
        return bounds[LIVE_SPREAD]
    return bounds[name]


def alone_grades(data: PeriodData) -> dict[tuple[str, str], frozenset]:
    """(section_id, term) -> the grades it holds as a singleton of a semester with no more singletons of that grade
    than periods: at the singleton-clash floor (an even spread, m·(m−1)/2 being strictly convex) each such singleton
    has its period to itself among them."""
    s = data.singletons
    few = s.groupby(["term", "grade"]).section_id.transform("size") <= data.n_periods
    out: dict[tuple[str, str], set] = {}
    for sid, term, grade in zip(s.section_id[few], s.term[few], s.grade[few]):
        out.setdefault((sid, term), set()).add(grade)
    return {key: frozenset(grades) for key, grades in out.items()}


def sharing(data: PeriodData, contract: ContractModel) -> pd.DataFrame:
    """The meetings with a `label`: sections of one label may share a period — one subject (A6.1 6.0 A(1)) — and an
    ELD section has a label of its own (A6.2 6.0 A(2), when the model says it meets alone: `alone`)."""
    m = data.meetings
    alone = m.eld & contract.periods.eld_alone_in_period.value
    return m.assign(alone=alone,
                    label=("subject " + m.subject.astype(str)).where(~alone, "section " + m.section_id.astype(str)))


def a6_holds(data: PeriodData, contract: ContractModel) -> bool:
    """A6.1 6.0 A(1) and A6.2 6.0 A(2) for the periods the sections hold: per teacher, semester and period at most
    max_sections_per_period sections, all of one label (`sharing`)."""
    held = sharing(data, contract).groupby(_GROUP).label.agg(["size", "nunique"])
    return bool(((held["size"] <= contract.max_sections_per_period) & (held["nunique"] <= 1)).all())


def live_floor(data: PeriodData, contract: ContractModel, *, at_doubled_floor: bool,
               forced: pd.DataFrame | None = None, alone_in: dict[tuple[str, str], frozenset] | None = None) -> int:
    """No timetable meets fewer students at once: the largest section, and where a teacher must double periods
    (`forced_doubles`, when not given), the lightest heaviest of their doubled pairs (`lightest_pairs`).
    `at_doubled_floor`: for the timetables that hold the doubled floor (each teacher doubles exactly their forced
    periods), which limits the pairs of two `year` sections; False gives the floor of every timetable. `alone_in`
    (`alone_grades`): for those that hold the singleton-clash floor too, where such singletons never pair."""
    if data.meetings.empty:
        return 0
    forced = (forced_doubles(data, contract) if forced is None else forced).stack()
    pairs = lightest_pairs(sharing(data, contract), forced[forced > 0], contract, at_doubled_floor, alone_in or {})
    return int(max([data.meetings.enrollment.max()] + pairs))


def lightest_pairs(shared: pd.DataFrame, forced: pd.Series, contract: ContractModel,
                   at_doubled_floor: bool = True, alone_in: dict[tuple[str, str], frozenset] | None = None,
                   ) -> list[int]:
    """At most two sections per period (A6.1 6.0 A(1) with max_sections_per_period 2): a teacher who must double d
    periods of a semester fills them with d disjoint pairs of one label each (`sharing`; an ELD section that meets
    alone never); per (teacher, semester) of `forced` (its doubled periods, > 0), the lightest heaviest pair any
    such d pairs can have (`pair_floor`), with at most min(d₁, d₂) pairs of two `year` sections when
    `at_doubled_floor`, and none of two singletons in `alone_in`'s grades. With more to a period, one doubled period
    still holds a pair of one label: d = 1, any pair."""
    k, alone_in = contract.max_sections_per_period, alone_in or {}
    if k < 2 or forced.empty:
        return []
    keys = set(forced.index)
    meetings: dict[tuple, list[Meeting]] = {}
    rows = shared[~shared.alone & shared.teacher_id.isin(forced.index.get_level_values(0))]
    for sid, teacher, term, label, semester, enrollment in rows[["section_id", "teacher_id", "term", "label",
                                                                 "semester", "enrollment"]].itertuples(index=False):
        if (teacher, term) in keys:
            meetings.setdefault((teacher, term), []).append(
                Meeting(label, str(semester) == "year", int(enrollment), alone_in.get((sid, term), frozenset())))
    heaviest = []
    for (teacher, term), d in forced.items():
        other = int(forced.get((teacher, TERMS[1 - TERMS.index(term)]), 0))
        pairs = int(d) if k == 2 else 1
        year_pairs = min(pairs, other) if at_doubled_floor and k == 2 else pairs
        found = lightest_heaviest_pair(meetings.get((teacher, term), []), pairs, year_pairs)
        if found is not None:
            heaviest.append(found)
    return heaviest


def forced_doubles(data: PeriodData, contract: ContractModel) -> pd.DataFrame:
    """Per teacher (rows) and semester (columns): doubled periods no timetable avoids (A6.1 6.0 A(1), A6.2 6.0 A(2)).

    One semester: n sections in P periods, at most k per period, need ⌈(n − P) / (k − 1)⌉ doubled periods. ELD
    sections (alone in their period) leave P − n_eld periods to the n − n_eld others, which gives the same number —
    within one semester ELD never raises the floor, and the count is exact (k = 2: the section model's bound
    Σ⌈n_subject / 2⌉ + n_eld ≤ P leaves enough same-subject pairs). Year sections raise it: they meet in a period
    free of ELD in both semesters, at most P − y_eld − max(eld of semester 1 only, of semester 2 only) periods, so
    y_other year sections double at least ⌈(y_other − that) / (k − 1)⌉ periods, counted in each semester.
    """
    k, periods = contract.max_sections_per_period, data.n_periods
    if k < 2 or data.meetings.empty:
        return pd.DataFrame(0, index=data.meetings.teacher_id.unique(), columns=list(TERMS))
    m = data.meetings.assign(alone=data.meetings.eld & contract.periods.eld_alone_in_period.value,
                             year=data.meetings.semester.astype(str).eq("year"))
    by_term = m.groupby(["teacher_id", "term"]).size().unstack(fill_value=0).reindex(columns=list(TERMS), fill_value=0)
    year = m[m.year & m.term.eq(TERMS[0])]  # each year section once
    year_alone, year_other = (year[year.alone == a].teacher_id.value_counts().reindex(by_term.index, fill_value=0)
                              for a in (True, False))
    term_alone = m[m.alone & ~m.year]
    only = term_alone.groupby(["teacher_id", "term"]).size().groupby("teacher_id").max().reindex(by_term.index,
                                                                                                fill_value=0)
    year_doubled = _ceil_div(year_other - (periods - year_alone - only), k - 1)
    per_term = _ceil_div(by_term - periods, k - 1)
    return per_term.clip(lower=year_doubled, axis=0)


def singleton_floor(data: PeriodData) -> int:
    """Per semester and grade: m single-section courses spread evenly over P periods still clash this often."""
    periods, total = max(data.n_periods, 1), 0
    for m in data.singletons.groupby(["term", "grade"]).size():
        q, r = divmod(int(m), periods)
        total += r * (q + 1) * q // 2 + (periods - r) * q * (q - 1) // 2
    return total


def _ceil_div(a: pd.Series | pd.DataFrame, b: int):
    """⌈a / b⌉ elementwise, at least 0."""
    return (-(-a // b)).clip(lower=0)
