"""LOCK and the teacher's own place preferences (A19, A24, A25): the sites a teacher's site locks keep them from.

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


def placed_off_home(ctx: CheckContext, t: pd.DataFrame, free_sites: pd.Series) -> set[tuple[str, str]]:
    """(teacher, site) of each teacher a `forbid` lock of home keeps off it, placed at a site (`t`: placements) while
    no site they may be given has a free place (`free_sites`): the lock put them there before anyone, as a `require`
    of that site would (docs/decisions.md, "`forbid home` where every site is full to the teacher"), so the place
    counts as a locked one (docs/contract.md, A24)."""
    k = ctx.district.locks
    if k.empty:
        return set()
    off = set(k.loc[(k["mode"] == "forbid") & (k["site_id"] == HOME_SITE), "teacher_id"])
    placed = t[t["teacher_id"].isin(off) & t["placed_site"].notna()]
    sites = pd.Series(pd.unique(free_sites), dtype=object)
    return {(tid, site) for tid, site in zip(placed["teacher_id"], placed["placed_site"])
            if not may_be_given(ctx, pd.Series([tid] * len(sites), dtype=object), sites).any()}
