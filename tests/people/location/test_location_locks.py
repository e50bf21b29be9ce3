"""LOCK (docs/contract.md): site, room and home rows of locks.csv in assign_locations.

Geography of conftest.py: R1 at 0 km (school VA1's region), R2 at 10 km, R3 at 30 km. Each test states what the
plain construction does (the control) and what the lock changes; conflicts are matched word for word.
"""

from __future__ import annotations

import pandas as pd
import pytest

from vastaff import generate
from vastaff.check import closures, incumbents, location
from vastaff.check.core import CheckContext
from vastaff.check.locks import check_locks
from vastaff.people.location import assign_locations
from vastaff.rules import Finding, Infeasible
from vastaff.schemas.district import District, Plan
from vastaff.schemas.inputs import LockRow


def lock(lock_id: str, teacher: str, mode: str, site: str, room: str | None = None, reason: str = "") -> dict:
    """A locks.csv row of the site group."""
    return {"lock_id": lock_id, "teacher_id": teacher, "mode": mode, "course_id": None, "semester": None,
            "period_id": None, "site_id": site, "room_id": room, "meeting_id": None, "reason": reason}


def with_locks(district: District, rows: list[dict]) -> District:
    """The district with these lock rows, as the loader gives them (every LockRow column, blanks NaN, `_row`)."""
    frame = pd.DataFrame(rows, columns=list(LockRow.model_fields)).astype(object)
    frame["_row"] = range(2, len(rows) + 2)
    return District(**{**district.__dict__, "locks": frame})


def run(world, sites, rooms, teachers, locks=()):
    """(district with the locks, assign_locations on it)."""
    d = with_locks(world.frames(world.base_tables(sites, rooms, teachers)), list(locks))
    return d, assign_locations(d, world.contract)


def conflicts(world, sites, rooms, teachers, locks) -> list[Finding]:
    with pytest.raises(Infeasible) as exc:
        run(world, sites, rooms, teachers, locks)
    return exc.value.findings


def checker(district: District, result) -> list[str]:
    """The independent checker (LOCK, A16, A19, A24 with its incumbents, A25, A26) on the result's teachers.csv
    columns."""
    e = pd.DataFrame()
    ctx = CheckContext(district=district, plan=Plan(e, e, result.assignments, e, e), contract=None)
    checks = [check_locks, *location.CHECKS, *incumbents.CHECKS, *closures.CHECKS]
    return [str(f) for check in checks for f in check(ctx)]


def two_sites(world):
    """S1 in R1 and S2 in R2, one classroom each."""
    return ([world.site("S1", "R1"), world.site("S2", "R2")],
            [world.room("S1-101", "S1"), world.room("S2-101", "S2")])


# ----------------------------------------------------------------------------------------------
# Locks that change the plan


def test_require_a_site_beats_seniority_and_the_checker_agrees(world):
    sites, rooms = two_sites(world)
    teachers = [world.teacher("A", "2001-01-01"), world.teacher("B", "2002-01-01")]
    _, plain = run(world, sites, rooms, teachers)
    assert world.placed(plain) == {"A": ("S1", "S1-101"), "B": ("S2", "S2-101")}  # the nearest site goes to A
    d, r = run(world, sites, rooms, teachers, [lock("L1", "B", "require", "S1", reason="mentor program")])
    assert world.placed(r) == {"A": ("S2", "S2-101"), "B": ("S1", "S1-101")}
    assert r.explain("B") == ["LOCK: placed at S1 in room S1-101 by lock L1 (mentor program)"]
    assert r.explain("A") == ["A19: placed at S2 (open site in region R2, the nearest to school region R1 with a room "
                              "left)", "A19: no room left at S1"]
    assert checker(d, r) == []
    assert checker(d, plain) == ["LOCK: lock L1 (require): teacher B must work at site S1, but the plan has them at "
                                 "site S2 in room S2-101"]


def test_forbid_the_site_they_would_get(world):
    sites, rooms = two_sites(world)
    teachers = [world.teacher("A")]
    d, r = run(world, sites, rooms, teachers, [lock("L1", "A", "forbid", "S1")])
    assert world.placed(r) == {"A": ("S2", "S2-101")}
    assert r.explain("A") == ["A19: placed at S2 (open site in region R2, the nearest to school region R1 with a room "
                              "left)", "LOCK: lock L1 forbids them to work at site S1; placed at S2 in room S2-101"]
    assert checker(d, r) == []


def test_require_home_for_an_incumbent(world):
    sites, rooms = two_sites(world)
    teachers = [world.teacher("A", where="either", current="S1")]
    assert world.site_of(run(world, sites, rooms, teachers)[1]) == {"A": "S1"}
    d, r = run(world, sites, rooms, teachers, [lock("L1", "A", "require", "home")])
    assert world.placed(r) == {"A": (None, None)}
    assert r.explain("A") == ["LOCK: leaves S1; works from home by lock L1"]
    assert r.figures["moves"]["left_site"] == 1
    assert checker(d, r) == []


def test_require_home_for_a_site_chooser_with_ra_is_no_shortfall(world):
    """A16: RA pending makes home allowed whatever else holds, so the lock holds; no A19 shortfall is reported."""
    sites, rooms = two_sites(world)
    d, r = run(world, sites, rooms, [world.teacher("A", ra="pending")], [lock("L1", "A", "require", "home")])
    assert world.placed(r) == {"A": (None, None)}
    assert r.shortfalls.empty and r.figures["shortfall"] == 0
    assert checker(d, r) == []


def test_forbid_home_sends_an_either_chooser_to_the_nearest_site(world):
    sites, rooms = two_sites(world)
    teachers = [world.teacher("A", where="either")]
    assert world.site_of(run(world, sites, rooms, teachers)[1]) == {"A": None}
    d, r = run(world, sites, rooms, teachers, [lock("L1", "A", "forbid", "home")])
    assert world.placed(r) == {"A": ("S1", "S1-101")}
    assert checker(d, r) == []


def test_require_a_room(world):
    """Classrooms are seated first (A uses S1-101); a lock puts A in the shared room and B takes the classroom."""
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-101", "S1"), world.room("S1-200", "S1", "shared", capacity=2, partitions=True)]
    teachers = [world.teacher("A", "2001-01-01"), world.teacher("B", "2002-01-01")]
    assert world.placed(run(world, sites, rooms, teachers)[1]) == {"A": ("S1", "S1-101"), "B": ("S1", "S1-200")}
    d, r = run(world, sites, rooms, teachers, [lock("L1", "A", "require", "S1", "S1-200")])
    assert world.placed(r) == {"A": ("S1", "S1-200"), "B": ("S1", "S1-101")}
    assert checker(d, r) == []


def test_forbid_a_room_seats_the_teacher_elsewhere_at_the_site(world):
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-101", "S1"), world.room("S1-102", "S1")]
    teachers = [world.teacher("A", "2001-01-01"), world.teacher("B", "2002-01-01")]
    assert world.placed(run(world, sites, rooms, teachers)[1]) == {"A": ("S1", "S1-101"), "B": ("S1", "S1-102")}
    d, r = run(world, sites, rooms, teachers, [lock("L1", "A", "forbid", "S1", "S1-101")])
    assert world.placed(r) == {"A": ("S1", "S1-102"), "B": ("S1", "S1-101")}  # swapped with the junior B
    assert checker(d, r) == []
    # a free room is taken before anyone is swapped
    d, r = run(world, sites, rooms + [world.room("S1-103", "S1")], teachers,
               [lock("L1", "A", "forbid", "S1", "S1-101")])
    assert world.placed(r) == {"A": ("S1", "S1-103"), "B": ("S1", "S1-102")}
    # a site whose only room is forbidden is forbidden as a whole
    sites2 = sites + [world.site("S2", "R2")]
    d, r = run(world, sites2, [rooms[0], world.room("S2-101", "S2")], teachers[:1],
               [lock("L1", "A", "forbid", "S1", "S1-101")])
    assert world.placed(r) == {"A": ("S2", "S2-101")}
    assert checker(d, r) == []


def test_locks_through_the_csv_loader(world):
    """locks.csv read by load_district (the loader's frame, not the test's builder) gives the same answer."""
    sites, rooms = two_sites(world)
    tables = world.base_tables(sites, rooms, [world.teacher("A", "2001-01-01"), world.teacher("B", "2002-01-01")])
    tables["locks"] = [lock("L1", "B", "require", "S1", "S1-101")]
    d = world.load(tables)
    r = assign_locations(d, world.contract)
    assert world.placed(r) == {"A": ("S2", "S2-101"), "B": ("S1", "S1-101")}
    assert checker(d, r) == []


def test_a_locked_placement_counts_as_an_incumbent_for_a24(world):
    """docs/contract.md, A24: "A placement a `require` lock makes counts as an incumbent": junior B locked to S1
    keeps it although senior A ranked it first, and that is no conflict."""
    sites, rooms = two_sites(world)
    teachers = [world.teacher("A", "2001-01-01", where="either", requests="S1"), world.teacher("B", "2005-01-01")]
    assert world.site_of(run(world, sites, rooms, teachers)[1]) == {"A": "S1", "B": "S2"}
    d, r = run(world, sites, rooms, teachers, [lock("L1", "B", "require", "S1")])
    assert world.placed(r) == {"A": (None, None), "B": ("S1", "S1-101")}
    assert r.explain("A") == ["A24: request 1 not granted: S1 full (1 place: locked there B (Teacher B))"]
    assert checker(d, r) == []  # the independent checker counts B as S1's incumbent too


def test_a_closed_sites_teacher_locked_outside_its_region(world):
    """A26: S3 (R2) closed; its region still has S2. A lock to S1 (R1) is refused while S2 has a free place."""
    sites = [world.site("S1", "R1"), world.site("S2", "R2"), world.site("S3", "R2", status="closed")]
    rooms = [world.room("S1-101", "S1"), world.room("S2-101", "S2")]
    teachers = [world.teacher("A", "2001-01-01", current="S3")]
    assert world.site_of(run(world, sites, rooms, teachers)[1]) == {"A": "S2"}
    found = conflicts(world, sites, rooms, teachers, [lock("L1", "A", "require", "S1")])
    assert [str(f) for f in found] == [
        "LOCK + A26: lock L1 requires teacher A to work at site S1; that places teacher A of closed site S3 (region "
        "R2) at S1 in region R1, while region R2 of that site still has a free place"]
    # control: with S2 held by its incumbent, region R1 (A's home) is where A26 sends them, and the lock holds
    teachers.append(world.teacher("B", "2002-01-01", current="S2"))
    d, r = run(world, sites, rooms, teachers, [lock("L1", "A", "require", "S1")])
    assert world.site_of(r) == {"A": "S1", "B": "S2"}
    assert checker(d, r) == []


# ----------------------------------------------------------------------------------------------
# Locks the construction already satisfies change nothing


def same(a, b) -> None:
    pd.testing.assert_frame_equal(a.assignments, b.assignments)
    pd.testing.assert_frame_equal(a.explanations, b.explanations)
    pd.testing.assert_frame_equal(a.shortfalls, b.shortfalls)
    pd.testing.assert_frame_equal(a.preferences, b.preferences)
    assert a.figures == b.figures


def test_satisfied_locks_change_nothing_on_a_generated_district(world, tmp_path):
    from vastaff.generate.writer import write_district
    from vastaff.io.district import load_district

    write_district(generate.generate_district(50, 11), tmp_path / "d")
    d = load_district(tmp_path / "d", world.contract)
    plain = assign_locations(d, world.contract)
    a = plain.assignments
    on, off = a[a["work_location"] == "site"], a[a["work_location"] == "home"]
    other = {s: next(x for x in sorted(d.sites["site_id"]) if x != s) for s in on["site_id"]}
    rows = ([lock(f"R{i}", t, "require", s, rm) for i, (t, s, rm) in enumerate(on[["teacher_id", "site_id", "room_id"]]
                                                                                   .head(6).itertuples(index=False))]
            + [lock(f"F{i}", t, "forbid", other[s]) for i, (t, s) in enumerate(on[["teacher_id", "site_id"]]
                                                                               .tail(6).itertuples(index=False))]
            + [lock(f"H{i}", t, "require", "home") for i, t in enumerate(off["teacher_id"].head(3))]
            + [lock(f"N{i}", t, "forbid", "home") for i, t in enumerate(on["teacher_id"].head(3))])
    assert len(rows) == 18
    locked = with_locks(d, rows)
    same(assign_locations(locked, world.contract), plain)
    assert checker(locked, plain) == []
    # control: one broken lock among them does change the plan (an incumbent who chose either and asked nothing,
    # sent home: no contract rule is in the way)
    t = d.teachers[(d.teachers["work_location"] == "either") & (d.teachers["requested_site_ids"].map(len) == 0)
                   & d.teachers["teacher_id"].isin(on["teacher_id"].iloc[6:-6])]["teacher_id"].iloc[0]
    changed = assign_locations(with_locks(d, rows + [lock("X", t, "require", "home")]), world.contract)
    assert changed.assignments.set_index("teacher_id").at[t, "work_location"] == "home"
    assert changed.explain(t)[-1].startswith("LOCK: leaves ")


def test_a_satisfied_forbid_of_a_request_changes_nothing(world):
    """B ranked S1 first but senior A holds it: forbidding S1 to B takes nothing B would get."""
    sites, rooms = two_sites(world)
    teachers = [world.teacher("A", "2001-01-01", current="S1"), world.teacher("B", "2002-01-01", requests="S1;S2")]
    _, plain = run(world, sites, rooms, teachers)
    d, r = run(world, sites, rooms, teachers, [lock("L1", "B", "forbid", "S1")])
    same(r, plain)
    assert world.site_of(r) == {"A": "S1", "B": "S2"}


# ----------------------------------------------------------------------------------------------
# Locks that cannot hold together with the contract rules


def test_a_closed_site_required(world):
    sites = [world.site("S1", "R1"), world.site("S3", "R2", status="closed")]
    rooms = [world.room("S1-101", "S1"), world.room("S3-101", "S3")]
    found = conflicts(world, sites, rooms, [world.teacher("T00012")], [lock("L7", "T00012", "require", "S3")])
    assert [str(f) for f in found] == [
        "LOCK + A26: lock L7 requires teacher T00012 to work at site S3, which is closed"]
    assert found[0].rows == (("locks.csv", "L7"), ("teachers.csv", "T00012"), ("sites.csv", "S3"))
    # control: the same lock on the open site holds
    assert world.site_of(run(world, sites, rooms, [world.teacher("T00012")],
                             [lock("L7", "T00012", "require", "S1")])[1]) == {"T00012": "S1"}


def test_a_temporarily_closed_site_required(world):
    sites = [world.site("S1", "R1"), world.site("S2", "R2", status="temporarily_closed")]
    rooms = [world.room("S1-101", "S1"), world.room("S2-101", "S2")]
    found = conflicts(world, sites, rooms, [world.teacher("A")], [lock("L1", "A", "require", "S2")])
    assert [str(f) for f in found] == [
        "LOCK + A25: lock L1 requires teacher A to work at site S2, which is temporarily closed"]


def test_two_teachers_locked_into_a_one_seat_room(world):
    sites, rooms = two_sites(world)
    teachers = [world.teacher("A", "2001-01-01"), world.teacher("B", "2002-01-01")]
    found = conflicts(world, sites, rooms, teachers, [lock("L1", "A", "require", "S1", "S1-101"),
                                                       lock("L2", "B", "require", "S1", "S1-101")])
    assert [str(f) for f in found] == [
        "LOCK + A19: locks L1, L2 require teachers A, B in room S1-101 at site S1, which holds at most 1 teacher"]
    assert found[0].rows == (("locks.csv", "L1"), ("locks.csv", "L2"), ("teachers.csv", "A"), ("teachers.csv", "B"),
                             ("rooms.csv", "S1-101"))
    # control: a shared room with partitions and capacity 2 holds both
    rooms2 = [world.room("S1-101", "S1", "shared", capacity=2, partitions=True)]
    _, r = run(world, sites[:1], rooms2, teachers, [lock("L1", "A", "require", "S1", "S1-101"),
                                                     lock("L2", "B", "require", "S1", "S1-101")])
    assert world.placed(r) == {"A": ("S1", "S1-101"), "B": ("S1", "S1-101")}


def test_a_home_chooser_locked_on_site_and_two_places_for_one_teacher(world):
    sites, rooms = two_sites(world)
    teachers = [world.teacher("A", where="home"), world.teacher("B")]
    found = conflicts(world, sites, rooms, teachers, [
        lock("L1", "A", "require", "S2"), lock("L2", "B", "require", "S1"), lock("L3", "B", "require", "home")])
    assert [str(f) for f in found] == [
        "LOCK: locks L2 and L3 cannot both hold: teacher B must work at site S1 and must work from home",
        "LOCK + A19: lock L1 requires teacher A to work at site S2, but they chose to work from home (A19: a home "
        "chooser gets no room)"]


def test_a_home_chooser_with_an_ra_locked_on_site_is_a16s(world):
    """docs/contract.md, A16: a teacher with RA granted or pending "is never placed at a site after choosing `home`"."""
    sites, rooms = two_sites(world)
    teachers = [{**world.teacher("A", where="home"), "ra_status": "granted"}, world.teacher("B")]
    found = conflicts(world, sites, rooms, teachers, [lock("L1", "A", "require", "S2")])
    assert [str(f) for f in found] == [
        "LOCK + A16: lock L1 requires teacher A to work at site S2, but they chose to work from home with an RA "
        "(A16: never placed at a site)"]


def kept_by_the_lock(world, sites, rooms, teachers, locks) -> dict:
    """Solve with the locks: no conflict, every lock holds, the independent checker finds nothing; where each is."""
    d, r = run(world, sites, rooms, teachers, locks)
    assert checker(d, r) == []
    return world.site_of(r)


def test_a_forbidden_request_with_a_free_place(world):
    """A site the teacher's own lock keeps them from is no request they are owed (A24 reads a teacher's ranking without
    the sites they may not be given): the lock holds, S1's free places stay free."""
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-101", "S1"), world.room("S1-102", "S1")]
    assert kept_by_the_lock(world, sites, rooms, [world.teacher("A", where="either", requests="S1")],
                            [lock("L1", "A", "forbid", "S1")]) == {"A": None}


def test_a_forbidden_request_taken_by_a_junior(world):
    """A's lock keeps A from S1, so S1 is not in A's A24 ranking: junior J moving into it wrongs nobody."""
    sites, rooms = two_sites(world)
    teachers = [world.teacher("A", "2001-01-01", where="either", requests="S1"),
                world.teacher("J", "2009-01-01", where="either", requests="S1")]
    assert kept_by_the_lock(world, sites, rooms, teachers, [lock("L1", "A", "forbid", "S1")]) == {"A": None, "J": "S1"}


def test_a_site_chooser_locked_home_while_a_place_is_free(world):
    """A19: a `site` chooser left without a room is a shortfall, not a violation; a lock that keeps them home holds."""
    sites, rooms = two_sites(world)
    assert kept_by_the_lock(world, sites, rooms, [world.teacher("A")], [lock("L1", "A", "require", "home")]) == {"A": None}


def test_a_temporarily_closed_sites_teacher_who_asked_for_a_site_is_not_locked_home(world):
    """A25 sends a temporarily closed site's teacher who chose site to an open site: a rule, which no lock excuses."""
    sites = [world.site("S1", "R1"), world.site("S2", "R1", status="temporarily_closed")]
    rooms = [world.room("S1-101", "S1")]
    found = conflicts(world, sites, rooms, [world.teacher("A", current="S2")], [lock("L1", "A", "require", "home")])
    assert [str(f) for f in found] == [
        "LOCK + A25: lock L1 requires teacher A to work from home; that leaves them at home, but they asked to work "
        "at an open site and site S1 has 1 free place"]


def test_off_home_with_every_site_full_takes_the_first_site_on_their_list(world):
    """Every site B may be given is full to B: the first on B's list takes B before anyone, as `require S1` does (a
    probe written from the docs alone: `forbid home` was a LOCK + A19 conflict where `require S1`, the same decision
    here, placed B)."""
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-101", "S1")]
    teachers = [world.teacher("A", "2001-01-01", current="S1"), world.teacher("B", "2002-01-01", where="either")]
    assert kept_by_the_lock(world, sites, rooms, teachers, []) == {"A": "S1", "B": None}
    assert kept_by_the_lock(world, sites, rooms, teachers, [lock("L1", "B", "forbid", "home")]) == {
        "A": None, "B": "S1"}
    assert kept_by_the_lock(world, sites, rooms, teachers, [lock("L1", "B", "require", "S1")]) == {
        "A": None, "B": "S1"}


def test_off_home_with_every_site_full_is_a_locked_place_for_the_checker_too(world):
    """The place `forbid home` takes when every site is full to its teacher counts as a locked one (docs/contract.md,
    A24): junior B takes S1 before A, who requested it (a fuzz of locks found the checker calling it an A24 move into
    a site a more senior teacher ranked above what they got)."""
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-101", "S1")]
    teachers = [world.teacher("A", "2001-01-01", requests="S1"), world.teacher("B", "2002-01-01")]
    assert kept_by_the_lock(world, sites, rooms, teachers, []) == {"A": "S1", "B": None}
    assert kept_by_the_lock(world, sites, rooms, teachers, [lock("L1", "B", "forbid", "home")]) == {
        "A": None, "B": "S1"}


def test_off_home_with_a_free_place_elsewhere_is_no_locked_place(world):
    """Where a site B may be given keeps a free place (S2 has two rooms), B's place at S1 is no lock's but a move by
    seniority: the checker still names it (the plan here is made by hand; the optimizer seats B at S2)."""
    sites, rooms = two_sites(world)
    rooms.append(world.room("S2-102", "S2"))
    teachers = [world.teacher("A", "2001-01-01", requests="S1"), world.teacher("B", "2002-01-01")]
    d, r = run(world, sites, rooms, teachers, [lock("L1", "B", "forbid", "home")])
    assert world.placed(r) == {"A": ("S1", "S1-101"), "B": ("S2", "S2-101")}
    rows = r.assignments.set_index("teacher_id")
    rows.loc["A", ["work_location", "site_id", "room_id"]] = ["site", "S2", "S2-101"]
    rows.loc["B", ["work_location", "site_id", "room_id"]] = ["site", "S1", "S1-101"]
    by_hand = type(r)(**{**r.__dict__, "assignments": rows.reset_index()})
    assert any(line.startswith("A24: teacher B (seniority 2002-01-01, tiebreak 1) moved into site S1")
               for line in checker(d, by_hand))


def test_off_home_never_takes_a_place_another_lock_requires(world):
    """S1's one place is A's by L2: B's `forbid home` cannot take it (a first version put B there and A at home, L2
    broken and the run OPTIMAL); the conflict stands."""
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-101", "S1")]
    teachers = [world.teacher("A", "2001-01-01", current="S1", where="either"),
                world.teacher("B", "2002-01-01", current="S1")]
    locks = [lock("L1", "B", "forbid", "home"), lock("L2", "A", "require", "S1")]
    found = conflicts(world, sites, rooms, teachers, locks)
    assert [str(f) for f in found] == [
        "LOCK + A19: lock L1 forbids teacher B to work from home, but every site they may be given is full: S1"]


def test_off_home_with_no_site_they_may_be_given(world):
    """No open site has a room: `forbid home` cannot hold."""
    sites = [world.site("S1", "R1", status="closed")]
    rooms = [world.room("S1-101", "S1")]
    teachers = [world.teacher("B", "2002-01-01", where="either")]
    found = conflicts(world, sites, rooms, teachers, [lock("L1", "B", "forbid", "home")])
    assert [str(f) for f in found] == [
        "LOCK + A19: lock L1 forbids teacher B to work from home, but no open site has a room"]


def test_a_forbidden_room_beside_a_room_another_teacher_is_locked_into(world):
    """S1's two rooms: L2 locks J into S1-102, L1 forbids A S1-101. No room of S1 is left to A, so S1 is a site A's
    locks keep A from (not owed as A's request, A24): A stays at home, a free S1-101 wrongs nobody. (The optimizer
    called this LOCK + A19 and exit 3; the checker called a plan keeping both locks an A24 violation.)"""
    sites = [world.site("S1", "R1"), world.site("S2", "R2")]
    rooms = [world.room("S1-101", "S1"), world.room("S1-102", "S1"), world.room("S2-101", "S2")]
    teachers = [world.teacher("A", "2001-01-01", where="either", requests="S1"),
                world.teacher("J", "2009-01-01", where="either")]
    locks = [lock("L1", "A", "forbid", "S1", "S1-101"), lock("L2", "J", "require", "S1", "S1-102")]
    assert kept_by_the_lock(world, sites, rooms, teachers, locks) == {"A": None, "J": "S1"}
    # with a third room of S1 free, A is owed S1 and gets it
    more = rooms + [world.room("S1-103", "S1")]
    d, r = run(world, sites, more, teachers, locks)
    assert world.placed(r)["A"] == ("S1", "S1-103") and checker(d, r) == []
