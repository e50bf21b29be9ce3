"""Rooms inside each site (A19): how many teachers each room holds, and who gets which room.

A `classroom` holds one teacher whatever its capacity; a `shared` room holds `capacity` teachers when it
has partitions, else one. Inside a site, a teacher who stays keeps last night's room while it is still
valid (stability first); everyone else is seated in seniority order, classrooms before shared rooms
(Article 19.0 makes the single-occupancy classroom the norm and the shared space the rare exception),
rooms in room_id order. Vectorised: one row per teacher place, joined by (site, slot number).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def room_places(rooms: pd.DataFrame) -> pd.Series:
    """A19: teachers a room may hold: classroom 1; shared with partitions `capacity`; shared without 1."""
    shared_with_partitions = (rooms["kind"] == "shared") & rooms["partitions"].astype(bool)
    places = np.where(shared_with_partitions, rooms["capacity"].astype("int64"), 1)
    return pd.Series(places, index=rooms["room_id"].to_numpy(), name="places", dtype="int64")


def site_places(rooms: pd.DataFrame) -> pd.Series:
    """A19: teacher places of each site = sum of its rooms' places (site_id -> places)."""
    if rooms.empty:
        return pd.Series(dtype="int64", name="places")
    places = room_places(rooms)
    return pd.Series(places.to_numpy(), index=rooms["site_id"].to_numpy()).groupby(level=0).sum().rename("places")


def room_slots(rooms: pd.DataFrame, sites: list[str] | None = None) -> pd.DataFrame:
    """A19: one row per teacher place (site_id, room_id, kind, slot), classrooms first, then by room_id."""
    r = rooms if sites is None else rooms[rooms["site_id"].isin(sites)]
    r = r.assign(places=room_places(r).to_numpy(), shared=(r["kind"] == "shared").astype("int8"))
    r = r.sort_values(["site_id", "shared", "room_id"], kind="stable")
    slots = r.loc[r.index.repeat(r["places"]), ["site_id", "room_id", "kind", "places"]].reset_index(drop=True)
    slots["seat"] = slots.groupby("room_id", sort=False).cumcount()
    return slots


def assign_rooms(placed: pd.DataFrame, rooms: pd.DataFrame, previous_rooms: pd.Series | None = None) -> pd.DataFrame:
    """A19: a room for every teacher placed on site; keeps last night's room when still valid.

    `placed` has teacher_id, site_id and rank (seniority, 0 = most senior), at most the site's places
    per site; `previous_rooms` maps teacher_id -> last night's room_id. Returns teacher_id, site_id,
    room_id, kept_room (bool).
    """
    placed = placed.sort_values("rank", kind="stable")
    slots = room_slots(rooms, sorted(placed["site_id"].unique()))
    keepers = _keepers(placed, slots, previous_rooms)
    taken = keepers.groupby("room_id").size()
    free = slots[slots["seat"] >= slots["room_id"].map(taken).fillna(0).astype("int64")].copy()
    free["n"] = free.groupby("site_id", sort=False).cumcount()
    rest = placed[~placed["teacher_id"].isin(keepers["teacher_id"])].copy()
    rest["n"] = rest.groupby("site_id", sort=False).cumcount()
    seated = rest.merge(free[["site_id", "n", "room_id"]], on=["site_id", "n"], how="left", validate="1:1")
    if seated["room_id"].isna().any():
        over = seated.loc[seated["room_id"].isna(), "site_id"].unique()
        raise ValueError(f"more teachers placed than room places at {', '.join(map(str, over))}")
    out = pd.concat([keepers[["teacher_id", "site_id", "room_id"]].assign(kept_room=True),
                     seated[["teacher_id", "site_id", "room_id"]].assign(kept_room=False)], ignore_index=True)
    return out


def _keepers(placed: pd.DataFrame, slots: pd.DataFrame, previous_rooms: pd.Series | None) -> pd.DataFrame:
    """Teachers who stay at the site of last night's room and fit in it (most senior first if it shrank)."""
    cols = ["teacher_id", "site_id", "room_id", "rank"]
    if previous_rooms is None or previous_rooms.empty or placed.empty:
        return pd.DataFrame(columns=cols)
    rooms_of_site = slots.drop_duplicates("room_id")[["room_id", "site_id", "places"]]
    k = placed.assign(room_id=placed["teacher_id"].map(previous_rooms)).dropna(subset=["room_id"])
    k = k.merge(rooms_of_site, on=["room_id", "site_id"], how="inner")
    k = k.sort_values("rank", kind="stable")
    k = k[k.groupby("room_id", sort=False).cumcount() < k["places"]]
    return k[cols]
