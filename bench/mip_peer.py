"""A MIP peer of vastaff's section model, one school at a time, with HiGHS (bench only: `pip install highspy`).

Usage:  .venv/bin/python bench/mip_peer.py DATA [--model models/va-2025-2027.yaml] [--time-limit S] [--json]

Prints a table per school (status, vacancies, money, proven bound, seconds) and the district's total; with --json,
one line of JSON instead (what bench/ladder.py reads; HiGHS prints its banner on stdout before it).

Built from the very `SchoolProblem` the CP-SAT model reads (shapes = course x admissible grade run, CRED-pruned
teacher-shape pairs), with the same rules as `cpsat/model.py`: DEMAND, CRED (by pruning), one homeroom per
elementary teacher, A6.1/A6.2 period capacity (per subject ceil(sections / 2) periods, ELD alone), A6.3 course
limit and stipends, A8.1 section_max and band means, A8.2 norms, A8.3/A8.4 (by shapes), A8.5 multi-grade cost,
A12 X-time (with a previous plan), and the A7.1/A7.2 IEP-cover shortfall the CP-SAT `vacancies` stage counts.
Objective, lexicographic and exact: first vacancies (+ IEP shortfall), then money in dollars with the first fixed
at its optimum; each stage solved with zero gap tolerance.
It omits the stages after money (stability, preferences, seniority), the period packing (`decode`) and everything
solved after sections (IEP rotation, caseloads, rooms) — none of them changes the money optimum. It also omits
matrix.csv (A9.1), which does: a senior teacher's grade choice that no junior may block is a hard rule of vastaff's
money stage, and a level choice lets vastaff staff a section of another level that would be vacant. With matrix.csv,
the MIP's money is a lower bound and its vacancies may be above vastaff's (an audit of 161 districts: 16 cost more
than the MIP, one had a vacancy fewer, each explained by matrix.csv and agreeing again without it). The tight
districts of the ladder agree ($14,400 in every one).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import highspy

from vastaff.cpsat.iep_cover import above_vacancies
from vastaff.contract import ContractModel, load_contract
from vastaff.io.district import load_district
from vastaff.sections.problem import SEMESTERS_OF, SchoolProblem, school_problems

STAGES = ("vacancies", "money")


@dataclass(frozen=True)
class MipResult:
    """One school: each stage's value and proven bound, HiGHS's status, and wall seconds (model and both stages)."""

    school_id: str
    status: str            # OPTIMAL when both stages are proven, else the first unproven stage's HiGHS status
    vacancies: float
    money: float           # dollars
    money_bound: float
    seconds: float


class SectionMip:
    """The section-staffing variables of one school in a HiGHS model, with named access like `cpsat.variables`."""

    def __init__(self, p: SchoolProblem, contract: ContractModel):
        self.p, self.contract = p, contract
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("mip_rel_gap", 0.0)
        self.h.setOptionValue("threads", 1)
        self.course_of = dict(zip(p.shapes.sid, p.shapes.course_id))
        self.semesters = dict(zip(p.courses.course_id, p.courses.semester))
        self._variables()

    def _int(self, lb: float, ub: float):
        return self.h.addIntegral(lb=lb, ub=ub)

    def _variables(self) -> None:
        """Sections opened and vacant per shape, seats per shape and grade, takes per pair, teaches per course."""
        p, per_teacher = self.p, max(self.p.max_sections_per_teacher(self.contract), 1)
        k_max = dict(zip(p.shapes.sid, p.shapes.k_max))
        self.opened = {s: self._int(0, k) for s, k in k_max.items()}
        self.vacant = {s: self._int(0, k) for s, k in k_max.items()}
        students = p.demand.set_index(["course_id", "grade"]).students
        self.seats = {(s, g): self._int(0, int(students[c, g])) for s, c, g in p.shape_grades.itertuples(index=False)}
        elementary = dict(zip(p.teachers.teacher_id, p.teachers.elementary))
        self.takes_ub = {(t, s): 1 if elementary[t] else min(int(k_max[s]), per_teacher)
                         for t, s in p.eligible.itertuples(index=False)}
        self.takes = {key: self._int(0, ub) for key, ub in self.takes_ub.items()}
        self.shapes_of_teacher: dict[str, list[int]] = {}
        self.teachers_of_shape: dict[int, list[str]] = {}
        for t, s in self.takes:
            self.shapes_of_teacher.setdefault(t, []).append(s)
            self.teachers_of_shape.setdefault(s, []).append(t)
        pairs = dict.fromkeys((t, self.course_of[s]) for t, s in self.takes)
        self.teaches = {key: self.h.addBinary() for key in pairs}

    def add_rules(self) -> None:
        for rule in (self._demand, self._homerooms, self._period_capacity, self._link_teaches, self._section_caps,
                     self._band_means):
            rule()

    def _demand(self) -> None:
        """DEMAND: each grade seated once; a section holds a student of each of its grades; teacher or vacancy."""
        p, h = self.p, self.h
        by_grade: dict[tuple[str, int], list] = {}
        for (s, g), var in self.seats.items():
            by_grade.setdefault((self.course_of[s], g), []).append(var)
        for course, grade, students in p.demand.itertuples(index=False):
            h.addConstr(h.qsum(by_grade[course, grade]) == int(students))
        for s, grades, multigrade in p.shapes[["sid", "grades", "multigrade"]].itertuples(index=False):
            seats = [self.seats[s, g] for g in grades]
            h.addConstr(h.qsum(seats) >= self.opened[s])
            for var in seats if multigrade else ():
                h.addConstr(var >= self.opened[s])
            staffed = [self.takes[t, s] for t in self.teachers_of_shape.get(s, [])]
            h.addConstr(self.opened[s] == self.vacant[s] + h.qsum(staffed))

    def _homerooms(self) -> None:
        """STRUCTURE (docs/contract.md): at most one homeroom per elementary classroom teacher."""
        for t in self.p.teachers.teacher_id[self.p.teachers.elementary]:
            shapes = self.shapes_of_teacher.get(t, [])
            if len(shapes) > 1:
                self.h.addConstr(self.h.qsum(self.takes[t, s] for s in shapes) <= 1)

    def _period_capacity(self) -> None:
        """A6.1/A6.2: per teacher and semester, ceil(sections / 2) periods per subject plus one per ELD section."""
        p, h, per_period = self.p, self.h, self.contract.max_sections_per_period
        eld_alone = self.contract.periods.eld_alone_in_period.value
        courses = p.courses[["course_id", "subject", "semester", "eld"]].itertuples(index=False)
        info = {c: (subject, SEMESTERS_OF[sem], eld and eld_alone) for c, subject, sem, eld in courses}
        for t in p.teachers.teacher_id[~p.teachers.elementary]:
            for semester in ("1", "2"):
                subjects: dict[str, list] = {}
                alone: list = []
                for s in self.shapes_of_teacher.get(t, []):
                    subject, meets, is_alone = info[self.course_of[s]]
                    if semester in meets:
                        (alone if is_alone else subjects.setdefault(subject, [])).append(self.takes[t, s])
                if not subjects and not alone:
                    continue
                used = []
                for subject, takes in sorted(subjects.items()):
                    periods = self._int(0, p.n_periods)
                    h.addConstr(per_period * periods >= h.qsum(takes))
                    used.append(periods)
                h.addConstr(h.qsum(used + alone) <= p.n_periods)

    def _link_teaches(self) -> None:
        """teaches[t, c] is 1 exactly when the teacher takes a section of the course."""
        takes_of: dict[tuple[str, str], list] = {}
        for (t, s), var in self.takes.items():
            takes_of.setdefault((t, self.course_of[s]), []).append((var, self.takes_ub[t, s]))
        for key, lit in self.teaches.items():
            total = self.h.qsum(var for var, _ in takes_of[key])
            self.h.addConstr(total >= lit)
            self.h.addConstr(total <= sum(ub for _, ub in takes_of[key]) * lit)

    def _section_caps(self) -> None:
        """A8.1 section_max and A8.2 program_max: a shape's seats fit its sections at the cap."""
        for s, grades, cap in self.p.shapes[["sid", "grades", "cap"]].itertuples(index=False):
            self.h.addConstr(self.h.qsum(self.seats[s, g] for g in grades) <= int(cap) * self.opened[s])

    def _band_means(self) -> None:
        """A8.1: per band and semester, general and ELD seats <= band mean x sections meeting (vacancies count)."""
        buckets: dict[tuple[str, str], tuple[list, list]] = {}
        for s, grades, band in self.p.shapes[["sid", "grades", "band"]].itertuples(index=False):
            for semester in SEMESTERS_OF[self.semesters[self.course_of[s]]] if band else ():
                seats, opened = buckets.setdefault((band, semester), ([], []))
                seats.extend(self.seats[s, g] for g in grades)
                opened.append(self.opened[s])
        for (band, _), (seats, opened) in sorted(buckets.items()):
            mean = self.contract.band_mean_max[band]
            self.h.addConstr(self.h.qsum(seats) <= mean * self.h.qsum(opened))

    def vacancy_terms(self) -> list:
        """Stage `vacancies`: unstaffed sections plus the IEP-cover shortfall above them (A7.1/A7.2), as in CP-SAT."""
        return list(self.vacant.values()) + self._iep_shortfall()

    def _iep_shortfall(self) -> list:
        p, h = self.p, self.h
        if p.iep_need.empty:
            return []
        general = set(p.teachers.teacher_id[p.teachers.department == "general"])
        shapes_with = p.shape_grades.groupby("grade").sid.apply(set).to_dict()
        terms = []
        for grades, needed, excluded in p.iep_need[["grades", "teachers", "excluded"]].itertuples(index=False):
            teaching = []
            with_grades = set().union(*(shapes_with.get(g, ()) for g in grades))
            for t in sorted(general - excluded):
                takes = [self.takes[t, s] for s in self.shapes_of_teacher.get(t, []) if s in with_grades]
                if takes:
                    y = h.addBinary()
                    h.addConstr(h.qsum(takes) >= y)
                    teaching.append(y)
            target = min(int(needed), len(teaching))
            if target:
                short = self._int(0, target)
                h.addConstr(short >= target - h.qsum(teaching))
                terms.append(above_vacancies(p) * short)  # a meeting no one may hold weighs above every vacancy
        return terms

    def money_terms(self) -> list:
        """Stage `money` in dollars: A6.3 stipends, A8.5 multi-grade sections per semester met, A12 X-time."""
        return self._stipends() + self._multigrade() + self._xtime()

    def _stipends(self) -> list:
        """A6.3: courses beyond the limit per semester cost a stipend if the teacher consents, else are forbidden."""
        c, h = self.contract, self.h
        consent = dict(zip(self.p.teachers.teacher_id, self.p.teachers.consent))
        by_teacher: dict[str, list[tuple[str, object]]] = {}
        for (t, course), lit in self.teaches.items():
            by_teacher.setdefault(t, []).append((course, lit))
        terms = []
        for t, items in sorted(by_teacher.items()):
            for semester in ("1", "2"):
                lits = [lit for course, lit in items if semester in SEMESTERS_OF[self.semesters[course]]]
                if len(lits) <= c.max_courses_per_semester:
                    continue
                if consent[t]:
                    extra = self._int(0, len(lits) - c.max_courses_per_semester)
                    h.addConstr(extra >= h.qsum(lits) - c.max_courses_per_semester)
                    terms.append(c.stipend_per_course * extra)
                else:
                    h.addConstr(h.qsum(lits) <= c.max_courses_per_semester)
        return terms

    def _multigrade(self) -> list:
        cost = self.contract.multigrade_cost
        return [cost * len(SEMESTERS_OF[self.semesters[self.course_of[s]]]) * self.takes[t, s]
                for s in self.p.shapes.sid[self.p.shapes.multigrade] for t in self.teachers_of_shape.get(s, [])]

    def _xtime(self) -> list:
        if not self.p.has_previous:
            return []
        taught = self.p.previous.groupby("teacher_id").course_id.agg(set).to_dict()
        owed: dict[str, list] = {}
        for (t, course), lit in self.teaches.items():
            if t in taught and course not in taught[t]:
                owed.setdefault(t, []).append(lit)
        terms = []
        for lits in owed.values():
            x = self.h.addBinary()
            for lit in lits:
                self.h.addConstr(x >= lit)
            terms.append(self.contract.xtime_cost * x)
        return terms


def solve_school(p: SchoolProblem, contract: ContractModel, time_limit: float = 60.0) -> MipResult:
    """Vacancies, then money with vacancies fixed at their optimum; `time_limit` wall seconds per stage."""
    began = time.perf_counter()
    mip = SectionMip(p, contract)
    mip.add_rules()
    mip.h.setOptionValue("time_limit", float(time_limit))
    values, bounds, status = {}, {}, "OPTIMAL"
    for name, terms in zip(STAGES, (mip.vacancy_terms(), mip.money_terms())):
        if not terms:
            values[name] = bounds[name] = 0.0
            continue
        objective = mip.h.qsum(terms)
        mip.h.minimize(objective)
        model_status = mip.h.getModelStatus()
        info = mip.h.getInfo()
        # whole units (vacancies, dollars of whole-dollar terms): HiGHS gave 14399.999999999998 for $14,400
        values[name], bounds[name] = round(info.objective_function_value, 6), round(info.mip_dual_bound, 6)
        if model_status != highspy.HighsModelStatus.kOptimal:
            status = mip.h.modelStatusToString(model_status).upper().replace(" ", "_")
            break
        mip.h.addConstr(objective <= round(values[name]))
    return MipResult(p.school_id, status, values.get("vacancies", float("nan")), values.get("money", float("nan")),
                     bounds.get("money", float("nan")), time.perf_counter() - began)


def solve_district(data: str | Path, contract: ContractModel, time_limit: float = 60.0) -> list[MipResult]:
    """Every school of a data folder, in school_id order."""
    district = load_district(Path(data), contract)
    return [solve_school(p, contract, time_limit) for p in school_problems(district, contract)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--time-limit", type=float, default=60.0, help="wall seconds per school and stage")
    ap.add_argument("--json", action="store_true", help="one line of JSON: a list of per-school results")
    args = ap.parse_args()
    results = solve_district(args.data, load_contract(args.model), args.time_limit)
    if args.json:
        print(json.dumps([asdict(r) for r in results]))
        return
    print("| school | status | vacancies | money $ | bound $ | seconds |\n|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r.school_id} | {r.status} | {r.vacancies:.0f} | {r.money:,.0f} | {r.money_bound:,.0f} | "
              f"{r.seconds:.2f} |")
    print(f"| total | {'OPTIMAL' if all(r.status == 'OPTIMAL' for r in results) else 'NOT PROVEN'} | "
          f"{sum(r.vacancies for r in results):.0f} | {sum(r.money for r in results):,.0f} | "
          f"{sum(r.money_bound for r in results):,.0f} | {sum(r.seconds for r in results):.2f} |")


if __name__ == "__main__":
    main()
