"""LOCK + A16/A19/A24/A25/A26: site locks that cannot hold together with the work-location rules.

A lock never excuses a contract rule (docs/contract.md, LOCK), so each conflict names LOCK, the rule(s) in its way, the
`locks.csv` rows, the teacher and the rows that explain it. Two kinds:

- **before the matching** (`before`), whatever the other teachers do: two locks of one teacher that contradict
  each other; a required site that is closed (A26), temporarily closed (A25) or has no room (A19); a teacher who
  chose home (A16) or must go home (A25: temporarily closed site, neither site chosen nor requests listed) locked
  to a site or off home; more teachers locked into a site or a room than it holds (A19);
- **after it** (`after`), for the teachers whose locks had to be enforced (the others are placed by the rules
  alone): a teacher kept off home who found no place (A19); a `site` chooser left at home while a place is free
  (A19, A25); a request ranked above what the teacher got that is left with a free place, or taken by a teacher
  moving in whom the site ranks below them (A24: a junior; A25: anyone without a closed site's priority, when the
  locked teacher is a closed site's teacher); a closed site's teacher placed, at a site they did not request,
  outside the region A26 gives them. These are the readings of the independent checker (check/location.py, closures.py):
  a plan this step returns passes them. A place the teacher's own site locks keep them from is not owed to them
  (`may_be_given`): their own request there, or a free room there for a `site` chooser, is the lock's decision.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.people.location.explain import id_list, relocated_by_request
from vastaff.people.location.locks import FORBID, REQUIRE, lock_text, place_text
from vastaff.people.location.rooms import room_places
from vastaff.people.location.rules import CLOSED, HOME, OPEN, SITE, TEMPORARILY_CLOSED
from vastaff.rules import Finding

EPS_KM = 1e-9
LOCKS_FILE, TEACHERS, SITES, ROOMS = "locks.csv", "teachers.csv", "sites.csv", "rooms.csv"


def _conflict(rules: tuple[str, ...], message: str, locks, *more) -> Finding:
    """A conflict's rows: the locks, their teachers, then what explains it (docs/data-format.md: rows named by key)."""
    locks = list(locks)
    rows = [(LOCKS_FILE, lk.lock_id) for lk in locks] + list(dict.fromkeys((TEACHERS, lk.teacher_id) for lk in locks))
    return Finding(("LOCK", *rules), message, (*rows, *more))


# ----------------------------------------------------------------------------------------------
# Before the matching


def before(locks: pd.DataFrame, t: pd.DataFrame, sites: pd.DataFrame, rooms: pd.DataFrame) -> list[Finding]:
    """Every conflict of the site locks that no placement of the other teachers could resolve."""
    if locks.empty:
        return []
    return _contradictions(locks) + _placement(locks, t, sites) + _capacity(locks, sites, rooms)


def _covers(a, b) -> bool:
    """Whether being where lock `a` requires is being where `b` names (same place, b's room if it names one)."""
    if a.home or b.home:
        return a.home and b.home
    return a.site_id == b.site_id and (b.room_id is None or a.room_id == b.room_id)


def _contradictions(locks: pd.DataFrame) -> list[Finding]:
    """LOCK: two locks of one teacher that no plan can both hold (two places required; a required place forbidden)."""
    out = []
    for _, mine in locks.groupby("teacher_id", sort=False):
        rows = list(mine.itertuples(index=False))
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                both = a.mode == b.mode == REQUIRE and not (_covers(a, b) or _covers(b, a))
                req, other = (a, b) if a.mode == REQUIRE else (b, a)
                clash = req.mode == REQUIRE and other.mode == FORBID and _covers(req, other)
                if both or clash:
                    must = "must not" if other.mode == FORBID else "must"
                    out.append(_conflict((), f"locks {a.lock_id} and {b.lock_id} cannot both hold: teacher "
                                             f"{a.teacher_id} must {place_text(req)} and {must} {place_text(other)}",
                                         [a, b]))
    return out


def _placement(locks: pd.DataFrame, t: pd.DataFrame, sites: pd.DataFrame) -> list[Finding]:
    """A16/A19/A25/A26: a required site no one may be given, or a teacher the rules keep at home put on site."""
    by_site = sites.set_index("site_id")
    who = t.set_index("rank")
    out = []
    for lock in locks.itertuples(index=False):
        on_site = (lock.mode == REQUIRE) != lock.home
        if not on_site:
            continue
        me = who.loc[lock.rank]
        goes_home = me["a25"] and me["work_location"] != SITE and not me["has_requests"]
        status = by_site.at[lock.site_id, "status"] if not lock.home else OPEN
        site = () if lock.home else ((SITES, lock.site_id),)
        if me["work_location"] == HOME and me["ra_home"]:
            out.append(_conflict(("A16",), f"{lock_text(lock)}, but they chose to work from home with an RA (A16: "
                                           "never placed at a site)", [lock], *site))
        elif me["work_location"] == HOME:
            out.append(_conflict(("A19",), f"{lock_text(lock)}, but they chose to work from home (A19: a home "
                                           "chooser gets no room)", [lock], *site))
        elif status == CLOSED:
            out.append(_conflict(("A26",), f"{lock_text(lock)}, which is closed", [lock], *site))
        elif status == TEMPORARILY_CLOSED:
            out.append(_conflict(("A25",), f"{lock_text(lock)}, which is temporarily closed", [lock], *site))
        elif not lock.home and by_site.at[lock.site_id, "places"] == 0:
            out.append(_conflict(("A19",), f"{lock_text(lock)}, which has no room", [lock], *site))
        elif goes_home:
            out.append(_conflict(("A25",), f"{lock_text(lock)}, but their site {me['current_site_id']} is temporarily "
                                           "closed and they neither chose site nor listed requests, so they work from "
                                           "home", [lock], (SITES, me["current_site_id"]), *site))
    return out


def _capacity(locks: pd.DataFrame, sites: pd.DataFrame, rooms: pd.DataFrame) -> list[Finding]:
    """A19: more teachers locked into a room, or a site, than it holds."""
    req = locks[(locks["mode"] == REQUIRE) & ~locks["home"]]
    out = []
    room_cap = room_places(rooms)
    crowded = set()
    for room, g in req[req["room_id"].notna()].groupby("room_id", sort=False):
        g = g.drop_duplicates("teacher_id")
        if len(g) > room_cap[room]:
            crowded.add(g["site_id"].iloc[0])
            n = int(room_cap[room])
            out.append(_conflict(("A19",), f"locks {id_list(g['lock_id'])} require teachers {id_list(g['teacher_id'])} "
                                           f"in room {room} at site {g['site_id'].iloc[0]}, which holds at most {n} "
                                           f"teacher{'s' if n != 1 else ''}", g.itertuples(index=False),
                                 (ROOMS, room)))
    places = sites.set_index("site_id")["places"]
    for site, g in req.groupby("site_id", sort=False):
        g = g.drop_duplicates("teacher_id")
        if 0 < places[site] < len(g) and site not in crowded:  # a crowded room of the site says it already
            n = int(places[site])
            out.append(_conflict(("A19",), f"locks {id_list(g['lock_id'])} require teachers {id_list(g['teacher_id'])} "
                                           f"at site {site}, which has {n} place{'s' if n != 1 else ''}",
                                 g.itertuples(index=False), (SITES, site)))
    return out


# ----------------------------------------------------------------------------------------------
# After the matching: the enforced locks against the rules that depend on everybody's place


def after(enforced: pd.DataFrame, unheld: pd.DataFrame, o: pd.DataFrame, proposals: pd.DataFrame,
          requests: pd.DataFrame, sites: pd.DataFrame, distances: pd.DataFrame, all_locks: pd.DataFrame
          ) -> list[Finding]:
    """The conflicts of the enforced locks with the outcome `o` (one row per teacher, seniority order)."""
    if enforced.empty:
        return []
    free = _free_places(o, sites)
    return (_unheld(unheld, o, proposals)
            + _left_home(enforced[~enforced["rank"].isin(unheld["rank"])], o, free, all_locks)
            + _requests(enforced, o, requests, free, all_locks)
            + _a26_region(enforced, o, free, distances, sites))


def may_be_given(all_locks: pd.DataFrame, teacher: str, site: str) -> bool:
    """Whether the teacher's own site locks let them be given `site`: a `require` elsewhere (or of home) or a `forbid`
    that leaves them no room of the site (none named; or the room named and every other one held by teachers locked
    into it) keeps them from it, so their own request (A24, A25's priority) or `site` choice (A19) is not owed there
    (docs/contract.md reads A24's ranking without the sites a teacher may not be given)."""
    mine = all_locks[all_locks["teacher_id"] == teacher]
    required = mine[mine["mode"] == REQUIRE]
    if len(required) and not (~required["home"] & (required["site_id"] == site)).all():
        return False
    return not (mine["whole"] & mine["site_id"].eq(site)).any()


def _free_places(o: pd.DataFrame, sites: pd.DataFrame) -> pd.Series:
    """site_id -> free places after the plan (open sites only)."""
    s = sites[sites["open"]].set_index("site_id")
    used = o["site_id"].value_counts().reindex(s.index).fillna(0)
    free = (s["places"] - used).astype("int64")
    return free[free > 0]


def _free_text(free: pd.Series) -> str:
    first = free.index[0]
    more = f" (and {len(free) - 1} more site{'s' if len(free) > 2 else ''})" if len(free) > 1 else ""
    return f"site {first} has {int(free.iloc[0])} free place{'s' if free.iloc[0] != 1 else ''}{more}"


def _unheld(unheld: pd.DataFrame, o: pd.DataFrame, proposals: pd.DataFrame) -> list[Finding]:
    """A19: an enforced lock the construction still could not make hold (off home with no place; a barred room)."""
    out = []
    for lock in unheld.itertuples(index=False):
        listed = proposals.loc[proposals["rank"] == lock.rank, "site_id"]
        if not lock.home:
            out.append(_conflict(("A19",), f"{lock_text(lock)}, but every other room of site {lock.site_id} is held "
                                           "by teachers locked into it", [lock], (ROOMS, lock.room_id)))
            continue
        why = f"every site they may be given is full: {id_list(listed)}" if len(listed) else "no open site has a room"
        out.append(_conflict(("A19",), f"{lock_text(lock)}, but {why}", [lock], *((SITES, s) for s in listed.head(5))))
    return out


def _left_home(enforced: pd.DataFrame, o: pd.DataFrame, free: pd.Series, all_locks: pd.DataFrame) -> list[Finding]:
    """A19/A25: a teacher who asked for a site, left at home by a lock while a place is free (RA: home allowed). A
    `site` chooser (A19) is owed only a place their own locks let them be given; A25 sends a temporarily closed
    site's teacher who asked for it to an open site whatever the locks say (a rule, not a preference)."""
    if free.empty:
        return []
    relocated = o["a25"] & (o["work_location"] != HOME) & o["has_requests"]
    asked = ((o["work_location"] == SITE) | relocated) & ~o["ra_home"]
    home = o.loc[asked & o["site_id"].isna()].set_index("rank")
    out = []
    for rank, mine in enforced[enforced["rank"].isin(home.index)].groupby("rank", sort=True):
        to_blame = mine[(mine["home"] & (mine["mode"] == REQUIRE)) | mine["site_id"].isin(free.index)]
        to_blame = to_blame if len(to_blame) else mine
        me = home.loc[rank]
        if not me["a25"] and not any(may_be_given(all_locks, me["teacher_id"], site) for site in free.index):
            continue  # a shortfall the lock decided (A19: not a violation)
        rule, choice = (("A25", "asked to work at an open site") if me["a25"] else ("A19", "chose to work on site"))
        out.append(_conflict((rule,), f"{'; '.join(map(lock_text, to_blame.itertuples()))}; that leaves them at home, "
                                      f"but they {choice} and {_free_text(free)}", to_blame.itertuples(index=False),
                             *((SITES, s) for s in free.index[:5])))
    return out


def _requests(enforced, o, requests, free, all_locks) -> list[Finding]:
    """A24/A25: a request of a teacher with an enforced lock, ranked above what they got, left with a free place or
    taken by a teacher moving in whom the site ranks below them (a teacher locked there counts as its incumbent; a
    closed site's teacher asking for a requested site comes before every other requester, A25)."""
    mine = requests[(requests["ignored_by"] == "") & requests["rank"].isin(enforced["rank"])]
    if mine.empty:
        return []
    placed = o[["rank", "teacher_id", "site_id", "a26"]].rename(columns={"site_id": "got"})
    mine = mine.merge(placed, on=["rank", "a26"])
    mine = mine[np.array([may_be_given(all_locks, t, s) for t, s in zip(mine["teacher_id"], mine["site_id"])],
                         dtype=bool)]
    got_rank = mine[mine["site_id"] == mine["got"]].groupby("rank")["req_rank"].min()
    mine = mine[mine["req_rank"] < mine["rank"].map(got_rank).fillna(np.inf)]
    movers = _movers(o, all_locks)
    out = []
    for r in mine.sort_values(["rank", "req_rank"]).itertuples(index=False):
        there = movers[movers["site_id"] == r.site_id]
        below = there[(there["first"] < r.a26) | ((there["first"] == r.a26) & (there["rank"] > r.rank))]
        if r.site_id not in free.index and below.empty:
            continue
        why = (f"which has {int(free[r.site_id])} free place{'s' if free[r.site_id] != 1 else ''}"
               if r.site_id in free.index else _moves_in(below.iloc[0], r.a26))
        blame = _blame(enforced[enforced["rank"] == r.rank], r.site_id)
        rule = "A25" if r.a26 and r.site_id not in free.index else "A24"  # a free place left: A24's free space
        out.append(_conflict((rule,), f"{'; '.join(map(lock_text, blame.itertuples()))}; that keeps them from site "
                                      f"{r.site_id}, their request {r.req_rank}, {why}", blame.itertuples(index=False),
                             (SITES, r.site_id), *((TEACHERS, j) for j in below["teacher_id"].head(1))))
    return out


def _movers(o: pd.DataFrame, all_locks: pd.DataFrame) -> pd.DataFrame:
    """Teachers placed at a site that is not their current one nor one a lock requires for them, with `first`: a
    closed site's teacher who requested it (A25: chosen before other requesters)."""
    required = all_locks[(all_locks["mode"] == REQUIRE) & ~all_locks["home"]]
    locked_at = set(zip(required["teacher_id"], required["site_id"]))
    movers = o[o["site_id"].notna() & (o["site_id"] != o["current_site_id"])]
    movers = movers[np.array([(t, s) not in locked_at for t, s in zip(movers["teacher_id"], movers["site_id"])],
                             dtype=bool)]
    return movers.assign(first=relocated_by_request(movers)).sort_values(["first", "rank"], kind="stable")


def _moves_in(mover, relocated: bool) -> str:
    """Why the mover holds a place the locked teacher was owed (A24: junior; A25: without a closed site's priority)."""
    if not relocated:
        return f"which junior teacher {mover.teacher_id} moves into"
    if mover.first:
        return f"which less senior teacher {mover.teacher_id} of a closed site moves into"
    return f"which teacher {mover.teacher_id} moves into, although a closed site's teacher chooses first"


def _blame(mine: pd.DataFrame, site: str) -> pd.DataFrame:
    """The locks that kept a teacher from proposing to `site`: a forbid of it, else a require elsewhere (or home)."""
    forbid = mine[(mine["mode"] == FORBID) & (mine["site_id"] == site)]
    required = mine[mine["mode"] == REQUIRE].head(1)
    return forbid if len(forbid) else required if len(required) else mine


def _a26_region(enforced, o, free, distances, sites) -> list[Finding]:
    """A26: a closed site's teacher with an enforced lock, placed at a site they did not request (a requested site
    is their A25 choice) outside its region while that region, or a region nearer their home, has a free place."""
    region = sites.set_index("site_id")["region_id"]
    free_regions = set(region[free.index])
    placed = o[o["a26"] & o["rank"].isin(enforced["rank"]) & o["site_id"].notna()
               & (o["site_region"] != o["current_region"]) & ~relocated_by_request(o)]
    km = distances.set_index(["origin", "region_id"])["km"]
    out = []
    for r in placed.itertuples(index=False):
        at = km[(r.home_region_id, r.site_region)]
        nearer = sorted(g for g in free_regions if km[(r.home_region_id, g)] < at - EPS_KM)
        if r.current_region in free_regions:
            why = f"while region {r.current_region} of that site still has a free place"
        elif nearer:
            why = f"while nearer region(s) {', '.join(nearer)} have a free place"
        else:
            continue
        mine = enforced[enforced["rank"] == r.rank]
        out.append(_conflict(("A26",), f"{'; '.join(map(lock_text, mine.itertuples()))}; that places teacher "
                                       f"{r.teacher_id} of closed site {r.current_site_id} (region {r.current_region}) "
                                       f"at {r.site_id} in region {r.site_region}, {why}", mine.itertuples(index=False),
                             (SITES, r.current_site_id), (SITES, r.site_id)))
    return out
