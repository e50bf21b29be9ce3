"""LOCK and the teacher's own place preferences (A19, A24, A25): the sites a teacher's site locks keep them from, and
the sites a teacher may be given at all (`owed_a_place`: the site locks with A16, A25 and A26's limits).

docs/contract.md reads A24's ranking without the sites a teacher "may not be given"; a site lock is a decision people
made about where its teacher works, so the places it keeps them from are such sites: a `require` of a site (with or
without a room) keeps them from every other site, a `require` of home from every site, a `forbid` of a site from that
site (of a room: when every other room of the site is held by teachers locked into it). Their own request for such a
site (A24, A25) and their own `site` choice (A19: a free room there) are not owed. Rules about the place or about other
teachers (A16, A25's temporary closure, A26, room limits) still hold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.check.core import CheckContext, cached
from vastaff.check.regions import outside_a26, region_distances
from vastaff.schemas.inputs import HOME_SITE


@cached
def site_lock_reach(ctx: CheckContext) -> tuple[dict[str, set[str]], set[tuple[str, str]]]:
    """(teacher -> the places their `require` site locks name, {(teacher, site) a `forbid` lock rules out})."""
    k = ctx.district.locks
    if k.empty:
        return {}, set()
    k = k[k["site_id"].notna()]
    required = k[k["mode"] == "require"].groupby("teacher_id")["site_id"].agg(set).to_dict()
    forbid = k[(k["mode"] == "forbid") & (k["site_id"] != HOME_SITE)]
    rooms_left = _rooms_left(ctx, k)
    return required, {(t, s) for t, s, r in zip(forbid["teacher_id"], forbid["site_id"], forbid["room_id"])
                      if pd.isna(r) or not rooms_left(t, s, r)}


def room_limits(rooms: pd.DataFrame) -> np.ndarray:
    """A19 (19.0): the teachers each room holds: a shared room with partitions its capacity, any other room one."""
    return np.where((rooms["kind"] == "shared") & rooms["partitions"].astype(bool), rooms["capacity"], 1)


def _rooms_left(ctx: CheckContext, k: pd.DataFrame):
    """(teacher, site, forbidden room) -> whether another room of the site has a place not held by other teachers'
    `require` locks of that room (A19's places: a shared room with partitions holds `capacity`, any other room one)."""
    rooms = ctx.district.rooms
    places = dict(zip(rooms["room_id"], room_limits(rooms).tolist()))
    into = k[(k["mode"] == "require") & k["room_id"].notna()]

    def left(teacher: str, site: str, room: str) -> bool:
        held = into.loc[into["teacher_id"] != teacher, "room_id"].value_counts()
        return any(places[r] > held.get(r, 0) for r, s in zip(rooms["room_id"], rooms["site_id"])
                   if s == site and r != room)

    return left


def may_be_given(ctx: CheckContext, teachers: pd.Series, sites: pd.Series) -> pd.Series:
    """Per (teacher, site) pair: whether the teacher's own site locks let them be given that site."""
    required, forbidden = site_lock_reach(ctx)
    return pd.Series([(t not in required or required[t] == {s}) and (t, s) not in forbidden
                      for t, s in zip(teachers, sites)], index=teachers.index, dtype=bool)


def owed_a_place(ctx: CheckContext, t: pd.DataFrame, free: pd.DataFrame) -> pd.Series:
    """Per teacher of `t` (check/location.py's placements): whether a site they may be given has a free place (`free`:
    rooms with one, after the plan, with their site_id and region_id). Not a site their own site locks keep them from;
    none for a home chooser (A16, A19: never placed at a site) or a teacher of a temporarily closed site who neither
    chose site nor listed requests (A25: they go home); for a closed site's teacher, a site they requested (A25) or
    one in the region A26 gives them (check/regions.py; docs/contract.md, A24: "not open, outside their A26
    region"). Only open sites have free places."""
    sites = free[["site_id", "region_id"]].drop_duplicates("site_id")
    if t.empty or sites.empty:
        return pd.Series(False, index=t.index, dtype=bool)
    cols = ["teacher_id", "work_location", "current_status", "current_region", "home_region_id", "requested_site_ids"]
    pairs = t[cols].rename_axis("row").reset_index().merge(sites, how="cross")
    asked = pd.Series([isinstance(r, tuple) and s in r for s, r in zip(pairs["site_id"], pairs["requested_site_ids"])],
                      index=pairs.index, dtype=bool)
    has_requests = pairs["requested_site_ids"].map(lambda r: isinstance(r, tuple) and len(r) > 0).astype(bool)
    goes_home = (pairs["work_location"] == "home") | ((pairs["current_status"] == "temporarily_closed")
                                                       & (pairs["work_location"] != "site") & ~has_requests)
    outside = (pairs["current_status"] == "closed") & ~asked & outside_a26(
        region_distances(ctx), pairs["home_region_id"], pairs["current_region"], pairs["region_id"],
        set(free["region_id"]))
    ok = may_be_given(ctx, pairs["teacher_id"], pairs["site_id"]) & ~goes_home.fillna(False) & ~outside
    return ok.groupby(pairs["row"]).any().reindex(t.index, fill_value=False).astype(bool)


def placed_off_home(ctx: CheckContext, t: pd.DataFrame, free: pd.DataFrame) -> set[tuple[str, str]]:
    """(teacher, site) of each teacher a `forbid` lock of home keeps off it, placed at a site (`t`: placements) while
    no site they may be given has a free place (`free`: rooms with one, `owed_a_place`): the lock put them there before
    anyone, as a `require` of that site would (docs/decisions.md, "`forbid home` where every site is full to the
    teacher"), so the place counts as a locked one (docs/contract.md, A24)."""
    k = ctx.district.locks
    if k.empty:
        return set()
    off = set(k.loc[(k["mode"] == "forbid") & (k["site_id"] == HOME_SITE), "teacher_id"])
    placed = t[t["teacher_id"].isin(off) & t["placed_site"].notna()]
    kept = placed[~owed_a_place(ctx, placed, free)]
    return set(zip(kept["teacher_id"], kept["placed_site"]))
