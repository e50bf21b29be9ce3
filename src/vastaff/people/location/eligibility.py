"""Who may or must be on site, and which sites each teacher may be given (A16, A19, A25, A26).

Everything here is a join over small tables (regions, sites) and one vectorised pass over teachers:
- A16: a `home` chooser is never given a site; RA granted/pending only makes home acceptable.
- A19: a `site` chooser seeks a room in the school's region, else in the nearest region that still has a
  room (read as a cascade: regions by distance from the school's region, nearest first).
- A25: a teacher of a temporarily closed site goes home unless they chose `site` or listed requests; a teacher
  of a closed site (permanent relocation) may be given any open site they requested, before other requesters.
- A26: a closed site's teacher whose requests cannot be met may be given open sites of that site's region
  (tier 1), else of the region with an open site nearest their home region that still has room (tiers 2, 3,
  ... by distance from home). Ties in distance share a tier, so every tied region is allowed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.schemas.district import District, Plan
from vastaff.people.location.rooms import site_places
from vastaff.people.location.rules import CLOSED, EITHER, HOME, OPEN, RA_HOME_ALLOWED, SITE, TEMPORARILY_CLOSED

TIE_KM = 1e-9
"""Two distances closer than this are a tie ("ties in nearest allow every tied region")."""


def site_table(district: District) -> pd.DataFrame:
    """A19: every site with its region, status, teacher places and whether it can take anyone."""
    s = district.sites[["site_id", "region_id", "status"]].copy()
    s["places"] = s["site_id"].map(site_places(district.rooms)).fillna(0).astype("int64")
    s["open"] = s["status"] == OPEN
    s["usable"] = s["open"] & (s["places"] > 0)
    return s.sort_values("site_id", kind="stable").reset_index(drop=True)


def region_distances(regions: pd.DataFrame) -> pd.DataFrame:
    """Euclidean km between every pair of regions (origin, region_id, km), from x_km / y_km."""
    r = regions[["region_id", "x_km", "y_km"]]
    pairs = r.merge(r, how="cross", suffixes=("_o", ""))
    km = np.hypot(pairs["x_km"] - pairs["x_km_o"], pairs["y_km"] - pairs["y_km_o"])
    return pd.DataFrame({"origin": pairs["region_id_o"], "region_id": pairs["region_id"], "km": km})


def teacher_situations(district: District, sites: pd.DataFrame) -> pd.DataFrame:
    """A16/A25/A26: each teacher in seniority order (rank 0 = most senior) with what the rules make of them.

    `a25`: their site is temporarily closed; `a26`: their site is closed for good (relocated: A25 priority on their
    requests, A26 placement otherwise)."""
    cols = ["teacher_id", "school_id", "home_region_id", "current_site_id", "work_location", "ra_status",
            "requested_site_ids"]
    t = district.seniority_order()[cols].copy()
    t["rank"] = np.arange(len(t), dtype="int64")
    t["school_region"] = t["school_id"].map(district.schools.set_index("school_id")["region_id"])
    by_site = sites.set_index("site_id")
    t["current_status"] = t["current_site_id"].map(by_site["status"])
    t["current_region"] = t["current_site_id"].map(by_site["region_id"])
    t["has_requests"] = t["requested_site_ids"].astype(object).str.len().fillna(0) > 0
    t["ra_home"] = t["ra_status"].isin(RA_HOME_ALLOWED)
    t["a25"] = t["current_status"] == TEMPORARILY_CLOSED
    t["a26"] = t["current_status"] == CLOSED
    t["stays_home"] = t["work_location"] == HOME
    t["seeks_room"] = seeks_room(t)
    t["incumbent_site"] = t["current_site_id"].where(t["current_status"] == OPEN)
    return t


def seeks_room(t: pd.DataFrame) -> pd.Series:
    """A19/A25/A26: teachers who go on to any open site of their region(s) when their listed sites are full.

    `site` choosers (A19); and `either` choosers of a temporarily closed or closed site who listed requests
    (A25: "unless they chose site or listed requests, then to an open site"; A26: a relocated teacher whose
    requests cannot be met is placed in the closed site's region, else the region nearest home).
    """
    moved_out = (t["a25"] | t["a26"]) & (t["work_location"] == EITHER) & t["has_requests"]
    return (t["work_location"] == SITE) | moved_out


def previous_rooms(previous: Plan | None) -> pd.Series:
    """teacher_id -> last night's room (only teachers who had one)."""
    if previous is None or previous.teachers is None or previous.teachers.empty:
        return pd.Series(dtype="str")
    p = previous.teachers.dropna(subset=["room_id"])
    return p.drop_duplicates("teacher_id").set_index("teacher_id")["room_id"]


def distance_tiers(distances: pd.DataFrame, origins, candidates) -> pd.DataFrame:
    """For each origin, every candidate region with its distance tier (0 = nearest; tied distances share a tier)."""
    d = distances[distances["origin"].isin(set(origins)) & distances["region_id"].isin(set(candidates))].copy()
    if d.empty:
        return d.assign(dtier=pd.Series(dtype="int64"))
    d["dtier"] = (d["km"] / TIE_KM).round().groupby(d["origin"]).rank(method="dense").astype("int64") - 1
    return d.sort_values(["origin", "dtier", "region_id"]).reset_index(drop=True)


def a19_regions(origins, sites: pd.DataFrame, distances: pd.DataFrame) -> pd.DataFrame:
    """A19: where a room seeker looks, per school region: regions with rooms by distance (ftier 0 = nearest)."""
    roomy = set(sites.loc[sites["usable"], "region_id"])
    d = distance_tiers(distances, pd.unique(pd.Series(list(origins), dtype="object").dropna()), roomy)
    return d.rename(columns={"dtier": "ftier"})[["origin", "region_id", "ftier"]]


def a26_regions(t: pd.DataFrame, sites: pd.DataFrame, distances: pd.DataFrame) -> pd.DataFrame:
    """A26: regions a teacher of a closed site may be placed in when their requests cannot be met (rank, region_id,
    tier: 1 = the site's own region, then 2, 3, ... = regions with an open site by distance from home)."""
    a = t.loc[t["a26"], ["rank", "current_region", "home_region_id"]]
    open_regions = set(sites.loc[sites["open"], "region_id"])
    own = a[a["current_region"].isin(open_regions)]
    tier1 = pd.DataFrame({"rank": own["rank"], "region_id": own["current_region"], "tier": 1})
    near = distance_tiers(distances, a["home_region_id"], open_regions)
    rest = a.merge(near, left_on="home_region_id", right_on="origin")
    rest = rest.assign(tier=rest["dtier"] + 2)[["rank", "region_id", "tier"]]
    out = pd.concat([tier1, rest], ignore_index=True).sort_values(["rank", "tier", "region_id"], kind="stable")
    return out.drop_duplicates(["rank", "region_id"]).astype({"rank": "int64", "tier": "int64"}).reset_index(drop=True)


def a26_sites(a26: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """A26: open sites a teacher of a closed site may be given (rank, site_id, region_id, tier)."""
    open_sites = sites.loc[sites["open"], ["site_id", "region_id"]]
    return a26.merge(open_sites, on="region_id")[["rank", "site_id", "region_id", "tier"]]
