"""Closed sites (A25, A26): the checker's twin of the solver's placement of a closed site's teachers.

Shares the placement table of check/location.py; A26's reading (docs/contract.md: a closed site's allowed regions are
its region while it has room, else the nearest region with room) is check/regions.py's, which site_locks.py reads too.
Permanent relocation's priority (A25, 25.0 second sentence) is checked with A24 in check/location.py; A26 applies to
the teachers it did not place.
"""

from __future__ import annotations

from vastaff.check.core import CheckContext, finding
from vastaff.check.location import (applies, free_regions, free_rooms_text, placed_by_request, placements, site_ref,
                                    teacher_ref)
from vastaff.check.regions import EPS_KM, km_between, outside_a26, region_distances
from vastaff.rules import Finding

# ----------------------------------------------------------------------------------------------
# A25 — temporarily closed sites


def check_a25_closed_for_now(ctx: CheckContext) -> list[Finding]:
    """A25 (25.0): nobody is placed at a temporarily_closed site."""
    if not applies(ctx):
        return []
    t = placements(ctx)
    bad = t[t["site_status"] == "temporarily_closed"]
    return [finding("A25", f"teacher {r.teacher_id} is placed at site {r.site_id}, which is temporarily closed",
                    (teacher_ref(r.teacher_id), site_ref(r.site_id))) for r in bad.itertuples()]


def check_a25_relocation(ctx: CheckContext) -> list[Finding]:
    """A25 (25.0): teachers of a temporarily closed site go home unless they chose site or listed requests."""
    if not applies(ctx):
        return []
    t = placements(ctx)
    theirs = t[t["current_status"] == "temporarily_closed"]
    asked = (theirs["work_location"] == "site") | (
        (theirs["work_location"] != "home") & (theirs["requested_site_ids"].map(len) > 0))
    sent = theirs[~asked & theirs["placed_site"].notna() & (theirs["site_status"] != "temporarily_closed")]
    out = [finding("A25", f"teacher {r.teacher_id} of temporarily closed site {r.current_site_id} neither "
                   f"chose site nor listed requests, so works from home, but the plan places them at {r.site_id}",
                   (teacher_ref(r.teacher_id), site_ref(r.current_site_id))) for r in sent.itertuples()]
    left = theirs[asked & theirs["at_home"] & ~theirs["ra_home"]]
    if len(left) and free_regions(ctx):
        where, rows = free_rooms_text(ctx)
        out += [finding("A25", f"teacher {r.teacher_id} of temporarily closed site {r.current_site_id} asked "
                        f"to work at an open site but works from home while {where}",
                        (teacher_ref(r.teacher_id), site_ref(r.current_site_id)) + rows)
                for r in left.sort_values("seniority").itertuples()]
    return out


# ----------------------------------------------------------------------------------------------
# A26 — permanently closed sites


def check_a26_closed_site(ctx: CheckContext) -> list[Finding]:
    """A26 (26.0): nobody is placed at a closed site."""
    if not applies(ctx):
        return []
    t = placements(ctx)
    bad = t[t["site_status"] == "closed"]
    return [finding("A26", f"teacher {r.teacher_id} is placed at site {r.site_id}, which is closed",
                    (teacher_ref(r.teacher_id), site_ref(r.site_id))) for r in bad.itertuples()]


def check_a26_region(ctx: CheckContext) -> list[Finding]:
    """A26 (26.0): a closed site's teacher placed at a site they did not request (a requested one is their A25
    choice, check/location.py) works in its region, else the nearest region with room."""
    if not applies(ctx):
        return []
    t = placements(ctx)
    moved = t[(t["current_status"] == "closed") & (t["site_status"] == "open")
              & (t["site_region"] != t["current_region"]) & ~placed_by_request(t)].copy()
    if moved.empty:
        return []
    free = free_regions(ctx)
    dist = region_distances(ctx)
    moved["home_free"] = moved["current_region"].isin(free)
    moved["placed_km"] = km_between(dist, moved["home_region_id"], moved["site_region"])
    bad = moved[outside_a26(dist, moved["home_region_id"], moved["current_region"], moved["site_region"], free)]
    return [_a26_violation(r, ctx) for r in bad.itertuples()]


def _a26_violation(r, ctx: CheckContext) -> Finding:
    if r.home_free:
        why = f"while region {r.current_region} of that site still has a free place"
    else:
        nearer = sorted(reg for reg in free_regions(ctx)
                        if region_distances(ctx).at[r.home_region_id, reg] < r.placed_km - EPS_KM)
        why = (f"{r.placed_km:g} km from home region {r.home_region_id}, while nearer region(s) "
               f"{', '.join(nearer)} have a free place")
    return finding("A26", f"teacher {r.teacher_id} of closed site {r.current_site_id} (region "
                   f"{r.current_region}) is placed at {r.site_id} in region {r.site_region}, {why}",
                   (teacher_ref(r.teacher_id), site_ref(r.current_site_id), site_ref(r.site_id)))


CHECKS = [check_a25_closed_for_now, check_a25_relocation, check_a26_closed_site, check_a26_region]
FIGURES: list = []  # the location figures (check/location.py) cover closed sites too
