"""`assign_locations(district, contract, previous)`: where every teacher works tonight (A16, A19, A24, A25, A26).

A pure function of the data: sites and rooms, teachers' choices, requests, seniority, current sites and
(when given) last night's rooms. Steps, each in its own module:
eligibility (who may or must be on site, which sites each may be given) -> preferences (each teacher's
ranked list) -> matching (seniority-stable deferred acceptance: incumbents first, then a closed site's teachers
on the sites they requested (A25), then seniority) -> exchange (the trades of requested sites the matching leaves
undone, A24) -> rooms (A19 seats, last night's room kept) -> explain (why, in contract terms; shortfalls; figures).

Locks (docs/contract.md, LOCK): the site rows of locks.csv narrow the teachers' options before the matching
(locks.py). The plain construction runs first; only the locks it breaks are enforced and the construction runs
again (a few rounds at most: enforcing a lock may break one that held), so a lock that already holds changes
nothing. Locks that cannot hold together with the contract rules raise `Infeasible` (lock_conflicts.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from vastaff.contract import ContractModel
from vastaff.schemas.district import District, Plan
from vastaff.people.location import eligibility as el
from vastaff.people.location import explain as ex
from vastaff.people.location import lock_conflicts as lc
from vastaff.people.location import locks as lk
from vastaff.people.location.exchange import trade
from vastaff.people.location.matching import deferred_acceptance
from vastaff.people.location.preferences import (REQUEST, SOURCES, classify_requests, fallback_sites, first_choices,
                                                 proposal_lists)
from vastaff.people.location.rooms import assign_rooms
from vastaff.rules import Finding, Infeasible

ASSIGNMENT_COLUMNS = ["teacher_id", "work_location", "site_id", "room_id"]
"""The location columns of the plan's teachers.csv."""
LOCK_ROUNDS = 3
"""Rounds that enforce only the locks the last construction broke; after them every site lock is enforced."""


@dataclass(frozen=True)
class _Data:
    """What the construction reads that locks do not change: sites, teachers' situations, regions, requests."""

    district: District
    previous: Plan | None
    sites: pd.DataFrame
    t: pd.DataFrame
    distances: pd.DataFrame
    a26_allowed: pd.DataFrame
    a19: pd.DataFrame
    requests: pd.DataFrame


@dataclass(frozen=True)
class LocationResult:
    """Tonight's work locations, with shortfalls (A19), figures and explanations."""

    assignments: pd.DataFrame   # teacher_id, work_location (site/home), site_id, room_id (both missing at home)
    shortfalls: pd.DataFrame    # teacher_id, site_id, region_id (wanted), reason
    figures: dict = field(default_factory=dict)
    explanations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ex.EXPLANATION_COLUMNS))
    preferences: pd.DataFrame = field(default_factory=pd.DataFrame)  # teacher_id, pos, site_id, source, req_rank

    def findings(self, teacher_id: str | None = None) -> list[Finding]:
        """The explanations (of one teacher, or of all) as Findings: rule, message, the teacher's row."""
        e = self.explanations
        return ex.as_findings(e if teacher_id is None else e[e["teacher_id"] == teacher_id])

    def explain(self, teacher_id: str) -> list[str]:
        """Every explanation line of one teacher, e.g. 'A24: request 1 not granted: S2 full (...)'."""
        return [str(f) for f in self.findings(teacher_id)]


def assign_locations(district: District, contract: ContractModel | None = None,
                     previous: Plan | None = None) -> LocationResult:
    """A16/A19/A24/A25/A26: a site and room, or home, for every teacher of the district.

    `contract` is accepted for a uniform API: these rules carry no contract number (their numbers are
    rooms, capacities, site statuses and region coordinates, all data). `previous` is last night's plan:
    a teacher who stays at the same site keeps last night's room while it is still valid. The site rows
    of `district.locks` hold in the result; raises `Infeasible` (rules LOCK + the contract rule in the way)
    when they cannot all hold together with the contract rules.
    """
    if district.teachers.empty:
        return _nobody(district)
    sites = el.site_table(district)
    t = el.teacher_situations(district, sites)
    locks = lk.site_locks(district, t)
    conflicts = lc.before(locks, t, sites, district.rooms)
    if conflicts:
        raise Infeasible(conflicts)
    data = _data(district, previous, sites, t)
    enforced, (outcome, proposals) = _enforce(data, locks)
    unheld = enforced[~lk.holds(enforced, outcome)]
    conflicts = lc.after(enforced, unheld, outcome, proposals, data.requests, sites, data.distances, locks)
    if conflicts:
        raise Infeasible(conflicts)
    return _result(data, outcome, proposals, enforced)


def _data(district: District, previous: Plan | None, sites: pd.DataFrame, t: pd.DataFrame) -> _Data:
    """A16/A19/A25/A26: who may or must be on site, which regions and requests each teacher may be given."""
    distances = el.region_distances(district.regions)
    a26_allowed = el.a26_sites(el.a26_regions(t, sites, distances), sites)
    a19 = el.a19_regions(t["school_region"], sites, distances)
    return _Data(district, previous, sites, t, distances, a26_allowed, a19, classify_requests(t, sites))


def _enforce(data: _Data, locks: pd.DataFrame) -> tuple[pd.DataFrame, tuple[pd.DataFrame, pd.DataFrame]]:
    """LOCK: the construction, again with the locks it broke enforced, until no new lock breaks (or all are)."""
    enforced = locks.iloc[:0]
    run = _construct(data, enforced)
    for round_ in range(LOCK_ROUNDS + 1):
        broken = locks[~lk.holds(locks, run[0]) & ~locks["lock_id"].isin(enforced["lock_id"])]
        if broken.empty:
            break
        enforced = locks if round_ == LOCK_ROUNDS else locks[locks["lock_id"].isin(
            set(enforced["lock_id"]) | set(broken["lock_id"]))]
        run = _construct(data, enforced)
    escalated = lk.home_kept(enforced, *run)
    if not escalated.empty:  # kept only where every lock still holds (it may take a place another lock needs)
        trial = pd.concat([enforced, escalated], ignore_index=True)
        tried = _construct(data, trial)
        if lk.holds(locks, tried[0]).all():
            enforced, run = trial, tried
    return enforced, run


def _construct(data: _Data, enforced: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A24/A19: preference lists (narrowed by the enforced locks), deferred acceptance, rooms: (outcome, proposals)."""
    t = lk.seek_rooms(data.t, enforced)
    lists = proposal_lists(t, data.requests, fallback_sites(t, data.sites, data.a19, data.a26_allowed))
    proposals = lk.prune(lists, enforced)
    outcome = _match(t, proposals, data.sites, *lk.locked_flags(t, enforced))
    return _seat(outcome, data.district, data.previous, enforced), proposals


def _result(data: _Data, outcome: pd.DataFrame, proposals: pd.DataFrame, enforced: pd.DataFrame) -> LocationResult:
    """The assignments, A19 shortfalls, figures and explanations (an enforced lock explains its teacher's place)."""
    sites = data.sites
    required = outcome["rank"].isin(enforced.loc[enforced["mode"] == lk.REQUIRE, "rank"])
    home_locked = outcome["rank"].isin(lk.required_home(enforced))
    short = ex.shortfalls(outcome[~home_locked], proposals, sites)
    locked_there = outcome["rank"].isin(lk.required_sites(enforced)["rank"])
    t = data.district.teachers
    names = dict(zip(t.teacher_id, t["name"].astype(str))) if "name" in t.columns else {}
    full = ex.site_full_texts(outcome, sites, locked_there, names)
    by_lock = lk.explanation_rows(enforced, outcome)
    explanations = pd.concat([
        ex.outcome_rows(outcome[~required]), ex.refusal_rows(outcome, proposals, full),
        ex.ignored_rows(outcome, data.requests),
        ex.rows(by_lock["teacher_id"], "LOCK", by_lock["message"]),
    ], ignore_index=True)
    explanations = explanations.sort_values("teacher_id", kind="stable").reset_index(drop=True)
    return LocationResult(
        assignments=_assignments(outcome),
        shortfalls=short,
        figures=ex.figures(outcome, proposals, short, sites, data.district.rooms),
        explanations=explanations,
        preferences=_preference_table(proposals, data.t),
    )


def _nobody(district: District) -> LocationResult:
    """A district without teachers: empty tables with their columns, zero figures."""
    empty = pd.DataFrame({"teacher_id": [], "site_id": [], "work_location": [], "group": [], "req_rank": [],
                          "stays_home": [], "current_site_id": [], "room_id": [], "kept_room": [], "rank": []})
    sites = el.site_table(district)
    short = pd.DataFrame(columns=ex.SHORTFALL_COLUMNS)
    return LocationResult(
        assignments=pd.DataFrame(columns=ASSIGNMENT_COLUMNS, dtype="str"), shortfalls=short,
        figures=ex.figures(empty, pd.DataFrame({"group": [], "rank": []}), short, sites, district.rooms),
        explanations=pd.DataFrame(columns=ex.EXPLANATION_COLUMNS),
        preferences=pd.DataFrame(columns=["teacher_id", "pos", "site_id", "source", "req_rank"]))


def _match(t: pd.DataFrame, proposals: pd.DataFrame, sites: pd.DataFrame, locked: np.ndarray | None = None,
           locked_site: pd.Series | None = None) -> pd.DataFrame:
    """A24/A25: run deferred acceptance, then the trades it leaves undone (exchange.py), and attach each teacher's
    site and the proposal that won it.

    A teacher locked to a site (LOCK) is that site's incumbent, taken before anyone there; a closed site's teacher
    asking for a requested site comes next, before every other requester (A25, permanent relocation)."""
    code = pd.Series(np.arange(len(sites)), index=sites["site_id"].to_numpy())
    n = len(t)
    starts = np.searchsorted(proposals["rank"].to_numpy(), np.arange(n + 1))
    anchor = t["incumbent_site"] if locked_site is None else locked_site.where(locked_site.notna(), t["incumbent_site"])
    incumbent = anchor.map(code).fillna(-1).astype("int64").to_numpy()
    site, first = proposals["site_id"].map(code).to_numpy(dtype="int64"), first_choices(proposals, t)
    matched, pos = deferred_acceptance(starts, site, sites["places"].to_numpy(dtype="int64"), incumbent, locked, first)
    match, pos, taker = trade(starts, site, proposals["group"].to_numpy() == REQUEST, first, incumbent, matched, pos)
    o = t.assign(pos=pos, listed=np.diff(starts), traded=_trade_notes(taker, matched, t["teacher_id"], sites["site_id"]))
    won = proposals[["rank", "pos", "site_id", "group", "req_rank", "tier", "ftier"]]
    o = o.merge(won, on=["rank", "pos"], how="left")
    cols = ["group", "req_rank", "tier", "ftier"]
    o[cols] = o[cols].fillna(-1).astype("int64")
    o["site_region"] = o["site_id"].map(sites.set_index("site_id")["region_id"])
    return o


def _trade_notes(taker: np.ndarray, matched: np.ndarray, ids: pd.Series, site_ids: pd.Series) -> np.ndarray:
    """Per teacher, what their explanation adds about their trades (exchange.py): who holds, in the plan, the place
    the matching gave them (`matched`); '' for those who made none."""
    notes = np.full(len(taker), "", dtype=object)
    traded = np.flatnonzero(taker >= 0)
    notes[traded] = [f"; in a trade: {ids.iat[k]} took their place at {site_ids.iat[s]}"
                     for k, s in zip(taker[traded], matched[traded])]
    return notes


def _seat(o: pd.DataFrame, district: District, previous: Plan | None, enforced: pd.DataFrame) -> pd.DataFrame:
    """A19: a room for everyone placed on site (locked rooms first, last night's room kept where still valid)."""
    placed = o.loc[o["site_id"].notna(), ["teacher_id", "site_id", "rank"]]
    seats = assign_rooms(placed, district.rooms, el.previous_rooms(previous), lk.reserved_rooms(enforced),
                         lk.barred_rooms(enforced))
    return o.merge(seats[["teacher_id", "room_id", "kept_room"]], on="teacher_id", how="left")


def _assignments(o: pd.DataFrame) -> pd.DataFrame:
    """The plan teachers.csv's location columns, one row per teacher, by teacher_id."""
    a = pd.DataFrame({
        "teacher_id": o["teacher_id"],
        "work_location": np.where(o["site_id"].notna(), "site", "home"),
        "site_id": o["site_id"],
        "room_id": o["room_id"],
    })
    a = a.astype({c: "str" for c in ASSIGNMENT_COLUMNS})
    return a.sort_values("teacher_id", kind="stable").reset_index(drop=True)[ASSIGNMENT_COLUMNS]


def _preference_table(proposals: pd.DataFrame, t: pd.DataFrame) -> pd.DataFrame:
    """Each teacher's list as proposed (teacher_id, pos, site_id, source, req_rank), for reports and tests."""
    p = proposals.assign(teacher_id=proposals["rank"].map(t.set_index("rank")["teacher_id"]),
                         source=proposals["group"].map(SOURCES))
    return p[["teacher_id", "pos", "site_id", "source", "req_rank"]]
