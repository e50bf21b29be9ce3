"""One-screen summary of a valid district (`vastaff validate`): who, what, and whether it can fit."""

from __future__ import annotations

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.district import District


def staff_by_school_level(d: District) -> pd.DataFrame:
    """Teachers (classroom / resource specialists), courses and students per school and level."""
    t = d.teachers.assign(classroom=d.teachers.role.eq("classroom"), specialists=d.teachers.role.eq("resource_specialist"))
    staff = t.groupby(["school_id", "level"]).agg(classroom=("classroom", "sum"), specialists=("specialists", "sum"))
    courses = d.courses.groupby(["school_id", "level"]).size().rename("courses")
    dem = d.demand.merge(d.courses[["course_id", "level"]], on="course_id")
    students = dem.groupby(["school_id", "level"]).students.sum().rename("course_seats")
    out = pd.concat([staff, courses, students], axis=1).fillna(0).astype(int).reset_index()
    return out.sort_values(["school_id", "level"], kind="stable")


def band_capacity(d: District, contract: ContractModel) -> pd.DataFrame:
    """Per school and A8.1 band: course seats, sections they need at the band mean, and teacher-period slots.

    Secondary slots = academic periods x semesters x max sections per period per classroom teacher;
    elementary slots = one homeroom per classroom teacher.
    """
    dem = d.course_grades(contract)
    dem = dem[dem.program.isin(["general", "eld"])]
    dem = dem.assign(band=dem.grade.map(lambda g: contract.band_of(max(g, 0))))
    means = contract.band_mean_max
    seats = dem.groupby(["school_id", "band"]).students.sum().rename("seats").reset_index()
    seats["sections_at_mean"] = [-(-s // means[b]) for s, b in zip(seats.seats, seats.band)]
    periods = d.academic_periods().groupby("school_id").size()
    teachers = d.teachers[(d.teachers.role == "classroom")]
    slots = []
    for school, group in teachers.groupby("school_id"):
        elementary = int((group.level == "elementary").sum())
        secondary = int((group.level != "elementary").sum())
        slots.append({"school_id": school,
                      "homerooms": elementary,
                      "period_slots": secondary * int(periods.get(school, 0)) * 2 * contract.max_sections_per_period})
    return seats.merge(pd.DataFrame(slots, columns=["school_id", "homerooms", "period_slots"]), on="school_id", how="left").fillna(0)


def rooms_vs_choosers(d: District) -> pd.DataFrame:
    """Per region: teacher places in open sites' rooms vs. teachers who chose `site` (A19)."""
    rooms = d.rooms.merge(d.sites[["site_id", "region_id", "status"]], on="site_id")
    rooms = rooms[rooms.status == "open"]
    places = rooms.assign(places=rooms.capacity.where((rooms.kind == "shared") & rooms.partitions, 1))
    per_region = places.groupby("region_id").places.sum().rename("room_places")
    schools = d.teachers.merge(d.schools[["school_id", "region_id"]], on="school_id")
    choosers = schools[schools.work_location == "site"].groupby("region_id").size().rename("site_choosers")
    return pd.concat([per_region, choosers], axis=1).fillna(0).astype(int).reset_index(names="region_id")
