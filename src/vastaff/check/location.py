"""A16, A19, A24, A25, A26 — work location and welcome-center rooms (Articles 16.0, 19.0, 24.0–26.0).

Reads the plan's teachers.csv (work_location, site_id, room_id) against teachers.csv, sites.csv, rooms.csv and
regions.csv, when the plan has teacher rows (teachers missing from either side are the structural check's business).
Joins and group-bys: 20,000 teachers take about a second.

Readings (beyond docs/contract.md): a teacher is placed when the plan says work_location = site; a room's place is free
when the room is at an open site and holds fewer teachers than Article 19.0 allows. A teacher with RA granted or
pending may work from home (A16) but is owed what they chose: their requests count in A24, and as a `site` chooser a
free place (A19); a home chooser placed at a site is A19's, and A16's too with an RA. Leaving a `site` chooser home
while a free place exists is A19's (A25 for a temporarily closed site's teachers); a request ranked above what the
teacher got at a site with a free place is an A24 violation ("requests fill available space"). Neither is owed for a
site the teacher's own site locks keep them from, nor a free place for a closed site's teacher outside the region A26
gives them (check/site_locks.py). A25, permanent relocation: a closed site's teacher may request any open site, and a
site ranks them, on the sites they requested, right after its incumbents and before every other requester, among
themselves by seniority; someone the site ranks lower who moves into a site such a teacher ranked above what they
got is an A25 violation (an A24 one when the wronged teacher is not relocated), and a closed site's teacher placed
at a site they requested is never an A24 mover. A26 (check/closures.py) then places only those whose requests were
not met: "nearest region" is read as the nearest region with a free place.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.check.core import CheckContext, RowRef, cached, finding
from vastaff.check.iep import clean_ids
from vastaff.check.site_locks import may_be_given, owed_a_place, placed_off_home, room_limits
from vastaff.rules import Finding

RA_HOME = ("granted", "pending")


def seniority_position(teachers: pd.DataFrame) -> pd.Series:
    """0 = most senior: earlier seniority_date, then lower seniority_tiebreak, then teacher_id (a full tie)."""
    order = teachers.sort_values(["seniority_date", "seniority_tiebreak", "teacher_id"], kind="stable")
    return pd.Series(np.arange(len(order)), index=order.index).reindex(teachers.index)


def teacher_ref(tid) -> RowRef:
    return RowRef("teachers.csv", str(tid))


def site_ref(sid) -> RowRef:
    return RowRef("sites.csv", str(sid))


def _room(rid) -> RowRef:
    return RowRef("rooms.csv", str(rid))


def _seniority(r) -> str:
    return f"seniority {r.seniority_date:%Y-%m-%d}, tiebreak {r.seniority_tiebreak}"


# ----------------------------------------------------------------------------------------------
# The placements: one row per teacher of both the data and the plan


@cached
def placements(ctx: CheckContext) -> pd.DataFrame:
    """Each teacher's choice, current site, requests and seniority beside the plan's location, site and room."""
    t = ctx.district.teachers.copy()
    t["seniority"] = seniority_position(t)
    t["ra_home"] = t["ra_status"].isin(RA_HOME)
    sites = ctx.district.sites[["site_id", "region_id", "status"]]
    cur = sites.rename(columns={"site_id": "current_site_id", "region_id": "current_region", "status": "current_status"})
    t = t.merge(cur, on="current_site_id", how="left")
    p = ctx.plan.teachers
    plan = pd.DataFrame({"teacher_id": clean_ids(p["teacher_id"]), "site_id": clean_ids(p["site_id"]),
                         "plan_location": p["work_location"].astype("string").str.strip(),
                         "room_id": clean_ids(p["room_id"])}).drop_duplicates("teacher_id")
    t = t.astype({"teacher_id": "string"}).merge(plan, on="teacher_id", how="inner")
    rooms = ctx.district.rooms[["room_id", "site_id"]].rename(columns={"site_id": "room_site"}).astype({"room_id": "string"})
    t = t.merge(rooms, on="room_id", how="left")
    t["on_site"] = t["plan_location"].eq("site").fillna(False).astype(bool)
    t["at_home"] = ~t["on_site"]
    t["site_known"] = t["site_id"].isin(sites["site_id"])
    t["placed_site"] = t["site_id"].where(t["on_site"])
    placed = sites.rename(columns={"site_id": "placed_site", "region_id": "site_region", "status": "site_status"})
    t = t.merge(placed.astype({"placed_site": "string"}), on="placed_site", how="left")
    return t


def applies(ctx: CheckContext) -> bool:
    return len(ctx.plan.teachers) > 0


@cached
def room_use(ctx: CheckContext) -> pd.DataFrame:
    """Per room: teachers the plan puts there, the Article 19.0 limit and free places (open sites only)."""
    rooms = ctx.district.rooms.astype({"room_id": "string"}).merge(
        ctx.district.sites[["site_id", "region_id", "status"]], on="site_id", how="left")
    t = placements(ctx)
    occupants = t[t["on_site"]].dropna(subset=["room_id"]).groupby("room_id")["teacher_id"].agg(list)
    rooms["occupants"] = rooms["room_id"].map(occupants).apply(lambda v: v if isinstance(v, list) else [])
    rooms["used"] = rooms["occupants"].map(len)
    rooms["limit"] = room_limits(rooms)
    rooms["free"] = np.where(rooms["status"] == "open", (rooms["limit"] - rooms["used"]).clip(lower=0), 0)
    return rooms


def free_regions(ctx: CheckContext) -> set:
    """Regions with a free place in a room of an open site, after the plan."""
    rooms = room_use(ctx)
    return set(rooms.loc[rooms["free"] > 0, "region_id"])


def free_rooms_text(ctx: CheckContext) -> tuple[str, tuple[RowRef, ...]]:
    rooms = room_use(ctx)
    free = rooms[rooms["free"] > 0].sort_values("room_id")
    first = free.iloc[0]
    more = f" (and {len(free) - 1} more room(s))" if len(free) > 1 else ""
    return f"room {first.room_id} at site {first.site_id} has {int(first.free)} free place(s){more}", (_room(first.room_id),)


# ----------------------------------------------------------------------------------------------
# A16, A19 — a home chooser is never placed at a site


def check_a16_home_choice(ctx: CheckContext) -> list[Finding]:
    """A home chooser placed at a site: A16 (16.0) with RA granted or pending ("never placed at a site after choosing
    home"); A19 (19.0, "gets no room") for every other, and with an RA too when given a room: one finding per rule."""
    if not applies(ctx):
        return []
    t, out = placements(ctx), []
    for r in t[(t["work_location"] == "home") & t["on_site"]].itertuples():
        text = (f"teacher {r.teacher_id} chose to work from home but the plan places them on site at "
                f"{r.site_id if pd.notna(r.site_id) else '(no site)'}"
                f"{f' (room {r.room_id})' if pd.notna(r.room_id) else ''}")
        rows = (teacher_ref(r.teacher_id),) + ((site_ref(r.site_id),) if pd.notna(r.site_id) else ())
        if r.ra_home:
            out.append(finding("A16", text, rows))
        if not r.ra_home or pd.notna(r.room_id):
            out.append(finding("A19", text + ("; a home chooser gets no room" if r.ra_home else ""), rows))
    return out


# ----------------------------------------------------------------------------------------------
# A19 — rooms


def check_a19_location_fields(ctx: CheckContext) -> list[Finding]:
    """A19 (19.0): at home, site_id and room_id are blank; on site, a known room of the placed site."""
    if not applies(ctx):
        return []
    t = placements(ctx)
    home, site = t["at_home"], t["on_site"]
    reasons = pd.Series("", index=t.index, dtype=object)
    reasons[site & t["room_id"].notna() & t["room_site"].notna() & (t["room_site"] != t["site_id"])] = "room_of_other_site"
    reasons[site & t["room_id"].notna() & t["room_site"].isna()] = "unknown_room"
    reasons[site & t["room_id"].isna()] = "no_room"
    reasons[site & t["site_id"].notna() & ~t["site_known"]] = "unknown_site"
    reasons[site & t["site_id"].isna()] = "no_site"
    reasons[home & (t["site_id"].notna() | t["room_id"].notna())] = "home_with_place"
    bad = t[reasons != ""]
    return [_location_violation(r, why) for r, why in zip(bad.itertuples(), reasons[reasons != ""])]


def _location_violation(r, why: str) -> Finding:
    text = {
        "home_with_place": f"works from home but has site_id {_txt(r.site_id)} and room_id {_txt(r.room_id)}; "
                           f"both are blank at home",
        "no_site": "works on site but has no site_id",
        "unknown_site": f"is placed at site {r.site_id}, which is not in sites.csv",
        "no_room": f"works on site at {r.site_id} but has no room",
        "unknown_room": f"is given room {r.room_id}, which is not in rooms.csv",
        "room_of_other_site": f"is placed at site {r.site_id} but given room {r.room_id} of site {r.room_site}",
    }[why]
    rows = (teacher_ref(r.teacher_id),) + ((_room(r.room_id),) if pd.notna(r.room_id) else ())
    return finding("A19", f"teacher {r.teacher_id} {text}", rows)


def _txt(v) -> str:
    return "(blank)" if pd.isna(v) else str(v)


def check_a19_room_capacity(ctx: CheckContext) -> list[Finding]:
    """A19 (19.0): a classroom holds one teacher; a shared room its capacity with partitions, else one."""
    if not applies(ctx):
        return []
    rooms = room_use(ctx)
    over = rooms[rooms["used"] > rooms["limit"]].sort_values("room_id")
    return [finding("A19", f"room {r.room_id} ({_room_kind(r)}) at site {r.site_id} holds {r.used} teachers "
                    f"({', '.join(map(str, sorted(r.occupants)))}); at most {r.limit}",
                    (_room(r.room_id),) + tuple(teacher_ref(t) for t in sorted(r.occupants)))
            for r in over.itertuples()]


def _room_kind(r) -> str:
    return "classroom" if r.kind == "classroom" else (
        f"shared, capacity {r.capacity}, " + ("with partitions" if r.partitions else "no partitions"))


def check_a19_empty_room(ctx: CheckContext) -> list[Finding]:
    """A19 (19.0): a site chooser is left at home only when no room they could be given has a free place."""
    if not applies(ctx):
        return []
    t = placements(ctx)
    waiting = t[(t["work_location"] == "site") & t["at_home"] & (t["current_status"] != "temporarily_closed")]
    if waiting.empty or not free_regions(ctx):
        return []
    # a site lock, or A26's region, keeping them from every free place: a shortfall, not owed
    waiting = waiting[owed_a_place(ctx, waiting, room_use(ctx).query("free > 0")).to_numpy(dtype=bool)]
    where, rows = free_rooms_text(ctx)
    return [finding("A19", f"teacher {r.teacher_id} chose to work on site but works from home while {where}",
                    (teacher_ref(r.teacher_id),) + rows)
            for r in waiting.sort_values("seniority").itertuples()]


NO_CURRENT_SITE = "(none)"
"""The A19 figure's row of the site choosers left at home who have no current site."""


def room_shortfall(ctx: CheckContext) -> list[dict]:
    """A19 figure, one row per site: places (none at a site not open), teachers placed, free places, and the site
    choosers left at home whose current site it is (a row NO_CURRENT_SITE for site choosers without a current site)."""
    t = placements(ctx)
    rooms = room_use(ctx).assign(offered=lambda r: r["limit"].where(r["status"] == "open", 0))
    per_site = rooms.groupby("site_id").agg(places=("offered", "sum"), placed=("used", "sum"), free=("free", "sum"))
    short = t[(t["work_location"] == "site") & t["at_home"]]
    home = short["current_site_id"].astype(object).fillna(NO_CURRENT_SITE).value_counts()
    sites = ctx.district.sites.set_index("site_id")
    out = []
    for site in sorted(set(sites.index) | set(home.index)):
        known = site in sites.index
        p = per_site.loc[site] if site in per_site.index else None
        out.append({"site_id": site, "region_id": sites.at[site, "region_id"] if known else "",
                    "status": sites.at[site, "status"] if known else "",
                    "places": int(p["places"]) if p is not None else 0, "placed": int(p["placed"]) if p is not None else 0,
                    "free": int(p["free"]) if p is not None else 0, "site_choosers_at_home": int(home.get(site, 0))})
    return out


# ----------------------------------------------------------------------------------------------
# A24 and A25 — requests fill space in seniority order; a closed site's teachers choose first


def placed_by_request(t: pd.DataFrame) -> pd.Series:
    """Per teacher: placed at a site they requested."""
    return pd.Series([pd.notna(s) and isinstance(asked, tuple) and s in asked
                      for s, asked in zip(t["placed_site"], t["requested_site_ids"])], index=t.index, dtype=bool)


@cached
def requests_table(ctx: CheckContext) -> pd.DataFrame:
    """(teacher, site, rank) of each request the teacher may be given (an open site: a closed site's teacher may ask
    for any, A25; not one their own site locks keep them from: check/site_locks.py), whether it beats what they got, and whether the teacher is relocated (their site is closed)."""
    t = placements(ctx)
    asked = t[t["work_location"] != "home"][["teacher_id", "requested_site_ids", "seniority", "placed_site",
                                              "current_site_id", "current_status"]]
    req = asked.explode("requested_site_ids").dropna(subset=["requested_site_ids"]).reset_index(drop=True)
    req = req.rename(columns={"requested_site_ids": "wanted", "placed_site": "got"})
    req["rank"] = req.groupby("teacher_id").cumcount()
    status = ctx.district.sites.set_index("site_id")["status"]
    req = req[req["wanted"].map(status).eq("open") & may_be_given(ctx, req["teacher_id"], req["wanted"])].copy()
    req["relocated"] = req["current_status"].eq("closed").fillna(False).astype(bool)
    got_rank = req[req["wanted"] == req["got"]].groupby("teacher_id")["rank"].min()
    req["got_rank"] = req["teacher_id"].map(got_rank).fillna(np.inf)
    req["above_got"] = req["rank"] < req["got_rank"]
    return req


@cached
def move_ins(ctx: CheckContext) -> pd.DataFrame:
    """A24/A25: teachers who moved into a site that someone the site ranks above them ranked above what they got.

    A site ranks its incumbents and the teachers a site lock places there first (docs/contract.md: not moves),
    then a closed site's teachers who requested it, among themselves by seniority (A25, permanent relocation), then
    everyone else by seniority (A24). Each mover is paired with the best-ranked such teacher; `rule` is A25 when that
    teacher is relocated, else A24. A site that keeps a free place has no such mover (check_a24_free_space's case)."""
    everyone = placements(ctx)
    locks = ctx.district.locks
    locked = locks[(locks["mode"] == "require") & locks.site_id.notna()]
    free_rooms = room_use(ctx).query("free > 0")
    free = free_rooms["site_id"]
    held = set(zip(locked.teacher_id, locked.site_id)) | placed_off_home(ctx, everyone, free_rooms)
    t = everyone[~pd.Series(list(zip(everyone.teacher_id, everyone.placed_site)), index=everyone.index).isin(held)]
    movers = t[t["placed_site"].notna() & (t["placed_site"] != t["current_site_id"].astype("string")).fillna(True)]
    relocated = movers["current_status"].eq("closed").fillna(False).astype(bool) & placed_by_request(movers)
    m = movers.assign(relocated_mover=relocated, claim=(~relocated).astype("int8"))
    m = m.merge(_best_wanting(requests_table(ctx)), on="placed_site")
    beaten = (m["claim"] > m["senior_claim"]) | ((m["claim"] == m["senior_claim"]) & (m["seniority"] > m["senior_pos"]))
    m = m[beaten & ~m["placed_site"].isin(free)].sort_values(["placed_site", "seniority"])
    return m.assign(rule=np.where(m["senior_claim"] == 0, "A25", "A24"))


def _best_wanting(req: pd.DataFrame) -> pd.DataFrame:
    """Per site, the teacher it ranks highest among those who ranked it above what they got: a relocated teacher
    (claim 0) before the others (claim 1), then the most senior."""
    w = req[req["above_got"]]
    w = w.assign(claim=(~w["relocated"]).astype("int8")).sort_values(["claim", "seniority"]).drop_duplicates("wanted")
    return w[["wanted", "teacher_id", "seniority", "rank", "got", "claim"]].rename(columns={
        "wanted": "placed_site", "teacher_id": "senior_id", "seniority": "senior_pos", "got": "senior_got",
        "claim": "senior_claim"})


def check_a24_seniority(ctx: CheckContext) -> list[Finding]:
    """A24 (24.0): nobody moves into a site a more senior teacher ranked above what that teacher got. A placement a
    `require` site lock makes counts as an incumbent (docs/contract.md, A24): it is not a move; a closed site's
    teacher who requested the site is not such a move either (A25 lets them choose first)."""
    if not applies(ctx):
        return []
    info = placements(ctx).set_index("teacher_id")  # the senior may hold a locked placement: described all the same
    bumped = move_ins(ctx)
    return [_a24_violation(r, info.loc[r.senior_id]) for r in bumped[bumped["rule"] == "A24"].itertuples()]


def _a24_violation(r, senior) -> Finding:
    got, refs = (f"site {senior.placed_site}" if pd.notna(senior.placed_site) else "home",
                 (teacher_ref(r.teacher_id), teacher_ref(r.senior_id), site_ref(r.placed_site)))
    return finding("A24", f"teacher {r.teacher_id} ({_seniority(r)}) moved into site {r.placed_site}, which more senior "
                   f"teacher {r.senior_id} ({_seniority(senior)}) listed as request {r.rank + 1}, above what they got "
                   f"({got})", refs)


def check_a25_relocation_priority(ctx: CheckContext) -> list[Finding]:
    """A25 (25.0, second sentence): a closed site's teachers choose before every other requester, among themselves in
    seniority order: nobody else moves into a site such a teacher ranked above what they got."""
    if not applies(ctx):
        return []
    info = placements(ctx).set_index("teacher_id")
    bumped = move_ins(ctx)
    return [_a25_violation(r, info.loc[r.senior_id]) for r in bumped[bumped["rule"] == "A25"].itertuples()]


def _a25_violation(r, senior) -> Finding:
    got = f"site {senior.placed_site}" if pd.notna(senior.placed_site) else "home"
    mover = f" of closed site {r.current_site_id}" if r.current_status == "closed" else ""
    order = ("among themselves in seniority order" if r.relocated_mover
             else "their requested sites before anyone else moves in")
    return finding("A25", f"teacher {r.teacher_id} ({_seniority(r)}){mover} moved into site {r.placed_site}, which "
                   f"{'more senior ' if r.relocated_mover else ''}teacher {r.senior_id} ({_seniority(senior)}) of "
                   f"closed site {senior.current_site_id} listed as request {r.rank + 1}, above what they got "
                   f"({got}); a closed site's teachers choose {order}",
                   (teacher_ref(r.teacher_id), teacher_ref(r.senior_id), site_ref(r.placed_site)))


def check_a24_free_space(ctx: CheckContext) -> list[Finding]:
    """A24 (24.0): requests fill available space: no site a teacher ranked above what they got keeps a free place."""
    if not applies(ctx):
        return []
    req = requests_table(ctx)
    rooms = room_use(ctx)
    free = rooms[rooms["free"] > 0].groupby("site_id")["free"].sum()
    unmet = req[req["above_got"] & req["wanted"].isin(free.index)].sort_values(["seniority", "rank"])
    unmet = unmet.drop_duplicates("teacher_id")
    return [finding("A24", f"teacher {r.teacher_id} listed site {r.wanted} as request {r.rank + 1}, above what they "
                    f"got ({'site ' + str(r.got) if pd.notna(r.got) else 'home'}) while {r.wanted} has "
                    f"{int(free[r.wanted])} free place(s)", (teacher_ref(r.teacher_id), site_ref(r.wanted)))
            for r in unmet.itertuples()]


def location_figures(ctx: CheckContext) -> dict:
    """Figures beside the verdict: room use and shortfall per site (A19), requests met (A24)."""
    if not applies(ctx):
        return {}
    t = placements(ctx)
    req = requests_table(ctx)
    met = req[req["rank"] == req["got_rank"]]["teacher_id"].nunique()
    return {"A19 rooms and shortfall per site": room_shortfall(ctx),
            "A19/A24 work location": {
                "on_site": int(t["on_site"].sum()), "at_home": int(t["at_home"].sum()),
                "site_choosers_at_home": int(((t["work_location"] == "site") & t["at_home"]).sum()),
                "teachers_with_requests": int(req["teacher_id"].nunique()), "got_a_requested_site": int(met)}}


CHECKS = [check_a16_home_choice, check_a19_location_fields, check_a19_room_capacity, check_a19_empty_room,
          check_a24_seniority, check_a24_free_space, check_a25_relocation_priority]
# A25's temporary closures and A26: check/closures.py
FIGURES = [location_figures]
