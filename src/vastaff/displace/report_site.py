"""A11 — Article 11.0: a teacher still displaced reports to the priority site.

With several open priority sites: the one in the region of the teacher's school; else the one nearest the
teacher's home region (distance between region centres); remaining ties go to the lowest site_id.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.schemas.district import District
from vastaff.errors import InputError, InputProblem

from vastaff.displace.seniority import table_label

SITE_COLUMNS = ["teacher_id", "site_id", "site_reason"]


def priority_sites(district: District) -> pd.DataFrame:
    """Open sites with priority_site = true (a closed priority site is rejected by the loader)."""
    sites = district.sites
    return sites[sites["priority_site"] & (sites["status"] == "open")][["site_id", "region_id"]]


def reporting_sites(displaced: pd.DataFrame, district: District) -> pd.DataFrame:
    """A11 (11.0): the priority site each displaced teacher reports to, and why that one."""
    if displaced.empty:
        return pd.DataFrame(columns=SITE_COLUMNS)
    sites = priority_sites(district)
    if sites.empty:
        raise InputError([InputProblem(
            table_label(district.path, "sites"), column="priority_site",
            expected=f"an open site with priority_site = true (Article 11.0): {len(displaced)} teacher(s) "
                     f"are displaced and must report to it")])
    pairs = _teacher_site_pairs(displaced, district, sites)
    pairs = pairs.sort_values(["teacher_id", "outside_school_region", "distance", "site_id"], kind="stable")
    best = pairs.drop_duplicates("teacher_id").copy()
    best["site_reason"] = _site_reason(best, pairs, len(sites))
    return best[SITE_COLUMNS].reset_index(drop=True)


def _teacher_site_pairs(displaced: pd.DataFrame, district: District, sites: pd.DataFrame) -> pd.DataFrame:
    """Every displaced teacher x every priority site, with the keys that rank the sites."""
    xy = district.regions.set_index("region_id")[["x_km", "y_km"]]
    school_region = district.schools.set_index("school_id")["region_id"]
    t = displaced[["teacher_id", "school_id", "home_region_id"]].assign(
        school_region=lambda f: f["school_id"].map(school_region))
    pairs = t.merge(sites.rename(columns={"region_id": "site_region"}), how="cross")
    dx = pairs["site_region"].map(xy["x_km"]).to_numpy() - pairs["home_region_id"].map(xy["x_km"]).to_numpy()
    dy = pairs["site_region"].map(xy["y_km"]).to_numpy() - pairs["home_region_id"].map(xy["y_km"]).to_numpy()
    pairs["distance"] = np.round(np.hypot(dx, dy), 6)
    pairs["outside_school_region"] = pairs["site_region"] != pairs["school_region"]
    return pairs


def _site_reason(best: pd.DataFrame, pairs: pd.DataFrame, n_sites: int) -> pd.Series:
    """'the only priority site' / 'priority site in the school's region R1' / 'nearest priority site to home region R2'."""
    if n_sites == 1:
        return pd.Series("the priority site", index=best.index)
    tied = pairs.merge(best[["teacher_id", "outside_school_region", "distance"]],
                       on=["teacher_id", "outside_school_region", "distance"])
    n_tied = best["teacher_id"].map(tied.groupby("teacher_id").size())
    in_region = "priority site in the school's region " + best["school_region"].astype(str)
    nearest = ("priority site nearest the home region " + best["home_region_id"].astype(str)
               + " (" + best["distance"].map("{:g}".format) + " km)")
    reason = in_region.where(~best["outside_school_region"], nearest)
    return reason.where(n_tied == 1, reason + ", lowest site_id of " + n_tied.astype(str) + " tied")
