"""A24 (24.0), "incumbents are never bumped by requests", and a teacher changes site only on request — beside
check/location.py's ranking test, which protects what a more senior teacher ranked.

An incumbent of an open site (their `current_site_id`) who wants to work on site (chose `site` or `either`) and whose
own site locks let them be given it is *left out* of it when the plan puts them at home, or at a site they did not
request. That is an A24 violation when the site still has a free place (moved without asking: Article 24.0 changes
a teacher's location on their request; a `site` chooser at home beside a free place is A19's, check/location.py, and
not said twice), or else when teachers who are not its incumbents moved into it (bumped: by request, or placed there
without asking for it, as in two incumbents swapped). A teacher placed by a `require` site lock counts as an
incumbent (docs/contract.md, A24), and a closed site's teacher placed at a site they requested is A25's relocation,
not an A24 request (check/location.py)."""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import CheckContext, finding
from vastaff.check.location import applies, placed_by_request, placements, room_use, site_ref, teacher_ref
from vastaff.check.site_locks import may_be_given, placed_off_home, site_lock_reach
from vastaff.rules import Finding


def check_a24_incumbents_kept(ctx: CheckContext) -> list[Finding]:
    """A24: one finding per incumbent left out of their site: while it keeps a free place (moved without asking; a
    `site` chooser at home is A19's), else while teachers who are not its incumbents hold it (bumped, named)."""
    if not applies(ctx):
        return []
    t = placements(ctx)
    left_out = _left_out(ctx, t).sort_values("seniority")
    takers = _moved_in(ctx, t)
    free = room_use(ctx).query("free > 0").groupby("site_id")["free"].sum()
    has_room = left_out["current_site_id"].isin(free.index)
    moved = left_out[has_room & ~((left_out["work_location"] == "site") & left_out["at_home"])]
    bumped = left_out[~has_room & left_out["current_site_id"].isin(list(takers))]
    return [_moved(r, int(free[r.current_site_id])) for r in moved.itertuples()] + [
        _bumped(r, *takers[r.current_site_id]) for r in bumped.itertuples()]


def _left_out(ctx: CheckContext, t: pd.DataFrame) -> pd.DataFrame:
    """Incumbents of an open site who want to work on site and may be given it, placed at home or at a site they did
    not request."""
    wants = t["work_location"].isin(["site", "either"]) & (t["current_status"] == "open")
    left = t[wants & _elsewhere(t) & ~(t["on_site"] & placed_by_request(t))]
    return left[may_be_given(ctx, left["teacher_id"], left["current_site_id"]).to_numpy(dtype=bool)]


def _moved_in(ctx: CheckContext, t: pd.DataFrame) -> dict[str, tuple[list[str], bool]]:
    """Site -> (the teachers who moved into it, whether by request): not its incumbents, not placed there by a site
    lock (`require` of it, or `forbid` of home with every site full: check/site_locks.py), not a closed site's teachers
    (A25); those who requested it if any did, else the others."""
    required, _ = site_lock_reach(ctx)
    off_home = placed_off_home(ctx, t, room_use(ctx).query("free > 0"))
    locked_there = pd.Series([s in required.get(tid, ()) or (tid, s) in off_home
                              for tid, s in zip(t["teacher_id"], t["placed_site"])], index=t.index)
    open_or_none = t["current_status"].isna() | (t["current_status"] == "open")
    movers = t[t["on_site"] & _elsewhere(t) & open_or_none & ~locked_there].assign(asked=placed_by_request(t))
    out = {}
    for site, group in movers.groupby("placed_site"):
        asked = group[group["asked"]]
        out[site] = (sorted(map(str, (asked if len(asked) else group)["teacher_id"])), bool(len(asked)))
    return out


def _elsewhere(t: pd.DataFrame) -> pd.Series:
    """Per teacher: at home, or at a site other than their current one."""
    placed = t["placed_site"].astype(object)
    return placed.isna() | (placed != t["current_site_id"].astype(object))


def _where(r) -> str:
    return "works from home" if pd.isna(r.placed_site) else f"is placed at {r.placed_site}"


def _bumped(r, movers: list[str], asked: bool) -> Finding:
    how = ("by request (incumbents are never bumped by requests)" if asked else
           "without requesting it (an incumbent keeps their site before anyone placed there)")
    return finding("A24", f"teacher {r.teacher_id}, an incumbent of {r.current_site_id}, {_where(r)} while "
                          f"{', '.join(movers)} moved into {r.current_site_id} {how}",
                   (teacher_ref(r.teacher_id), site_ref(r.current_site_id), *(teacher_ref(m) for m in movers)))


def _moved(r, free: int) -> Finding:
    where = ("works from home" if pd.isna(r.placed_site)
             else f"is placed at {r.placed_site}, which they did not request,")
    return finding("A24", f"teacher {r.teacher_id}, an incumbent of {r.current_site_id} who chose {r.work_location}, "
                          f"{where} while {r.current_site_id} has {free} free place(s) (a teacher changes site only "
                          "on request)", (teacher_ref(r.teacher_id), site_ref(r.current_site_id)))


CHECKS = [check_a24_incumbents_kept]
