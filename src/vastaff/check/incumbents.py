"""A24 (24.0), "incumbents are never bumped by requests" — beside check/location.py's ranking test, which protects
what a more senior teacher ranked: an incumbent of an open site (their `current_site_id`) who wants to work there (chose
`site` or `either`) and whose own site locks let them be given it is not left out of it — at home, or at a site they
did not request — while a teacher who is not that site's incumbent moved into it by request. A teacher placed by a
`require` site lock counts as an incumbent (SPEC "Locks"), and a closed site's teacher placed at a site they requested
is A25's relocation, not an A24 request (check/location.py)."""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import CheckContext, finding
from vastaff.check.location import applies, placed_by_request, placements, site_ref, teacher_ref
from vastaff.check.site_locks import may_be_given, site_lock_reach
from vastaff.rules import Finding


def check_a24_incumbents_kept(ctx: CheckContext) -> list[Finding]:
    """A24: one finding per bumped incumbent, naming the teachers who moved into their site by request."""
    if not applies(ctx):
        return []
    t = placements(ctx)
    required, _ = site_lock_reach(ctx)
    current, placed = t["current_site_id"].astype(object), t["placed_site"].astype(object)
    elsewhere = placed.isna() | (placed != current)
    locked_there = pd.Series([s in required.get(tid, ()) for tid, s in zip(t["teacher_id"], placed)], index=t.index)
    open_or_none = t["current_status"].isna() | (t["current_status"] == "open")
    by_request = t["on_site"] & placed_by_request(t)
    movers = t[by_request & elsewhere & open_or_none & ~locked_there]
    if movers.empty:
        return []
    into = movers.groupby("placed_site")["teacher_id"].agg(lambda ids: sorted(map(str, ids))).to_dict()
    left_out = t[current.isin(list(into)) & (t["current_status"] == "open") & (t["work_location"] != "home")
                 & elsewhere & ~by_request]
    left_out = left_out[may_be_given(ctx, left_out["teacher_id"], left_out["current_site_id"]).to_numpy(dtype=bool)]
    return [finding("A24", f"teacher {r.teacher_id}, an incumbent of {r.current_site_id}, "
                           f"{'works from home' if pd.isna(r.placed_site) else 'is placed at ' + str(r.placed_site)} "
                           f"while {', '.join(into[r.current_site_id])} moved into {r.current_site_id} by request "
                           "(incumbents are never bumped by requests)",
                    (teacher_ref(r.teacher_id), site_ref(r.current_site_id),
                     *(teacher_ref(m) for m in into[r.current_site_id])))
            for r in left_out.sort_values("seniority").itertuples()]


CHECKS = [check_a24_incumbents_kept]
