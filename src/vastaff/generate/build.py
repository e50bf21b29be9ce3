"""`generate_district(n_teachers, seed, profile)`: every stage in order, and the tables in the documented columns (the
meetings calendar's calendar.csv and meeting_requests.csv included, ready for `vastaff meetings`)."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import pandas as pd

from vastaff.contract import ContractModel, load_contract
from vastaff.generate.common import MAX_TEACHERS, MIN_TEACHERS, Context, Streams
from vastaff.generate.demand import build_courses, build_demand, witness_plan
from vastaff.generate.matrix import build_matrix
from vastaff.generate.meetings import build_meetings
from vastaff.generate.positions import build_positions
from vastaff.generate.schools import build_periods, build_regions, build_schools, level_headcounts, school_count
from vastaff.generate.sites import add_locations, build_rooms, build_sites
from vastaff.generate.special_ed import build_iep_meetings, build_sped_students
from vastaff.generate.staff import build_staff
from vastaff.generate.tight import check_profile, profile_shape
from vastaff.schemas.inputs import INPUT_TABLES

SORT_KEYS = {
    "schools": ["school_id"], "regions": ["region_id"], "sites": ["site_id"], "rooms": ["room_id"],
    "teachers": ["teacher_id"], "courses": ["course_id"], "demand": ["course_id", "grade"],
    "periods": ["school_id", "order"], "iep_meetings": ["meeting_id"], "sped_students": ["student_id"],
    "positions": ["school_id", "level", "department"], "matrix": ["teacher_id", "rank"],
}


@dataclass(frozen=True)
class GeneratedDistrict:
    """The input tables (documented columns, sorted by ID) and the witnesses that prove them feasible: a plan of
    sections, one row per section and grade (teacher, course, semester, period, grade, students: a multi-grade
    section of the `tight` profile is the rows sharing teacher, course, semester and period) and, per IEP meeting,
    a teacher who teaches the student's grade in that plan, never two meetings on one day. `known_money`: school ->
    its money optimum in dollars where the profile forces money (`tight`), known by construction."""

    tables: dict[str, pd.DataFrame]
    witness: pd.DataFrame
    iep_witness: pd.DataFrame
    known_money: dict[str, int] = field(default_factory=dict)


def check_size(n_teachers: int) -> None:
    """The generator's range: 20 to 20,000 teachers."""
    if not _whole(n_teachers) or not MIN_TEACHERS <= n_teachers <= MAX_TEACHERS:
        raise ValueError(f"expected a whole number from {MIN_TEACHERS} to {MAX_TEACHERS:,} (got {n_teachers!r})")


def build_district(n_teachers: int, seed: int = 1, contract: ContractModel | None = None,
                   profile: str = "standard") -> GeneratedDistrict:
    """A synthetic district of exactly `n_teachers` teachers, deterministic per seed and profile, with its witness
    plan. Profiles: `standard` (a witness that costs nothing) and `tight` (see `generate.tight`: one school where
    stipends and multi-grade sections are forced, its money optimum in `known_money`)."""
    check_size(n_teachers)
    if not _whole(seed) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0 (got {seed!r})")
    check_profile(profile)
    ctx = Context(int(n_teachers), contract or load_contract(), Streams.from_seed(int(seed)))
    regions = build_regions(ctx, school_count(n_teachers))
    schools = build_schools(ctx, regions)
    staff = build_staff(ctx, level_headcounts(schools))
    shape = profile_shape(profile, ctx, staff)
    staff = shape.restaff(staff)
    witness = shape.rewitness(ctx, witness_plan(ctx, staff))
    sites = build_sites(ctx, regions, schools)
    teachers = shape.reconsent(add_locations(ctx, staff, schools, regions, sites))
    students = build_sped_students(ctx, teachers, witness)
    meetings = build_iep_meetings(ctx, students, witness)
    courses, demand = build_courses(witness, shape.catalogue()), build_demand(witness)
    tables = {
        "schools": schools, "regions": regions, "sites": sites,
        "rooms": build_rooms(ctx, teachers, schools, sites), "teachers": teachers,
        "courses": courses, "demand": demand,
        "periods": build_periods(schools),
        "iep_meetings": meetings, "sped_students": students,
        "positions": build_positions(ctx, teachers),
        "matrix": build_matrix(ctx, teachers, courses, demand, witness),
    }
    tables = {name: spec_columns(name, frame) for name, frame in tables.items()}
    tables.update(build_meetings(tables, int(seed)))
    return GeneratedDistrict(tables, witness,
                             meetings[["meeting_id", "witness"]].rename(columns={"witness": "teacher_id"}),
                             shape.known_money(ctx.contract))


def generate_district(n_teachers: int, seed: int = 1, contract: ContractModel | None = None,
                      profile: str = "standard") -> dict[str, pd.DataFrame]:
    """Table name -> rows with the documented columns (lists ';'-joined, blanks as ''), sorted by ID."""
    return build_district(n_teachers, seed, contract, profile).tables


def _whole(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def spec_columns(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Only the documented columns, in their documented order, rows sorted by their ID."""
    columns = list(INPUT_TABLES[name][0].model_fields)
    return frame[columns].sort_values(SORT_KEYS[name], kind="stable").reset_index(drop=True)
