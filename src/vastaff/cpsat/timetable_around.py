"""The grade-peak stage's search around a timetable (`cpsat.timetable`, `Attempt.around`): only the sections of the
teachers who hold a crowded grade may move, every other section keeps its period.

Why: the spread's local moves (`sections.spread`) can end one section above an even spread of a grade, where freeing
it takes a chain of three or more moves across teachers (a year ELD section that is its grade's singleton, whose move
would add a clash, and so on). The whole period model then spent 0.3-0.9 s of LP on a school of 130-150 sections
(tight 300 seed 4's VA01, a 220-teacher district's VA05); the few teachers of the crowded grade, alone free, reach an
even spread in 0.02-0.1 deterministic s.
"""

from __future__ import annotations

from collections import Counter

from ortools.sat.python import cp_model

from vastaff.cpsat.timetable_model import TimetableModel
from vastaff.sections.timetable_figures import PeriodData, even_spread


def crowded_grades(data: PeriodData, periods: dict[str, str]) -> set:
    """The grades that some semester holds in more sections in one period than an even spread gives (a grade-peak
    excess above 0)."""
    rows = data.rows.grades
    held = Counter((term, grade) for _, term, grade in rows)
    per_period = Counter((term, grade, periods[sid]) for sid, term, grade in rows)
    return {grade for (term, grade, _), n in per_period.items() if n > even_spread(held[term, grade], data.n_periods)}


def free_sections(data: PeriodData, periods: dict[str, str]) -> set[str]:
    """Every section of each teacher holding a section of a crowded grade (`crowded_grades`), in either semester."""
    grades = crowded_grades(data, periods)
    holding = {sid for sid, _, grade in data.rows.grades if grade in grades}
    teachers = {teacher for sid, teacher, _, _ in data.rows.meetings if sid in holding}
    return {sid for sid, teacher, _, _ in data.rows.meetings if teacher in teachers}


def around(tm: TimetableModel, data: PeriodData, periods: dict[str, str]) -> cp_model.CpModel:
    """A copy of the stage's model (its objective and hint included) with every section but `free_sections` fixed in
    its period of `periods`."""
    free = free_sections(data, periods)
    model = tm.model.clone()
    for (sid, period), var in tm.vars.x.items():
        if sid not in free:
            model.add(var == int(periods[sid] == period))
    return model
