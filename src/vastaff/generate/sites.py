"""Welcome-center sites and rooms, and where each teacher works now and wants to work (A16, A19, A24-A26)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.generate.common import Context, join_ranked, largest_remainder, pick_member, rank_within

CAMPUSES = [
    "Roosevelt", "Garfield", "Fremont", "Hamilton", "Fairfax", "Marshall", "Banning", "Narbonne", "Kennedy",
    "Monroe", "Grant", "Verdugo Hills", "Franklin", "Lincoln", "Jefferson", "Dorsey", "Crenshaw", "Manual Arts",
    "Bell", "South Gate", "Carson", "Gardena", "Palisades", "Canoga Park", "Taft", "Birmingham", "Wilson",
    "Belmont", "Locke", "Jordan",
]
NON_OPEN_FROM = 6               # districts with at least this many sites have some not open
NON_OPEN_SHARE = 0.2
WORK_LOCATION_P = {"none": (.4, .3, .3), "granted": (0, .75, .25), "pending": (0, .75, .25)}  # site, home, either
RA_P = (.90, .06, .04)          # none, granted, pending
PLACES_MARGIN = (1.1, 1.3)      # open room places per site chooser of the region


def build_sites(ctx: Context, regions: pd.DataFrame, schools: pd.DataFrame) -> pd.DataFrame:
    """sites.csv: one welcome center per region, one more per region with schools and per two schools;
    exactly one open priority site; at larger sizes some sites temporarily_closed or closed."""
    rng = ctx.rng.sites
    per_region = schools.groupby("region_id").size().reindex(regions.region_id, fill_value=0).to_numpy()
    counts = 1 + (per_region > 0) + per_region // 2
    region = np.repeat(regions.region_id.to_numpy(), counts)
    first = np.r_[True, region[1:] != region[:-1]]
    n = len(region)
    campus = rng.permutation(len(CAMPUSES))
    names = [f"Welcome Center at {CAMPUSES[campus[i % len(CAMPUSES)]]}"
             + (f" {i // len(CAMPUSES) + 1}" if i >= len(CAMPUSES) else "") for i in range(n)]
    status = site_statuses(ctx, first)
    priority = np.zeros(n, dtype=bool)
    open_ids = np.flatnonzero(status == "open")
    priority[open_ids[rng.integers(0, len(open_ids))]] = True
    return pd.DataFrame({"site_id": [f"WC{i + 1:02d}" for i in range(n)], "name": names, "region_id": region,
                         "priority_site": priority, "status": status})


def site_statuses(ctx: Context, first_of_region: np.ndarray) -> np.ndarray:
    """open, except (with enough sites) a share of the non-first sites of a region: temporarily_closed or closed,
    at least one of each when two candidates exist. The first site of every region stays open."""
    rng = ctx.rng.sites
    n = len(first_of_region)
    status = np.full(n, "open", dtype=object)
    candidates = np.flatnonzero(~first_of_region)
    if n < NON_OPEN_FROM or len(candidates) == 0:
        return status
    chosen = candidates[rng.random(len(candidates)) < NON_OPEN_SHARE]
    if len(chosen) < min(2, len(candidates)):
        chosen = rng.choice(candidates, size=min(2, len(candidates)), replace=False)
    chosen = np.sort(chosen)
    kinds = np.where(rng.random(len(chosen)) < .6, "temporarily_closed", "closed")
    kinds[0] = "temporarily_closed"
    if len(chosen) > 1:
        kinds[1] = "closed"
    status[chosen] = kinds
    return status


def add_locations(ctx: Context, teachers: pd.DataFrame, schools: pd.DataFrame, regions: pd.DataFrame,
                  sites: pd.DataFrame) -> pd.DataFrame:
    """home_region_id, ra_status, work_location, stipend_consent, current_site_id (blank at home) and
    ranked requested_site_ids (many blank) of every teacher."""
    rng = ctx.rng.sites
    n = len(teachers)
    t = teachers.merge(schools[["school_id", "region_id"]].rename(columns={"region_id": "_region"}), on="school_id")
    region_ids = regions.region_id.to_numpy()
    home = np.where(rng.random(n) < .65, t._region.to_numpy(), region_ids[rng.integers(0, len(region_ids), n)])
    ra = np.array(["none", "granted", "pending"])[rng.choice(3, size=n, p=RA_P)]
    location = work_locations(ctx, ra)
    stipend = rng.random(n) < .08
    current = pick_member(sites.rename(columns={"region_id": "_region"}), ["_region"], "site_id", t, rng.random(n))
    current = np.where((location != "home") & (rng.random(n) < .85), current, "")
    t = t.assign(home_region_id=home, current_site_id=current, work_location=location, ra_status=ra,
                 stipend_consent=stipend)
    return t.assign(requested_site_ids=site_requests(ctx, t, sites))


def work_locations(ctx: Context, ra: np.ndarray) -> np.ndarray:
    """site / home / either: most teachers with a remote-work accommodation (A16) choose home."""
    u = ctx.rng.sites.random(len(ra))
    p = pd.DataFrame(WORK_LOCATION_P, index=["site", "home", "either"]).T.loc[ra].to_numpy()
    return np.where(u < p[:, 0], "site", np.where(u < p[:, 0] + p[:, 1], "home", "either"))


def site_requests(ctx: Context, t: pd.DataFrame, sites: pd.DataFrame) -> np.ndarray:
    """About a third of the teachers not working from home rank 1-3 sites of their school's or home region
    (never their current site), ';'-separated, first choice first (A24)."""
    rng = ctx.rng.sites
    n = len(t)
    wants = (t.work_location.to_numpy() != "home") & (rng.random(n) < .35)
    how_many = rng.choice([1, 2, 3], size=n, p=[.5, .3, .2])
    asking = pd.DataFrame({"teacher_id": t.teacher_id.to_numpy()[wants], "k": how_many[wants],
                           "current": t.current_site_id.to_numpy()[wants]})
    regions = pd.concat([
        pd.DataFrame({"teacher_id": t.teacher_id.to_numpy()[wants], "region_id": t._region.to_numpy()[wants]}),
        pd.DataFrame({"teacher_id": t.teacher_id.to_numpy()[wants], "region_id": t.home_region_id.to_numpy()[wants]}),
    ]).drop_duplicates()
    cand = regions.merge(sites[["site_id", "region_id"]], on="region_id").merge(asking, on="teacher_id")
    cand = cand[cand.site_id != cand.current].sort_values(["teacher_id", "site_id"], kind="stable")
    cand["rank"] = rank_within(cand.teacher_id, rng.random(len(cand)))
    cand = cand[cand["rank"] < cand.k]
    ranked = join_ranked(cand.teacher_id.to_numpy(), cand.site_id.to_numpy(), cand["rank"].to_numpy())
    return ranked.reindex(t.teacher_id).fillna("").to_numpy()


def build_rooms(ctx: Context, teachers: pd.DataFrame, schools: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """rooms.csv: per region, open sites hold 10-30% more teacher places than the region's schools have
    teachers who chose `site` (A19), split among its open sites, and every open site at least a place per
    teacher working there now (last year's placement fitted); sites not open keep a few rooms too."""
    rng = ctx.rng.sites
    choosers = teachers[teachers.work_location == "site"].merge(schools[["school_id", "region_id"]], on="school_id")
    per_region = choosers.groupby("region_id").size()
    incumbents = teachers[teachers.current_site_id != ""].groupby("current_site_id").size()
    places = np.zeros(len(sites), dtype=int)
    for region, group in sites.groupby("region_id", sort=True):
        is_open = group.status.eq("open").to_numpy()
        need = int(np.ceil(per_region.get(region, 0) * rng.uniform(*PLACES_MARGIN))) + 2
        share = largest_remainder(need, rng.uniform(0.5, 1.5, int(is_open.sum())))
        idx = group.index.to_numpy()
        places[idx[is_open]] = np.maximum(share, incumbents.reindex(group.site_id[is_open], fill_value=0).to_numpy())
        places[idx[~is_open]] = rng.integers(4, 16, int((~is_open).sum()))
    frames = [site_rooms(ctx, site_id, int(p)) for site_id, p in zip(sites.site_id, places)]
    return pd.concat(frames, ignore_index=True).sort_values("room_id", kind="stable").reset_index(drop=True)


def site_rooms(ctx: Context, site_id: str, places: int) -> pd.DataFrame:
    """Rooms of one site giving at least `places` teacher places: mostly classrooms, some shared rooms
    (most with partitions; one without holds a single teacher)."""
    rng = ctx.rng.sites
    n_shared = int(rng.binomial(places // 6, .5)) if places >= 6 else 0
    capacity = rng.integers(2, 6, n_shared)
    partitions = rng.random(n_shared) < .75
    shared_places = int(np.where(partitions, capacity, 1).sum())
    n_class = max(0, places - shared_places)
    width = max(3, len(str(n_class)))
    return pd.DataFrame({
        "room_id": [f"{site_id}-C{i + 1:0{width}d}" for i in range(n_class)]
                   + [f"{site_id}-S{i + 1:0{max(2, len(str(n_shared)))}d}" for i in range(n_shared)],
        "site_id": site_id,
        "kind": ["classroom"] * n_class + ["shared"] * n_shared,
        "capacity": np.r_[np.ones(n_class, dtype=int), capacity].astype(int),
        "partitions": np.r_[np.zeros(n_class, dtype=bool), partitions],
    })
