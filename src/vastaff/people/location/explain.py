"""What the plan says about each teacher's place: explanations, A19 shortfalls and figures.

Explanations are data: one row (teacher_id, rule, article, message) per fact, for every teacher who
moved, was placed, left a site, was refused a site they listed, or had a request set aside. They stay one
table (tens of thousands of rows are built column-wise); `as_findings` gives them as `vastaff.rules.Finding`s. Every
site that refused someone ends full of teachers it ranks higher (deferred acceptance), so one text per site ("S2
full (3 places: incumbent T9 (Ann Lee); relocated from a closed site T40 (Bo Diaz); more senior T12 (Cy Ng))")
explains every refusal of a request there: a trade (exchange.py) only brings in the teacher the site ranks first among
those who requested it above what they got. A room seeker refused an unlisted site is told "no room left at ...",
no ranking.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.people.location.preferences import CURRENT, FALLBACK, REQUEST
from vastaff.people.location.rules import EITHER, SITE
from vastaff.rules import Finding, article

SHOWN_IDS = 5
"""At most this many teacher or site IDs are named in one message; the rest are counted."""

EXPLANATION_COLUMNS = ["teacher_id", "rule", "article", "message"]
SHORTFALL_COLUMNS = ["teacher_id", "site_id", "region_id", "reason"]


def id_list(ids) -> str:
    """'T1, T2' or 'T1, T2, T3, T4, T5 and 7 more'."""
    ids = [str(i) for i in ids]
    head = ", ".join(ids[:SHOWN_IDS])
    return head if len(ids) <= SHOWN_IDS else f"{head} and {len(ids) - SHOWN_IDS} more"


def rows(teacher_id: pd.Series, rule: pd.Series | str, message: pd.Series) -> pd.DataFrame:
    """Explanation rows; `message` without its rule prefix. Articles come from the registry (vastaff.rules)."""
    tid = np.asarray(teacher_id, dtype=object)
    rule = np.full(len(tid), rule, dtype=object) if isinstance(rule, str) else np.asarray(rule, dtype=object)
    text = [f"{r}: {m}" for r, m in zip(rule, np.asarray(message, dtype=object))]
    return pd.DataFrame({"teacher_id": tid, "rule": rule, "article": [article(r) for r in rule], "message": text},
                        columns=EXPLANATION_COLUMNS)


def as_findings(explanations: pd.DataFrame) -> list[Finding]:
    """Explanation rows as Findings: the rule, the message without its rule prefix, the teacher's row."""
    return [Finding((r,), m.removeprefix(f"{r}: "), (("teachers.csv", t),))
            for t, r, m in explanations[["teacher_id", "rule", "message"]].itertuples(index=False)]


def relocated_by_request(o: pd.DataFrame) -> pd.Series:
    """A25: placed teachers of a closed site who got a site they requested (chosen before other requesters)."""
    return o["a26"] & (o["group"] == REQUEST) & o["site_id"].notna()


HOLDERS = ((-1, "locked there {}"), (0, "incumbent{s} {}"), (1, "relocated from a closed site {}"),
           (2, "more senior {}"))
"""How a site ranks who holds it (A24, A25, LOCK), best first, and how a full site names them."""


def site_full_texts(outcome: pd.DataFrame, sites: pd.DataFrame, locked: pd.Series | None = None,
                    names: dict[str, str] | None = None) -> pd.Series:
    """A24/A25: per site, why it refused anyone: full with whom (locked there, incumbents, teachers of a closed site
    who requested it, then the others by seniority), each teacher with their name where `names` has one
    ('T00157 (Ann Lee)': a chapter chair checks seniority by who, not by ID).

    `locked` (bool per outcome row): teachers a lock placed at their site (LOCK; they count as its incumbents)."""
    on = outcome.assign(locked=False if locked is None else locked)
    on = on.assign(first=relocated_by_request(on))[on["site_id"].notna()]
    holder = np.select([on["locked"], on["site_id"] == on["incumbent_site"], on["first"]], [-1, 0, 1], default=2)
    on = on.assign(holder=holder).sort_values(["site_id", "holder", "rank"], kind="stable")
    texts = {}
    for site, g in on.groupby("site_id", sort=True):
        who = {code: [_named(t, names or {}) for t in g.loc[g["holder"] == code, "teacher_id"]] for code, _ in HOLDERS}
        texts[site] = "; ".join(text.format(id_list(who[code]), s="s" if len(who[code]) > 1 else "")
                                for code, text in HOLDERS if len(who[code]))
    places = sites.set_index("site_id")["places"]
    out = pd.Series({s: f"{s} full ({p} place{'s' if p != 1 else ''}: {texts.get(s, '')})" if p > 0 else f"{s} has no room"
                     for s, p in places.items()}, dtype="object")
    return out


def _named(teacher_id: str, names: dict[str, str]) -> str:
    return f"{teacher_id} ({names[teacher_id]})" if names.get(teacher_id) else str(teacher_id)


def refusal_rows(outcome: pd.DataFrame, proposals: pd.DataFrame, full: pd.Series) -> pd.DataFrame:
    """A24/A19/A25/A26: every listed site ranked above what the teacher got, and why it refused them (a closed
    site's teacher's request under A25: they chose first, and the site was full all the same)."""
    p = proposals.merge(outcome[["rank", "teacher_id", "pos", "a25", "a26"]].rename(columns={"pos": "got"}), on="rank")
    refused = p[(p["got"] < 0) | (p["pos"] < p["got"])]
    req = refused[refused["group"] == REQUEST]
    cur = refused[refused["group"] == CURRENT]
    fb = refused[refused["group"] == FALLBACK]
    out = [
        rows(req["teacher_id"], pd.Series(np.where(req["a26"], "A25", "A24"), index=req.index),
             "request " + req["req_rank"].astype(str) + " not granted: " + req["site_id"].map(full).astype("str")),
        rows(cur["teacher_id"], "A24", "current site not kept: " + cur["site_id"].map(full).astype("str")),
    ]
    if not fb.empty:
        g = fb.groupby("rank", sort=True).agg(teacher_id=("teacher_id", "first"), sites=("site_id", id_list),
                                              a25=("a25", "first"), a26=("a26", "first"))
        rule = pd.Series(np.select([g["a26"], g["a25"]], ["A26", "A25"], default="A19"), index=g.index)
        out.append(rows(g["teacher_id"], rule, "no room left at " + g["sites"] + traded_past(fb, outcome)
                        .reindex(g.index, fill_value="")))
    return pd.concat(out, ignore_index=True)


def traded_past(refused: pd.DataFrame, outcome: pd.DataFrame) -> pd.Series:
    """Per room seeker (rank) refused unlisted sites: the junior teachers who came into one of them in a trade
    (exchange.py), which a chapter chair would otherwise read as seniority passed over: A24 protects requests."""
    traders = outcome.loc[outcome["traded"] != "", ["rank", "teacher_id", "site_id"]]
    m = refused[["rank", "site_id"]].merge(traders.rename(columns={"rank": "by"}), on="site_id")
    m = m[m["by"] > m["rank"]].sort_values(["rank", "by"])
    if m.empty:
        return pd.Series(dtype=object)
    came = m.assign(who=m["teacher_id"] + " (to " + m["site_id"] + ")").groupby("rank", sort=True)["who"].agg(id_list)
    return "; junior " + came + " came in a trade of requested sites (A24 ranks requests above unlisted sites)"


def ignored_rows(outcome: pd.DataFrame, requests: pd.DataFrame) -> pd.DataFrame:
    """A16/A25/A26: requests set aside because the teacher may not be given that site."""
    r = requests[requests["ignored_by"] != ""].merge(outcome[["rank", "teacher_id"]], on="rank")
    why = np.select([r["ignored_by"] == "A16", r["status"] == "temporarily_closed"],
                    ["chose home, so no site is considered", "site temporarily closed"], default="site closed")
    return rows(r["teacher_id"], r["ignored_by"],
                "request " + r["req_rank"].astype(str) + " (" + r["site_id"] + ") not considered: " + why)


def how_placed(o: pd.DataFrame) -> pd.Series:
    """How a placed teacher got their site, in contract terms (request k, current site, region rule)."""
    req = "request " + o["req_rank"].astype(str) + " granted" + o["traded"]
    region = o["site_region"].astype(str)
    a26_where = np.where(o["tier"] == 1, "in region " + region + " of closed site " + o["current_site_id"].astype(str),
                         "in region " + region + ", the nearest to home region " + o["home_region_id"].astype(str)
                         + " with a room left")
    a19_where = np.where(o["site_region"] == o["school_region"], "open site in school region " + region,
                         "open site in region " + region + ", the nearest to school region "
                         + o["school_region"].astype(str) + " with a room left")
    base = np.select([o["group"] == REQUEST, o["group"] == CURRENT], [req, "current site kept"], default=a19_where)
    base = np.where(o["a26"] & (o["group"] == FALLBACK), a26_where, base)
    return pd.Series(base, index=o.index)


def why_home(o: pd.DataFrame) -> pd.Series:
    """Why a teacher works from home, in contract terms."""
    ra = np.where(o["ra_home"], "; RA " + o["ra_status"].astype(str) + ": home allowed (A16)", "")
    text = np.select(
        [o["stays_home"], (o["work_location"] == SITE) & (o["listed"] > 0), o["work_location"] == SITE,
         o["listed"] > 0, o["work_location"] == EITHER],
        ["chose home", "chose site but every site they may be given is full: A19 shortfall",
         "chose site but no open site has a room: A19 shortfall",
         "chose either; the sites they listed are full", "chose either and listed no open site"],
        default="works from home")
    return pd.Series(text, index=o.index) + ra


def outcome_rows(o: pd.DataFrame) -> pd.DataFrame:
    """A16/A19/A24/A25/A26: one row per teacher whose place differs from their current site (a closed site's teacher
    who got a site they requested: "A25: relocated from closed site S3, chose before other requesters: ...")."""
    on, cur = o["site_id"].notna(), o["current_site_id"]
    where = pd.Series(np.where(on, "placed at " + o["site_id"].astype(str) + " (" + how_placed(o) + ")",
                               "works from home (" + why_home(o) + ")"), index=o.index)
    closed = o["a25"] | o["a26"]
    chose = relocated_by_request(o)
    a2x = o[closed & ~chose]
    a25 = o[chose]
    moved = o[~closed & cur.notna() & (o["site_id"] != cur) & on]
    left = o[~closed & cur.notna() & ~on]
    joined = o[~closed & cur.isna() & on]
    waiting = o[~closed & cur.isna() & ~on & (o["work_location"] == SITE)]
    return pd.concat([
        rows(a2x["teacher_id"], pd.Series(np.where(a2x["a26"], "A26", "A25"), index=a2x.index),
             "current site " + a2x["current_site_id"] + np.where(a2x["a26"], " closed; ", " temporarily closed; ")
             + where[a2x.index]),
        rows(a25["teacher_id"], "A25", "relocated from closed site " + a25["current_site_id"]
             + ", chose before other requesters: " + where[a25.index]),
        rows(moved["teacher_id"], by_request(moved), "moves from " + moved["current_site_id"] + " to " + where[moved.index]
             .str.removeprefix("placed at ")),
        rows(left["teacher_id"], pd.Series(np.select([left["stays_home"], left["work_location"] == SITE], ["A16", "A19"],
                                                     default="A24"), index=left.index),
             "leaves " + left["current_site_id"] + "; " + where[left.index]),
        rows(joined["teacher_id"], by_request(joined), where[joined.index]),
        rows(waiting["teacher_id"], "A19", where[waiting.index]),
    ], ignore_index=True)


def by_request(f: pd.DataFrame) -> pd.Series:
    """A24 when the site came from the teacher's requests, else A19 (a room found for a room seeker)."""
    return pd.Series(np.where(f["group"] == REQUEST, "A24", "A19"), index=f.index)


def shortfalls(o: pd.DataFrame, proposals: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """A19: `site` choosers left without a room, with the site/region they wanted and why (not a violation)."""
    s = o[(o["work_location"] == SITE) & o["site_id"].isna()]
    p = proposals[proposals["rank"].isin(s["rank"])]
    wanted = p[p["pos"] == 0].set_index("rank")["site_id"]
    listed = p.groupby("rank")["site_id"].agg(id_list)
    site = s["rank"].map(wanted)
    region = site.map(sites.set_index("site_id")["region_id"]).astype(object)
    anchor = s["current_region"].where(s["a26"], s["school_region"])
    region = region.where(region.notna(), anchor)
    rule = np.where(s["a26"], "A26", "A19")
    body = np.where(s["rank"].isin(listed.index), "every site they may be given is full: " + s["rank"].map(listed).astype(str),
                    "no open site has a room")
    ra = np.where(s["ra_home"], " (RA " + s["ra_status"].astype(str) + ": home allowed, A16)", "")
    reason = pd.Series(rule, index=s.index) + ": chose site; " + pd.Series(body, index=s.index) + ra
    out = pd.DataFrame({"teacher_id": s["teacher_id"], "site_id": site, "region_id": region, "reason": reason},
                       columns=SHORTFALL_COLUMNS).sort_values("teacher_id").reset_index(drop=True).astype(object)
    return out.where(out.notna(), None)  # None, not NaN: these rows go into run.json


def figures(o: pd.DataFrame, proposals: pd.DataFrame, short: pd.DataFrame, sites: pd.DataFrame,
            rooms: pd.DataFrame) -> dict:
    """Counts for the report: on site / home, shortfalls per region and site, requests by rank, moves, rooms."""
    on, cur = o["site_id"].notna(), o["current_site_id"]
    had_requests = proposals.loc[proposals["group"] == REQUEST, "rank"].unique()
    asked = o[o["rank"].isin(had_requests)]
    granted = asked.loc[asked["group"] == REQUEST, "req_rank"].value_counts().sort_index()
    shared = o["room_id"].isin(rooms.loc[rooms["kind"] == "shared", "room_id"])
    return {
        "teachers": int(len(o)),
        "on_site": int(on.sum()),
        "at_home": int((~on).sum()),
        "home_by_choice": int(o["stays_home"].sum()),
        "shortfall": int(len(short)),
        "shortfall_by_region": _counts(short["region_id"]),
        "shortfall_by_site": _counts(short["site_id"]),
        "requests_granted_by_rank": {str(int(k)): int(v) for k, v in granted.items()},
        "requests_not_granted": int(len(asked) - granted.sum()),
        "traded": int((o["traded"] != "").sum()) if "traded" in o else 0,
        "moves": {
            "stayed": int((on & (o["site_id"] == cur)).sum()),
            "moved": int((on & cur.notna() & (o["site_id"] != cur)).sum()),
            "left_site": int((~on & cur.notna()).sum()),
            "joined_site": int((on & cur.isna()).sum()),
        },
        "places": int(sites.loc[sites["open"], "places"].sum()),
        "places_used": int(on.sum()),
        "shared_room_teachers": int(shared.sum()),
        "rooms_kept": int(o["kept_room"].fillna(False).astype(bool).sum()),
    }


def _counts(values: pd.Series) -> dict[str, int]:
    v = values.dropna().value_counts().sort_index()
    return {str(k): int(n) for k, n in v.items()}
