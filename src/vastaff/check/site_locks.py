"""LOCK and the teacher's own place preferences (A19, A24, A25): the sites a teacher's site locks keep them from.

SPEC reads A24's ranking without the sites a teacher "may not be given"; a site lock is a decision people made about
where its teacher works, so the places it keeps them from are such sites: a `require` of a site (with or without a
room) keeps them from every other site, a `require` of home from every site, a `forbid` of a site (without a room)
from that site. Their own request for such a site (A24, A25) and their own `site` choice (A19: a free room there) are
not owed. Rules about the place or about other teachers (A16, A25's temporary closure, A26, room limits) still hold.
"""

from __future__ import annotations

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
    forbid = k[(k["mode"] == "forbid") & k["room_id"].isna() & (k["site_id"] != HOME_SITE)]
    return required, set(zip(forbid["teacher_id"], forbid["site_id"]))


def may_be_given(ctx: CheckContext, teachers: pd.Series, sites: pd.Series) -> pd.Series:
    """Per (teacher, site) pair: whether the teacher's own site locks let them be given that site."""
    required, forbidden = site_lock_reach(ctx)
    return pd.Series([(t not in required or required[t] == {s}) and (t, s) not in forbidden
                      for t, s in zip(teachers, sites)], index=teachers.index, dtype=bool)
