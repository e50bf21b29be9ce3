"""`assign_locations(district, contract, previous)`: where every teacher works tonight (A16, A19, A24, A25, A26).

A pure function of the data: sites and rooms, teachers' choices, requests, seniority, current sites and
(when given) last night's rooms. Steps, each in its own module:
eligibility (who may or must be on site, which sites each may be given) -> preferences (each teacher's
ranked list) -> matching (seniority-stable deferred acceptance, incumbents first) -> rooms (A19 seats,
last night's room kept) -> explain (why, in contract terms; shortfalls; figures).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from vastaff.contract import ContractModel
from vastaff.schemas.district import District, Plan
from vastaff.people.location import eligibility as el
from vastaff.people.location import explain as ex
from vastaff.people.location.matching import deferred_acceptance
from vastaff.people.location.preferences import SOURCES, classify_requests, fallback_sites, proposal_lists
from vastaff.people.location.rooms import assign_rooms
from vastaff.rules import Finding

ASSIGNMENT_COLUMNS = ["teacher_id", "work_location", "site_id", "room_id"]
"""The location columns of SPEC's plan teachers.csv."""


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
    a teacher who stays at the same site keeps last night's room while it is still valid.
    """
    if district.teachers.empty:
        return _nobody(district)
    sites = el.site_table(district)
    t = el.teacher_situations(district, sites)
    distances = el.region_distances(district.regions)
    a26_regions = el.a26_regions(t, sites, distances)
    a26_allowed = el.a26_sites(a26_regions, sites)
    a19 = el.a19_regions(t["school_region"], sites, distances)
    requests = classify_requests(t, sites, a26_allowed)
    proposals = proposal_lists(t, requests, fallback_sites(t, sites, a19, a26_allowed))
    outcome = _match(t, proposals, sites)
    outcome = _seat(outcome, district, previous)
    short = ex.shortfalls(outcome, proposals, sites)
    full = ex.site_full_texts(outcome, sites)
    explanations = pd.concat([
        ex.outcome_rows(outcome), ex.refusal_rows(outcome, proposals, full),
        ex.ignored_rows(outcome, requests), ex.later_tier_rows(outcome, proposals),
    ], ignore_index=True)
    explanations = explanations.sort_values("teacher_id", kind="stable").reset_index(drop=True)
    return LocationResult(
        assignments=_assignments(outcome),
        shortfalls=short,
        figures=ex.figures(outcome, proposals, short, sites, district.rooms),
        explanations=explanations,
        preferences=_preference_table(proposals, t),
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


def _match(t: pd.DataFrame, proposals: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """A24: run deferred acceptance and attach each teacher's site and the proposal that won it."""
    code = pd.Series(np.arange(len(sites)), index=sites["site_id"].to_numpy())
    n = len(t)
    starts = np.searchsorted(proposals["rank"].to_numpy(), np.arange(n + 1))
    incumbent = t["incumbent_site"].map(code).fillna(-1).astype("int64").to_numpy()
    match, pos = deferred_acceptance(starts, proposals["site_id"].map(code).to_numpy(dtype="int64"),
                                     sites["places"].to_numpy(dtype="int64"), incumbent)
    o = t.assign(pos=pos, listed=np.diff(starts))
    won = proposals[["rank", "pos", "site_id", "group", "req_rank", "tier", "ftier"]]
    o = o.merge(won, on=["rank", "pos"], how="left")
    cols = ["group", "req_rank", "tier", "ftier"]
    o[cols] = o[cols].fillna(-1).astype("int64")
    o["site_region"] = o["site_id"].map(sites.set_index("site_id")["region_id"])
    return o


def _seat(o: pd.DataFrame, district: District, previous: Plan | None) -> pd.DataFrame:
    """A19: a room for everyone placed on site (last night's room kept where still valid)."""
    placed = o.loc[o["site_id"].notna(), ["teacher_id", "site_id", "rank"]]
    seats = assign_rooms(placed, district.rooms, el.previous_rooms(previous))
    return o.merge(seats[["teacher_id", "room_id", "kept_room"]], on="teacher_id", how="left")


def _assignments(o: pd.DataFrame) -> pd.DataFrame:
    """SPEC plan teachers.csv location columns, one row per teacher, by teacher_id."""
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
