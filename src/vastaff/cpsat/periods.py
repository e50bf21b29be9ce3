"""A6.1 (6.0 A(1)) and A6.2 (6.0 A(2)): a teacher's sections fit the academic periods of each semester.

Per teacher and semester: every subject needs ceil(sections / max_sections_per_period) periods (two courses
share a period only within one subject) and every ELD section a period of its own; together at most the
school's academic periods. `decode.pack_periods` realises any counts that satisfy this bound.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.groups import Groups
from vastaff.cpsat.variables import SectionVars
from vastaff.sections.locks import periods_locked_free, year_periods
from vastaff.sections.problem import SEMESTERS_OF, SchoolProblem


def add_period_capacity(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel,
                        groups: Groups) -> None:
    per_period = contract.max_sections_per_period
    shape_info = _shape_info(p, contract)
    for teacher in p.teachers.teacher_id[~p.teachers.elementary]:
        shapes = v.shapes_of_teacher.get(teacher, [])
        for semester in ("1", "2"):
            subjects: dict[str, list] = {}
            alone: list = []
            for s in shapes:
                subject, meets, is_alone = shape_info[s]
                if semester in meets:
                    (alone if is_alone else subjects.setdefault(subject, [])).append(v.takes[teacher, s])
            if not subjects and not alone:
                continue
            used = []
            for subject, takes in sorted(subjects.items()):
                # as many periods as its sections could need: the cap of n_periods is the group's below (A6.1),
                # where a --strict explanation can name it, not this variable's domain
                most = -(-sum(int(list(t.proto.domain)[-1]) for t in takes) // per_period)
                periods = model.new_int_var(0, most, f"periods[{teacher},{subject},{semester}]")
                model.add(per_period * periods >= sum(takes))
                used.append(periods)
            free = periods_locked_free(p, teacher, semester)
            ct = model.add(sum(used) + sum(alone) <= p.n_periods - free)
            rules = ("A6.1", "A6.2") if alone else ("A6.1",)
            rules += ("LOCK",) if free else ()
            groups.enforce(ct, rules, f"teacher {teacher} semester {semester}", (("teachers.csv", teacher),))
        _year_capacity(model, p, v, teacher, {s: shape_info[s] for s in shapes}, per_period, groups)


def _at_course_limit(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel,
                     teacher: str, sid: int) -> list:
    """Per semester the shape meets, a literal that is 1 only where the teacher, without a stipend consent, teaches
    the A6.3 limit of other courses there (none for a teacher who consented: the limit does not keep them out)."""
    if p.teachers.set_index("teacher_id").consent[teacher]:
        return []
    course = p.shapes.course_id[p.shapes.sid == sid].iloc[0]
    semester_of = dict(zip(p.courses.course_id, p.courses.semester))
    limit, out = contract.max_courses_per_semester, []
    for semester in SEMESTERS_OF[semester_of[course]]:
        others = [lit for (t, c), lit in v.teaches.items()
                  if t == teacher and c != course and semester in SEMESTERS_OF[semester_of[c]]]
        if len(others) < limit:
            continue
        at_limit = model.new_bool_var(f"at_course_limit[{teacher},{sid},{semester}]")
        model.add(sum(others) >= limit).only_enforce_if(at_limit)
        if (teacher, course) in v.teaches:
            model.add(v.teaches[teacher, course] == 0).only_enforce_if(at_limit)
        out.append(at_limit)
    return out


def _shape_info(p: SchoolProblem, contract: ContractModel) -> dict[int, tuple[str, tuple[str, ...], bool]]:
    """sid -> (its course's subject, the semesters it meets, whether it meets alone in its period: ELD, A6.2)."""
    eld_alone = contract.periods.eld_alone_in_period.value
    info = {c: (subject, SEMESTERS_OF[sem], eld and eld_alone)
            for c, subject, sem, eld in p.courses[["course_id", "subject", "semester", "eld"]].itertuples(index=False)}
    return {sid: info[c] for sid, c in zip(p.shapes.sid, p.shapes.course_id)}


def _year_capacity(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, teacher: str, shape_info: dict,
                   per_period: int, groups: Groups) -> None:
    """LOCK with A6.1/A6.2: a `year` section holds one period in both semesters, so where the locks keep different
    periods free in the two semesters, the year sections fit the periods free in both (`year_periods`)."""
    room = year_periods(p, teacher)
    if room is None:
        return
    subjects: dict[str, list] = {}
    alone = []
    for s, (subject, meets, is_alone) in shape_info.items():
        if len(meets) == 2:
            (alone if is_alone else subjects.setdefault(subject, [])).append(v.takes[teacher, s])
    used = []
    for subject, takes in sorted(subjects.items()):
        periods = model.new_int_var(0, p.n_periods, f"year_periods[{teacher},{subject}]")
        model.add(per_period * periods >= sum(takes))
        used.append(periods)
    ct = model.add(sum(used) + sum(alone) <= room)
    groups.enforce(ct, ("A6.1", "LOCK"), f"teacher {teacher} year sections", (("teachers.csv", teacher),))


def no_room_for(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel, teacher: str,
                sid: int) -> cp_model.IntVar:
    """A literal that is 1 only where the teacher has no period for one more section of shape `sid` (A6.1/A6.2) in a
    semester it meets, whatever the timetable: every academic period their locks leave free is needed by the sections
    they hold (each subject at its fewest periods, ceil(n / max_sections_per_period), an ELD section alone), and the
    shape's subject fills its periods (n a multiple of the maximum) or meets alone; or, without a stipend consent, at
    the A6.3 limit of other courses in a semester it meets. 9.0(1)'s would-be vacancy of a secondary section, for a
    teacher of its level, as `vastaff check` reads it; but a `year` section whose teacher has a free period in each
    semester, not the same one, counts here as room (a little stricter than the checker)."""
    per_period = contract.max_sections_per_period
    shape_info = _shape_info(p, contract)
    subject, meets, alone = shape_info[sid]
    full = []
    for semester in meets:
        by_subject: dict[str, list] = {}
        used = []  # the periods the teacher's sections need at the fewest: one per ELD section, per subject the ceil
        for s in v.shapes_of_teacher.get(teacher, []):
            their_subject, their_meets, their_alone = shape_info[s]
            if semester in their_meets:
                (used if their_alone else by_subject.setdefault(their_subject, [])).append(v.takes[teacher, s])
        if not used and not by_subject:
            continue  # nothing held in that semester: every period free
        filled = model.new_bool_var(f"no_room[{teacher},{sid},{semester}]")
        for name, takes in sorted(by_subject.items()):
            periods = model.new_int_var(0, p.n_periods, f"fewest_periods[{teacher},{name},{semester},{sid}]")
            model.add(per_period * periods >= sum(takes))
            model.add(per_period * periods <= sum(takes) + per_period - 1)
            used.append(periods)
            if name == subject and not alone:
                model.add(per_period * periods == sum(takes)).only_enforce_if(filled)  # its periods full
        model.add(sum(used) >= p.n_periods - periods_locked_free(p, teacher, semester)).only_enforce_if(filled)
        full.append(filled)
    full += _at_course_limit(model, p, v, contract, teacher, sid)
    literal = model.new_bool_var(f"no_room[{teacher},{sid}]")
    if full:
        model.add_bool_or(full).only_enforce_if(literal)
    else:
        model.add(literal == 0)
    return literal
