"""Each teacher's ranked list of acceptable sites, in the order they propose (A16, A19, A24, A25, A26).

A teacher's list: their requested sites that they may be given, in their rank order (A24), then their
current open site (incumbency, A24), then, for those who seek a room (A19 / A25), every other usable
open site, by distance of its region from the school's region, then site_id; home is implicitly last.

For a teacher of a closed site (A25, permanent relocation) the list is every requested open site, in their
order and wherever it is, and only then the A26 fallback, tier by tier (the closed site's own region, then
regions by distance from home); the matching gives those requests priority over every other requester.
Requests a teacher may not be given are set aside with the rule that removes them, so the plan can say why.

Last night's site is deliberately not moved up the list: teacher-proposing deferred acceptance gives
others a different answer when one teacher's list is reordered, so "prefer last night" would change
tonight's answer even when nothing changed. The same data give the same lists and the same sites, and
rooms.py keeps last night's room."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.people.location.rules import OPEN, TEMPORARILY_CLOSED

REQUEST, CURRENT, FALLBACK, LOCKED = 0, 1, 2, 3
SOURCES = {REQUEST: "request", CURRENT: "current", FALLBACK: "fallback", LOCKED: "lock"}
"""Where a proposal comes from; LOCKED: a site a lock requires that the teacher's own list did not hold (locks.py)."""
ORDER = ["rank", "tier", "group", "req_rank", "ftier", "site_id"]
COLUMNS = ["rank", "site_id", "group", "req_rank", "tier", "ftier"]


def ranked_requests(t: pd.DataFrame) -> pd.DataFrame:
    """A24: one row per (teacher, requested site) with its rank as listed (1 = first); repeats dropped."""
    r = t[["rank", "requested_site_ids"]].explode("requested_site_ids").dropna()
    r = r.rename(columns={"requested_site_ids": "site_id"}).drop_duplicates(["rank", "site_id"])
    r["req_rank"] = r.groupby("rank", sort=False).cumcount().astype("int64") + 1
    return r.reset_index(drop=True)


def classify_requests(t: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """A16/A25/A26: every request, with the rule that sets it aside when the teacher may not be given it.

    Every request comes in tier 0, before any A26 fallback tier: a closed site's teacher may request any open site
    (A25, permanent relocation); A26 places only those whose requests cannot be met."""
    r = ranked_requests(t).merge(t[["rank", "stays_home", "a26"]], on="rank")
    r["status"] = r["site_id"].map(sites.set_index("site_id")["status"])
    r["ignored_by"] = np.select([r["stays_home"], r["status"] == TEMPORARILY_CLOSED, r["status"] != OPEN],
                                ["A16", "A25", "A26"], default="")
    r["tier"] = np.zeros(len(r), dtype="int64")
    return r


def first_choices(proposals: pd.DataFrame, t: pd.DataFrame) -> np.ndarray:
    """A25 (permanent relocation): per proposal, whether it is a closed site's teacher asking for a requested site,
    which the site takes before every other requester (matching.py)."""
    relocated = t["a26"].to_numpy(dtype=bool)[proposals["rank"].to_numpy()]
    return relocated & (proposals["group"].to_numpy() == REQUEST)


def fallback_sites(t: pd.DataFrame, sites: pd.DataFrame, a19: pd.DataFrame, a26_allowed: pd.DataFrame) -> pd.DataFrame:
    """A19/A25/A26: the unlisted usable open sites a room seeker goes on to (rank, site_id, tier, ftier)."""
    usable = sites.loc[sites["usable"], ["site_id", "region_id"]]
    plain = t.loc[t["seeks_room"] & ~t["a26"], ["rank", "school_region"]]
    plain = plain.merge(a19, left_on="school_region", right_on="origin").merge(usable, on="region_id")
    plain = plain[["rank", "site_id", "ftier"]].assign(tier=0)
    closed = t.loc[t["seeks_room"] & t["a26"], ["rank"]].merge(a26_allowed, on="rank")
    closed = closed[closed["site_id"].isin(usable["site_id"])][["rank", "site_id", "tier"]].assign(ftier=0)
    return pd.concat([plain, closed], ignore_index=True)


def proposal_lists(t: pd.DataFrame, requests: pd.DataFrame, fallback: pd.DataFrame) -> pd.DataFrame:
    """A24: every teacher's proposals in order (rank, pos, site_id, group, req_rank, tier, ftier)."""
    req = requests.loc[requests["ignored_by"] == "", ["rank", "site_id", "req_rank", "tier"]]
    req = req.assign(group=REQUEST, ftier=0)
    cur = t.loc[t["incumbent_site"].notna() & ~t["stays_home"], ["rank", "incumbent_site"]]
    cur = cur.rename(columns={"incumbent_site": "site_id"}).assign(group=CURRENT, req_rank=0, tier=0, ftier=0)
    fb = fallback.assign(group=FALLBACK, req_rank=0)
    p = pd.concat([req, cur, fb], ignore_index=True)
    p = p.astype({"rank": "int64", "group": "int64", "req_rank": "int64", "tier": "int64", "ftier": "int64"})
    p = p.sort_values(ORDER, kind="stable").drop_duplicates(["rank", "site_id"])[COLUMNS].reset_index(drop=True)
    p["pos"] = p.groupby("rank", sort=False).cumcount().astype("int64")
    return p
