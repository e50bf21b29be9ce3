"""A7.1 / A7.2 — the rotation's CP-SAT path on a school where the flow's optimum overlaps and its repair costs more
than the flow: a generated tight district (250 teachers, seed 21), whose VA06 has 35 meetings over 30 teachers.
Its costs stage (coverage, stability, seniority at the least spread) once ran to its wall limit unproven (cost 490
against a bound of 382 after 10 s) and kept the repair; with the LP at linearization level 2 it is proven at once."""

from __future__ import annotations

import pytest

from tests.people.iep.builders import CONTRACT, checker_violations
from tests.solve.builders import matrix_after_class_sizes
from vastaff.generate import generate_district, write_district
from vastaff.io.district import load_district
from vastaff.nightly.sections import SolveSettings, plan_sections
from vastaff.people.iep import Paths, assign_iep_meetings, meeting_times, rotation_pairs
from vastaff.people.iep.flow import costed_pairs


@pytest.fixture(scope="module")
def tonight(tmp_path_factory):
    folder = write_district(generate_district(250, 21, CONTRACT, profile="tight"), tmp_path_factory.mktemp("d") / "d")
    d = load_district(folder, CONTRACT)
    # the sections this school was found with: with them the flow's optimum overlaps and its repair costs more
    plan = plan_sections(d, matrix_after_class_sizes(CONTRACT), SolveSettings(time_limit=20, seed=0, processes=1))
    return d, plan.sections, plan.section_grades


def test_the_costs_stage_is_proven_within_its_time(tonight):
    d, sections, grades = tonight
    result = assign_iep_meetings(d, CONTRACT, sections, grades, time_limit=2.0)
    assert result.status == "OPTIMAL"
    va06 = result.figures["VA06"]
    assert (va06["meetings"], va06["eligible_teachers"], va06["min"], va06["max"], va06["spread"]) == (35, 30, 1, 2, 1)
    assert checker_violations(d, sections, grades, result) == []


def test_the_proven_rotation_is_cheaper_than_the_repair_it_starts_from(tonight):
    """Without CP-SAT's searches the repair is kept (FEASIBLE); the proven optimum costs less (VA06: 490 against 499)."""
    d, sections, grades = tonight
    proven = assign_iep_meetings(d, CONTRACT, sections, grades, time_limit=2.0)
    repair = assign_iep_meetings(d, CONTRACT, sections, grades, time_limit=2.0, paths=Paths(cpsat=False))
    assert repair.status == "FEASIBLE"
    assert _cost(d, sections, grades, proven) < _cost(d, sections, grades, repair)


def _cost(d, sections, grades, result) -> int:
    """The lexicographic costs (coverage, stability, seniority: `flow.costed_pairs`) of a rotation's pairs."""
    pairs = costed_pairs(rotation_pairs(d, CONTRACT, meeting_times(d.iep_meetings), sections, grades))
    chosen = set(zip(result.assignments.meeting_id, result.assignments.teacher_id))
    held = [(m, t) in chosen for m, t in zip(pairs.meeting_id.astype(str), pairs.teacher_id.astype(str))]
    return int(pairs.cost[held].sum())
