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


def assign_rooms(placed: pd.DataFrame, rooms: pd.DataFrame, previous_rooms: pd.Series | None = None,
                 reserved: pd.Series | None = None, barred: pd.DataFrame | None = None) -> pd.DataFrame:
    """A19: a room for every teacher placed on site; keeps last night's room when still valid.

    `placed` has teacher_id, site_id and rank (seniority, 0 = most senior), at most the site's places
    per site; `previous_rooms` maps teacher_id -> last night's room_id. Locks (docs/contract.md, LOCK): `reserved` maps
    teacher_id -> the room a lock requires (seated before anyone, never more than the room's places);
    `barred` lists (teacher_id, room_id) a lock forbids. Returns teacher_id, site_id, room_id, kept_room (bool).
    """
    placed = placed.sort_values("rank", kind="stable")
    slots = room_slots(rooms, sorted(placed["site_id"].unique()))
    keepers = _keepers(placed, slots, previous_rooms, reserved, barred)
    taken = keepers.groupby("room_id").size()
    free = slots[slots["seat"] >= slots["room_id"].map(taken).fillna(0).astype("int64")].copy()
    free["n"] = free.groupby("site_id", sort=False).cumcount()
    rest = placed[~placed["teacher_id"].isin(keepers["teacher_id"])].copy()
    rest["n"] = rest.groupby("site_id", sort=False).cumcount()
    seated = rest.merge(free[["site_id", "n", "room_id"]], on=["site_id", "n"], how="left", validate="1:1")
    if seated["room_id"].isna().any():
        over = seated.loc[seated["room_id"].isna(), "site_id"].unique()
        raise ValueError(f"more teachers placed than room places at {', '.join(map(str, over))}")
    out = pd.concat([keepers[["teacher_id", "site_id", "room_id", "kept_room"]],
                     seated[["teacher_id", "site_id", "room_id"]].assign(kept_room=False)], ignore_index=True)
    if barred is not None and not barred.empty:
        out = _unbar(out, placed, slots, barred, reserved)
    return out


def _keepers(placed: pd.DataFrame, slots: pd.DataFrame, previous_rooms: pd.Series | None,
             reserved: pd.Series | None = None, barred: pd.DataFrame | None = None) -> pd.DataFrame:
    """Teachers seated before the others: locked into a room first, then those who stay at the site of last
    night's room and fit in it (most senior first if it shrank), unless a lock bars them from it."""
    cols = ["teacher_id", "site_id", "room_id", "rank", "kept_room"]
    previous_rooms = pd.Series(dtype=object) if previous_rooms is None else previous_rooms
    reserved = pd.Series(dtype=object) if reserved is None else reserved
    if (previous_rooms.empty and reserved.empty) or placed.empty:
        return pd.DataFrame(columns=cols)
    rooms_of_site = slots.drop_duplicates("room_id")[["room_id", "site_id", "places"]]
    locked = placed.assign(room_id=placed["teacher_id"].map(reserved), locked=0)
    stay = placed[~placed["teacher_id"].isin(reserved.index)]
    stay = stay.assign(room_id=stay["teacher_id"].map(previous_rooms), locked=1)
    if barred is not None and not barred.empty:
        no = pd.MultiIndex.from_frame(barred[["teacher_id", "room_id"]])
        stay = stay[~pd.MultiIndex.from_frame(stay[["teacher_id", "room_id"]]).isin(no)]
    k = pd.concat([locked, stay]).dropna(subset=["room_id"])
    k = k.merge(rooms_of_site, on=["room_id", "site_id"], how="inner")
    k = k.sort_values(["locked", "rank"], kind="stable")
    k = k[k.groupby("room_id", sort=False).cumcount() < k["places"]]
    k["kept_room"] = (k["teacher_id"].map(previous_rooms) == k["room_id"]).to_numpy(dtype=bool)
    return k[cols]


def _unbar(out: pd.DataFrame, placed: pd.DataFrame, slots: pd.DataFrame, barred: pd.DataFrame,
           reserved: pd.Series | None) -> pd.DataFrame:
    """Locks: a teacher seated in a room a lock bars them from moves to a free place in another room of the site,
    else swaps with the most junior teacher there who is not locked into their room nor barred from the first.
    Few rows (locks are decisions made by hand), so a plain loop; a teacher left in the room is the lock's
    conflict (lock_conflicts.py)."""
    out = out.copy()
    rank = placed.set_index("teacher_id")["rank"]
    pinned = set() if reserved is None else set(reserved.index)
    bars = set(map(tuple, barred[["teacher_id", "room_id"]].to_numpy()))
    places = slots.drop_duplicates("room_id").set_index("room_id")["places"]
    for i in out.index[np.array([(t, r) in bars for t, r in zip(out["teacher_id"], out["room_id"])], dtype=bool)]:
        teacher, bad, site = out.at[i, "teacher_id"], out.at[i, "room_id"], out.at[i, "site_id"]
        used = out["room_id"].value_counts()
        other = slots.loc[(slots["site_id"] == site) & (slots["room_id"] != bad) & ~slots["room_id"].isin(
            [r for t, r in bars if t == teacher]), "room_id"].drop_duplicates()
        room = next((r for r in other if used.get(r, 0) < places[r]), None)
        if room is None:
            there = out[out["room_id"].isin(other) & ~out["teacher_id"].isin(pinned)]
            there = there[np.array([(t, bad) not in bars for t in there["teacher_id"]], dtype=bool)]
            if there.empty:
                continue
            j = there["teacher_id"].map(rank).idxmax()
            room = out.at[j, "room_id"]
            out.loc[j, ["room_id", "kept_room"]] = [bad, False]
        out.loc[i, ["room_id", "kept_room"]] = [room, False]
    return out
