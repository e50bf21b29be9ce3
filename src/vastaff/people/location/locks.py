"""LOCK (docs/contract.md, "Decisions people made"): the site and room rows of locks.csv in the work-location step.

A lock is honoured by narrowing a teacher's options before the matching, so that deferred acceptance, seating
and explanations run unchanged:
- `require` a site: the site is the teacher's only proposal and the site takes them before anyone (a locked
  placement counts as an incumbent for A24); with a room, that room is reserved for them before anyone is seated;
- `require` home: the teacher proposes nowhere;
- `forbid` a site: the site leaves the teacher's list; with a room, the teacher is seated in another room of the
  site (or, when the site has no other room, or only rooms other teachers are locked into, the site leaves their
  list);
- `forbid` home: the teacher goes on to every site they may be given, like a `site` chooser (A19 cascade); where
  every one is full to them, the first on their list takes them before anyone, as a `require` of it would.

Only the locks the plain construction breaks are enforced (see api.py), so a lock that already holds changes
nothing. Whether the narrowed plan still obeys the contract is lock_conflicts.py's question.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.io.locks import group_of, records
from vastaff.people.location.preferences import LOCKED
from vastaff.people.location.rooms import room_places
from vastaff.schemas.district import District
from vastaff.schemas.inputs import HOME_SITE

LOCK_COLUMNS = ["lock_id", "teacher_id", "mode", "site_id", "room_id", "reason", "row", "rank", "home", "whole"]
REQUIRE, FORBID = "require", "forbid"


def site_locks(district: District, t: pd.DataFrame) -> pd.DataFrame:
    """The site rows of locks.csv in file order, with the teacher's seniority rank and whether they lock home."""
    rows = [r for r in records(district.locks) if group_of(r) == "site_id"]
    f = pd.DataFrame([{"lock_id": r["lock_id"], "teacher_id": r["teacher_id"], "mode": r["mode"],
                       "site_id": r["site_id"], "room_id": r["room_id"], "reason": r.get("reason") or "",
                       "row": r.get("_row") or 0} for r in rows], columns=LOCK_COLUMNS[:7])
    f = f.sort_values("row", kind="stable").reset_index(drop=True).astype({"room_id": object, "reason": object})
    f["room_id"] = f["room_id"].where(f["room_id"].notna(), None)
    f["rank"] = f["teacher_id"].map(t.set_index("teacher_id")["rank"]).astype("int64")
    f["home"] = f["site_id"] == HOME_SITE
    f["whole"] = (f["mode"] == FORBID) & ~f["home"] & _no_other_room(f, district.rooms)
    return f[LOCK_COLUMNS]


def _no_other_room(f: pd.DataFrame, rooms: pd.DataFrame) -> pd.Series:
    """Per lock: no room of its site is left to its teacher — none named, or every other place of the site is the
    named room's or held by other teachers locked into its room (a `forbid` of it then keeps them off the site)."""
    places = room_places(rooms)
    site_of = dict(zip(rooms["room_id"], rooms["site_id"]))
    into = f[(f["mode"] == REQUIRE) & f["room_id"].notna()]

    def none_left(teacher: str, site: str, room) -> bool:
        if room is None:
            return True
        taken = into[into["teacher_id"] != teacher]["room_id"].value_counts()
        return all(int(places[r]) <= int(taken.get(r, 0)) for r, s in site_of.items() if s == site and r != room)

    return pd.Series([none_left(t, s, r) for t, s, r in zip(f["teacher_id"], f["site_id"], f["room_id"])],
                     index=f.index, dtype=bool)


def place_text(lock) -> str:
    """'work from home', 'work at site S3', 'work at site S3 in room S3-101'."""
    if lock.home:
        return "work from home"
    room = f" in room {lock.room_id}" if lock.room_id is not None else ""
    return f"work at site {lock.site_id}{room}"


def lock_text(lock) -> str:
    """'lock L7 requires teacher T12 to work at site S3' / 'lock L8 forbids teacher T12 to work from home'."""
    verb = "requires" if lock.mode == REQUIRE else "forbids"
    return f"lock {lock.lock_id} {verb} teacher {lock.teacher_id} to {place_text(lock)}"


def holds(locks: pd.DataFrame, outcome: pd.DataFrame) -> pd.Series:
    """Whether each lock holds in an outcome with teacher_id, site_id, room_id (the checker's reading of LOCK)."""
    o = outcome.set_index("teacher_id")
    site = locks["teacher_id"].map(o["site_id"])
    room = locks["teacher_id"].map(o["room_id"])
    there = (site == locks["site_id"]) & (locks["room_id"].isna() | (room == locks["room_id"]))
    at = np.where(locks["home"], site.isna(), there.fillna(False))
    return pd.Series(np.where(locks["mode"] == REQUIRE, at, ~at), index=locks.index, dtype=bool)


# ----------------------------------------------------------------------------------------------
# Narrowing the options of the teachers whose locks are enforced


def required_sites(enforced: pd.DataFrame) -> pd.DataFrame:
    """rank, site_id of the enforced `require` locks of a site (one per teacher: contradictions are refused first)."""
    r = enforced[(enforced["mode"] == REQUIRE) & ~enforced["home"]]
    return r[["rank", "site_id"]].drop_duplicates("rank")


def required_home(enforced: pd.DataFrame) -> pd.Series:
    """Ranks of the teachers an enforced lock keeps at home."""
    return enforced.loc[(enforced["mode"] == REQUIRE) & enforced["home"], "rank"].drop_duplicates()


def forbidden_home(enforced: pd.DataFrame) -> pd.Series:
    """Ranks of the teachers an enforced lock keeps off home."""
    return enforced.loc[(enforced["mode"] == FORBID) & enforced["home"], "rank"].drop_duplicates()


def forbidden_sites(enforced: pd.DataFrame) -> pd.DataFrame:
    """rank, site_id the teacher may not be given (enforced `forbid` locks that leave them no room of the site)."""
    f = enforced[(enforced["mode"] == FORBID) & ~enforced["home"]]
    return f.loc[f["whole"], ["rank", "site_id"]].drop_duplicates()


def reserved_rooms(enforced: pd.DataFrame) -> pd.Series:
    """teacher_id -> room_id of the enforced `require` locks naming a room."""
    r = enforced[(enforced["mode"] == REQUIRE) & enforced["room_id"].notna()].drop_duplicates("teacher_id")
    return pd.Series(r["room_id"].to_numpy(), index=r["teacher_id"].to_numpy(), dtype=object)


def barred_rooms(enforced: pd.DataFrame) -> pd.DataFrame:
    """teacher_id, room_id of the enforced `forbid` locks of one room at a site with another room left to them."""
    f = enforced[(enforced["mode"] == FORBID) & ~enforced["home"]]
    return f.loc[~f["whole"], ["teacher_id", "room_id"]].drop_duplicates().reset_index(drop=True)


def seek_rooms(t: pd.DataFrame, enforced: pd.DataFrame) -> pd.DataFrame:
    """Teachers kept off home go on to every site they may be given, as a `site` chooser does (A19 cascade)."""
    off = t["rank"].isin(forbidden_home(enforced))
    return t.assign(seeks_room=t["seeks_room"] | off) if off.any() else t


def home_kept(enforced: pd.DataFrame, outcome: pd.DataFrame, proposals: pd.DataFrame) -> pd.DataFrame:
    """The enforced `forbid` locks of home that still do not hold (every site the teacher may be given is full to
    them), each as a `require` of the first site on the teacher's list, which takes them before anyone there, as a
    `require` of that site would: `forbid home` and `require S1` of a site chooser whose only site is S1 mean the
    same, and the first was refused as a conflict while the second placed them."""
    kept = enforced[(enforced["mode"] == FORBID) & enforced["home"] & ~holds(enforced, outcome)]
    first = proposals.sort_values(["rank", "pos"], kind="stable").drop_duplicates("rank").set_index("rank")["site_id"]
    kept = kept[kept["rank"].isin(first.index)]
    return kept.assign(mode=REQUIRE, site_id=kept["rank"].map(first), room_id=None, home=False, whole=False)


def prune(proposals: pd.DataFrame, enforced: pd.DataFrame) -> pd.DataFrame:
    """The proposal lists narrowed by the enforced locks (positions renumbered)."""
    if enforced.empty:
        return proposals
    p = proposals[~proposals["rank"].isin(required_home(enforced))]
    banned = forbidden_sites(enforced)
    p = p.merge(banned.assign(banned=True), on=["rank", "site_id"], how="left")
    p = p[p["banned"].isna()].drop(columns="banned")
    req = required_sites(enforced)
    mine = p["rank"].isin(req["rank"])
    listed = p[mine].merge(req, on=["rank", "site_id"])
    added = req[~req.set_index(["rank", "site_id"]).index.isin(listed.set_index(["rank", "site_id"]).index)]
    added = added.assign(group=LOCKED, req_rank=0, tier=0, ftier=0)
    p = pd.concat([p[~mine], listed, added], ignore_index=True)[proposals.columns.drop("pos")]
    p = p.astype({c: "int64" for c in ("rank", "group", "req_rank", "tier", "ftier")})
    p = p.sort_values("rank", kind="stable").reset_index(drop=True)
    p["pos"] = p.groupby("rank", sort=False).cumcount().astype("int64")
    return p


def locked_flags(t: pd.DataFrame, enforced: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """Per teacher (seniority order): locked to a site (taken before anyone there), and that site (else NaN)."""
    req = required_sites(enforced).set_index("rank")["site_id"]
    site = t["rank"].map(req)
    return site.notna().to_numpy(), site


# ----------------------------------------------------------------------------------------------
# What the plan says about the enforced locks


def explanation_rows(enforced: pd.DataFrame, outcome: pd.DataFrame) -> pd.DataFrame:
    """teacher_id, message (without the LOCK prefix): one line per enforced lock, what it did."""
    o = outcome.set_index("teacher_id")
    out = []
    for lock in enforced.drop_duplicates("lock_id").itertuples(index=False):  # a `home_kept` row is its lock's
        site, room, cur = (o.at[lock.teacher_id, c] for c in ("site_id", "room_id", "current_site_id"))
        where = "works from home" if pd.isna(site) else f"placed at {site} in room {room}"
        left = f"leaves {cur}; " if pd.notna(cur) and cur != site else ""
        why = f" ({lock.reason})" if lock.reason else ""
        if lock.mode == REQUIRE:
            text = f"{left}{where} by lock {lock.lock_id}{why}"
        else:
            text = f"lock {lock.lock_id} forbids them to {place_text(lock)}{why}; {where}"
        out.append((lock.teacher_id, text))
    return pd.DataFrame(out, columns=["teacher_id", "message"])
